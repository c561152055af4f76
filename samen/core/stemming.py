"""Dutch word stems, for search on SQLite: the Snowball stemmer PostgreSQL's ``dutch`` configuration uses too, from
the maintained ``snowballstemmer`` package. "afspraken" and "afspraak" share the stem "afspraak"; "verwijzing",
"verwijzingen" and "verwijzen" share "verwijs".

A model keeps the stems of its searchable text in a column (`` stem stem ``, each between spaces) and a search
looks for the stem of every word asked (``stems_of`` and ``query_stems``)."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def _stem(words: list[str]) -> list[str]:
    return _stemmer().stemWords([word.lower() for word in words])


def stems_of(*texts: str) -> str:
    """The distinct stems of ``texts``, each between spaces (so `` afspraak `` matches a whole stem only)."""
    words = [word for text in texts if text for word in WORD.findall(text)]
    return f" {' '.join(sorted(set(_stem(words))))} " if words else ""


def query_stems(query: str, limit: int = 8) -> list[str]:
    """The stems of the first ``limit`` words of a search."""
    return _stem(WORD.findall(query or "")[:limit])
