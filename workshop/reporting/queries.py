"""Scoped reads: counselors reach reports of workshops they lead; partners, their couple's
released reports only. Anything else is a 404."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, func, select, true
from sqlalchemy.orm import aliased, selectinload

from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    Report,
    ReportKind,
    User,
    Workshop,
)
from workshop.models.people import couple_name_of, first_name_of
from workshop.paging import ReadPage, RowsPagination
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters, plain_rows
from workshop.workshops.queries import get_workshop_or_404, led_by


def get_report_or_404(report_id: int, counselor: User) -> Report:
    """A report of a workshop this counselor leads or co-leads."""
    query = (
        select(Report)
        .join(Workshop, Report.workshop_id == Workshop.id)
        .where(Report.id == report_id, led_by(counselor))
        .options(selectinload(Report.couple).selectinload(Couple.partners))
    )
    return db.session.scalar(query) or abort(404)


def get_released_report_or_404(report_id: int, partner: User) -> Report:
    """A couple edition released to this partner's couple."""
    query = (
        select(Report)
        .where(
            Report.id == report_id,
            Report.couple_id == partner.couple_id,
            Report.kind == ReportKind.COUPLE,
            Report.released_at.isnot(None),
        )
        .options(selectinload(Report.couple).selectinload(Couple.partners))
    )
    if partner.couple_id is None:
        abort(404)
    return db.session.scalar(query) or abort(404)


def get_workshop_and_couple_or_404(workshop_id: int, couple_id: int, counselor: User):
    """A workshop this counselor leads, and a couple that has been enrolled in it."""
    workshop = get_workshop_or_404(workshop_id, counselor)
    query = (
        select(Couple)
        .join(Enrollment, Enrollment.couple_id == Couple.id)
        .where(Enrollment.workshop_id == workshop.id, Couple.id == couple_id)
        .options(selectinload(Couple.partners))
    )
    return workshop, (db.session.scalar(query) or abort(404))


@dataclass(frozen=True)
class Partner:
    """What the progress pages show of a partner (and what the charts need)."""

    id: int
    name: str

    @property
    def first_name(self) -> str:
        return first_name_of(self.name)


@dataclass(frozen=True)
class CoupleHeading:
    """A couple as the progress pages show it: its name, from its partners in partner order."""

    id: int
    partners: tuple[Partner, ...]

    @property
    def name(self) -> str:
        return couple_name_of(p.name for p in self.partners)


# The statements the progress pages run on every view are built once (see workshop.statements).
_NEWEST_FIRST = (Report.generated_at.desc(), Report.id.desc())
_GENERATED_BY = aliased(User)
# The archive's columns (what _report_rows.html shows), as plain rows.
_ARCHIVE_COLUMNS = (
    Report.id,
    Report.kind,
    Report.number,
    Report.includes_notes,
    Report.generated_at,
    Report.released_at,
    _GENERATED_BY.name.label("generated_by_name"),
)
_ARCHIVE = select(*_ARCHIVE_COLUMNS).join(_GENERATED_BY, _GENERATED_BY.id == Report.generated_by_id)
_COUPLE_REPORTS = _ARCHIVE.where(
    Report.workshop_id == bindparam("workshop_id"), Report.couple_id == bindparam("couple_id")
).order_by(*_NEWEST_FIRST)
_WORKSHOP_REPORTS = _ARCHIVE.where(
    Report.workshop_id == bindparam("workshop_id"), Report.kind == ReportKind.WORKSHOP
).order_by(*_NEWEST_FIRST)
# The progress pages list the versions of reports a page at a time: a counselor may generate
# one after every session, and each stays in the archive.
VERSIONS_PER_PAGE = 10
# One page of the couple's versions, newest first, each with the number of versions in all.
_VERSIONS_ON_PAGE = (
    _COUPLE_REPORTS.add_columns(func.count().over().label("total"))  # counted before the LIMIT
    .limit(bindparam("page_size"))
    .offset(bindparam("page_offset"))
    .subquery("version")
)
_VERSION = _VERSIONS_ON_PAGE.c
# One page of the workshop's summaries, newest first, each with the number of them in all: a
# counselor may make one after every session, for years of the workshop's archive.
_WORKSHOP_REPORTS_ON_PAGE = (
    _WORKSHOP_REPORTS.add_columns(func.count().over().label("total"))
    .limit(bindparam("page_size"))
    .offset(bindparam("page_offset"))
)
# The couple's progress page: the workshop, each partner of the couple, and each version of
# the couple's reports on the page (a row per partner and version), newest version first;
# rows without a version (and so without the number) for a page without one.
_COUPLE_PAGE = (
    select(
        Workshop.id,
        Workshop.title,
        User.id,
        User.name,
        *[_VERSION[column.key] for column in _ARCHIVE_COLUMNS],
        _VERSION.total,
    )
    .join(Enrollment, Enrollment.workshop_id == Workshop.id)
    .outerjoin(User, User.couple_id == Enrollment.couple_id)
    .outerjoin(_VERSIONS_ON_PAGE, true())
    .where(
        Workshop.id == bindparam("workshop_id"),
        Enrollment.couple_id == bindparam("couple_id"),
        led_by(COUNSELOR_AS_PARAMETERS),
    )
    .order_by(_VERSION.generated_at.desc(), _VERSION.id.desc(), User.id)
)
# The partner's progress page: the couple's workshops, newest enrollment first, each with every
# partner of the couple and the couple editions released to them in it (a row per partner and
# report). Every report of a couple is of a workshop it was enrolled in (reports are made for
# enrolled couples; an enrollment is withdrawn, never deleted), so none is left out.
_PARTNER_PAGE = (
    select(Workshop.id, Workshop.title, User.id, User.name, Report.id, Report.released_at)
    .join(Enrollment, Enrollment.workshop_id == Workshop.id)
    .join(User, User.couple_id == Enrollment.couple_id)
    .outerjoin(
        Report,
        (Report.workshop_id == Workshop.id)
        & (Report.couple_id == Enrollment.couple_id)
        & (Report.kind == ReportKind.COUPLE)
        & Report.released_at.isnot(None),
    )
    .where(Enrollment.couple_id == bindparam("couple_id"))
    .order_by(Enrollment.enrolled_at.desc(), User.id)
)


class WorkshopTitle(NamedTuple):
    id: int
    title: str


@dataclass(frozen=True)
class ArchivedReport:
    """One version of a report as the archive lists it, from a plain row."""

    id: int
    kind: str
    number: int
    includes_notes: bool
    generated_at: datetime
    released_at: datetime | None
    generated_by_name: str

    # The model's own rules, so the list and the release action agree.
    is_released = vars(Report)["is_released"]
    can_release = vars(Report)["can_release"]


def workshop_summaries(workshop_id: int, page: int = 1) -> RowsPagination:
    """A page of the versions of the workshop's summary reports (ArchivedReports), newest
    first, with their number (one statement). A page past the end is empty."""
    versions = RowsPagination(
        select=_WORKSHOP_REPORTS_ON_PAGE,
        params={"workshop_id": workshop_id},
        page=page,
        per_page=VERSIONS_PER_PAGE,
        max_per_page=None,
        error_out=False,
    )
    versions.items = [ArchivedReport(*row) for row in versions.items]
    return versions


class ReleasedReport(NamedTuple):
    id: int
    workshop_title: str
    released_at: datetime


def couple_page_or_404(workshop_id: int, couple_id: int, counselor: User, page: int = 1):
    """What the couple's progress page shows, in one statement: the workshop (id, title), the
    couple and a page of the versions of its reports, newest first, with their number. The
    same reach as get_workshop_and_couple_or_404 (led workshop, couple enrolled in it at some
    time). A page past the end is empty, with the number 0 (no version carries it)."""
    page = max(page, 1)
    params = {
        "workshop_id": workshop_id,
        "couple_id": couple_id,
        "page_size": VERSIONS_PER_PAGE,
        "page_offset": (page - 1) * VERSIONS_PER_PAGE,
        **counselor_parameters(counselor),
    }
    rows = plain_rows(_COUPLE_PAGE, params)
    if not rows:
        abort(404)
    # Partners in partner order: each version's rows list them by id (so do the rows of no
    # version, when there is none).
    partners = dict.fromkeys(Partner(row[2], row[3]) for row in rows if row[2] is not None)
    reports: dict[int, ArchivedReport] = {}
    for row in rows:
        if row[4] is not None and row[4] not in reports:
            reports[row[4]] = ArchivedReport(*row[4:-1])
    versions = ReadPage(
        page=page,
        per_page=VERSIONS_PER_PAGE,
        error_out=False,
        items=list(reports.values()),
        total=rows[0][-1] or 0,
    )
    workshop = WorkshopTitle(rows[0][0], rows[0][1])
    return workshop, CoupleHeading(couple_id, tuple(partners)), versions


def partner_page_of(couple_id: int | None):
    """What the partner's progress page shows, in one statement: the workshops the couple is
    (or was) enrolled in, newest first; the couple's partners in partner order (none when
    there is no workshop); the couple editions released to them, latest first."""
    if couple_id is None:
        return [], (), []
    rows = plain_rows(_PARTNER_PAGE, {"couple_id": couple_id})
    workshops = dict.fromkeys(WorkshopTitle(row[0], row[1]) for row in rows)
    partners = dict.fromkeys(Partner(row[2], row[3]) for row in rows)
    released = {ReleasedReport(row[4], row[1], row[5]) for row in rows if row[4] is not None}
    latest_first = sorted(released, key=lambda r: (r.released_at, r.id), reverse=True)
    return list(workshops), tuple(partners), latest_first
