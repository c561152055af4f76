"""Bare and reference pages of the same size as the pages they are compared with.

Pages are grouped by size: a group starts at its smallest page, ``s``, and its baselines are sized to
``s × (1 + spread)``, so every page up to ``s × (1 + spread) / (1 - spread)`` is within ``spread`` (13 %) of
them, measured against the page's own size; the baselines are checked to be within ``SIZE_TOLERANCE`` (15 %) of
every page of their group (the 2 % between the two absorb that a baseline grows by whole rows). One bare page
and one reference page per group (not per page) keeps the run short: about seven groups for twenty pages
between 10 and 60 kB.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.pages import BARE_MARKER, BARE_PATH, REFERENCE_MARKER, REFERENCE_PATH
from bench.server import BenchError
from bench.web import get_page

SIZE_TOLERANCE = 0.15
GROUP_SPREAD = 0.13


@dataclass
class SizeGroup:
    number: int  # 1, 2, ... from the smallest pages up
    size: int  # the size the baselines aim at
    members: list[str]  # the names of the pages in it


def size_groups(sizes: dict[str, int], tolerance: float = GROUP_SPREAD) -> list[SizeGroup]:
    """Group pages (name → bytes) so that each group's baseline size is within ``tolerance`` of every member."""
    groups: list[SizeGroup] = []
    for name, size in sorted(sizes.items(), key=lambda item: (item[1], item[0])):
        if groups and size <= groups[-1].size / (1 - tolerance):
            groups[-1].members.append(name)
        else:
            groups.append(SizeGroup(len(groups) + 1, round(size * (1 + tolerance)), [name]))
    return groups


def within(size: int, baseline: int, tolerance: float = SIZE_TOLERANCE) -> bool:
    return abs(baseline - size) <= tolerance * size


def sized_path(port: int, path: str, size: int, *, marker: bytes, cookie: str = "", query: str = "") -> tuple[str, int]:
    """``path?items=N`` (plus ``query``) with N chosen so the page is about ``size`` bytes; returns it and the
    size it has."""

    def measure(items: int) -> int:
        url = f"{path}?{query + '&' if query else ''}items={items}"
        return len(get_page(port, url, cookie, [marker]))

    empty, hundred = measure(0), measure(100)
    per_item = (hundred - empty) / 100
    items = max(0, round((size - empty) / per_item))
    url = f"{path}?{query + '&' if query else ''}items={items}"
    return url, len(get_page(port, url, cookie, [marker]))


@dataclass
class Baselines:
    group: SizeGroup
    bare_path: str
    bare_size: int
    reference_path: str
    reference_size: int


def sized_baselines(port: int, group: SizeGroup, sizes: dict[str, int], *, cookie: str, household_id: int) -> Baselines:
    """The bare and the reference page sized for ``group``; every member must be within the tolerance of both."""
    bare_path, bare_size = sized_path(port, BARE_PATH, group.size, marker=BARE_MARKER)
    reference_path, reference_size = sized_path(
        port, REFERENCE_PATH, group.size, marker=REFERENCE_MARKER, cookie=cookie, query=f"household={household_id}"
    )
    for name in group.members:
        for kind, baseline in (("bare", bare_size), ("reference", reference_size)):
            if not within(sizes[name], baseline):
                raise BenchError(
                    f"the {kind} page of size group {group.number} ({baseline} bytes) is not within "
                    f"{SIZE_TOLERANCE:.0%} of {name} ({sizes[name]} bytes)"
                )
    return Baselines(group, bare_path, bare_size, reference_path, reference_size)
