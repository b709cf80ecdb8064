"""Exercise fields: the typed questions an exercise asks, and how answers to them are checked.

An exercise's fields are plain dicts (stored as JSON on the exercise and frozen in each
version), so a version keeps its questions exactly as they were when it was assigned:

    {"key": "willing", "type": "scale", "label": "...", "help": "", "required": True,
     "min": 1, "max": 10, "min_label": "Not at all", "max_label": "Completely",
     "measure": "readiness"}

Types: short_text, long_text, scale, single_choice, multi_choice, yes_no, date, list.
"""

from datetime import date

from workshop.forms import UNSTORABLE_TEXT_MESSAGE, has_unstorable_text

FIELD_TYPES = {
    "short_text": "Short text",
    "long_text": "Long text",
    "scale": "Scale (a number in a range)",
    "single_choice": "Single choice",
    "multi_choice": "Multiple choice",
    "yes_no": "Yes or no",
    "date": "Date",
    "list": "List of short items",
}

# The progress measures a scale can feed (see README: "Progress measures").
MEASURES = {
    "readiness": "Readiness",
    "trust": "Trust",
    "communication": "Communication",
    "positivity": "Positivity",
    "hope": "Hope",
}

HARD_CAP = 20_000  # no single answer is ever longer, whatever a field allows
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5_000
LIST_ITEM_MAX = 200
MAX_LIST_ITEMS = 10
SCALE_LIMITS = (0, 100)


class AnswerError(ValueError):
    """An answer that does not fit its field; the message is shown on the field."""


def max_length(field: dict) -> int:
    default = LONG_TEXT_MAX if field["type"] == "long_text" else SHORT_TEXT_MAX
    return min(int(field.get("max_length") or default), HARD_CAP)


def list_size(field: dict) -> int:
    return max(1, min(int(field.get("items") or 3), MAX_LIST_ITEMS))


def options(field: dict) -> list[str]:
    return [str(option) for option in field.get("options", [])]


def clean_answer(field: dict, raw):
    """The answer to store for one field, or AnswerError. Empty answers become None / []."""
    cleaner = _CLEANERS[field["type"]]
    return cleaner(field, raw)


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _text(field, raw):
    value = "" if raw is None else str(raw)
    value = value.replace("\r\n", "\n").strip()
    limit = max_length(field)
    if len(value) > limit:
        raise AnswerError(f"Keep this under {limit:,} characters (now {len(value):,}).")
    return value or None


def _scale(field, raw):
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError as error:
        raise AnswerError("Choose a number on the scale.") from error
    low, high = int(field["min"]), int(field["max"])
    if not low <= value <= high:
        raise AnswerError(f"Choose a number from {low} to {high}.")
    return value


def _single(field, raw):
    if raw in (None, ""):
        return None
    if str(raw) not in options(field):
        raise AnswerError("Choose one of the options shown.")
    return str(raw)


def _multi(field, raw):
    values = [str(value) for value in (raw or []) if str(value) != ""]
    offered = options(field)
    if any(value not in offered for value in values):
        raise AnswerError("Choose only among the options shown.")
    return [option for option in offered if option in values]  # offered order, no repeats


def _yes_no(field, raw):
    if raw in (None, ""):
        return None
    if raw not in ("yes", "no"):
        raise AnswerError("Choose yes or no.")
    return raw


def _date(field, raw):
    if raw in (None, ""):
        return None
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError as error:
        raise AnswerError("Enter a real date, like 2026-12-31.") from error
    if not date(1900, 1, 1) <= value <= date(2200, 12, 31):
        raise AnswerError("Enter a date between 1900 and 2200.")
    return value.isoformat()


def _list(field, raw):
    # An item left out (None: a list input not sent, or JSON null) is empty, not "None".
    items = ["" if item is None else str(item).strip() for item in (raw or [])]
    if len(items) > list_size(field):
        raise AnswerError(f"Write at most {list_size(field)} items.")
    for item in items:
        if len(item) > LIST_ITEM_MAX:
            raise AnswerError(f"Keep each item under {LIST_ITEM_MAX} characters.")
    return [item for item in items if item]


_CLEANERS = {
    "short_text": _text,
    "long_text": _text,
    "scale": _scale,
    "single_choice": _single,
    "multi_choice": _multi,
    "yes_no": _yes_no,
    "date": _date,
    "list": _list,
}


def signals_risk(field: dict, value) -> bool:
    """Whether a safety check-in answer calls for the counselor's attention."""
    rule = field.get("risk_when")
    if not rule or is_empty(value):
        return False
    if "equals" in rule:
        return value == rule["equals"]
    if "any_of" in rule:
        chosen = value if isinstance(value, list) else [value]
        return any(option in rule["any_of"] for option in chosen)
    if "at_most" in rule:
        return isinstance(value, int) and value <= rule["at_most"]
    return False


def check_answers(fields: list[dict], raw: dict, require: bool) -> tuple[dict, dict[str, str]]:
    """Clean every answer; with `require`, required fields must be filled (for submitting).

    Returns (answers, errors by field key). Drafts are saved without `require`, but an answer
    too long or out of range is refused even in a draft.
    """
    answers, errors = {}, {}
    for field in fields:
        if has_unstorable_text(raw.get(field["key"])):
            # The same rule as every form (workshop/forms.py); the autosave comes here too.
            errors[field["key"]] = UNSTORABLE_TEXT_MESSAGE
            continue
        try:
            value = clean_answer(field, raw.get(field["key"]))
        except AnswerError as error:
            errors[field["key"]] = str(error)
            continue
        if require and field.get("required") and is_empty(value):
            errors[field["key"]] = "Please answer this question before submitting."
        answers[field["key"]] = value
    return answers, errors
