"""Plain data for the workshop summary report: every couple's attendance, homework, measures."""

from collections import defaultdict
from statistics import mean
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.homework.fields import MEASURES
from workshop.models import (
    JOINT_RESPONDENT,
    Attendance,
    Couple,
    Enrollment,
    EnrollmentStatus,
    utcnow,
)
from workshop.reporting import charts
from workshop.reporting.data import (
    DONE,
    _assignments,
    _branding,
    _counselors,
    _day,
    _measure_points,
    _period,
    _respondent,
    _sessions,
    _workshop,
)


def build_workshop_report(workshop_id: int) -> dict:
    """Every enrolled couple's attendance rate, homework completion and measure averages."""
    workshop = _workshop(workshop_id)
    zone = ZoneInfo(workshop.timezone)
    couples = list(
        db.session.scalars(
            select(Couple)
            .join(Enrollment, Enrollment.couple_id == Couple.id)
            .where(
                Enrollment.workshop_id == workshop_id,
                Enrollment.status == EnrollmentStatus.ENROLLED,
            )
            .options(selectinload(Couple.partners))
            .order_by(Enrollment.enrolled_at, Enrollment.id)
        )
    )
    sessions = _sessions(workshop_id)
    now = utcnow()
    held = [s for s in sessions if s.starts_at <= now]
    couple_ids = [c.id for c in couples]
    present = _present_counts(held, couples)
    assignments = _assignments(workshop_id, couple_ids)
    points = [p for p, is_safety, _ in _measure_points(workshop_id, couple_ids) if not is_safety]
    rows = [_couple_row(c, held, present, assignments, points) for c in couples]
    return {
        **_branding(workshop),
        "workshop_title": workshop.title,
        "counselors": _counselors(workshop),
        "author": workshop.lead.name,
        "period": _period(sessions, zone, workshop),
        "generated_on": _day(now, zone),
        "sessions_held": len(held),
        "sessions_planned": len(sessions),
        "measure_labels": [{"key": k, "label": v} for k, v in MEASURES.items()],
        "rows": rows,
        "charts": _charts(couples, points),
    }


def _present_counts(held, couples) -> dict[int, int]:
    partner_couple = {p.id: c.id for c in couples for p in c.partners}
    counts: dict[int, int] = defaultdict(int)
    if held and partner_couple:
        rows = db.session.scalars(
            select(Attendance.partner_id).where(
                Attendance.session_id.in_([s.id for s in held]),
                Attendance.partner_id.in_(list(partner_couple)),
                Attendance.status == "present",
            )
        )
        for partner_id in rows:
            counts[partner_couple[partner_id]] += 1
    return counts


def _couple_row(couple, held, present, assignments, points) -> dict:
    slots = len(held) * len(couple.partners)
    expected = done = 0
    for assignment in (a for a in assignments if a.couple_id == couple.id):
        joint = assignment.exercise_version.is_joint
        wanted = [JOINT_RESPONDENT] if joint else [_respondent(p.id) for p in couple.partners]
        finished = {s.respondent for s in assignment.submissions if s.status in DONE}
        expected += len(wanted)
        done += len(set(wanted) & finished)
    averages = {}
    for key in MEASURES:
        values = [p.value for p in points if p.couple_id == couple.id and p.measure == key]
        averages[key] = f"{mean(values):.1f}" if values else "—"
    return {
        "name": couple.name,
        "attendance": f"{round(100 * present[couple.id] / slots)}%" if slots else "—",
        "homework": f"{round(100 * done / expected)}%" if expected else "—",
        "homework_counts": f"{done} of {expected}",
        "averages": averages,
    }


def _charts(couples, points) -> list[dict]:
    """Per measure: each couple's average answer per day, one line per couple."""
    found = []
    for key, label in MEASURES.items():
        chosen = [p for p in points if p.measure == key]
        if not chosen:
            continue
        series = []
        for couple in couples:
            by_day = defaultdict(list)
            for point in (p for p in chosen if p.couple_id == couple.id):
                by_day[point.recorded_at.date()].append(point.value)
            series.append(
                charts.Series(couple.name, [(d, mean(v)) for d, v in sorted(by_day.items())])
            )
        scale = (min(p.scale_min for p in chosen), max(p.scale_max for p in chosen))
        found.append(
            {
                "label": label,
                "chart": charts.line_chart(f"{label}: couples' averages", series, scale, label),
            }
        )
    return found
