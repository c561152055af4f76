"""When to prompt "have the conversation" (``design/collaboration.md`` section 2): rules R1-R9 as pure functions.

The pulse rules (R1-R7) read only what the network page shows (``selectors.Dashboard``: figures that passed
k-anonymity, the breakdown by organisation only where it is allowed), so a prompt can never say more than the page.
The event rules (R8, R9) read the network's case events (organisation pairs, kinds and days; never a household) and
whether the network wrote a learning entry since. ``evaluate_round`` and ``evaluate_events`` return what fired; the
service ``prompts_for_round`` / ``prompts_for_events`` turns that into cards (one per theme, at most one per theme per
two rounds, a neutral facilitator suggested when rules combine).

Every threshold is a default a network can change (``THRESHOLDS``; ``PulseSettings.thresholds``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean

from django.utils.translation import gettext_lazy as _

from samen.collaboration.items import BY_CODE, CONSTRUCTS, FAVOURABLE_FROM
from samen.collaboration.models import Rule, Structure
from samen.collaboration.selectors import Dashboard, Figure, RoundFigures
from samen.collaboration.stats import Summary


@dataclass(frozen=True)
class Threshold:
    default: float
    low: float
    high: float
    label: object


THRESHOLDS: dict[str, Threshold] = {
    "r1_mean": Threshold(4.0, 1, 7, _("R1: an average below")),
    "r1_favourable": Threshold(0.5, 0, 1, _("R1: a share agreeing below")),
    "r2_drop": Threshold(0.5, 0.1, 3, _("R2: a fall of at least")),
    "r2_standard_errors": Threshold(2.0, 0, 5, _("R2: and more than this many standard errors")),
    "r3_rise": Threshold(0.10, 0.01, 1, _("R3: silence rising by at least")),
    "r3_share": Threshold(0.20, 0, 1, _("R3: or silence above")),
    "r3_voice": Threshold(0.60, 0, 1, _("R3: or voice agreeing below")),
    "r3_safety_median": Threshold(3, 1, 5, _("R3: or a safety check's median at most")),
    "r4_gap": Threshold(1.0, 0.1, 6, _("R4: a gap between two organisations of at least")),
    "r4_from_network": Threshold(0.75, 0.1, 6, _("R4: or one organisation this far from the network")),
    "r5_rwg": Threshold(0.5, 0, 1, _("R5: agreement (r_wg) below")),
    "r5_split": Threshold(0.25, 0.05, 0.5, _("R5: or this share at each end (1-2 and 6-7)")),
    "r6_favourable": Threshold(0.5, 0, 1, _("R6: written agreements agreeing below")),
    "r6_rise": Threshold(10, 1, 100, _("R6: or the paper-practice gap index rising by at least (points)")),
    "p2_target": Threshold(0.8, 0.1, 1, _("P2: the share of actions done by their date the network agreed")),
    "p4_norm_days": Threshold(5, 1, 60, _("P4: the norm for answering a referral (working days)")),
    "r7_response": Threshold(0.5, 0, 1, _("R7: a response below")),
    "r7_fall": Threshold(0.20, 0.01, 1, _("R7: or a fall of at least")),
    "r9_weeks": Threshold(6, 1, 26, _("R9: weeks without a learning entry after an event")),
}


def thresholds_for(overrides: dict | None) -> dict[str, float]:
    values = {key: threshold.default for key, threshold in THRESHOLDS.items()}
    for key, value in (overrides or {}).items():
        if key in THRESHOLDS and isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = float(value)
    return values


@dataclass
class Firing:
    rule: Rule
    construct: str  # "" for participation and events
    facts: dict = field(default_factory=dict)


def _construct_of(item: str) -> str:
    return next(construct.code for construct in CONSTRUCTS if item in construct.items)


def _scored(item: str, summary: Summary) -> tuple[float, float]:
    """An item's mean and share agreeing as they count for its theme (a reverse item turned round)."""
    if not BY_CODE[item].reverse:
        return summary.mean, summary.favourable
    turned = sum(count for point, count in summary.distribution.items() if point <= 8 - FAVOURABLE_FROM)
    return 8 - summary.mean, turned / summary.n


def _shown(figure: Figure | None) -> Summary | None:
    return figure.summary if figure is not None else None


def r1_low(latest: RoundFigures, t: dict) -> list[Firing]:
    fired = []
    for item, figure in latest.items.items():
        summary = _shown(figure)
        if summary is None:
            continue
        level, favourable = _scored(item, summary)
        if level < t["r1_mean"] or favourable < t["r1_favourable"]:
            fired.append(Firing(Rule.LOW, _construct_of(item), {"item": item, "mean": level, "favourable": favourable}))
    return fired


def r2_drop(rounds: list[RoundFigures], t: dict) -> list[Firing]:
    if len(rounds) < 2:
        return []
    latest, before = rounds[-1], rounds[-4:-1]
    fired = []
    for construct in CONSTRUCTS:
        now = _shown(latest.constructs.get(construct.code))
        previous = [_shown(r.constructs.get(construct.code)) for r in before]
        previous = [summary.mean for summary in previous if summary is not None]
        if now is None or not previous:
            continue
        fall = mean(previous) - now.mean
        if fall >= t["r2_drop"] and fall > t["r2_standard_errors"] * now.se:
            fired.append(Firing(Rule.DROP, construct.code, {"fall": fall, "mean": now.mean, "before": mean(previous)}))
    return fired


def r3_silence(rounds: list[RoundFigures], t: dict, safety_medians: list[float] = ()) -> list[Firing]:
    latest = rounds[-1]
    facts: dict = {}
    silence = _shown(latest.items.get("silence"))
    if silence is not None:
        share = silence.favourable  # agreeing with "I kept a concern to myself"
        previous = _shown(rounds[-2].items.get("silence")) if len(rounds) > 1 else None
        if share > t["r3_share"]:
            facts["silence"] = share
        if previous is not None and share - previous.favourable >= t["r3_rise"]:
            facts["silence_rise"] = share - previous.favourable
    voice = _shown(latest.items.get("voice"))
    if voice is not None and voice.favourable < t["r3_voice"]:
        facts["voice"] = voice.favourable
    low_safety = [median for median in safety_medians if median <= t["r3_safety_median"]]
    if low_safety:
        facts["safety_median"] = min(low_safety)
    return [Firing(Rule.SILENCE, "voice", facts)] if facts else []


def r4_divergence(board: Dashboard, t: dict) -> list[Firing]:
    breakdown, latest = board.breakdown, board.latest
    if breakdown is None or latest is None or not breakdown.organisations:
        return []
    fired = []
    for construct in CONSTRUCTS:
        network = _shown(latest.constructs.get(construct.code))
        means = [
            summary.mean
            for summary in (_shown(figure) for figure in breakdown.constructs.get(construct.code, {}).values())
            if summary is not None
        ]
        if not means:
            continue
        gap = max(means) - min(means) if len(means) > 1 else 0.0
        far = max((abs(value - network.mean) for value in means), default=0.0) if network else 0.0
        if gap >= t["r4_gap"] or far >= t["r4_from_network"]:
            fired.append(Firing(Rule.DIVERGENCE, construct.code, {"gap": gap, "from_network": far}))
    return fired


def r5_polarisation(latest: RoundFigures, t: dict) -> list[Firing]:
    fired: dict[str, Firing] = {}
    for construct in CONSTRUCTS:
        figure = latest.constructs.get(construct.code)
        if figure is not None and figure.summary is not None and figure.rwg is not None and figure.rwg < t["r5_rwg"]:
            fired[construct.code] = Firing(Rule.POLARISATION, construct.code, {"rwg": figure.rwg})
    for item, figure in latest.items.items():
        summary = _shown(figure)
        if summary is not None and summary.low >= t["r5_split"] and summary.high >= t["r5_split"]:
            code = _construct_of(item)
            fired.setdefault(code, Firing(Rule.POLARISATION, code, {}))
            fired[code].facts.update({"item": item, "low": summary.low, "high": summary.high})
    return list(fired.values())


def r6_paper(latest: RoundFigures, t: dict, ppgi: Sequence[float | None] = ()) -> list[Firing]:
    """Item 9 agreeing below the threshold, or the paper-practice gap index (stored on the last two closed rounds,
    ``ppgi`` oldest first) rising by the threshold's points or more."""
    facts: dict = {}
    paper = _shown(latest.items.get("paper"))
    if paper is not None and paper.favourable < t["r6_favourable"]:
        facts["favourable"] = paper.favourable
    if len(ppgi) >= 2 and ppgi[-1] is not None and ppgi[-2] is not None and ppgi[-1] - ppgi[-2] >= t["r6_rise"]:
        facts["ppgi_rise"] = round(ppgi[-1] - ppgi[-2], 1)
    return [Firing(Rule.PAPER, "paper", facts)] if facts else []


def r7_participation(rounds: list[RoundFigures], t: dict) -> list[Firing]:
    latest = rounds[-1]
    if not latest.invited:
        return []
    rate = min(latest.answered / latest.invited, 1.0)
    facts: dict = {}
    if rate < t["r7_response"]:
        facts["response"] = rate
    if len(rounds) > 1 and rounds[-2].invited:
        before = min(rounds[-2].answered / rounds[-2].invited, 1.0)
        if before - rate >= t["r7_fall"]:
            facts["fall"] = before - rate
    return [Firing(Rule.PARTICIPATION, "", facts)] if facts else []


def evaluate_round(
    board: Dashboard, t: dict, safety_medians: list[float] = (), ppgi: Sequence[float | None] = ()
) -> list[Firing]:
    """Every pulse rule on the network page's figures after its latest round closed (``ppgi``: the gap index of the
    closed rounds, oldest first)."""
    if board.latest is None:
        return []
    rounds, latest = board.rounds, board.latest
    return [
        *r1_low(latest, t),
        *r2_drop(rounds, t),
        *r3_silence(rounds, t, safety_medians),
        *r4_divergence(board, t),
        *r5_polarisation(latest, t),
        *r6_paper(latest, t, ppgi),
        *r7_participation(rounds, t),
    ]


def structure_for(rules: set[str]) -> Structure:
    """The suggested way to hold the conversation: an after-action review for an event, TRIZ for paper and practice,
    What? So what? Now what? for a dip in the pulse."""
    if Rule.EVENT in rules or Rule.LEARNING_STALL in rules:
        return Structure.AFTER_ACTION
    if Rule.PAPER in rules:
        return Structure.TRIZ
    return Structure.WHAT_SO_WHAT


def neutral_facilitator(rules: set[str]) -> bool:
    """Two or more rules at once, or silence with divergence (a power and status signal): a conversation led by a
    neutral facilitator from outside the organisations involved."""
    return len(rules) >= 2 or {Rule.SILENCE, Rule.DIVERGENCE} <= rules


OPENING_QUESTIONS = {
    "trust": _("When could we not count on each other's promises lately, and what made it so?"),
    "voice": _("What do we keep to ourselves in this network, and what would make it easier to say it?"),
    "power": _(
        "In which decision did the size or money of an organisation count for more than who knew the situation best?"
    ),
    "interests": _(
        "What does each organisation need from this collaboration, and what do we not say out loud about it?"
    ),
    "mindful": _("Which small signal did we miss lately, and how do we notice it sooner next time?"),
    "paper": _("What would guarantee that our agreements stay on paper only, and which of that do we already do?"),
    "learning": _("When did we last look back together, and what held us back?"),
    "ambition": _("What do we do this for together, and does everyone still recognise themselves in it?"),
    Rule.PARTICIPATION: _("Why do fewer people take part in the pulse, and what would make it worth their while?"),
    Rule.EVENT: _(
        "What was supposed to happen, what actually happened, why was there a difference, and what do we learn from it?"
    ),
    Rule.LEARNING_STALL: _(
        "Something happened between organisations, and we have not looked back on it together yet. When do we?"
    ),
}


def opening_question(rule: str, construct: str) -> str:
    if rule in (Rule.PARTICIPATION, Rule.EVENT, Rule.LEARNING_STALL):
        return str(OPENING_QUESTIONS[Rule(rule)])
    return str(OPENING_QUESTIONS.get(construct, OPENING_QUESTIONS["learning"]))
