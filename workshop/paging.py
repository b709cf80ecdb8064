"""The page number a paginated list was asked for."""

from flask import request

# No list has this many pages; a larger number would overflow the database's OFFSET (a
# 500) instead of being the empty page past the end that it is.
HIGHEST_PAGE = 1_000_000


def requested_page() -> int:
    """?page= as a number (1 when missing or not a number), at most HIGHEST_PAGE."""
    return min(request.args.get("page", 1, type=int), HIGHEST_PAGE)
