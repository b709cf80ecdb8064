"""What the note pages show: the note form with its reference panel, the note itself, the
summary form, and a page of search results. Reads of note text are recorded here, right where
the text is put on a page, and committed after rendering (a commit would expire what is loaded).
"""

from dataclasses import dataclass
from math import ceil

from flask import abort, render_template, request
from flask_login import current_user

from workshop.assignments.grid import STATE_LABELS, cell_for
from workshop.extensions import db
from workshop.models import utcnow
from workshop.notes import formats, queries, services
from workshop.templating import localtime


def render_note_form(form, session, couple, note, fmt, saved_elsewhere=None, status=200):
    """The note form beside the session's stages, attendance and the couple's recent homework."""
    if request.method == "GET":
        _fill_from(form, note, fmt)
    form.use_format(fmt)
    shown = [n for n in (note if request.method == "GET" else None, saved_elsewhere) if n]
    services.record_views(shown, current_user)
    html = render_template(
        "notes/write_note.html",
        form=form,
        fmt=fmt,
        formats=formats.FORMATS.values(),
        session=session,
        couple=couple,
        note=note,
        saved_elsewhere=saved_elsewhere,
        saved_format=formats.get_format(saved_elsewhere.format) if saved_elsewhere else None,
        attendance=_attendance(session, couple),
        homework=_homework(session, couple),
        state_labels=STATE_LABELS,
        colleagues_notes=queries.other_notes_for(session.id, couple.id, current_user),
    )
    db.session.commit()
    return html, status


def _fill_from(form, note, fmt) -> None:
    if note is None:
        form.version.data = 0
        return
    old = formats.get_format(note.format)
    sections = note.sections if old.key == fmt.key else formats.convert(note.sections, old, fmt)
    form.fill({key: sections.get(key, "") for key in fmt.keys})
    form.version.data = note.version


def _attendance(session, couple) -> list[tuple]:
    """(partner, status or None) for each partner of the couple."""
    recorded = {a.partner_id: a.status for a in session.attendance}
    return [(partner, recorded.get(partner.id)) for partner in couple.partners]


def _homework(session, couple) -> list:
    """The couple's homework given in this workshop up to the end of the session, with states."""
    assignments = queries.recent_homework(session.workshop_id, couple.id, session.ends_at)
    now = utcnow()
    return [cell_for(assignment, now) for assignment in assignments]


def render_note_page(note, addendum_form, status=200, unsaved=None):
    """One note and its addenda; `unsaved` is text sent to a locked note, shown to be copied."""
    services.record_views([note], current_user)
    html = render_template(
        "notes/show_note.html",
        note=note,
        fmt=formats.get_format(note.format),
        form=addendum_form,
        unsaved=unsaved,
        can_edit=note.author_id == current_user.id and not note.is_signed,
    )
    db.session.commit()
    return html, status


def render_summary_form(form, couple, saved, saved_elsewhere=False, status=200):
    return render_template(
        "notes/edit_summary.html",
        form=form,
        couple=couple,
        saved=saved,
        saved_elsewhere=saved_elsewhere,
    ), status


def saved_message(note) -> str:
    if note.is_signed:
        return "Note signed. It is locked now: add an addendum below to correct or add to it."
    return f"Draft saved at {localtime(note.updated_at, '%H:%M')}. Sign it when it is complete."


@dataclass
class PythonPage:
    """One page of a list built in Python (search results), shaped like db.paginate's pages."""

    all_items: list
    page: int
    per_page: int

    def __post_init__(self):
        if self.page < 1 or (self.page > 1 and self.page > self.pages):
            abort(404)

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self.all_items[start : start + self.per_page]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
