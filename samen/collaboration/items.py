"""The items of the network pulse and the constructs they measure (``design/collaboration.md``, section 1).

The wording is this project's own and not validated yet; ``stats.cronbach_alpha`` computes the reliability on real
use. Answers are on a 7-point agreement scale (1 = strongly disagree ... 7 = strongly agree) or "don't know";
a reverse-scored item counts as ``8 - answer`` in its construct. Items 11 and 12 rotate: a round asks one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCALE = tuple(range(1, 8))
SCALE_MIN, SCALE_MAX = 1, 7
FAVOURABLE_FROM = 5  # 5, 6 and 7 agree
OPEN_TEXT_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Item:
    code: str
    number: int
    text: Promise
    reverse: bool = False
    rotating: bool = False

    @property
    def short(self) -> str:
        """A few words for a chart's label (the table and the question list give the full text)."""
        return f"{self.number}. {SHORT[self.code]}"


ITEMS: tuple[Item, ...] = (
    Item(
        "trust",
        1,
        _(
            "When someone from another organisation in this network promises something for a resident, I can count on it."
        ),
    ),
    Item(
        "voice",
        2,
        _(
            "In this network I can put a problem or a mistake on the table, my own included, without it being held against me."
        ),
    ),
    Item(
        "silence",
        3,
        _(
            "In recent weeks I kept a concern about a resident or our collaboration to myself, because raising it felt risky or pointless."
        ),
        reverse=True,
    ),
    Item(
        "influence",
        4,
        _(
            "In decisions about shared residents, what counts is who knows the situation best, not which organisation is biggest or holds the budget."
        ),
    ),
    Item(
        "status",
        5,
        _("My input carries as much weight as that of colleagues with a more senior role or another profession."),
    ),
    Item(
        "interests",
        6,
        _(
            "We talk openly about what each organisation needs from this collaboration, also when it is about money, targets or accountability."
        ),
    ),
    Item("failure", 7, _("When something small goes wrong around a resident, we pick it up together before it grows.")),
    Item(
        "simplify",
        8,
        _("In a difficult situation we explore different views rather than quickly settling on one story."),
    ),
    Item("paper", 9, _("Our written agreements match how we actually work together.")),
    Item(
        "learning",
        10,
        _(
            "In the past month we looked back together at how something went, and changed something in our approach as a result."
        ),
    ),
    Item("resilience", 11, _("When a plan falls apart, we can quickly improvise together."), rotating=True),
    Item(
        "ambition",
        12,
        _("I know what we as a network want to achieve for residents, and I think it is worth it."),
        rotating=True,
    ),
)
BY_CODE = {item.code: item for item in ITEMS}
SHORT = {
    "trust": _("Count on promises"),
    "voice": _("Mistakes on the table"),
    "silence": _("Kept a concern to myself"),
    "influence": _("Who knows, decides"),
    "status": _("My input weighs the same"),
    "interests": _("Open about interests"),
    "failure": _("Small things picked up"),
    "simplify": _("Several views explored"),
    "paper": _("Paper matches practice"),
    "learning": _("Looked back together"),
    "resilience": _("Improvise together"),
    "ambition": _("Shared ambition"),
}
CORE_CODES = tuple(item.code for item in ITEMS if not item.rotating)
ROTATING_CODES = tuple(item.code for item in ITEMS if item.rotating)
OPEN_QUESTION = _("What should we really talk about next time?")


@dataclass(frozen=True)
class Construct:
    code: str
    name: Promise
    items: tuple[str, ...]

    @property
    def is_multi_item(self) -> bool:
        return len(self.items) > 1


CONSTRUCTS: tuple[Construct, ...] = (
    Construct("trust", _("Trust"), ("trust",)),
    Construct("voice", _("Voice"), ("voice", "silence")),
    Construct("power", _("Influence and status"), ("influence", "status")),
    Construct("interests", _("Interests"), ("interests",)),
    Construct("mindful", _("Mindful organizing"), ("failure", "simplify", "resilience")),
    Construct("paper", _("Paper and practice"), ("paper",)),
    Construct("learning", _("Joint learning"), ("learning",)),
    Construct("ambition", _("Shared ambition"), ("ambition",)),
)
CONSTRUCT_BY_CODE = {construct.code: construct for construct in CONSTRUCTS}


def scored(code: str, answer: int) -> int:
    """The answer as it counts in its construct: reverse-scored items turned round."""
    return SCALE_MAX + SCALE_MIN - answer if BY_CODE[code].reverse else answer


def items_of_round(rotating_item: str) -> tuple[Item, ...]:
    """The items a round asks: the ten core items and its rotating item (if any), in their order."""
    return tuple(item for item in ITEMS if not item.rotating or item.code == rotating_item)
