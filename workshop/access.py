"""Who may reach which route: one table for the whole app, enforced before every request.

Deny by default: a route missing from ROUTE_ACCESS answers 404 (and a test fails). A rule names
the roles that may reach a route; routes about a particular object also name the object rule,
which the view enforces through a scoped query (an object out of reach answers 404).
"""

from dataclasses import dataclass

from flask import Flask, abort, current_app, g, request
from flask_login import current_user

from workshop.auth.sessions import hold_pending_login
from workshop.extensions import db, login_manager
from workshop.models import Role


@dataclass(frozen=True)
class Rule:
    """Roles allowed (None: anyone, logged in or not) and, if any, the object rule behind it."""

    roles: frozenset[str] | None
    object_rule: str | None = None

    @property
    def is_public(self) -> bool:
        return self.roles is None


def public(object_rule: str | None = None) -> Rule:
    return Rule(None, object_rule)


def roles(*allowed: Role, object_rule: str | None = None) -> Rule:
    return Rule(frozenset(allowed), object_rule)


LED_WORKSHOP = "workshop the counselor leads or co-leads"
LED_SESSION = "session of a workshop the counselor leads or co-leads"
OWN_SESSION = "session the counselor leads, or the partner's couple is enrolled in"
CURRENT_FEED_URL = "a current calendar feed token"
LED_ASSIGNMENT = "assignment in a workshop the counselor leads or co-leads"
READABLE_EXERCISE = "built-in exercise, or one the counselor wrote"
OWN_EXERCISE = "exercise the counselor wrote"
OWN_ASSIGNMENT = "assignment of the partner's own couple"
NOTE_SESSION = "couple enrolled in a workshop the counselor leads or co-leads, and its session"
READABLE_NOTE = "note of a workshop the counselor leads or co-leads, or one they wrote"
OWN_DRAFT_NOTE = "draft note the counselor wrote"
OWN_JOB = "background job the counselor started"
LED_WORKSHOP_COUPLE = "couple enrolled in a workshop the counselor leads or co-leads"
LED_REPORT = "report of a workshop the counselor leads or co-leads"
OWN_RELEASED_REPORT = "report released to the partner's own couple"
PRACTICE_ACCOUNT = "counselor or partner of the admin's practice"

ANY_USER = roles(Role.ADMIN, Role.COUNSELOR, Role.PARTNER)
STAFF = roles(Role.ADMIN, Role.COUNSELOR)

ROUTE_ACCESS: dict[str, Rule] = {
    "static": public(),
    "main.healthz": public(),
    "main.healthz_live": public(),
    "main.home": ANY_USER,
    "main.edit_settings": ANY_USER,
    "auth.login": public(),
    "auth.logout": public(),  # anonymous logout is harmless: it ends nothing
    "auth.forgot_password": public(),
    "auth.set_password": public(object_rule="an unused, unexpired token"),
    # Between password and second factor the user is not logged in: these two pages serve only
    # the login waiting for them (workshop.auth.sessions.hold_pending_login); else to login.
    "auth.second_factor": public(),
    "auth.enrol_at_login": public(),
    "auth.show_security": ANY_USER,
    "auth.enrol_two_factor": ANY_USER,
    "auth.regenerate_recovery_codes": ANY_USER,
    "auth.disable_two_factor": ANY_USER,
    "practice.list_counselors": roles(Role.ADMIN),
    "practice.invite_counselor": roles(Role.ADMIN),
    "practice.resend_invitation": roles(Role.ADMIN, object_rule="staff of the admin's practice"),
    # Always the admin's own practice: the URL names none, the view uses current_user's.
    "practice.edit_branding": roles(Role.ADMIN),
    "practice.show_logo": roles(Role.ADMIN),  # always the admin's own practice, as above
    "practice.edit_sign_in_policy": roles(Role.ADMIN),  # the admin's own practice, as above
    "practice.list_partners": roles(Role.ADMIN),
    "practice.disable_account": roles(Role.ADMIN, object_rule=PRACTICE_ACCOUNT),
    "practice.enable_account": roles(Role.ADMIN, object_rule=PRACTICE_ACCOUNT),
    "couples.list_couples": roles(Role.COUNSELOR),
    "couples.add_couple": roles(Role.COUNSELOR),
    "couples.show_couple": roles(Role.COUNSELOR, object_rule="couple the counselor works with"),
    "couples.edit_partner": roles(Role.COUNSELOR, object_rule="couple the counselor works with"),
    "couples.invite_partner": roles(Role.COUNSELOR, object_rule="couple the counselor works with"),
    "curriculum.list_stages": STAFF,
    "curriculum.show_stage": STAFF,
    "workshops.list_workshops": roles(Role.COUNSELOR),
    "workshops.new_workshop": roles(Role.COUNSELOR),
    "workshops.show_workshop": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "workshops.edit_workshop": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "workshops.show_roster": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "workshops.withdraw_couple": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "scheduling.plan_sessions": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "scheduling.add_session": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "scheduling.show_session": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.record_attendance": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.edit_session": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.cancel_session": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.remove_session": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.merge_session": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.move_session": roles(Role.COUNSELOR, object_rule=LED_SESSION),
    "scheduling.list_agenda": roles(Role.COUNSELOR),
    "scheduling.show_week": roles(Role.COUNSELOR),
    "feeds.show_calendar": roles(Role.COUNSELOR, Role.PARTNER),
    "feeds.rotate_token": roles(Role.COUNSELOR, Role.PARTNER),
    "feeds.export_counselor_feed": public(object_rule=CURRENT_FEED_URL),
    "feeds.export_couple_feed": public(object_rule=CURRENT_FEED_URL),
    "feeds.download_session": roles(Role.COUNSELOR, Role.PARTNER, object_rule=OWN_SESSION),
    # Assigned homework: the counselor's side (the partner's pages are in "homework.*").
    "assignments.assign_homework": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "assignments.show_grid": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "assignments.show_review_queue": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "assignments.show_assignment": roles(Role.COUNSELOR, object_rule=LED_ASSIGNMENT),
    "assignments.review_submission": roles(Role.COUNSELOR, object_rule=LED_ASSIGNMENT),
    "assignments.reopen_submission": roles(Role.COUNSELOR, object_rule=LED_ASSIGNMENT),
    "assignments.mark_safety_reviewed": roles(
        Role.COUNSELOR, object_rule="couple the counselor works with"
    ),
    "exercises.list_exercises": roles(Role.COUNSELOR),
    "exercises.new_exercise": roles(Role.COUNSELOR),
    "exercises.show_exercise": roles(Role.COUNSELOR, object_rule=READABLE_EXERCISE),
    "exercises.copy_exercise": roles(Role.COUNSELOR, object_rule=READABLE_EXERCISE),
    "exercises.edit_exercise": roles(Role.COUNSELOR, object_rule=OWN_EXERCISE),
    "exercises.delete_exercise": roles(Role.COUNSELOR, object_rule=OWN_EXERCISE),
    "exercises.new_field": roles(Role.COUNSELOR, object_rule=OWN_EXERCISE),
    "exercises.edit_field": roles(Role.COUNSELOR, object_rule=OWN_EXERCISE),
    "exercises.move_field": roles(Role.COUNSELOR, object_rule=OWN_EXERCISE),
    "exercises.delete_field": roles(Role.COUNSELOR, object_rule=OWN_EXERCISE),
    # Homework: the partner's side.
    "homework.list_assignments": roles(Role.PARTNER),
    "homework.edit_answers": roles(Role.PARTNER, object_rule=OWN_ASSIGNMENT),
    "homework.save_draft": roles(Role.PARTNER, object_rule=OWN_ASSIGNMENT),
    # Session notes: counselors only (partners and admins never reach a note), and the admin's
    # read-only audit log.
    "notes.write_note": roles(Role.COUNSELOR, object_rule=NOTE_SESSION),
    "notes.autosave_note": roles(Role.COUNSELOR, object_rule=NOTE_SESSION),
    "notes.show_note": roles(Role.COUNSELOR, object_rule=READABLE_NOTE),
    "notes.add_addendum": roles(Role.COUNSELOR, object_rule=READABLE_NOTE),
    "notes.delete_note": roles(Role.COUNSELOR, object_rule=OWN_DRAFT_NOTE),
    "notes.list_couple_notes": roles(Role.COUNSELOR, object_rule="couple the counselor works with"),
    "notes.search_notes": roles(Role.COUNSELOR),
    "notes.edit_summary": roles(Role.COUNSELOR, object_rule="couple the counselor works with"),
    "audit.list_events": roles(Role.ADMIN),
    "audit.export_events": roles(Role.ADMIN),
    # Background jobs (batch report generation): only the counselor who started one sees it.
    "jobs.generate_workshop_reports": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "jobs.show_job": roles(Role.COUNSELOR, object_rule=OWN_JOB),
    "jobs.job_status": roles(Role.COUNSELOR, object_rule=OWN_JOB),
    "jobs.download_job": roles(Role.COUNSELOR, object_rule=OWN_JOB),
    # PDF reports: counselors of the workshop; partners only what was released to them.
    "reporting.list_couple_reports": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP_COUPLE),
    "reporting.generate_report": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP_COUPLE),
    "reporting.release_report": roles(Role.COUNSELOR, object_rule=LED_REPORT),
    "reporting.download_report": roles(Role.COUNSELOR, object_rule=LED_REPORT),
    "reporting.list_workshop_reports": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "reporting.generate_workshop_summary": roles(Role.COUNSELOR, object_rule=LED_WORKSHOP),
    "reporting.show_my_progress": roles(Role.PARTNER),
    "reporting.download_my_report": roles(Role.PARTNER, object_rule=OWN_RELEASED_REPORT),
}


def rule_for(endpoint: str | None) -> Rule | None:
    """The access rule of an endpoint, or None when the table does not know it."""
    return ROUTE_ACCESS.get(endpoint or "")


def init_app(app: Flask) -> None:
    app.before_request(load_login)
    app.before_request(enforce_route_access)


def load_login():
    """Load the user first thing, and save a login's new last-seen time before the view runs."""
    current_user._get_current_object()  # forces Flask-Login to run its loader now
    if g.pop("login_changed", False):
        db.session.commit()


def enforce_route_access():
    """Refuse a request the table does not allow: unknown 404, anonymous to login, role 403."""
    if request.endpoint is None:
        return None  # routing already failed: the 404/405 stands
    held = hold_pending_login()  # between password and second factor: that page only
    if held is not None:
        return held
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("route %s is missing from ROUTE_ACCESS", request.endpoint)
        abort(404)
    if rule.is_public:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in rule.roles:
        abort(403)
    return None
