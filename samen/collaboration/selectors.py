"""Reading the network pulse: which rounds a person can answer, and the network's figures as far as anonymity allows.

Every figure about people passes k-anonymity here, before a page sees it: a score when at least k = 5 people
answered it, the open answers of a round when at least 10 people answered that round, a breakdown by organisation
only for the groups ``samen.core.anonymity.groups_to_show`` allows (complementary suppression against the network
total). The figures come from one aggregate query (answers counted per round, organisation, item and answer), so a
page costs the same number of queries whatever the size of the network.

A construct's figure in a round is built from its items' answers together, reverse items turned round (the mean of
all its scored answers; the favourable share of them); its agreement is r_wg(J) from the items' variances; its
reliability (Cronbach's alpha) is computed on the complete answers of the last ``ALPHA_ROUNDS`` closed rounds pooled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from samen.collaboration import stats
from samen.collaboration.items import BY_CODE, CONSTRUCTS, Construct, items_of_round, scored
from samen.collaboration.models import (
    SEARCH_FIELDS,
    SHARED_FIELDS,
    Answer,
    OpenAnswer,
    Participation,
    PulseRound,
    Response,
    RoundStatus,
)
from samen.core.actor import Actor, Role
from samen.core.anonymity import K_ANONYMITY, groups_to_show
from samen.core.policy import can, require
from samen.core.stemming import query_stems
from samen.organisations.models import Network, Organisation

K_TEXT = 10  # open answers are shown when at least this many people answered the round
TREND_ROUNDS = 13  # a year of rounds every 4 weeks
ALPHA_ROUNDS = 6


def networks_for(actor: Actor) -> QuerySet[Network]:
    """The networks whose pulse ``actor`` may see: the ones they facilitate, or their organisation's."""
    if not actor.is_authenticated:
        return Network.objects.none()
    if actor.role == Role.NETWORK_FACILITATOR:
        return Network.objects.filter(facilitators=actor.user_id).order_by("name")
    if actor.role in (Role.PROFESSIONAL, Role.COORDINATOR, Role.CLIENT_SUPPORTER) and actor.organisation_id:
        return Network.objects.filter(organisations=actor.organisation_id).order_by("name")
    return Network.objects.none()


@dataclass(frozen=True)
class NetworkRow:
    network: Network
    open_round: PulseRound | None
    answered: bool
    may_answer: bool


def overview_for(actor: Actor) -> list[NetworkRow]:
    """Per network of ``actor``: its open round, and whether they answered it (2 queries)."""
    networks = list(networks_for(actor))
    if not networks:
        return []
    answered = Participation.objects.filter(round=OuterRef("pk"), user_id=actor.user_id or 0)
    rounds = {
        pulse_round.network_id: pulse_round
        for pulse_round in PulseRound.objects.filter(network__in=networks, status=RoundStatus.OPEN).annotate(
            answered=Exists(answered)
        )
    }
    works = actor.role in (Role.PROFESSIONAL, Role.COORDINATOR, Role.CLIENT_SUPPORTER)
    return [
        NetworkRow(
            network=network,
            open_round=rounds.get(network.pk),
            answered=bool(getattr(rounds.get(network.pk), "answered", False)),
            may_answer=works and network.pk in rounds,
        )
        for network in networks
    ]


def network_for(actor: Actor, network_id: object) -> Network:
    """The network, when ``actor`` may see its pulse; 404 for missing and forbidden alike."""
    network = Network.objects.filter(pk=_id(network_id)).first()
    require(actor, "collaboration.view", network, hide=True)
    return network


def round_to_answer(actor: Actor, round_id: object) -> tuple[PulseRound, bool]:
    """The round and whether ``actor`` answered it already. 404 unless they may see the network's pulse; the caller
    checks ``collaboration.answer`` (a closed round or a facilitator gets a clear message instead)."""
    pulse_round = PulseRound.objects.select_related("network").filter(pk=_id(round_id)).first()
    require(actor, "collaboration.view", pulse_round.network if pulse_round else None, hide=True)
    answered = Participation.objects.filter(round=pulse_round, user_id=actor.user_id).exists()
    return pulse_round, answered


def _id(value: object) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None
    if number < 1 or number > 2**62:
        raise Http404
    return number


# --- the figures -------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One score of a group: None where it may not be shown (fewer than k people)."""

    n: int
    summary: stats.Summary | None
    rwg: float | None = None

    @property
    def shown(self) -> bool:
        return self.summary is not None


@dataclass
class RoundFigures:
    pulse_round: PulseRound
    answered: int  # how many people answered (participations)
    invited: int
    items: dict[str, Figure] = field(default_factory=dict)
    constructs: dict[str, Figure] = field(default_factory=dict)

    @property
    def response_shown(self) -> bool:
        return self.answered >= K_ANONYMITY

    @property
    def response_rate(self) -> float | None:
        if not self.response_shown or not self.invited:
            return None
        return min(self.answered / self.invited, 1.0)


@dataclass
class Breakdown:
    """The latest closed round by organisation: the organisations shown (each passes k, the hidden rest protected),
    their construct figures, and how many organisations are hidden."""

    organisations: list[Organisation]
    constructs: dict[str, dict[int, Figure]]  # construct -> organisation id -> figure
    hidden: int


@dataclass
class Dashboard:
    network: Network
    rounds: list[RoundFigures]  # the closed rounds, oldest first
    open_round: PulseRound | None
    alpha: dict[str, stats.Alpha | None]
    breakdown: Breakdown | None
    open_answers: list[str]
    open_answers_hidden: bool

    @property
    def latest(self) -> RoundFigures | None:
        return self.rounds[-1] if self.rounds else None


Histogram = dict[int, int]


def _scored(histogram: Histogram, code: str) -> Histogram:
    """An item's histogram as it counts for its theme (a reverse item turned round)."""
    return {scored(code, value): count for value, count in histogram.items()}


def _figure_from_counts(histogram: Histogram) -> Figure:
    n = sum(histogram.values())
    if n < K_ANONYMITY:
        return Figure(n=n, summary=None)
    return Figure(n=n, summary=stats.summary_from_counts(histogram))


def _figure(values: list[int]) -> Figure:
    """The figure of a list of answers (for tests and small callers; the dashboard works on histograms)."""
    histogram: Histogram = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    return _figure_from_counts(histogram)


def _construct_figure(construct: Construct, histograms: dict[str, Histogram]) -> Figure:
    """A theme's figure: all its scored answers together; its agreement r_wg(J) from its items' variances (the items
    need not have the same people: only their variances count)."""
    columns = [_scored(histograms[code], code) for code in construct.items if sum(histograms.get(code, {}).values())]
    sizes = [sum(column.values()) for column in columns]
    # n: the people behind the theme's figure are at least the most who answered one of its items. Every item in it
    # must pass k on its own as well: a hidden item's few answers could otherwise be worked out from the theme's
    # figure minus the shown item's.
    n = max(sizes, default=0)
    if n < K_ANONYMITY or min(sizes) < K_ANONYMITY:
        return Figure(n=n, summary=None)
    merged: Histogram = {}
    for column in columns:
        for value, count in column.items():
            merged[value] = merged.get(value, 0) + count
    variances = [
        summary.sd**2
        for summary in (stats.summary_from_counts(column) for column in columns)
        if summary is not None and summary.n >= 2
    ]
    return Figure(n=n, summary=stats.summary_from_counts(merged), rwg=stats.rwg_from_variances(variances))


def dashboard(network: Network) -> Dashboard:
    """Everything the network's pulse page shows, anonymity applied (6 queries, whatever the size of the network)."""
    rounds = list(
        PulseRound.objects.filter(network=network, status=RoundStatus.CLOSED)
        .annotate(answered=Count("participations"))
        .order_by("-number")[:TREND_ROUNDS]
    )[::-1]
    open_round = PulseRound.objects.filter(network=network, status=RoundStatus.OPEN).first()
    round_ids = [pulse_round.pk for pulse_round in rounds]
    # round -> organisation (None: not said, or cleared) -> item -> answer -> count
    counts: dict[int, dict[int | None, dict[str, Histogram]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict))
    )
    rows = (
        Answer.objects.filter(response__round_id__in=round_ids)
        .values_list("response__round_id", "response__organisation_id", "item", "value")
        .annotate(count=Count("id"))
        .order_by()
    )
    for round_id, organisation_id, item, value, count in rows:
        counts[round_id][organisation_id][item][value] = count
    figures = []
    for pulse_round in rounds:
        merged = _merge(counts[pulse_round.pk].values())
        result = RoundFigures(pulse_round=pulse_round, answered=pulse_round.answered, invited=pulse_round.invited)
        asked = {item.code for item in items_of_round(pulse_round.rotating_item)}
        for code in sorted(asked, key=lambda code: BY_CODE[code].number):
            result.items[code] = _figure_from_counts(merged.get(code, {}))
        # A theme whose questions this round did not ask (a rotating item) has no figure, not "fewer than k".
        for construct in CONSTRUCTS:
            if asked & set(construct.items):
                result.constructs[construct.code] = _construct_figure(construct, merged)
        figures.append(result)
    latest = rounds[-1] if rounds else None
    open_answers: list[str] = []
    hidden_text = False
    if latest is not None:
        if latest.answered >= K_TEXT:
            open_answers = list(OpenAnswer.objects.filter(round=latest).order_by("id").values_list("text", flat=True))
        else:
            hidden_text = OpenAnswer.objects.filter(round=latest).exists()
    return Dashboard(
        network=network,
        rounds=figures,
        open_round=open_round,
        alpha=_stored_alphas(rounds[-1]) if rounds and rounds[-1].alphas else _alphas(round_ids[-ALPHA_ROUNDS:]),
        breakdown=_breakdown(network, counts[latest.pk]) if latest else None,
        open_answers=open_answers,
        open_answers_hidden=hidden_text,
    )


def item_figure(pulse_round: PulseRound, code: str) -> Figure:
    """One item's figure in one round, k applied (one query)."""
    rows = (
        Answer.objects.filter(response__round=pulse_round, item=code)
        .values_list("value")
        .annotate(count=Count("id"))
        .order_by()
    )
    return _figure_from_counts(dict(rows))


def _merge(groups: Iterable[dict[str, Histogram]]) -> dict[str, Histogram]:
    merged: dict[str, Histogram] = defaultdict(dict)
    for group in groups:
        for item, histogram in group.items():
            for value, count in histogram.items():
                merged[item][value] = merged[item].get(value, 0) + count
    return merged


def _breakdown(network: Network, by_organisation: dict[int | None, dict[str, Histogram]]) -> Breakdown | None:
    organisations = list(network.organisations.order_by("name"))
    if len(organisations) < 2:
        return None
    codes = sorted({code for group in by_organisation.values() for code in group})
    if not codes:
        return None
    sizes = {
        organisation.pk: [sum(by_organisation.get(organisation.pk, {}).get(code, {}).values()) for code in codes]
        for organisation in organisations
    }
    sizes[0] = [sum(by_organisation.get(None, {}).get(code, {}).values()) for code in codes]
    # A group nobody answered in has no answers to give away: it needs no protection and protects nobody.
    sizes = {key: counts for key, counts in sizes.items() if any(counts)}
    # The responses without an organisation (not said, or cleared at the close) are a group that is never shown:
    # hiding it as well only hides more.
    shown = groups_to_show(sizes, k=K_ANONYMITY) - {0}
    visible = [organisation for organisation in organisations if organisation.pk in shown]
    constructs = {
        construct.code: {
            organisation.pk: _construct_figure(construct, by_organisation.get(organisation.pk, {}))
            for organisation in visible
        }
        for construct in CONSTRUCTS
        if set(codes) & set(construct.items)
    }
    return Breakdown(organisations=visible, constructs=constructs, hidden=len(organisations) - len(visible))


def alpha_rounds(pulse_round: PulseRound) -> list[int]:
    """The closed rounds whose answers the reliability pools, up to ``pulse_round``: the last ``ALPHA_ROUNDS``."""
    return list(
        PulseRound.objects.filter(
            network_id=pulse_round.network_id, status=RoundStatus.CLOSED, number__lte=pulse_round.number
        )
        .order_by("-number")
        .values_list("pk", flat=True)[:ALPHA_ROUNDS]
    )


def alphas_to_store(pulse_round: PulseRound) -> dict[str, list | None]:
    """What ``PulseRound.alphas`` holds for a round that just closed."""
    return {
        code: None if alpha is None else [alpha.n, alpha.alpha, alpha.low, alpha.high]
        for code, alpha in _alphas(alpha_rounds(pulse_round)).items()
    }


def _stored_alphas(pulse_round: PulseRound) -> dict[str, stats.Alpha | None]:
    return {
        code: None
        if not isinstance(value, list) or len(value) != 4
        else stats.Alpha(int(value[0]), *map(float, value[1:]))
        for code, value in pulse_round.alphas.items()
    }


def _alphas(round_ids: list[int]) -> dict[str, stats.Alpha | None]:
    """Cronbach's alpha of each multi-item theme over the complete answers of ``round_ids`` pooled, from sums the
    database computes: one row per theme comes back, however many answers there are (one query)."""
    multi = [construct for construct in CONSTRUCTS if construct.is_multi_item]
    if not round_ids:
        return dict.fromkeys((construct.code for construct in multi), None)
    codes = sorted({code for construct in multi for code in construct.items})
    columns = {code: f"x_{index}" for index, code in enumerate(codes)}
    # Per response one row with its (scored) answer to each item: MAX over the response's rows picks the one value.
    pivot = ", ".join(
        f"MAX(CASE WHEN a.item = %s THEN {'8 - ' if BY_CODE[code].reverse else ''}a.value END) AS {columns[code]}"
        for code in codes
    )
    parts, selects = [], []
    for construct in multi:
        names = [columns[code] for code in construct.items]
        complete = " AND ".join(f"{name} IS NOT NULL" for name in names)
        total = " + ".join(names)
        parts.append(f"SUM(CASE WHEN {complete} THEN 1 ELSE 0 END)")
        for name in names:
            parts.append(f"SUM(CASE WHEN {complete} THEN {name} END)")
            parts.append(f"SUM(CASE WHEN {complete} THEN {name} * {name} END)")
        parts.append(f"SUM(CASE WHEN {complete} THEN {total} END)")
        parts.append(f"SUM(CASE WHEN {complete} THEN ({total}) * ({total}) END)")
        selects.append((construct, len(names)))
    answer, response = Answer._meta.db_table, Response._meta.db_table
    rounds = ", ".join(["%s"] * len(round_ids))
    items = ", ".join(["%s"] * len(codes))
    sql = (
        f"SELECT {', '.join(parts)} FROM ("  # noqa: S608 - table and column names are ours, values are parameters
        f"SELECT {pivot} FROM {answer} a JOIN {response} r ON r.id = a.response_id "
        f"WHERE r.round_id IN ({rounds}) AND a.item IN ({items}) GROUP BY a.response_id) per_response"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*codes, *round_ids, *codes])
        row = [float(value or 0) for value in cursor.fetchone()]
    result: dict[str, stats.Alpha | None] = {}
    position = 0
    for construct, width in selects:
        n = int(row[position])
        sums = [row[position + 1 + 2 * index] for index in range(width)]
        squares = [row[position + 2 + 2 * index] for index in range(width)]
        total, total_squares = row[position + 1 + 2 * width], row[position + 2 + 2 * width]
        position += 3 + 2 * width
        result[construct.code] = stats.cronbach_alpha_from_sums(
            n=n, sums=sums, squares=squares, total=total, total_squares=total_squares
        )
    return result


def may_manage(actor: Actor, network: Network) -> bool:
    return can(actor, "collaboration.manage", network)


def scheduled_rounds(network: Network) -> list[PulseRound]:
    return list(PulseRound.objects.filter(network=network, status=RoundStatus.SCHEDULED).order_by("number"))


# --- prompts, the learning log, the charter ----------------------------------------------------------------------

PROMPTS_SHOWN = 20
ENTRIES_SHOWN = 50


def prompts_of(network: Network) -> list:
    """The network's open and planned conversation prompts, newest first."""
    from samen.collaboration.models import Prompt, PromptStatus

    return list(
        Prompt.objects.filter(network=network, status__in=[PromptStatus.OPEN, PromptStatus.PLANNED]).order_by(
            "-evaluated_on", "rule", "construct"
        )[:PROMPTS_SHOWN]
    )


def prompt_for(actor: Actor, prompt_id: object):
    from samen.collaboration.models import Prompt

    prompt = Prompt.objects.select_related("network").filter(pk=_id(prompt_id)).first()
    require(actor, "collaboration.view", prompt.network if prompt else None, hide=True)
    return prompt


def _search(entries: QuerySet, query: str, fields: tuple[str, ...], stems: str) -> QuerySet:
    """Dutch full-text search, stemmed ("afspraken" finds "afspraak"): PostgreSQL's ``dutch`` configuration over
    ``fields``; on SQLite the same Snowball stems, kept in the column ``stems`` (every word's stem must be there)."""
    query = (query or "").strip()[:200]
    if not query:
        return entries
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="dutch")
        return entries.annotate(search=vector).filter(
            search=SearchQuery(query, config="dutch", search_type="websearch")
        )
    for stem in query_stems(query):
        entries = entries.filter(**{f"{stems}__contains": f" {stem} "})
    return entries


def entries_of(network: Network, query: str = "") -> list:
    """The network's learning entries, newest first; with ``query``, those that match it (``_search``)."""
    from samen.collaboration.models import LearningEntry

    entries = _search(LearningEntry.objects.filter(network=network), query, SEARCH_FIELDS, "stems")
    return list(entries.order_by("-happened_on", "-pk")[:ENTRIES_SHOWN])


def shared_lessons(query: str = "") -> list:
    """The lessons every network shared upwards, newest first, with their network (one query)."""
    from samen.collaboration.models import LearningEntry, Visibility

    entries = LearningEntry.objects.filter(visibility=Visibility.SHARED).select_related("network")
    entries = _search(
        entries.only(
            "title", "happened_on", "entry_type", "network__name", *SHARED_FIELDS[1:], "causes", "charter_impact"
        ),
        query,
        SHARED_FIELDS,
        "shared_stems",
    )
    return list(entries.order_by("-happened_on", "-pk")[:ENTRIES_SHOWN])


def entry_for(actor: Actor, entry_id: object):
    """A learning entry with its actions, organisations and follow-ups; 404 unless ``actor`` may read the network's
    learning log."""
    from samen.collaboration.models import LearningEntry

    entry = (
        LearningEntry.objects.select_related("network", "prompt", "follows")
        .prefetch_related("actions__organisation", "organisations", "follow_ups", "charter_versions")
        .filter(pk=_id(entry_id))
        .first()
    )
    require(actor, "collaboration.learn", entry.network if entry else None, hide=True)
    return entry


@dataclass(frozen=True)
class Safety:
    answered: bool  # whether the reader answered
    count: int  # answers written (in batches of k)
    median: float | None  # shown from k answers


def safety_of(entry, actor: Actor) -> Safety:
    from samen.collaboration.models import SafetyAnswer, SafetyParticipation

    values = sorted(SafetyAnswer.objects.filter(entry=entry).values_list("value", flat=True))
    answered = SafetyParticipation.objects.filter(entry=entry, user_id=actor.user_id).exists()
    median = float(np.median(values)) if len(values) >= K_ANONYMITY else None
    return Safety(answered=answered, count=len(values), median=median)


def charter_of(network: Network) -> list:
    """Every version of the network's charter with its principles, newest first."""
    from samen.collaboration.models import CharterVersion

    return list(
        CharterVersion.objects.filter(network=network)
        .select_related("entry")
        .prefetch_related("principles")
        .order_by("-number")
    )
