"""The exercise library: built-in exercises to read and copy, and a counselor's own exercises
with a form builder for their questions."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workshop.exercises import queries, services
from workshop.exercises.forms import ExerciseForm, field_form
from workshop.extensions import db
from workshop.forms import as_choices, keeps_typed_input, seen_version
from workshop.homework.fields import FIELD_TYPES
from workshop.homework.forms import answer_form

bp = Blueprint("exercises", __name__, url_prefix="/exercises")
STALE_MESSAGE = (
    "This exercise was changed in another tab or window after you opened this page. What you "
    "typed is below but was not saved: check it against the current exercise and save again."
)
SAFETY_MESSAGE = (
    "A safety check-in is answered by each partner on their own and read only by the "
    "counselor: it cannot be answered together or shown to the other partner."
)
RACED_MESSAGE = (
    "The exercise was saved elsewhere at the same moment, so nothing was changed. Check the "
    "questions below and try again."
)
ASSIGNED_MESSAGE = (
    "This exercise was given to couples, so it is kept: their answers belong to it. Edit it "
    "instead (couples keep the version they were given), or simply stop assigning it."
)


@bp.get("/")
def list_exercises():
    """The library by stage: the built-in exercises and the counselor's own."""
    return render_template(
        "exercises/list_exercises.html", library=queries.library_for(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@keeps_typed_input
def new_exercise():
    """Write a new exercise of one's own; its questions are added next."""
    form = _exercise_form(stage=request.args.get("stage", type=int))
    if form.validate_on_submit():
        exercise = services.create_exercise(current_user, _details(form))
        db.session.commit()
        flash("Exercise created. Now add its questions.", "success")
        return redirect(url_for("exercises.show_exercise", exercise_id=exercise.id))
    return render_template("exercises/new_exercise.html", form=form)


@bp.get("/<int:exercise_id>")
def show_exercise(exercise_id: int):
    """An exercise's details, its questions, and a preview as the partner will see it."""
    exercise = queries.get_exercise_or_404(exercise_id, current_user)
    own = not exercise.is_builtin
    return render_template(
        "exercises/show_exercise.html",
        exercise=exercise,
        own=own,
        assigned=own and queries.was_assigned(exercise),
        field_types=FIELD_TYPES,
        preview=answer_form(exercise.fields, meta={"csrf": False}),
    )


@bp.route("/<int:exercise_id>/edit", methods=["GET", "POST"])
@keeps_typed_input
def edit_exercise(exercise_id: int):
    """Edit an own exercise's details; a stale edit is refused with the typed text kept."""
    exercise = queries.get_own_exercise_or_404(exercise_id, current_user)
    form = _exercise_form(exercise)
    if form.validate_on_submit():
        try:
            services.update_exercise(exercise, _details(form), seen_version(form.version.data))
        except services.StaleEdit:
            _refuse_stale(form, exercise)
        except services.SafetyCheckShared:
            form.mode.errors.append(SAFETY_MESSAGE)
        else:
            db.session.commit()
            flash("Exercise saved.", "success")
            return redirect(url_for("exercises.show_exercise", exercise_id=exercise.id))
    return render_template("exercises/edit_exercise.html", form=form, exercise=exercise)


@bp.post("/<int:exercise_id>/copy")
def copy_exercise(exercise_id: int):
    """Make the counselor's own editable copy of an exercise."""
    exercise = queries.get_exercise_or_404(exercise_id, current_user)
    copy = services.copy_exercise(exercise, current_user)
    db.session.commit()
    flash("This is your own copy: change it as you like.", "success")
    return redirect(url_for("exercises.show_exercise", exercise_id=copy.id))


@bp.post("/<int:exercise_id>/delete")
def delete_exercise(exercise_id: int):
    """Delete an own exercise that was never assigned."""
    exercise = queries.get_own_exercise_or_404(exercise_id, current_user)
    title = exercise.title
    try:
        services.delete_exercise(exercise)
    except services.AlreadyAssigned:
        db.session.rollback()
        flash(ASSIGNED_MESSAGE, "error")
        return redirect(url_for("exercises.show_exercise", exercise_id=exercise_id))
    db.session.commit()
    flash(f"“{title}” was deleted.", "success")
    return redirect(url_for("exercises.list_exercises"))


# --- the form builder --------------------------------------------------------------------------


@bp.route("/<int:exercise_id>/fields/new", methods=["GET", "POST"])
@keeps_typed_input
def new_field(exercise_id: int):
    """Add a question of the type named in ?type=; without one, choose the type first."""
    exercise = queries.get_own_exercise_or_404(exercise_id, current_user)
    field_type = request.args.get("type")
    if field_type not in FIELD_TYPES:
        status = 404 if field_type else 200  # an unknown type is a wrong address
        return render_template(
            "exercises/new_field.html",
            exercise=exercise,
            form=None,
            field_types=FIELD_TYPES,
            unknown_type=field_type,
        ), status
    form = field_form(field_type, version=exercise.version)
    if form.validate_on_submit():
        try:
            services.add_field(exercise, field_type, form.spec(), seen_version(form.version.data))
        except services.StaleEdit:
            _refuse_stale(form, exercise)
        except services.TooManyFields:
            form.form_errors.append(f"An exercise asks at most {services.MAX_FIELDS} questions.")
        else:
            return _saved(exercise, "Question added.")
    return render_template(
        "exercises/new_field.html",
        exercise=exercise,
        form=form,
        field_type=field_type,
        field_types=FIELD_TYPES,
    )


@bp.route("/<int:exercise_id>/fields/<field_key>/edit", methods=["GET", "POST"])
@keeps_typed_input
def edit_field(exercise_id: int, field_key: str):
    """Edit one question of an own exercise (its type stays)."""
    exercise = queries.get_own_exercise_or_404(exercise_id, current_user)
    field = queries.get_field_or_404(exercise, field_key)
    form = field_form(field["type"], field, version=exercise.version)
    if form.validate_on_submit():
        try:
            services.update_field(exercise, field_key, form.spec(), seen_version(form.version.data))
        except services.StaleEdit:
            _refuse_stale(form, exercise)
        else:
            return _saved(exercise, "Question saved.")
    return render_template(
        "exercises/edit_field.html",
        exercise=exercise,
        field=field,
        form=form,
        field_types=FIELD_TYPES,
    )


@bp.post("/<int:exercise_id>/fields/<field_key>/move/<any(up, down):towards>")
def move_field(exercise_id: int, field_key: str, towards: str):
    """Move a question one place up or down."""
    exercise = queries.get_own_exercise_or_404(exercise_id, current_user)
    queries.get_field_or_404(exercise, field_key)
    try:
        services.move_field(exercise, field_key, towards)
    except services.StaleEdit:
        return _refused(exercise_id)
    return _saved(exercise, None)


@bp.post("/<int:exercise_id>/fields/<field_key>/delete")
def delete_field(exercise_id: int, field_key: str):
    """Remove a question from the exercise."""
    exercise = queries.get_own_exercise_or_404(exercise_id, current_user)
    field = queries.get_field_or_404(exercise, field_key)
    try:
        services.remove_field(exercise, field_key)
    except services.StaleEdit:
        return _refused(exercise_id)
    return _saved(exercise, f"Question removed: “{field['label']}”.")


# --- helpers -----------------------------------------------------------------------------------


def _exercise_form(exercise=None, stage: int | None = None) -> ExerciseForm:
    data = {"stage": stage}
    if exercise is not None:
        data = {
            "title": exercise.title,
            "stage": exercise.stage_id,
            "version": exercise.version,
            "instructions": exercise.instructions,
            "mode": exercise.mode,
            "visibility": exercise.visibility,
        }
    form = ExerciseForm(data=data)
    form.stage.choices = as_choices(
        (stage.id, f"{stage.position}. {stage.title}") for stage in queries.stages()
    )
    return form


def _details(form: ExerciseForm) -> services.ExerciseDetails:
    return services.ExerciseDetails(
        title=form.title.data,
        stage_id=form.stage.data,
        instructions=form.instructions.data or "",
        mode=form.mode.data,
        visibility=form.visibility.data,
    )


def _refuse_stale(form, exercise) -> None:
    """Keep what was typed, say why it was not saved, and offer the current version."""
    db.session.rollback()
    form.form_errors.append(STALE_MESSAGE)
    form.version.data = exercise.version


def _saved(exercise, message: str | None):
    db.session.commit()
    if message:
        flash(message, "success")
    return redirect(url_for("exercises.show_exercise", exercise_id=exercise.id) + "#questions")


def _refused(exercise_id: int):
    """A move or removal that raced another save: nothing changed; the page shows why."""
    db.session.rollback()
    flash(RACED_MESSAGE, "error")
    return redirect(url_for("exercises.show_exercise", exercise_id=exercise_id) + "#questions")
