"""The IANA timezones users may pick, and the check that a name is one of them."""

from functools import cache
from zoneinfo import available_timezones

# Old aliases ("US/Eastern", "Etc/GMT+5") confuse more than they help in a picker.
_HIDDEN_PREFIXES = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")


@cache
def timezone_names() -> tuple[str, ...]:
    """Region/City names, sorted, plus UTC."""
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(_HIDDEN_PREFIXES)
    }
    return ("UTC", *sorted(names))


def is_known_timezone(name: str | None) -> bool:
    return bool(name) and name in set(timezone_names())
