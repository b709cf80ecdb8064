"""Assigning homework, the workshop's grid and review queue, and the counselor's review."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workshop.assignments import forms, queries
from workshop.assignments.grid import build_grid, queue_items, queue_page_items
from workshop.assignments.review import review_page
from workshop.couples.queries import get_couple_or_404
from workshop.extensions import db
from workshop.forms import keeps_typed_input
from workshop.homework import services
from workshop.models import utcnow
from workshop.paging import requested_page
from workshop.security import safe_next_path
from workshop.workshops.queries import get_workshop_or_404

bp = Blueprint("assignments", __name__)


@bp.route("/workshops/<int:workshop_id>/homework/assign", methods=["GET", "POST"])
@keeps_typed_input
def assign_homework(workshop_id: int):
    """Give an exercise to one couple, several, or the whole workshop."""
    workshop = get_workshop_or_404(workshop_id, current_user)
    options = queries.assign_options(workshop, current_user)
    form = forms.assign_form(workshop, options, utcnow())
    if form.validate_on_submit():
        made = services.assign(forms.assignment_request(form, workshop, options), current_user)
        db.session.commit()
        flash(_assigned_message(len(made)), "success")
        return redirect(url_for("assignments.show_grid", workshop_id=workshop.id))
    return render_template(
        "assignments/assign_homework.html", form=form, workshop=workshop, options=options
    )


def _assigned_message(count: int) -> str:
    if count == 0:
        return "This homework was already assigned to those couples; nothing new was added."
    return (
        f"Homework assigned to {count} couple{'' if count == 1 else 's'}. Partners with an "
        "email address were told."
    )


@bp.get("/workshops/<int:workshop_id>/homework")
def show_grid(workshop_id: int):
    """Couples × assignments with each partner's state, and the oldest answers waiting for
    review (all of them: show_review_queue). `columns`: the first assignment column shown."""
    workshop, column_rows = queries.grid_workshop_and_columns_or_404(workshop_id, current_user)
    first_column = request.args.get("columns", type=int)
    grid, data = build_grid(workshop.id, column_rows, utcnow(), first_column)
    return render_template(
        "assignments/show_grid.html",
        workshop=workshop,
        grid=grid,
        oldest=queue_items(data.oldest_waiting, data, grid),
        waiting_count=data.waiting_count,
    )


@bp.get("/workshops/<int:workshop_id>/review")
def show_review_queue(workshop_id: int):
    """Every answer waiting for review in the workshop, oldest first, a page at a time."""
    workshop, queue = queries.review_queue_or_404(workshop_id, current_user, requested_page())
    queue.items = queue_page_items(queue.items)
    return render_template("assignments/review_queue.html", workshop=workshop, queue=queue)


@bp.get("/assignments/<int:assignment_id>")
def show_assignment(assignment_id: int):
    """The questions, and each partner's answers side by side, with feedback forms."""
    assignment = queries.get_assignment_or_404(assignment_id, current_user)
    return review_page(assignment)


@bp.post("/assignments/<int:assignment_id>/submissions/<int:submission_id>/review")
@keeps_typed_input
def review_submission(assignment_id: int, submission_id: int):
    """Save feedback and mark the answers reviewed; a resent form changes nothing more."""
    assignment = queries.get_assignment_or_404(assignment_id, current_user)
    submission = queries.submission_of_or_404(assignment, submission_id)
    form = forms.review_form(submission)
    if not form.validate_on_submit():
        return review_page(assignment, failed=(submission.id, form))
    try:
        services.review(submission, current_user, form.feedback.data or "")
    except services.NotEditable:
        flash(
            "These answers were reopened and are a draft again, so there is nothing to "
            "review yet. Your feedback was not saved.",
            "error",
        )
    else:
        db.session.commit()
        flash("Feedback saved; the answers are marked reviewed.", "success")
    return _back_to(submission)


@bp.post("/assignments/<int:assignment_id>/submissions/<int:submission_id>/reopen")
def reopen_submission(assignment_id: int, submission_id: int):
    """Give submitted answers back to the partner as a draft they can edit."""
    assignment = queries.get_assignment_or_404(assignment_id, current_user)
    submission = queries.submission_of_or_404(assignment, submission_id)
    if forms.ReopenForm().validate_on_submit() and services.reopen(submission):
        db.session.commit()
        flash("Reopened: the answers are a draft again and can be edited.", "success")
    return _back_to(submission)


def _back_to(submission):
    """The assignment's page, scrolled to this submission."""
    anchor = f"submission-{submission.id}"
    return redirect(
        url_for(
            "assignments.show_assignment", assignment_id=submission.assignment_id, _anchor=anchor
        )
    )


@bp.post("/couples/<int:couple_id>/safety/reviewed")
def mark_safety_reviewed(couple_id: int):
    """Mark the couple's safety check-in reviewed, which unlocks their joint exercises."""
    couple = get_couple_or_404(couple_id, current_user)
    form = forms.SafetyReviewedForm()
    if form.validate_on_submit():
        cleared = services.mark_safety_reviewed(couple, current_user)
        db.session.commit()
        flash(_safety_message(cleared, services.couple_is_locked(couple.id)), "success")
    back = safe_next_path(form.next.data)
    return redirect(back or url_for("couples.show_couple", couple_id=couple.id))


def _safety_message(cleared: int, still_locked: bool) -> str:
    if still_locked:
        return (
            "A safety check-in given in a colleague's workshop still waits for their "
            "review; joint exercises stay locked until then."
        )
    if cleared:
        return "Safety check-in marked reviewed; joint exercises are unlocked."
    return "Nothing was waiting: the check-in was already reviewed."
