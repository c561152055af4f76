"""How easy the running text of a page is to read: the Flesch–Douma score for Dutch (Douma 1960).

    score = 206.84 − 0.93 × (words per sentence) − 77 × (syllables per word)

60 or more reads as "fairly easy"; texts at language level B1 score about there or higher. The citizen pages are
held to that by ``samen/ui/tests/test_readability.py``. Only tests use this module: pyphen is a dev dependency.

Why not textstat (0.7.13, the library that offers "Flesch reading ease" for ``nl`` with Douma's constants): its
constants are right, but its counts are not honest for a page. It ignores every sentence of two words or fewer
while keeping their words (so a page of short headings and labels gets *longer* sentences), its syllables are
pyphen's hyphenation points, which never split off a single letter at either end of a word ("even", "open",
"idee", "agenda" count one syllable short), and its language is global state whose English default downloads
a dictionary at run time. So this module counts for itself, with pyphen's Dutch (OpenTaal) hyphenation for the
syllables, and the test checks the figures against a text counted by hand.

The counting rules, so that a figure can be checked by hand:

- Running text is what Samen writes for the reader inside ``<main>``: paragraphs, list items, headings, labels,
  legends, captions, definition terms and descriptions, field descriptions and alerts, with the links inside
  them. Not counted: table cells (data, not sentences), buttons, links that look like buttons and form controls
  (commands and values, not sentences), navigation, scripts and styles, hidden text, whatever people typed
  themselves (any element with ``data-user-text`` and all inside it), and lines of metadata, which are values
  rather than sentences: a date, who wrote it, the kind of information (any element with ``data-meta``).
- Each block (an element above, or a piece of one cut by a nested block, a ``<br>`` or a status badge) is read
  on its own, and a block is at least one sentence: a heading or a label without a full stop is a sentence of its
  own, as a reader takes it. Joining blocks into one long sentence would punish a page for its headings; inside
  a block, a sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space and a capital, a digit or a quote,
  and at a `` · `` between items. A "sentence" without a letter (a lone number, as in a 0–10 scale) is left out.
- A word is a piece of text between spaces (or a ``/``) with a letter or a digit in it; a compound with a hyphen
  ("e-mailadres") is one word. E-mail and web addresses are not words and are left out.
- Syllables: the word is cut at pyphen's Dutch hyphenation points and each piece counts its vowel groups (a
  diaeresis starts a new one, "ideeën" = i-dee-ën); a word has at least one. That restores the single-letter
  syllables hyphenation leaves joined ("e-ven"); a vowel clash that hyphenation leaves joined still counts one
  ("ra-dio": two, not three). A number counts one syllable, as in textstat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import pyphen

# Douma's constants: Flesch's formula adapted to Dutch's longer words (0.77 per 100 words = 77 per word).
DOUMA_BASE = 206.84
DOUMA_PER_WORD_PER_SENTENCE = 0.93
DOUMA_PER_SYLLABLE_PER_WORD = 77

MINIMUM_SCORE = 60  # "fairly easy"; B1 texts score about there or higher
MINIMUM_WORDS = 20  # fewer words of running text than this cannot be measured honestly

# The elements whose text is running text.
RUNNING_TEXT_TAGS = frozenset(
    {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "label", "legend", "caption", "figcaption"}
    | {"summary", "blockquote"}
)
RUNNING_TEXT_CLASSES = frozenset({"utrecht-form-field-description", "utrecht-alert"})
RUNNING_TEXT_ROLES = frozenset({"alert", "status"})
# Inline elements whose text stands on its own: a badge is a label beside the sentence, not a word in it.
SEPARATE_CLASSES = frozenset({"utrecht-status-badge", "utrecht-badge"})
SKIPPED_CLASSES = frozenset({"utrecht-button-link", "utrecht-button"})
# Elements skipped with all inside them. ``data-user-text``, ``data-meta``, ``hidden`` and ``aria-hidden="true"``
# skip any element.
SKIPPED_TAGS = frozenset(
    {"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "canvas", "video", "audio"}
    | {"td", "th", "button", "select", "option", "optgroup", "datalist", "textarea", "nav"}
)
USER_TEXT_ATTRIBUTE = "data-user-text"
META_ATTRIBUTE = "data-meta"  # a line of values (date · author · kind of information), not a sentence
# Elements that do not end a block: their text runs on in the sentence around them.
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp"}
    | {"small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "del", "ins", "img", "input", "output"}
    | {"meter", "progress"}
)
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[A-Z0-9À-ÖØ-Þ\"'“‘(\[])|\s·\s")
_ADDRESS = re.compile(r"@|://|^www\.", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_VOWEL_GROUP = re.compile(r"[aeiouyáéíóúàèìòùâêîôûäëïöü][aeiouyáéíóúàèìòùâêîôû]*")  # a diaeresis starts a new group
_WORD_PART = re.compile(r"[^\W_]+")


# --- running text ---------------------------------------------------------------------------------


class _RunningTextParser(HTMLParser):
    """Collects the running text of ``<main>`` as blocks (see the module docstring for what counts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._stack: list[tuple[str, bool, bool, bool]] = []  # (tag, skips, collects, separate) of each open element
        self._in_main = 0
        self._skipping = 0
        self._collecting = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            if tag == "br" or tag not in INLINE_TAGS:
                self._flush()
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skips = (
            tag in SKIPPED_TAGS
            or bool(classes & SKIPPED_CLASSES)
            or USER_TEXT_ATTRIBUTE in attributes
            or META_ATTRIBUTE in attributes
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
        )
        collects = (
            tag in RUNNING_TEXT_TAGS
            or bool(classes & RUNNING_TEXT_CLASSES)
            or attributes.get("role") in RUNNING_TEXT_ROLES
        )
        separate = tag not in INLINE_TAGS or bool(classes & SEPARATE_CLASSES)
        if separate:
            self._flush()  # a nested block ends the text before it: no block counts twice or runs into another
        self._stack.append((tag, skips, collects, separate))
        self._in_main += tag == "main"
        self._skipping += skips
        self._collecting += collects

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_TAGS:  # "<div/>" is an empty element in XHTML style, not one left open
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, *_ in self._stack):
            return  # a stray end tag
        while self._stack:  # also close the elements left open inside it (an unclosed <li>, <p>)
            open_tag, skips, collects, separate = self._stack.pop()
            if separate:
                self._flush()
            self._in_main -= open_tag == "main"
            self._skipping -= skips
            self._collecting -= collects
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._in_main and self._collecting and not self._skipping:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            self.blocks.append(text)


def running_text(html: str) -> list[str]:
    """The running text inside the page's ``<main>``, as blocks in page order, whitespace collapsed."""
    parser = _RunningTextParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


# --- counting -------------------------------------------------------------------------------------


def split_sentences(block: str) -> list[str]:
    """The sentences of one block; a block without a full stop is one sentence. No sentence without a letter."""
    pieces = (piece.strip() for piece in _SENTENCE_END.split(block.strip()))
    return [piece for piece in pieces if _LETTER.search(piece) and words(piece)]


def words(sentence: str) -> list[str]:
    """The words of a sentence, without the punctuation around them; addresses and dashes are no words."""
    found = []
    for token in sentence.split():
        if _ADDRESS.search(token):
            continue
        for piece in token.split("/"):  # "ja/nee" is two words
            word = piece.strip("\"'“”‘’()[]{}.,:;!?…–—-·*")
            if any(character.isalnum() for character in word):
                found.append(word)
    return found


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="nl_NL")


@lru_cache(maxsize=4096)
def syllables(word: str) -> int:
    """The syllables of one Dutch word: its vowel groups between pyphen's hyphenation points (see module docstring)."""
    if not _LETTER.search(word):
        return 1  # a number, a date
    hyphenator = _hyphenator()
    count = 0
    for part in _WORD_PART.findall(word.lower()):  # "e-mailadres": "e", "mailadres"; "foto's": "foto", "s"
        cuts = [0, *hyphenator.positions(part), len(part)]
        for start, end in zip(cuts, cuts[1:], strict=False):
            count += len(_VOWEL_GROUP.findall(part[start:end]))
    return max(1, count)  # "'s", "bsn": one


def flesch_douma(*, words: int, sentences: int, syllables: int) -> float:
    """Douma's reading ease for Dutch from the three counts."""
    return (
        DOUMA_BASE
        - DOUMA_PER_WORD_PER_SENTENCE * (words / sentences)
        - DOUMA_PER_SYLLABLE_PER_WORD * (syllables / words)
    )


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int

    @property
    def score(self) -> float:
        """The sentence's own Flesch–Douma score: low for a long sentence of long words."""
        return flesch_douma(words=self.words, sentences=1, syllables=self.syllables)


@dataclass(frozen=True)
class Reading:
    """The counts and the score of a text; add readings to score several pages as one."""

    sentences: tuple[Sentence, ...] = field(default=())

    @property
    def words(self) -> int:
        return sum(sentence.words for sentence in self.sentences)

    @property
    def syllables(self) -> int:
        return sum(sentence.syllables for sentence in self.sentences)

    @property
    def score(self) -> float | None:
        """Flesch–Douma over the whole text; None when there is no text."""
        if not self.sentences:
            return None
        return flesch_douma(words=self.words, sentences=len(self.sentences), syllables=self.syllables)

    @property
    def measurable(self) -> bool:
        return self.words >= MINIMUM_WORDS

    def hardest(self, n: int = 5) -> list[Sentence]:
        """The ``n`` sentences that pull the page down most: where rewording helps most.

        A sentence costs its words times the points its own score falls below the minimum. The page's score is
        close to the word-weighted mean of its sentences' scores, so this finds the long, heavy sentences first
        rather than a one-word heading with a long word in it.
        """
        costs = [(sentence.words * (MINIMUM_SCORE - sentence.score), sentence) for sentence in self.sentences]
        return [sentence for cost, sentence in sorted(costs, key=lambda item: -item[0]) if cost > 0][:n]

    def __add__(self, other: Reading) -> Reading:
        return Reading(self.sentences + other.sentences)


def read_blocks(blocks: list[str]) -> Reading:
    """Count the sentences, words and syllables of running-text blocks."""
    counted = []
    for block in blocks:
        for text in split_sentences(block):
            sentence_words = words(text)
            counted.append(Sentence(text, len(sentence_words), sum(syllables(word) for word in sentence_words)))
    return Reading(tuple(counted))


def read_page(html: str) -> Reading:
    """The reading of a page's running text."""
    return read_blocks(running_text(html))
