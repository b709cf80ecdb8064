"""Session notes: write (drafts, autosave, signing), read, addenda, the couple's timeline,
search of one's own notes, and the client-facing progress summary. Counselors only."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from workshop.couples.queries import get_couple_or_404
from workshop.extensions import db
from workshop.forms import keeps_typed_input, seen_version
from workshop.notes import forms, queries, services
from workshop.notes.formats import FORMATS, get_format
from workshop.notes.page import (
    PythonPage,
    render_note_form,
    render_note_page,
    render_summary_form,
    saved_message,
)
from workshop.paging import requested_page
from workshop.templating import localtime

bp = Blueprint("notes", __name__)
SEARCH_PAGE_SIZE = 20
STALE_NOTE = (
    "Not saved: this note was saved from another tab or window after you opened this page. "
    "Your text is still below. Compare it with the saved version, then save again to keep yours."
)
STALE_SUMMARY = (
    "Not saved: someone saved this summary after you opened this page. Your text is still "
    "below. Compare it with the saved version, then save again to keep yours."
)
EMPTY_TO_SIGN = "A note needs some text before you sign it: fill in at least one section."
EMPTY_TO_SAVE = "Nothing to save yet: write in at least one section."
AUTOSAVE_REFUSED = {
    services.StaleNote: (
        "stale",
        "Not saved: this note was saved from another tab or window. Your text is still here: "
        "copy it, reload the page, and compare.",
    ),
    services.NoteLocked: ("signed", "Not saved: this note is signed and locked."),
}


@bp.context_processor
def _note_formats() -> dict:
    return {"note_formats": FORMATS}


@bp.after_request
def _never_cache(response):
    """Notes are the most private pages of the app: no copy in any browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sessions/<int:session_id>/couples/<int:couple_id>/note", methods=["GET", "POST"])
@keeps_typed_input
def write_note(session_id: int, couple_id: int):
    """Your note on this couple in this session: write, save a draft, or sign it."""
    session, couple = _session_and_couple(session_id, couple_id)
    note = queries.note_for(session.id, couple.id, current_user.id)
    if note is not None and note.is_signed and request.method == "GET":
        return redirect(url_for("notes.show_note", note_id=note.id))
    form = forms.NoteForm()
    if not form.validate_on_submit():  # a GET, a failed check, or a stale CSRF token
        return render_note_form(form, session, couple, note, _chosen_format(form, note))
    fmt = get_format(form.format.data)
    try:
        note = services.save_draft(
            current_user,
            session,
            couple,
            fmt,
            form.sections_of(fmt),
            seen_version(form.version.data),
        )
        if form.sign.data:
            services.sign_note(note, current_user)
    except services.NoteError as refused:
        db.session.rollback()
        return _refuse_note(refused, form, session, couple, fmt)
    db.session.commit()
    flash(saved_message(note), "success")
    if note.is_signed:
        return redirect(url_for("notes.show_note", note_id=note.id))
    return redirect(url_for("notes.write_note", session_id=session.id, couple_id=couple.id))


@bp.post("/sessions/<int:session_id>/couples/<int:couple_id>/note/autosave")
def autosave_note(session_id: int, couple_id: int):
    """Autosave: JSON {"version", "format", "sections": {key: text}} in, the new version out."""
    session, couple = _session_and_couple(session_id, couple_id)
    payload = request.get_json(silent=True) if request.is_json else {}
    if not isinstance(payload, dict) or "sections" not in payload:
        return jsonify(saved=False, error="nothing_to_save", message="Nothing to save."), 200
    sections = payload["sections"]
    if payload.get("format") not in FORMATS or not _all_text(sections):
        return jsonify(saved=False, error="bad_request", message="Not saved: unreadable."), 400
    fmt = FORMATS[payload["format"]]
    try:
        note = services.save_draft(
            current_user, session, couple, fmt, sections, seen_version(payload.get("version")), True
        )
    except services.InvalidSections as invalid:
        return jsonify(
            saved=False,
            error="invalid",
            errors=invalid.errors,
            message=_invalid_summary(fmt, invalid.errors),
        ), 422
    except services.EmptyNote:
        return jsonify(saved=False, error="nothing_to_save", message="Nothing to save yet."), 200
    except tuple(AUTOSAVE_REFUSED) as refused:
        db.session.rollback()
        code, message = AUTOSAVE_REFUSED[type(refused)]
        return jsonify(saved=False, error=code, message=message), 409
    db.session.commit()
    return jsonify(
        saved=True,
        version=note.version,
        note_id=note.id,
        saved_at=note.updated_at.isoformat(),
        saved_at_text=localtime(note.updated_at, "%H:%M"),
    )


@bp.get("/notes/<int:note_id>")
def show_note(note_id: int):
    """One note with its addenda (the read is recorded in the audit trail)."""
    note = queries.get_note_or_404(note_id, current_user)
    return render_note_page(note, forms.AddendumForm())


@bp.post("/notes/<int:note_id>/addenda")
@keeps_typed_input
def add_addendum(note_id: int):
    """Add a dated, signed addendum under a signed note."""
    note = queries.get_note_or_404(note_id, current_user)
    form = forms.AddendumForm()
    if not form.validate_on_submit():
        return render_note_page(note, form)
    try:
        services.add_addendum(note, current_user, form.text.data)
    except services.NotSigned:
        form.form_errors.append("Addenda go under signed notes. This one is still a draft.")
        return render_note_page(note, form, status=409)
    except services.EmptyNote:
        form.text.errors.append("Write the addendum before adding it.")
        return render_note_page(note, form)
    db.session.commit()
    flash("Addendum signed and added.", "success")
    return redirect(url_for("notes.show_note", note_id=note.id, _anchor="addenda"))


@bp.post("/notes/<int:note_id>/delete")
def delete_note(note_id: int):
    """Delete your own draft. Signed notes stay: they are part of the record."""
    note = queries.get_note_or_404(note_id, current_user)
    couple_id = note.couple_id
    try:
        services.delete_draft(note, current_user)
    except services.NotAuthor:
        abort(403)
    except services.NoteLocked:
        flash("Signed notes cannot be deleted. Add an addendum to correct one.", "error")
        return redirect(url_for("notes.show_note", note_id=note.id))
    db.session.commit()
    flash("Draft deleted.", "success")
    return redirect(url_for("notes.list_couple_notes", couple_id=couple_id))


@bp.get("/couples/<int:couple_id>/notes")
def list_couple_notes(couple_id: int):
    """The couple's notes across sessions, latest first (each read is recorded)."""
    couple = queries.couple_heading_or_404(couple_id, current_user)
    page = services.read_couple_timeline(couple.id, current_user, requested_page())
    # Render before committing: a commit would expire the loaded notes, one query each.
    html = render_template("notes/list_couple_notes.html", couple=couple, page=page)
    db.session.commit()
    return html


@bp.get("/notes/search")
def search_notes():
    """Search the counselor's own notes by their text; with no words, the drafts to finish."""
    form = forms.SearchForm(formdata=request.args)
    words = form.q.data if form.validate() and form.q.data else ""
    if not words:
        drafts = queries.own_drafts(current_user, requested_page())
        return render_template("notes/search_notes.html", form=form, drafts=drafts, page=None)
    hits = services.search_notes(current_user, words)
    page = PythonPage(hits, requested_page(), SEARCH_PAGE_SIZE)
    services.record_search(current_user)
    html = render_template("notes/search_notes.html", form=form, page=page, words=words)
    db.session.commit()
    return html


@bp.route("/couples/<int:couple_id>/summary", methods=["GET", "POST"])
@keeps_typed_input
def edit_summary(couple_id: int):
    """The progress summary the couple will read in their reports (not a private note)."""
    couple = get_couple_or_404(couple_id, current_user)
    saved = queries.summary_of(couple.id)
    form = forms.SummaryForm(obj=saved)
    if request.method == "GET":
        form.version.data = saved.version if saved else 0
    if not form.validate_on_submit():
        return render_summary_form(form, couple, saved)
    try:
        services.save_summary(
            couple,
            current_user,
            form.summary.data,
            form.next_steps.data,
            seen_version(form.version.data),
        )
    except services.StaleSummary:
        db.session.rollback()
        latest = queries.summary_of(couple.id)  # after a lost race, the row that won
        form.form_errors.append(STALE_SUMMARY)
        form.version.data = latest.version if latest else 0
        return render_summary_form(form, couple, latest, saved_elsewhere=True, status=409)
    db.session.commit()
    flash("Progress summary saved. The couple will see it in their next report.", "success")
    return redirect(url_for("notes.edit_summary", couple_id=couple.id))


# --- helpers of the views above ----------------------------------------------------------------


def _session_and_couple(session_id: int, couple_id: int):
    """The session and couple of a note page; a couple not in that workshop gets a clear 404."""
    try:
        return queries.get_session_and_couple_or_404(session_id, couple_id, current_user)
    except queries.NotEnrolled as outside:
        page = render_template(
            "notes/not_enrolled.html", session=outside.session, couple=outside.couple
        )
        return abort(make_response(page, 404))


def _chosen_format(form, note):
    """The format shown: the one posted, else ?format=, else the draft's, else SOAP."""
    if request.method == "POST":
        return get_format(form.format.data)
    return get_format(request.args.get("format") or (note.format if note else None))


def _refuse_note(refused, form, session, couple, fmt):
    """Show the form again with what was typed, and why it was not saved."""
    latest = queries.note_for(session.id, couple.id, current_user.id)
    if isinstance(refused, services.InvalidSections):
        for key, message in refused.errors.items():
            form[forms.field_name(key)].errors.append(message)
    elif isinstance(refused, services.EmptyNote):
        form.form_errors.append(EMPTY_TO_SIGN if form.sign.data else EMPTY_TO_SAVE)
    elif isinstance(refused, services.StaleNote) and not (latest and latest.is_signed):
        form.form_errors.append(STALE_NOTE)
        form.version.data = latest.version if latest else 0
        return render_note_form(
            form, session, couple, latest, fmt, saved_elsewhere=latest, status=409
        )
    else:  # signed meanwhile (or in another tab): the text is shown back to be copied
        return render_note_page(
            queries.get_note_or_404(latest.id, current_user),
            forms.AddendumForm(),
            status=409,
            unsaved=form.sections_of(fmt),
        )
    return render_note_form(form, session, couple, latest, fmt)


def _all_text(sections) -> bool:
    return isinstance(sections, dict) and all(isinstance(v, str) for v in sections.values())


def _invalid_summary(fmt, errors: dict[str, str]) -> str:
    first = next(section for section in fmt.sections if section.key in errors)
    return f"Not saved yet: {first.label}: {errors[first.key]}"
