"""Screenshots of the pages the browser tests visit, kept outside git for a person to look at."""

import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Ignored by git; E2E_SCREENSHOTS_DIR moves it (two runs at once must not share one folder).
DEFAULT_SCREENSHOTS_DIR = PROJECT_ROOT / "e2e-screenshots"

_current: list[Path] = []


def start_screenshots_dir() -> Path:
    """Empty and remember this run's folder (E2E_SCREENSHOTS_DIR or e2e-screenshots/)."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS_DIR") or DEFAULT_SCREENSHOTS_DIR).resolve()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    _current[:] = [folder]
    return folder


def current_screenshots_dir() -> Path | None:
    """The folder of this run, once the `screenshots_dir` fixture has made it."""
    return _current[0] if _current else None


def shoot(page, label: str) -> Path:
    """Save a full-page PNG of what `page` shows now, named after `label`."""
    folder = current_screenshots_dir() or start_screenshots_dir()
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in label)
    path = folder / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
