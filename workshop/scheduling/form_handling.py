"""Between scheduling forms and services: wall-clock fields in, UTC out, errors back."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from workshop.extensions import db
from workshop.forms import as_choices, seen_version
from workshop.models import Stage, WorkshopSession
from workshop.scheduling import services
from workshop.scheduling.plan import to_utc


def stage_choices() -> list:
    stages = db.session.scalars(select(Stage).order_by(Stage.position))
    return as_choices((stage.key, f"{stage.position}. {stage.title}") for stage in stages)


def plan_request(form) -> services.PlanRequest:
    return services.PlanRequest(
        stage_keys=form.stages.data,
        first_date=form.first_date.data,
        weekday=form.weekday.data,
        local_time=form.start_time.data,
        every_weeks=form.every_weeks.data,
        duration_minutes=form.duration.data,
    )


def session_times(form, timezone: str) -> tuple[datetime, datetime]:
    """The form's date and times on the workshop's clock, as UTC start and end."""
    try:
        return (
            to_utc(form.date.data, form.start_time.data, timezone),
            to_utc(form.date.data, form.end_time.data, timezone),
        )
    except (OverflowError, ValueError) as error:  # e.g. 9999-12-31 23:00 in a zone east of UTC
        raise services.ScheduleError("Choose a date within the next five years.", "date") from error


def session_change(form, session: WorkshopSession) -> services.SessionChange:
    starts_at, ends_at = session_times(form, session.workshop.timezone)
    return services.SessionChange(
        starts_at=starts_at,
        ends_at=ends_at,
        location=form.location.data or "",
        video_url=form.video_url.data or "",
        seen_version=seen_version(form.version.data),
    )


def apply_schedule_error(form, error: services.ScheduleError, date_field: str = "date") -> None:
    """Put a ScheduleError's message on the field it is about."""
    name = date_field if error.field == "date" else error.field
    field = getattr(form, name, None)
    (field.errors if field is not None else form.form_errors).append(error.message)


def local_parts(session: WorkshopSession):
    """The session's date, start and end on the workshop's clock, for the edit form."""
    zone = ZoneInfo(session.workshop.timezone)
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    return start.date(), start.time(), end.time()
