"""Rendering reports on a pool of worker processes, for the batch job.

The job gathers each report's plain data in its own process (the database stays there), sends
the dict here and gets PDF bytes back. Workers are started with the "spawn" method: the job may
run on a thread inside the web process, where forking is unsafe. Each worker imports WeasyPrint
once (the initializer) and keeps render's parsed CSS and font configuration between renders.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from flask import current_app

DEFAULT_MAX_PROCESSES = 2


def render_processes(items: int | None = None) -> int:
    """How many worker processes to render on: JOBS_RENDER_PROCESSES, else up to
    os.cpu_count() (2 at most). 0 means "render in this process" (the testing default)."""
    configured = current_app.config.get("JOBS_RENDER_PROCESSES")
    if configured is None:
        configured = min(os.cpu_count() or 1, DEFAULT_MAX_PROCESSES)
    processes = max(int(configured), 0)
    if items is not None:
        processes = min(processes, items)
    return processes


def render_pool(processes: int, paper_size: str = "A4") -> ProcessPoolExecutor:
    """A pool of `processes` spawned workers, each with WeasyPrint imported and warm."""
    return ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=warm_worker,
        initargs=(paper_size,),
    )


def warm_worker(paper_size: str) -> None:
    """Import WeasyPrint and parse the print CSS and fonts once, in a new worker process."""
    from workshop.reporting import render

    render.warm_up((paper_size,))


def render_in_worker(template_name: str, data: dict) -> bytes:
    """Render one report in a worker (plain data in, PDF bytes out)."""
    from workshop.reporting.render import render_pdf

    return render_pdf(template_name, data)
