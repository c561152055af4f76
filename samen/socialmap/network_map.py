"""The geometry of the network map: three circles of closeness around the household, each person a numbered dot on
their circle, evenly spread, their name under the dot.

Pure arithmetic (no database, no request), so it is tested on its own. The template (``socialmap/network_map.html``)
draws it as inline SVG; samen.css sizes it ("the household's own network" block): on a wide screen one SVG unit is one
pixel and every dot carries its number and the name under it; on a phone (where the map is drawn at about half its
size) the names are hidden and the numbers and circle names are set large enough to read, and the list under the map
names every number. When a circle holds more people than there is room for names, the whole map shows numbers only
(``numbers_only``): overlapping names help nobody, and the list is always there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 680
HEIGHT = 600
CX = WIDTH / 2
CY = 290
RADII = (95, 175, 255)  # close, in between, further away
DOT_RADIUS = 16
LABEL_GAP = 18  # from the dot's edge to the name's baseline
NAME_CHARS = 16  # a longer name is shortened on the map (the list gives it whole)
LABEL_ROOM = 140  # room a name needs along its circle, in units
RING_LABEL_GAP = 8  # a circle's name sits this far above its line


@dataclass(frozen=True)
class MapDot:
    number: int
    x: str
    y: str
    label: str
    label_y: str
    in_team: bool


@dataclass(frozen=True)
class MapRing:
    closeness: int
    r: str
    label: str
    label_y: str
    count: int


def _units(value: float) -> str:
    """A coordinate as SVG wants it: a dot as decimal sign, at most one decimal, whatever the language."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    name = " ".join(str(name).split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def ring_capacity(radius: float) -> int:
    """How many names fit along a circle of ``radius`` without running into each other."""
    return max(int(2 * math.pi * radius // LABEL_ROOM), 1)


def layout(
    people: Sequence[tuple[int, int, str, bool]], ring_labels: Sequence[str]
) -> tuple[list[MapRing], list[MapDot], bool]:
    """``people``: (number, closeness 1-3, name, in the team) in the order of the list; ``ring_labels``: the names of
    the three circles. Returns the circles (outermost first, so the inner ones are drawn on top), the dots and
    whether the map shows numbers only."""
    by_ring: dict[int, list[tuple[int, str, bool]]] = {1: [], 2: [], 3: []}
    for number, closeness, name, in_team in people:
        by_ring[min(max(int(closeness), 1), 3)].append((number, name, in_team))
    numbers_only = any(len(by_ring[ring]) > ring_capacity(RADII[ring - 1]) for ring in by_ring)
    rings = [
        MapRing(
            closeness=ring,
            r=_units(RADII[ring - 1]),
            label=str(ring_labels[ring - 1]),
            label_y=_units(CY - RADII[ring - 1] - RING_LABEL_GAP),
            count=len(by_ring[ring]),
        )
        for ring in (3, 2, 1)
    ]
    dots = []
    for ring, members in by_ring.items():
        count = len(members)
        radius = RADII[ring - 1]
        for index, (number, name, in_team) in enumerate(members):
            # Half a step from the top, so no dot sits on a circle's name; the circles are turned a little against
            # each other, so dots of neighbouring circles do not line up.
            angle = -math.pi / 2 + 2 * math.pi * (index + 0.5) / count + (ring - 2) * math.pi / 12
            x = CX + radius * math.cos(angle)
            y = CY + radius * math.sin(angle)
            dots.append(
                MapDot(
                    number=number,
                    x=_units(x),
                    y=_units(y),
                    label=short_name(name),
                    label_y=_units(y + DOT_RADIUS + LABEL_GAP),
                    in_team=in_team,
                )
            )
    dots.sort(key=lambda dot: dot.number)
    return rings, dots, numbers_only


HOME_RADIUS = 52


def house_points() -> str:
    """A small house in the middle of the map (the household), as the points of one polygon."""
    corners = [(-18, -4), (0, -24), (18, -4), (12, -4), (12, 14), (-12, 14), (-12, -4)]
    return " ".join(f"{_units(CX + dx)},{_units(CY + dy)}" for dx, dy in corners)
