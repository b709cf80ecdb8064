"""A partner's homework: the list, the answer form (drafts, submit), and the autosave endpoint."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from workshop.extensions import db
from workshop.forms import keeps_typed_input, seen_version
from workshop.homework import queries, services
from workshop.homework.fields import check_answers
from workshop.homework.forms import answer_form, raw_answers, show_errors
from workshop.models import Assignment, SubmissionStatus, utcnow
from workshop.paging import requested_page
from workshop.templating import localtime

bp = Blueprint("homework", __name__)

STALE_MESSAGE = (
    "These answers were saved from another tab or device after you opened this page, so what "
    "you see below was not saved. Compare it with the saved version, then save again to keep it."
)
INVALID_MESSAGE = "Nothing was saved yet: some answers need a look (see below). Your text is kept."
DRAFT_KEPT_MESSAGE = (
    "Your answers are saved as a draft but not submitted yet: some questions need a look first "
    "(see below)."
)
REFUSED = {  # what the autosave answers when the assignment cannot take answers now
    services.StaleDraft: (
        "stale",
        "Not saved: these answers were changed in another tab or on "
        "another device. Your text is kept on this device; reload the page to "
        "see the latest version.",
    ),
    services.NotEditable: ("submitted", "Not saved: these answers have already been submitted."),
    services.Locked: ("paused", "Not saved: this exercise is paused for now."),
    services.NotOpenYet: ("not_open", "Not saved: this exercise is not open yet."),
}


@bp.get("/homework")
def list_assignments():
    """The partner's homework: to do, opening later, done."""
    done_page = requested_page()
    homework = queries.homework_of(current_user, utcnow(), done_page)
    return render_template("homework/list_assignments.html", homework=homework)


@bp.route("/homework/<int:assignment_id>", methods=["GET", "POST"])
@keeps_typed_input
def edit_answers(assignment_id: int):
    """Fill in an assignment: save a draft or submit; once submitted, read it back."""
    assignment = queries.get_assignment_or_404(assignment_id, current_user)
    submission = services.submission_for(assignment, current_user)
    form = answer_form(assignment.exercise_version.fields, submission and submission.answers)
    if request.method == "GET":
        form.version.data = submission.version if submission else 0
    raw = raw_answers(form, assignment.exercise_version.fields)
    if not form.validate_on_submit():  # a GET, or a failed CSRF check (the typed text stays)
        return _show(assignment, form, unsaved=raw if request.method == "POST" else None)
    submit = bool(form.submit.data)
    try:
        saved = services.save_answers(
            assignment, current_user, raw, seen_version(form.version.data), submit
        )
    except services.InvalidAnswers as invalid:
        return _refuse_invalid(assignment, form, raw, invalid.errors, submit)
    except (services.StaleDraft, IntegrityError):  # IntegrityError: a first save raced another
        db.session.rollback()
        return _refuse_stale(assignment, form, raw)
    except services.NotEditable:
        return _already_submitted(assignment, form, raw)
    except (services.NotOpenYet, services.Locked):
        return _show(assignment, form, unsaved=raw)
    db.session.commit()
    flash(_saved_message(saved, submit), "success")
    return redirect(url_for("homework.edit_answers", assignment_id=assignment.id))


@bp.post("/homework/<int:assignment_id>/draft")
def save_draft(assignment_id: int):
    """Autosave: JSON {"version": n, "answers": {key: value}} in, the new version out."""
    assignment = queries.get_assignment_or_404(assignment_id, current_user)
    payload = request.get_json(silent=True) if request.is_json else {}
    if not isinstance(payload, dict) or not isinstance(payload.get("answers", {}), dict):
        return jsonify(saved=False, error="bad_request", message="Not saved: unreadable."), 400
    if "answers" not in payload:
        return jsonify(saved=False, error="nothing_to_save", message="Nothing to save."), 200
    fields = assignment.exercise_version.fields
    raw, errors = _json_answers(fields, payload["answers"])
    try:
        if errors:
            raise services.InvalidAnswers(errors)
        saved = services.save_answers(
            assignment, current_user, raw, seen_version(payload.get("version")), submit=False
        )
    except services.InvalidAnswers as invalid:
        return jsonify(
            saved=False,
            error="invalid",
            errors=invalid.errors,
            message=_invalid_summary(fields, invalid.errors),
        ), 422
    except IntegrityError:  # a first save raced another one
        db.session.rollback()
        return _refused(services.StaleDraft)
    except tuple(REFUSED) as refused:
        db.session.rollback()  # a StaleDraft may come from a failed flush (a lost race)
        return _refused(type(refused))
    db.session.commit()
    return jsonify(
        saved=True,
        version=saved.version,
        saved_at=saved.updated_at.isoformat(),
        saved_at_text=localtime(saved.updated_at, "%H:%M"),
    )


# --- helpers of the views above ----------------------------------------------------------------


def _show(assignment: Assignment, form, unsaved: dict | None = None, saved_elsewhere=None):
    """The assignment page in whichever state it is: not open, paused, open, or done.

    `unsaved` is what was sent but not saved: the form shows it, or (no form) it is shown back
    to be copied."""
    submission = services.submission_for(assignment, current_user)
    done = submission is not None and submission.status != SubmissionStatus.DRAFT
    return render_template(
        "homework/edit_answers.html",
        assignment=assignment,
        version=assignment.exercise_version,
        form=form,
        submission=submission,
        state="done" if done else _answer_state(assignment),
        other=services.readable_other_answers(assignment, current_user) if done else None,
        other_partner=_other_partner(assignment),
        now=utcnow(),
        unsaved=unsaved,
        saved_elsewhere=saved_elsewhere,
    )


def _answer_state(assignment: Assignment) -> str:
    try:
        services.check_can_answer(assignment, utcnow())
    except services.NotOpenYet:
        return "not_open"
    except services.Locked:
        return "paused"
    return "open"


def _other_partner(assignment: Assignment):
    return next((p for p in assignment.couple.partners if p.id != current_user.id), None)


def _refuse_invalid(assignment, form, raw: dict, errors: dict, submit: bool):
    """Show each field's message; a refused submit still keeps its answers as a draft if it can."""
    show_errors(form, errors)
    draft = _save_quietly(assignment, raw, seen_version(form.version.data)) if submit else None
    if draft is not None:
        form.version.data = draft.version
    form.form_errors.append(DRAFT_KEPT_MESSAGE if draft is not None else INVALID_MESSAGE)
    return _show(assignment, form, unsaved=None if draft is not None else raw)


def _save_quietly(assignment, raw: dict, version: int):
    """Save what can be saved as a draft, or None when even a draft would be refused."""
    try:
        draft = services.save_answers(assignment, current_user, raw, version, submit=False)
    except (services.InvalidAnswers, services.StaleDraft, IntegrityError):
        db.session.rollback()
        return None
    db.session.commit()
    return draft


def _refuse_stale(assignment, form, raw: dict):
    """Keep the typed text; the next save (deliberate, after comparing) may replace the draft."""
    latest = services.submission_for(assignment, current_user)
    if latest is not None and latest.status != SubmissionStatus.DRAFT:
        return _already_submitted(assignment, form, raw)
    form.version.data = latest.version if latest else 0
    form.form_errors.append(STALE_MESSAGE)
    return _show(assignment, form, unsaved=raw, saved_elsewhere=latest)


def _already_submitted(assignment, form, raw: dict):
    """A resent submit changes nothing; different text is shown back to be copied, not dropped."""
    submission = services.submission_for(assignment, current_user)
    answers, _ = check_answers(assignment.exercise_version.fields, raw, require=False)
    if answers == submission.answers:
        flash("These answers were already submitted.", "info")
        return redirect(url_for("homework.edit_answers", assignment_id=assignment.id))
    return _show(assignment, form, unsaved=raw)


def _saved_message(submission, submitted: bool) -> str:
    if submitted:
        return "Submitted. Your counselor will read your answers before your next session."
    return f"Draft saved at {localtime(submission.updated_at, '%H:%M')}."


def _refused(error_class):
    code, message = REFUSED[error_class]
    return jsonify(saved=False, error=code, message=message), 409


def _json_answers(fields: list[dict], answers: dict) -> tuple[dict, dict[str, str]]:
    """The answers as the services expect them; a value of the wrong shape is a field error."""
    raw, errors = {}, {}
    for spec in fields:
        value = answers.get(spec["key"])
        wants_list = spec["type"] in ("multi_choice", "list")
        if (
            value is None
            or (wants_list and _is_list_of_scalars(value))
            or (not wants_list and _is_scalar(value))
        ):
            raw[spec["key"]] = value
        else:
            errors[spec["key"]] = "This answer could not be read; please check it."
    return raw, errors


def _is_scalar(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_list_of_scalars(value) -> bool:
    return isinstance(value, list) and all(item is None or _is_scalar(item) for item in value)


def _invalid_summary(fields: list[dict], errors: dict[str, str]) -> str:
    """One calm sentence for the autosave status: the first question in trouble, and why."""
    troubled = [spec for spec in fields if spec["key"] in errors]
    first = troubled[0]
    more = f" (and {len(troubled) - 1} more)" if len(troubled) > 1 else ""
    return f"Not saved yet: “{first['label']}”: {errors[first['key']]}{more}"
