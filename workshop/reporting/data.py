"""Plain data for the reports, gathered in a fixed number of queries (never ORM objects out).

The couple edition is what a couple receives: it never holds note text, one partner's answers
(private, or shared-after-both before both have answered) or safety check-in answers; it shows
only whether homework was done. The counselor edition adds both partners' answers side by side
and the safety flags, and note text only when asked for that one report.
"""

import base64
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Bundle, joinedload, selectinload

from workshop.extensions import db
from workshop.homework.fields import MEASURES
from workshop.models import (
    JOINT_RESPONDENT,
    AnswerMode,
    Assignment,
    Attendance,
    Couple,
    ExerciseVersion,
    MeasurePoint,
    ProgressSummary,
    SafetyFlag,
    SessionNote,
    SessionStatus,
    Stage,
    Submission,
    SubmissionStatus,
    Visibility,
    Workshop,
    WorkshopSession,
    utcnow,
)
from workshop.notes.formats import get_format
from workshop.reporting import charts
from workshop.statements import plain_rows

DONE = (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED)
EDITIONS = ("couple", "counselor")
SUPPORT_STAGE = "support"
ATTENDANCE_LABELS = {"present": "Present", "absent": "Absent", "excused": "Excused"}


def _workshop(workshop_id: int) -> Workshop:
    query = (
        select(Workshop)
        .where(Workshop.id == workshop_id)
        .options(joinedload(Workshop.lead), selectinload(Workshop.co_counselors))
    )
    return db.session.scalars(query).one()


def _branding(workshop: Workshop) -> dict:
    """The practice's name, logo (a data: URL, or None for the bundled mark) and paper size.

    The logo was checked to be a PNG or JPEG on upload; a data: URL is the only way WeasyPrint
    may load an image from outside reports/."""
    from workshop.models import Practice

    name, paper_size, logo, mime = db.session.execute(
        select(Practice.name, Practice.paper_size, Practice.logo, Practice.logo_mime).where(
            Practice.id == workshop.practice_id
        )
    ).one()
    logo_url = None
    if logo and mime in ("image/png", "image/jpeg"):
        logo_url = f"data:{mime};base64,{base64.b64encode(logo).decode('ascii')}"
    return {"practice_name": name, "practice_logo": logo_url, "paper_size": paper_size or "A4"}


def _sessions(workshop_id: int) -> list[WorkshopSession]:
    query = (
        select(WorkshopSession)
        .where(
            WorkshopSession.workshop_id == workshop_id,
            WorkshopSession.status != SessionStatus.CANCELLED,
        )
        .options(selectinload(WorkshopSession.stages))
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    return list(db.session.scalars(query))


def _assignments(workshop_id: int, couple_ids: list[int]) -> list[Assignment]:
    query = (
        select(Assignment)
        .where(Assignment.workshop_id == workshop_id, Assignment.couple_id.in_(couple_ids))
        .options(
            joinedload(Assignment.exercise_version).joinedload(ExerciseVersion.exercise),
            selectinload(Assignment.submissions),
        )
        .order_by(Assignment.opens_at, Assignment.id)
    )
    return list(db.session.scalars(query).unique())


def _measure_points(workshop_id: int, couple_ids: list[int]) -> list[tuple]:
    """(point, is_safety_check, is_private) of the couples' answers given in this workshop.

    is_private: an individual answer the other partner may never read, so the couple's own
    report must not show it either (the counselor's edition does)."""
    query = _measure_points_query(couple_ids).where(Assignment.workshop_id == workshop_id)
    return [tuple(row) for row in db.session.execute(query)]


# A measure point as the charts read it (couple, partner, measure, value, scale, when), plain
# values rather than MeasurePoint objects.
_POINT_COLUMNS = (
    MeasurePoint.couple_id,
    MeasurePoint.partner_id,
    MeasurePoint.measure,
    MeasurePoint.value,
    MeasurePoint.scale_min,
    MeasurePoint.scale_max,
    MeasurePoint.recorded_at,
)


def _measure_points_query(couple_ids: list[int]):
    return _points_with_exercise(Bundle("point", *_POINT_COLUMNS)).where(
        MeasurePoint.couple_id.in_(couple_ids)
    )


def _points_with_exercise(*columns):
    """The columns of measure points, then whether the exercise answered is a safety check and
    whether the answer is private."""
    is_private = (ExerciseVersion.mode == AnswerMode.INDIVIDUAL) & (
        ExerciseVersion.visibility == Visibility.PRIVATE
    )
    return (
        select(*columns, ExerciseVersion.is_safety_check, is_private)
        .join(Submission, MeasurePoint.submission_id == Submission.id)
        .join(Assignment, Submission.assignment_id == Assignment.id)
        .join(ExerciseVersion, Assignment.exercise_version_id == ExerciseVersion.id)
        .order_by(MeasurePoint.recorded_at, MeasurePoint.id)
    )


# Built once per process, the ids bound when it runs: the progress pages run it on every view,
# and building a statement costs about as much Python as running it. Flat rows: the point's
# columns, its two flags, then the workshop. In one workshop (the counselor's page, and most
# partners'), the workshop is a plain parameter: an expanding one costs ~0.03 ms a run.
_COUPLE_MEASURES = (
    _points_with_exercise(*_POINT_COLUMNS)
    .add_columns(Assignment.workshop_id)
    .where(MeasurePoint.couple_id == bindparam("couple_id"))
)
_COUPLE_MEASURES_IN_WORKSHOP = _COUPLE_MEASURES.where(
    Assignment.workshop_id == bindparam("workshop_id")
)
_COUPLE_MEASURES_IN_WORKSHOPS = _COUPLE_MEASURES.where(
    Assignment.workshop_id.in_(bindparam("workshop_ids", expanding=True))
)


def couple_measures(couple_id: int, partners, workshop_ids: list[int]) -> dict[int, list[dict]]:
    """The couple edition's charts for each of these workshops, in one query: what the
    progress pages show, without gathering a whole report per workshop. `partners`: the
    couple's partners in partner order (anything with id, name and first_name)."""
    partners = [{"id": p.id, "name": p.name, "first_name": p.first_name} for p in partners]
    if len(workshop_ids) == 1:
        params = {"couple_id": couple_id, "workshop_id": workshop_ids[0]}
        rows = plain_rows(_COUPLE_MEASURES_IN_WORKSHOP, params)
    else:
        params = {"couple_id": couple_id, "workshop_ids": workshop_ids}
        rows = plain_rows(_COUPLE_MEASURES_IN_WORKSHOPS, params)
    points = defaultdict(list)
    for row in rows:
        points[row[9]].append((row[:7], row[7], row[8]))  # as _measure_points gives them
    return {
        workshop_id: _measures(points[workshop_id], partners, counselor_edition=False)
        for workshop_id in workshop_ids
    }


def _stage_titles() -> dict[int, dict]:
    rows = db.session.scalars(select(Stage).order_by(Stage.position))
    return {s.id: {"key": s.key, "title": s.title, "summary": s.summary} for s in rows}


def _counselors(workshop: Workshop) -> list[str]:
    names = [workshop.lead.name] + [c.name for c in workshop.co_counselors]
    return list(dict.fromkeys(names))


def _day(moment: datetime | None, zone: ZoneInfo, fmt: str = "%d %b %Y") -> str:
    return moment.astimezone(zone).strftime(fmt) if moment else ""


def _period(sessions, zone: ZoneInfo, workshop: Workshop) -> str:
    if not sessions:
        return f"From {_day(workshop.created_at, zone)} (no sessions yet)"
    return f"{_day(sessions[0].starts_at, zone)} – {_day(sessions[-1].starts_at, zone)}"


def _respondent(partner_id: int) -> str:
    return f"p{partner_id}"


# --- the couple report ------------------------------------------------------------------------


def build_couple_report(
    couple_id: int, workshop_id: int, edition: str = "couple", include_notes: bool = False
) -> dict:
    """Everything a couple's progress report shows, as plain dicts and strings."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}")
    counselor_edition = edition == "counselor"
    workshop = _workshop(workshop_id)
    zone = ZoneInfo(workshop.timezone)
    couple = db.session.scalars(
        select(Couple).where(Couple.id == couple_id).options(selectinload(Couple.partners))
    ).one()
    partners = [{"id": p.id, "name": p.name, "first_name": p.first_name} for p in couple.partners]
    sessions = _sessions(workshop_id)
    now = utcnow()
    held = [s for s in sessions if s.starts_at <= now]
    stages = _stage_titles()
    assignments = _assignments(workshop_id, [couple_id])
    points = _measure_points(workshop_id, [couple_id])
    summary = db.session.scalar(
        select(ProgressSummary).where(ProgressSummary.couple_id == couple_id)
    )
    data = {
        "edition": edition,
        **_branding(workshop),
        "couple_name": couple.name,
        "partners": partners,
        "workshop_title": workshop.title,
        "counselors": _counselors(workshop),
        "author": workshop.lead.name,
        "period": _period(sessions, zone, workshop),
        "generated_on": _day(now, zone),
        "stages_covered": _stages_covered(held, zone),
        "upcoming_count": len(sessions) - len(held),
        "attendance": _attendance(held, partners, zone),
        "homework": _homework(assignments, partners, stages, zone),
        "measures": _measures(points, partners, counselor_edition=counselor_edition),
        "summary": {
            "text": summary.summary if summary else "",
            "next_steps": summary.next_steps if summary else "",
        },
        "further_support": _further_support(assignments, stages),
        "answers": [],
        "flags": [],
        "notes": [],
        "include_notes": bool(counselor_edition and include_notes),
    }
    if counselor_edition:
        data["answers"] = _answers_side_by_side(assignments, partners, stages)
        data["flags"] = _flags(couple_id, zone)
        if include_notes:
            data["notes"] = _notes(couple_id, workshop_id, zone)
    data["differences"] = _differences(data["measures"])
    return data


def _stages_covered(held, zone) -> list[dict]:
    covered: dict[int, dict] = {}
    for session in held:
        for stage in session.stages:
            entry = covered.setdefault(
                stage.id,
                {"position": stage.position, "title": stage.title, "summary": stage.summary},
            )
            entry.setdefault("dates", []).append(_day(session.starts_at, zone))
    return sorted(covered.values(), key=lambda entry: entry["position"])


def _attendance(held, partners, zone) -> dict:
    partner_ids = [p["id"] for p in partners]
    marks = {}
    if held and partner_ids:
        rows = db.session.execute(
            select(Attendance.session_id, Attendance.partner_id, Attendance.status).where(
                Attendance.session_id.in_([s.id for s in held]),
                Attendance.partner_id.in_(partner_ids),
            )
        )
        marks = {(session_id, pid): status for session_id, pid, status in rows}
    rows = []
    for session in held:
        statuses = [marks.get((session.id, pid)) for pid in partner_ids]
        rows.append(
            {
                "date": _day(session.starts_at, zone),
                "title": session.title,
                "marks": [ATTENDANCE_LABELS.get(s, "Not recorded") for s in statuses],
            }
        )
    totals = []
    for index, partner in enumerate(partners):
        present = sum(1 for s in held if marks.get((s.id, partner_ids[index])) == "present")
        totals.append(
            {"name": partner["first_name"], "present": present, "of": len(held)}
            | {"rate": round(100 * present / len(held)) if held else None}
        )
    return {"rows": rows, "totals": totals}


def _status_for(assignment: Assignment, partner_id: int) -> str:
    by_respondent = {s.respondent: s for s in assignment.submissions}
    version = assignment.exercise_version
    key = JOINT_RESPONDENT if version.is_joint else _respondent(partner_id)
    found = by_respondent.get(key)
    if found is None:
        return "Not started"
    if found.status in DONE:
        return "Done"
    return "Started"


def _homework(assignments, partners, stages, zone) -> dict:
    by_stage: dict[int, dict] = {}
    done = [0 for _ in partners]
    for assignment in assignments:
        version = assignment.exercise_version
        stage = stages[version.exercise.stage_id]
        group = by_stage.setdefault(
            version.exercise.stage_id, {"title": stage["title"], "position": 0, "rows": []}
        )
        statuses = [_status_for(assignment, p["id"]) for p in partners]
        done = [count + (status == "Done") for count, status in zip(done, statuses, strict=True)]
        group["rows"].append(
            {
                "title": version.title,
                "joint": version.is_joint,
                "due": _day(assignment.due_at, zone),
                "statuses": statuses,
            }
        )
    ordered = sorted(by_stage.items(), key=lambda item: list(stages).index(item[0]))
    totals = [
        {"name": p["first_name"], "done": count, "of": len(assignments)}
        for p, count in zip(partners, done, strict=True)
    ]
    return {"stages": [group for _, group in ordered], "totals": totals}


def _measures(points, partners, counselor_edition: bool) -> list[dict]:
    by_measure: dict[str, dict] = {}
    for point, is_safety, is_private in points:
        # Safety check-ins never feed charts; private answers only the counselor's edition.
        if is_safety or (is_private and not counselor_edition):
            continue
        # By position (_POINT_COLUMNS): a hot loop, where reading by name costs more.
        _, partner_id, measure, value, scale_min, scale_max, recorded_at = point
        entry = by_measure.get(measure)
        if entry is None:
            entry = by_measure[measure] = {
                "scale": (scale_min, scale_max),
                "series": defaultdict(list),
            }
        entry["series"][partner_id].append((recorded_at.date(), value))
    measures = []
    for key, label in MEASURES.items():
        if key not in by_measure:
            continue
        entry = by_measure[key]
        series = [
            charts.Series(p["first_name"], entry["series"].get(p["id"], [])) for p in partners
        ]
        joint = entry["series"].get(None)
        if joint:
            series.append(charts.Series("Together", joint))
        measures.append(_measure(key, label, entry["scale"], series))
    return measures


def _measure(key, label, scale, series) -> dict:
    latest = [s.points[-1][1] if s.points else None for s in series]
    chart, narrow = charts.line_charts(
        f"{label} over time",
        series,
        scale,
        y_label=label,
        widths=(charts.WIDTH, charts.NARROW_WIDTH),
    )
    return {
        "key": key,
        "label": label,
        "scale_min": scale[0],
        "scale_max": scale[1],
        "latest": [{"name": s.label, "value": v} for s, v in zip(series, latest, strict=True)],
        "chart": chart,
        "chart_narrow": narrow,
    }


def _differences(measures) -> list[dict]:
    """Measures where the partners' latest answers are furthest apart, widest gap first."""
    found = []
    for measure in measures:
        values = [item for item in measure["latest"][:2] if item["value"] is not None]
        if len(values) < 2:
            continue
        span = (measure["scale_max"] - measure["scale_min"]) or 1
        gap = abs(values[0]["value"] - values[1]["value"])
        found.append(
            {
                "label": measure["label"],
                "gap": gap,
                "share": gap / span,
                "pair": values,
            }
        )
    return sorted(found, key=lambda item: -item["share"])


def _further_support(assignments, stages) -> list[str]:
    """What the couple chose together in the "Seeking help" stage (a joint answer)."""
    chosen = []
    for assignment in assignments:
        version = assignment.exercise_version
        stage = stages[version.exercise.stage_id]
        if stage["key"] != SUPPORT_STAGE or not version.is_joint or version.is_safety_check:
            continue
        for submission in assignment.submissions:
            if submission.status not in DONE:
                continue
            for field in version.fields:
                value = submission.answers.get(field["key"])
                if field["type"] == "multi_choice" and value:
                    chosen += [str(item) for item in value]
    return list(dict.fromkeys(chosen))


def _answer_text(field: dict, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if field["type"] == "yes_no":
        return {"yes": "Yes", "no": "No"}.get(str(value), str(value))
    return str(value)


def _answers_side_by_side(assignments, partners, stages) -> list[dict]:
    """Counselor edition: each exercise's questions with both partners' submitted answers."""
    blocks = []
    for assignment in assignments:
        version = assignment.exercise_version
        by_respondent = {s.respondent: s for s in assignment.submissions if s.status in DONE}
        if version.is_joint:
            columns = [by_respondent.get(JOINT_RESPONDENT)]
        else:
            columns = [by_respondent.get(_respondent(p["id"])) for p in partners]
        questions = [
            {
                "label": field["label"],
                "answers": [
                    _answer_text(field, s.answers.get(field["key"])) if s else "Not submitted"
                    for s in columns
                ],
            }
            for field in version.fields
        ]
        blocks.append(
            {
                "title": version.title,
                "stage": stages[version.exercise.stage_id]["title"],
                "joint": version.is_joint,
                "safety": version.is_safety_check,
                "visibility": version.visibility,
                "questions": questions,
            }
        )
    return blocks


def _flags(couple_id: int, zone) -> list[dict]:
    rows = db.session.scalars(
        select(SafetyFlag).where(SafetyFlag.couple_id == couple_id).order_by(SafetyFlag.raised_at)
    )
    return [
        {
            "raised": _day(flag.raised_at, zone, "%d %b %Y, %H:%M"),
            "reviewed": _day(flag.reviewed_at, zone, "%d %b %Y") if flag.reviewed_at else "",
        }
        for flag in rows
    ]


def _notes(couple_id: int, workshop_id: int, zone) -> list[dict]:
    query = (
        select(SessionNote)
        .join(WorkshopSession, SessionNote.session_id == WorkshopSession.id)
        .where(SessionNote.couple_id == couple_id, WorkshopSession.workshop_id == workshop_id)
        .options(
            joinedload(SessionNote.author),
            joinedload(SessionNote.session),
            selectinload(SessionNote.addenda),
        )
        .order_by(WorkshopSession.starts_at, SessionNote.id)
    )
    notes = []
    for note in db.session.scalars(query).unique():
        fmt = get_format(note.format)
        notes.append(
            {
                "date": _day(note.session.starts_at, zone),
                "author": note.author.name,
                "format": fmt.name,
                "signed": note.is_signed,
                "sections": [
                    {"label": s.label, "text": note.sections.get(s.key, "")}
                    for s in fmt.sections
                    if note.sections.get(s.key)
                ],
                "addenda": [a.text for a in note.addenda],
            }
        )
    return notes
