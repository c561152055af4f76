"""Dutch word stems, for search on SQLite: the Snowball stemmer PostgreSQL's ``dutch`` configuration uses too, from
the maintained ``snowballstemmer`` package. "afspraken" and "afspraak" share the stem "afsprak"; "verwijzing",
"verwijzingen" and "verwijzen" share "verwijz"; "schulden" and "schuld" share "schuld".

The algorithm is Snowball's Porter-based Dutch stemmer (``dutch_porter``), the one PostgreSQL's ``dutch``
configuration has (PostgreSQL 15 to 17), so both engines find the same. snowballstemmer 3 names a newer Dutch
algorithm ``dutch``; it stems differently ("schulden" to "schul", but "schuld" to "schuld") and would make a search
on SQLite find other services than the same search on PostgreSQL. A change of algorithm needs a migration that
recomputes the stored stems (collaboration 0007, socialmap 0004).

A model keeps the stems of its searchable text in a column (`` stem stem ``, each between spaces) and a search
looks for the stem of every word asked (``stems_of`` and ``query_stems``)."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
ALGORITHM = "dutch_porter"  # as PostgreSQL's dutch configuration (see above)


# Distinct words whose stems a process keeps: about 16 MB per process when full (measured with tracemalloc on
# 100,000 words of 5-12 letters); a social map's vocabulary is far smaller, a language repeats its words.
WORDS_REMEMBERED = 100_000
_local = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


@lru_cache(maxsize=WORDS_REMEMBERED)
def stem(word: str) -> str:
    """The stem of one lower-case word. Snowball in pure Python takes about 0.1 ms a word, so the stems of the words
    seen are remembered: indexing 50,000 services of about 100 words each is mostly remembered words."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer(ALGORITHM)
    return stemmer.stemWord(word)


def _stem(words: list[str]) -> list[str]:
    return [stem(word.lower()) for word in words]


def stems_of(*texts: str) -> str:
    """The distinct stems of ``texts``, each between spaces (so `` afspraak `` matches a whole stem only)."""
    words = [word for text in texts if text for word in WORD.findall(text)]
    return f" {' '.join(sorted(set(_stem(words))))} " if words else ""


def query_stems(query: str, limit: int = 8) -> list[str]:
    """The stems of the first ``limit`` words of a search."""
    return _stem(WORD.findall(query or "")[:limit])
