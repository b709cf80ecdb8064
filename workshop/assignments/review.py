"""The counselor's page for one assignment: questions, answers side by side, feedback forms."""

from dataclasses import dataclass, field

from flask import render_template, url_for

from workshop.assignments import forms
from workshop.homework.fields import signals_risk
from workshop.homework.services import couple_is_locked, submission_for
from workshop.models import Assignment, Submission, SubmissionStatus, User

SENT = (SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED)


@dataclass
class AnswerColumn:
    """One respondent: a partner, or the couple answering together."""

    who: str
    partner: User | None
    submission: Submission | None
    form: forms.ReviewForm | None = None
    risky: set[str] = field(default_factory=set)  # keys of safety answers that signal risk

    @property
    def is_sent(self) -> bool:
        """Submitted or reviewed: the counselor reads it. A draft stays the partner's own."""
        return self.submission is not None and self.submission.status in SENT

    def answer(self, key: str):
        return self.submission.answers.get(key) if self.is_sent else None


def answer_columns(assignment: Assignment, failed=None) -> list[AnswerColumn]:
    """A column per partner (or one for a joint exercise), each with its review form.

    `failed` is (submission id, form) when a review was refused: that form keeps what was typed.
    """
    partners = assignment.couple.partners
    if assignment.exercise_version.is_joint:
        columns = [
            AnswerColumn("Together", None, submission_for(assignment, p)) for p in partners[:1]
        ]
    else:
        columns = [AnswerColumn(p.name, p, submission_for(assignment, p)) for p in partners]
    for column in columns:
        if column.is_sent:
            column.form = _form_for(column.submission, failed)
            column.risky = _risky_keys(assignment, column.submission)
    return columns


def _form_for(submission: Submission, failed) -> forms.ReviewForm:
    if failed and failed[0] == submission.id:
        return failed[1]
    return forms.review_form(submission, formdata=None, data={"feedback": submission.feedback})


def _risky_keys(assignment: Assignment, submission: Submission) -> set[str]:
    version = assignment.exercise_version
    if not version.is_safety_check:
        return set()
    return {f["key"] for f in version.fields if signals_risk(f, submission.answers.get(f["key"]))}


def review_page(assignment: Assignment, failed=None) -> str:
    """Render the assignment's page (after a refused review, with that form's errors)."""
    here = url_for("assignments.show_assignment", assignment_id=assignment.id)
    return render_template(
        "assignments/show_assignment.html",
        assignment=assignment,
        version=assignment.exercise_version,
        columns=answer_columns(assignment, failed),
        locked=couple_is_locked(assignment.couple_id),
        reopen_form=forms.ReopenForm(formdata=None),
        safety_form=forms.SafetyReviewedForm(formdata=None, next=here),
    )
