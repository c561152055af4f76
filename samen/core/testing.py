"""Test helpers shared by every app's tests (imported only from tests)."""

from __future__ import annotations

from contextlib import contextmanager
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_max_queries(limit: int):
    """Fail when the block runs more than ``limit`` queries; shows them when it does."""
    with CaptureQueriesContext(connection) as context:
        yield context
    executed = len(context.captured_queries)
    if executed > limit:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(context.captured_queries, 1))
        raise AssertionError(f"{executed} queries, expected at most {limit}:\n{listing}")


def count_queries(func, *args, **kwargs) -> int:
    """Run ``func`` and return how many queries it executed."""
    with CaptureQueriesContext(connection) as context:
        func(*args, **kwargs)
    return len(context.captured_queries)


class _TableReader(HTMLParser):
    """The rows of every <table> in a page, as text per cell (tags inside a cell are read through)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "footer": []})
        elif not self.tables:
            return
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tfoot":
            self.tables[-1]["in_footer"] = True
        elif tag == "tr":
            self.tables[-1]["footer" if self.tables[-1].get("in_footer") else "rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self.tables:
            table = self.tables[-1]
            rows = table["footer" if table.get("in_footer") else "rows"]
            if rows:
                rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption and self.tables:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)


def table_rows(html: str, caption: str) -> tuple[list[list[str]], list[list[str]]]:
    """The body rows (the header row included, first) and the footer rows of the table with ``caption``, each a
    list of its cells' text. Reads the table as a browser does, whatever markup the table component uses."""
    reader = _TableReader()
    reader.feed(html)
    for table in reader.tables:
        if " ".join(table["caption"].split()) == caption:
            return table["rows"], table["footer"]
    raise AssertionError(f"no table with the caption {caption!r}")
