"""The page number a paginated list was asked for, and the page of a list read already."""

from flask import request
from flask_sqlalchemy.pagination import Pagination

# No list has this many pages; a larger number would overflow the database's OFFSET (a
# 500) instead of being the empty page past the end that it is.
HIGHEST_PAGE = 1_000_000


def requested_page() -> int:
    """?page= as a number (1 when missing or not a number), at most HIGHEST_PAGE."""
    return min(request.args.get("page", 1, type=int), HIGHEST_PAGE)


class ReadPage(Pagination):
    """A page of a list that its page's statement read already, with the list's length (a
    COUNT(*) OVER () beside the page's rows): Flask-SQLAlchemy's pager logic, without a
    statement of its own. Made with `items=` and `total=`."""

    def _query_items(self) -> list:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]
