"""Generating, archiving, releasing and downloading reports. Services flush, never commit.

The batch job calls generate_couple_report for each couple; keep its name and signature.
"""

import functools
import hashlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import NamedTuple

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from workshop import audit
from workshop.audit import Action
from workshop.extensions import db
from workshop.models import Couple, Report, ReportKind, User, Workshop, utcnow
from workshop.reporting.data import build_couple_report
from workshop.reporting.render import REPORTS_ROOT, render_pdf
from workshop.reporting.workshop_data import build_workshop_report

COUPLE_TEMPLATE = "couple_report.html"
WORKSHOP_TEMPLATE = "workshop_report.html"


class NotReleasable(ValueError):
    """Only a couple edition not yet released can be released."""


def generate_couple_report(
    workshop: Workshop,
    couple: Couple,
    counselor: User,
    edition: str = "couple",
    include_notes: bool = False,
) -> Report:
    """The couple's report: a new version rendered, archived and audited, or the latest
    version as it is when its data has not changed since (see generate_or_reuse_...)."""
    return generate_or_reuse_couple_report(workshop, couple, counselor, edition, include_notes)[0]


def generate_or_reuse_couple_report(
    workshop: Workshop,
    couple: Couple,
    counselor: User,
    edition: str = "couple",
    include_notes: bool = False,
) -> tuple[Report, bool]:
    """(report, reused): the latest archived version when its data has not changed since it was
    rendered (no render, no new version), else a new version rendered and archived."""
    gathered = gather_couple_report(workshop, couple, edition, include_notes)
    unchanged = latest_unchanged_version(workshop.id, couple.id, gathered)
    if unchanged is not None:
        return unchanged, True
    pdf = render_couple_report(gathered.data)
    return archive_couple_report(workshop, couple, counselor, gathered, pdf), False


class GatheredReport(NamedTuple):
    """A couple report's plain data (picklable: it may be rendered in another process)."""

    kind: ReportKind
    includes_notes: bool
    data: dict

    def digest(self) -> str:
        """What the PDF is made of: the data (but the day it is made on) and the templates."""
        content = {key: value for key, value in self.data.items() if key != "generated_on"}
        canonical = json.dumps(
            [self.kind, self.includes_notes, content, templates_digest()],
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


@functools.cache
def templates_digest() -> str:
    """A digest of every file under reports/ (templates, print CSS, images), once per process:
    a deploy that changes how reports look makes every archived version out of date."""
    digest = hashlib.sha256()
    for path in sorted(REPORTS_ROOT.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(REPORTS_ROOT)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def latest_unchanged_version(
    workshop_id: int, couple_id: int, gathered: GatheredReport
) -> Report | None:
    """The latest version of this edition, if it was rendered from the same data and its file
    is still intact in the archive; None when a new render is needed."""
    latest = db.session.scalar(
        select(Report)
        .where(
            Report.kind == gathered.kind,
            Report.workshop_id == workshop_id,
            Report.couple_id == couple_id,
        )
        .order_by(Report.number.desc())
        .limit(1)
    )
    if latest is None or latest.includes_notes != gathered.includes_notes:
        return None
    if latest.data_sha256 != gathered.digest() or read_report(latest) is None:
        return None
    return latest


def gather_couple_report(
    workshop: Workshop, couple: Couple, edition: str = "couple", include_notes: bool = False
) -> GatheredReport:
    """The database part of a couple report: its plain data, paper size included."""
    kind = ReportKind.COUNSELOR if edition == "counselor" else ReportKind.COUPLE
    notes = kind == ReportKind.COUNSELOR and include_notes
    data = build_couple_report(couple.id, workshop.id, kind.value, notes)
    return GatheredReport(kind, notes, data | {"paper_size": _paper_size(workshop)})


def render_couple_report(data: dict) -> bytes:
    """The PDF of gathered couple-report data. No database or app needed: runs in a worker."""
    return render_pdf(COUPLE_TEMPLATE, data)


def archive_couple_report(
    workshop: Workshop, couple: Couple, counselor: User, gathered: GatheredReport, pdf: bytes
) -> Report:
    """Archive a rendered couple report as a new version (file and row) and audit it."""
    report = _archive(workshop, couple.id, gathered.kind, pdf, counselor)
    report.includes_notes = gathered.includes_notes
    report.data_sha256 = gathered.digest()
    audit.record(counselor, Action.REPORT_GENERATED, "report", report.id, couple.id)
    return report


def generate_workshop_report(workshop: Workshop, counselor: User) -> Report:
    """Render the workshop summary (a new version), archive it and audit it."""
    data = build_workshop_report(workshop.id)
    pdf = render_pdf(WORKSHOP_TEMPLATE, data | {"paper_size": _paper_size(workshop)})
    report = _archive(workshop, None, ReportKind.WORKSHOP, pdf, counselor)
    audit.record(counselor, Action.REPORT_GENERATED, "report", report.id, None)
    return report


def release_report(report: Report, counselor: User) -> None:
    """Let the couple see and download this version."""
    if not report.can_release():
        raise NotReleasable("Only a couple edition that is not yet released can be released.")
    report.released_at = utcnow()
    report.released_by_id = counselor.id
    db.session.flush()


def record_download(report: Report, user: User) -> None:
    audit.record(user, Action.REPORT_DOWNLOADED, "report", report.id, report.couple_id)


def report_path(report: Report) -> Path:
    return Path(current_app.config["REPORTS_DIR"]) / report.file_path


def read_report(report: Report) -> bytes | None:
    """The archived PDF, or None when the file is missing or not what was archived."""
    path = report_path(report)
    if not path.is_file():
        return None
    content = path.read_bytes()
    return content if hashlib.sha256(content).hexdigest() == report.sha256 else None


def download_name(report: Report, couple_name: str | None, workshop_title: str) -> str:
    """progress-report_<couple>_<date>.pdf (workshop-summary_<workshop>_<date>.pdf)."""
    day = report.generated_at.date().isoformat()
    if report.kind == ReportKind.WORKSHOP:
        return f"workshop-summary_{slug(workshop_title)}_{day}.pdf"
    prefix = "counselor-report" if report.kind == ReportKind.COUNSELOR else "progress-report"
    return f"{prefix}_{slug(couple_name or 'couple')}_{day}.pdf"


def slug(text: str) -> str:
    """Lower-case words joined by hyphens (letters of any script kept)."""
    return "-".join(re.findall(r"\w+", text.lower())) or "report"


def _paper_size(workshop: Workshop | None = None) -> str:
    """The workshop's practice's report paper size; the REPORT_PAPER_SIZE setting otherwise."""
    from workshop.models import PAPER_SIZES, Practice

    if workshop is not None:
        chosen = db.session.scalar(
            select(Practice.paper_size).where(Practice.id == workshop.practice_id)
        )
        if chosen in PAPER_SIZES:
            return chosen
    return current_app.config.get("REPORT_PAPER_SIZE", "A4")


def _next_number(kind: str, workshop_id: int, couple_id: int | None) -> int:
    latest = db.session.scalar(
        select(func.max(Report.number)).where(
            Report.kind == kind,
            Report.workshop_id == workshop_id,
            Report.couple_id.is_(None) if couple_id is None else Report.couple_id == couple_id,
        )
    )
    return (latest or 0) + 1


def _archive(workshop, couple_id, kind, pdf: bytes, counselor: User) -> Report:
    number = _next_number(kind, workshop.id, couple_id)
    who = f"c{couple_id}" if couple_id else "all"
    relative = (
        f"{workshop.practice_id}/{workshop.id}/{kind}-{who}-v{number}-{secrets.token_hex(4)}.pdf"
    )
    _write_file(Path(current_app.config["REPORTS_DIR"]) / relative, pdf)
    report = Report(
        practice_id=workshop.practice_id,
        kind=kind,
        workshop_id=workshop.id,
        couple_id=couple_id,
        number=number,
        file_path=relative,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        generated_by_id=counselor.id,
        generated_at=utcnow(),
    )
    db.session.add(report)
    db.session.flush()
    return report


def _write_file(path: Path, content: bytes) -> None:
    """Write atomically (a half-written PDF is never served), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(".part")
    with open(temporary, "wb", opener=lambda p, flags: os.open(p, flags, 0o600)) as handle:
        handle.write(content)
    os.replace(temporary, path)
    # The file belongs to the transaction that adds its Report row: if that rolls back, the
    # file goes too (see forget_unsaved_files), so no PDF lies on disk without a record.
    db.session.info.setdefault(WRITTEN_FILES, []).append(path)


WRITTEN_FILES = "report_files_written"


def init_app(app) -> None:
    """Tie written report files to their transaction (once per process)."""
    if not event.contains(Session, "after_commit", _keep_written_files):
        event.listen(Session, "after_commit", _keep_written_files)
        event.listen(Session, "after_soft_rollback", _remove_unsaved_files)


def _keep_written_files(session) -> None:
    session.info.pop(WRITTEN_FILES, None)


def _remove_unsaved_files(session, previous_transaction) -> None:
    for path in session.info.pop(WRITTEN_FILES, []):
        path.unlink(missing_ok=True)
