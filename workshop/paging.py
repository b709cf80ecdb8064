"""The page number a paginated list was asked for, the page of a list read already, and a
page read with its total in one statement."""

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from workshop.statements import plain_rows

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


class RowsPagination(SelectPagination):
    """db.paginate (the same page arguments and 404s) over a prebuilt select of columns, its
    page bound as :page_size and :page_offset, whose last column counts all its rows
    (COUNT(*) OVER ()): one statement gives the page and the total. The page's items are the
    rows without that column. It runs on the session's connection (plain_rows): no session is
    passed, unlike db.paginate."""

    def _query_items(self) -> list:
        args = self._query_args
        page = {"page_size": self.per_page, "page_offset": self._query_offset}
        rows = plain_rows(args["select"], args["params"] | page)  # columns: no ORM work
        self._total = rows[0][-1] if rows else 0
        return [row[:-1] for row in rows]

    def _query_count(self) -> int:
        return self._total
