"""Scoped reads: counselors reach reports of workshops they lead; partners, their couple's
released reports only. Anything else is a 404."""

from flask import abort
from sqlalchemy import select
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


def reports_of(workshop_id: int, couple_id: int | None) -> list[Report]:
    """Every version of the couple's reports (or the workshop's summaries), newest first."""
    query = select(Report).where(Report.workshop_id == workshop_id)
    if couple_id is None:
        query = query.where(Report.kind == ReportKind.WORKSHOP)
    else:
        query = query.where(Report.couple_id == couple_id)
    query = query.options(selectinload(Report.generated_by))
    return list(db.session.scalars(query.order_by(Report.generated_at.desc(), Report.id.desc())))


def released_reports_of(partner: User) -> list[Report]:
    if partner.couple_id is None:
        return []
    query = (
        select(Report)
        .where(
            Report.couple_id == partner.couple_id,
            Report.kind == ReportKind.COUPLE,
            Report.released_at.isnot(None),
        )
        .options(selectinload(Report.workshop))
        .order_by(Report.released_at.desc(), Report.id.desc())
    )
    return list(db.session.scalars(query))


def workshops_of_couple(couple_id: int) -> list[Workshop]:
    """The workshops the couple is (or was) enrolled in, newest first."""
    query = (
        select(Workshop)
        .join(Enrollment, Enrollment.workshop_id == Workshop.id)
        .where(Enrollment.couple_id == couple_id)
        .order_by(Enrollment.enrolled_at.desc())
    )
    return list(db.session.scalars(query))
