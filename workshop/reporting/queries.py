"""Scoped reads: counselors reach reports of workshops they lead; partners, their couple's
released reports only. Anything else is a 404."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask import abort
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import selectinload

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
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters
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
_WORKSHOP_AND_PARTNERS = (
    select(Workshop.id, Workshop.title, User.id.label("partner_id"), User.name)
    .join(Enrollment, Enrollment.workshop_id == Workshop.id)
    .outerjoin(User, User.couple_id == Enrollment.couple_id)
    .where(
        Workshop.id == bindparam("workshop_id"),
        Enrollment.couple_id == bindparam("couple_id"),
        led_by(COUNSELOR_AS_PARAMETERS),
    )
    .order_by(User.id)
)
_NEWEST_FIRST = (Report.generated_at.desc(), Report.id.desc())
# The archive's columns (what _report_rows.html shows), as plain rows.
_ARCHIVE = select(
    Report.id,
    Report.kind,
    Report.number,
    Report.includes_notes,
    Report.generated_at,
    Report.released_at,
    User.name.label("generated_by_name"),
).join(User, User.id == Report.generated_by_id)
_COUPLE_REPORTS = _ARCHIVE.where(
    Report.workshop_id == bindparam("workshop_id"), Report.couple_id == bindparam("couple_id")
).order_by(*_NEWEST_FIRST)
_WORKSHOP_REPORTS = _ARCHIVE.where(
    Report.workshop_id == bindparam("workshop_id"), Report.kind == ReportKind.WORKSHOP
).order_by(*_NEWEST_FIRST)
_RELEASED_REPORTS = (
    select(Report.id, Workshop.title.label("workshop_title"), Report.released_at)
    .join(Workshop, Report.workshop_id == Workshop.id)
    .where(
        Report.couple_id == bindparam("couple_id"),
        Report.kind == ReportKind.COUPLE,
        Report.released_at.isnot(None),
    )
    .order_by(Report.released_at.desc(), Report.id.desc())
)
# The couple's workshops, newest enrollment first, each with every partner of the couple.
_WORKSHOPS_AND_PARTNERS = (
    select(Workshop.id, Workshop.title, User.id, User.name)
    .join(Enrollment, Enrollment.workshop_id == Workshop.id)
    .join(User, User.couple_id == Enrollment.couple_id)
    .where(Enrollment.couple_id == bindparam("couple_id"))
    .order_by(Enrollment.enrolled_at.desc(), User.id)
)


class WorkshopTitle(NamedTuple):
    id: int
    title: str


def workshop_and_couple_heading_or_404(workshop_id: int, couple_id: int, counselor: User):
    """What the couple's progress page shows of the workshop (id, title) and the couple, in one
    statement; the same reach as get_workshop_and_couple_or_404 (led workshop, couple enrolled
    in it at some time)."""
    params = {
        "workshop_id": workshop_id,
        "couple_id": couple_id,
        **counselor_parameters(counselor),
    }
    rows = db.session.execute(_WORKSHOP_AND_PARTNERS, params).all()
    if not rows:
        abort(404)
    workshop = rows[0]
    partners = tuple(Partner(r.partner_id, r.name) for r in rows if r.partner_id is not None)
    return workshop, CoupleHeading(couple_id, partners)


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


def reports_of(workshop_id: int, couple_id: int | None) -> list[ArchivedReport]:
    """Every version of the couple's reports (or the workshop's summaries), newest first."""
    if couple_id is None:
        rows = db.session.execute(_WORKSHOP_REPORTS, {"workshop_id": workshop_id})
    else:
        params = {"workshop_id": workshop_id, "couple_id": couple_id}
        rows = db.session.execute(_COUPLE_REPORTS, params)
    return [ArchivedReport(*row) for row in rows]


def released_reports_of(partner: User) -> list[Row]:
    """(id, workshop title, released_at) of the couple editions released to the partner's
    couple, latest first."""
    if partner.couple_id is None:
        return []
    return list(db.session.execute(_RELEASED_REPORTS, {"couple_id": partner.couple_id}))


def workshops_and_partners_of(couple_id: int) -> tuple[list[WorkshopTitle], tuple[Partner, ...]]:
    """The workshops the couple is (or was) enrolled in, newest first, and the couple's
    partners in partner order (none when there is no workshop), in one statement."""
    rows = db.session.execute(_WORKSHOPS_AND_PARTNERS, {"couple_id": couple_id}).all()
    workshops = dict.fromkeys(WorkshopTitle(w_id, title) for w_id, title, _, _ in rows)
    partners = dict.fromkeys(Partner(p_id, name) for _, _, p_id, name in rows)
    return list(workshops), tuple(partners)
