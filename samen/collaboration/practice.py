"""Paper and practice (P1-P8 and the paper-practice gap index of ``collaboration.md`` §5).

"Paper" is what the partners wrote down: one plan per household, kept up to date; actions done by the date agreed;
a coordinator in touch; referrals answered within the norm; every organisation on a team doing its part. "Practice"
is what the case data shows. Per network, over the 90 days up to a day (30 for the coordinator's contact):

- the network's households are those with someone on their team, on that day, from one of its organisations;
- every figure is a count of households, actions, referrals or team places, never a household, a person or a text,
  and it is shown only when it counts at least k (5) of them;
- the index (PPGI) is 100 x the mean of the gaps that could be counted. It exists to open a conversation, not as a
  performance target, and the page says so.

The same code gives today's figures (the page) and the figures on the day a pulse round closed (stored on the round:
the trend, and R6's "the gap rises by 10 points"). It reads the times the case data keeps (joined, left, written,
done, moved, requested, accepted), so a day in the past is counted as it was then; what the data does not keep —
who was coordinator before a handover — is taken as it is now.

Every indicator costs a fixed number of queries, whatever the number of households (``test_practice``).
"""

from __future__ import annotations

import datetime
import operator
import statistics
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.collaboration import prompts, selectors
from samen.collaboration.models import LearningEntry, PulseRound, PulseSettings, RoundStatus
from samen.conversations.models import Message
from samen.conversations.workdays import working_days_between
from samen.core.anonymity import K_ANONYMITY
from samen.households.models import Household, TeamMember
from samen.meetings.models import MeetingParticipant, MeetingStatus
from samen.organisations.models import Network
from samen.plans.models import Action, Plan
from samen.referrals.models import Referral, ReferralStatusChange
from samen.timeline.events import SOURCES
from samen.timeline.models import Entry, EntryKind

PERIOD_DAYS = 90  # the window of every indicator but P3
CONTACT_DAYS = 30  # P3: the coordinator was in touch in the last 30 days
BASELINE_DAYS = 90  # P6: the network's first three months are its baseline, at 0.5
P8_TARGET = 0.7

# A plan "updated" in the window: the plan's own change time, or any plan event on the household's timeline.
PLAN_EVENTS = [code for code, source in SOURCES.items() if source == "plans"]
# What counts as the coordinator being in touch, besides a message in the conversation and a meeting held.
CONTACT_KINDS = [EntryKind.NOTE, EntryKind.CONVERSATION, EntryKind.DOCUMENT]


@dataclass(frozen=True)
class Meaning:
    code: str
    title: object
    explanation: object
    paper: object  # the paper target in words


MEANINGS: dict[str, Meaning] = {
    m.code: m
    for m in [
        Meaning(
            "P1",
            _("One plan"),
            _("Households with two or more organisations whose one plan was updated in the last 90 days."),
            _("every household"),
        ),
        Meaning(
            "P2",
            _("Actions by their date"),
            _("Actions due in the last 90 days that were done by their date, or moved with a reason."),
            _("the share the network agreed"),
        ),
        Meaning(
            "P3",
            _("Coordinator in touch"),
            _("Households whose coordinator wrote, noted or met with them in the last 30 days."),
            _("every household"),
        ),
        Meaning(
            "P4",
            _("Time to answer a referral"),
            _(
                "Median working days from a referral to its acceptance or first contact (referrals of the last 90 "
                "days; one still waiting counts its days so far)."
            ),
            _("the network's norm"),
        ),
        Meaning(
            "P5",
            _("Partners who do not act"),
            _(
                "Of the organisations on the teams of households with two or more organisations: the share that "
                "wrote, noted or acted nothing in the last 90 days."
            ),
            _("none"),
        ),
        Meaning(
            "P6",
            _("Documents for each conversation"),
            _(
                "Documents added in the last 90 days for each conversation between two or more organisations "
                "(messages or a meeting held) and each learning entry. With no such conversation, every document "
                "counts."
            ),
            _("low, and falling against the network's first three months"),
        ),
        Meaning(
            "P7",
            _("Deviations with a reason"),
            _("Households where someone moved an agreed date and wrote down why, in the last 90 days."),
            _("not zero: working in practice means sometimes deviating, openly"),
        ),
        Meaning(
            "P8",
            _("Agreements fit practice"),
            _('Share agreeing with "Our written agreements fit how we actually work" in the latest round.'),
            _("70% or more"),
        ),
    ]
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: what practice shows (a share 0-1, working days for P4, a ratio for P6; None when it counts
    fewer than k), how many it counts, the paper target, and its gap 0-1 (None: not part of the index)."""

    code: str
    value: float | None
    n: int
    target: float | None
    gap: float | None = None
    baseline: float | None = None  # P6 only

    @property
    def meaning(self) -> Meaning:
        return MEANINGS[self.code]

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class PaperPractice:
    as_of: datetime.date
    indicators: dict[str, Indicator]

    @property
    def gaps(self) -> list[float]:
        return [indicator.gap for indicator in self.indicators.values() if indicator.gap is not None]

    @property
    def ppgi(self) -> float | None:
        """100 x the mean of the gaps that could be counted; None when none could."""
        gaps = self.gaps
        return round(100 * sum(gaps) / len(gaps), 1) if gaps else None

    def to_json(self) -> dict:
        """What a pulse round keeps: {"as_of", "ppgi", "P1": [value, n, target, gap, baseline], ...}."""
        stored: dict = {"as_of": self.as_of.isoformat(), "ppgi": self.ppgi}
        for code, ind in self.indicators.items():
            stored[code] = [ind.value, ind.n, ind.target, ind.gap, ind.baseline]
        return stored

    @classmethod
    def from_json(cls, stored: dict) -> PaperPractice | None:
        if not stored or "as_of" not in stored:
            return None
        indicators = {code: Indicator(code, *stored[code]) for code in MEANINGS if isinstance(stored.get(code), list)}
        return cls(as_of=datetime.date.fromisoformat(stored["as_of"]), indicators=indicators)


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _shown(code: str, value: float | None, n: int, target: float | None, gap: float | None, **extra) -> Indicator:
    """The indicator, or only its count when it counts fewer than k (no value, no gap)."""
    if value is None or n < K_ANONYMITY:
        return Indicator(code, None, n, target, None, extra.get("baseline"))
    return Indicator(code, value, n, target, gap, extra.get("baseline"))


@dataclass(frozen=True)
class Window:
    as_of: datetime.date

    def start(self, days: int) -> datetime.datetime:
        """The first moment of the ``days`` days that end with ``as_of``."""
        first = self.as_of - datetime.timedelta(days=days - 1)
        return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))

    def start_day(self, days: int) -> datetime.date:
        return self.as_of - datetime.timedelta(days=days - 1)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after ``as_of``."""
        return timezone.make_aware(
            datetime.datetime.combine(self.as_of + datetime.timedelta(days=1), datetime.time.min)
        )


def _on_team(window: Window) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(joined_at__lt=window.end).filter(
        Q(left_at__isnull=True) | Q(left_at__gte=window.end)
    )


def network_households(network: Network, window: Window) -> QuerySet[Household]:
    """The households with someone on their team on that day from one of the network's organisations (a query, not
    yet run: every indicator uses it as a subquery)."""
    organisations = Network.organisations.through.objects.filter(network=network).values("organisation_id")
    return Household.objects.filter(
        pk__in=_on_team(window).filter(organisation__in=organisations).values("household_id")
    )


def _with_partners(households: QuerySet[Household], window: Window) -> QuerySet:
    """Of those, the ids of the households with two or more organisations on their team on that day."""
    return (
        _on_team(window)
        .filter(household__in=households, organisation__isnull=False)
        .values("household_id")
        .annotate(organisations=Count("organisation_id", distinct=True))
        .filter(organisations__gte=2)
        .values("household_id")
    )


def p1_one_plan(households, window: Window) -> Indicator:
    start, end = window.start(PERIOD_DAYS), window.end
    updated = Exists(
        Plan.objects.filter(household=OuterRef("pk"), is_current=True, updated_at__gte=start, updated_at__lt=end)
    ) | Exists(
        Entry.objects.filter(
            household=OuterRef("pk"), event_code__in=PLAN_EVENTS, created_at__gte=start, created_at__lt=end
        )
    )
    counted = Household.objects.filter(pk__in=_with_partners(households, window)).aggregate(
        n=Count("pk"), kept=Count("pk", filter=Q(updated))
    )
    n = counted["n"]
    share = counted["kept"] / n if n else None
    return _shown("P1", share, n, 1.0, None if share is None else _clip(1.0 - share))


def p2_actions_by_date(households, window: Window, target: float) -> Indicator:
    start_day, end = window.start_day(PERIOD_DAYS), window.end
    due = Q(due_date__gte=start_day, due_date__lte=window.as_of) | Q(
        replanned_from__gte=start_day, replanned_from__lte=window.as_of
    )
    moved_with_reason = Q(replanned_at__lt=end) & ~Q(replanned_reason="")
    kept = Q(done_at__lt=end, done_at__date__lte=F("due_date")) | moved_with_reason
    counted = (
        Action.objects.filter(goal__plan__household__in=households, created_at__lt=end)
        .filter(due)
        .aggregate(n=Count("pk"), kept=Count("pk", filter=kept))
    )
    n = counted["n"]
    share = counted["kept"] / n if n else None
    gap = None if share is None or not target else _clip((target - share) / target)
    return _shown("P2", share, n, target, gap)


def _by_coordinator(user_field: str, window: Window) -> Q:
    """``user_field`` is someone who is, on the day, the coordinator of the outer household (one join, so every
    condition holds for the same team place)."""
    place = f"{user_field}__team_memberships"
    return Q(
        **{
            f"{place}__household": OuterRef("pk"),
            f"{place}__is_coordinator": True,
            f"{place}__joined_at__lt": window.end,
        }
    ) & (Q(**{f"{place}__left_at__isnull": True}) | Q(**{f"{place}__left_at__gte": window.end}))


def p3_coordinator_contact(households, window: Window) -> Indicator:
    start, end = window.start(CONTACT_DAYS), window.end
    has_coordinator = Exists(_on_team(window).filter(household=OuterRef("pk"), is_coordinator=True))
    contact = (
        Exists(
            Message.objects.filter(
                _by_coordinator("author", window), household=OuterRef("pk"), created_at__gte=start, created_at__lt=end
            )
        )
        | Exists(
            Entry.objects.filter(
                _by_coordinator("written_by", window),
                household=OuterRef("pk"),
                kind__in=CONTACT_KINDS,
                created_at__gte=start,
                created_at__lt=end,
            )
        )
        | Exists(
            MeetingParticipant.objects.filter(
                _by_coordinator("user", window),
                meeting__household=OuterRef("pk"),
                meeting__status=MeetingStatus.HELD,
                meeting__starts_at__gte=start,
                meeting__starts_at__lt=end,
            )
        )
    )
    counted = (
        Household.objects.filter(pk__in=households)
        .filter(has_coordinator)
        .aggregate(n=Count("pk"), kept=Count("pk", filter=Q(contact)))
    )
    n = counted["n"]
    share = counted["kept"] / n if n else None
    return _shown("P3", share, n, 1.0, None if share is None else _clip(1.0 - share))


def p4_referral_latency(network: Network, window: Window, norm: float) -> Indicator:
    """The median working days to an answer; a referral still waiting on the day counts its days so far (leaving
    it out would make a network that answers nothing look fast); a rejected or cancelled one without acceptance is
    left out (it has its own rule, R8)."""
    start, end = window.start(PERIOD_DAYS), window.end
    organisations = Network.organisations.through.objects.filter(network=network).values("organisation_id")
    rows = (
        Referral.objects.filter(requested_at__gte=start, requested_at__lt=end)
        .filter(Q(from_organisation__in=organisations) | Q(to_organisation__in=organisations))
        .values_list("requested_at", "accepted_at", "started_at", "rejected_at", "cancelled_at")
    )
    days = []
    for requested, accepted, started, rejected, cancelled in rows:
        answered = [moment for moment in (accepted, started) if moment is not None and moment < end]
        if answered:
            until = timezone.localtime(min(answered)).date()
        elif any(moment is not None and moment < end for moment in (rejected, cancelled)):
            continue
        else:
            until = window.as_of
        days.append(working_days_between(timezone.localtime(requested).date(), until))
    median = float(statistics.median(days)) if days else None
    gap = None if median is None or not norm else _clip((median - norm) / norm)
    return _shown("P4", median, len(days), norm, gap)


# What counts as an organisation acting on a household (P5): a timeline entry (a note, a document, a change to the
# plan), a message in its conversations, or a step of a referral: (model, its household, its time).
ACTING = (
    (Entry, "household", "created_at"),
    (Message, "household", "created_at"),
    (ReferralStatusChange, "referral__household", "changed_at"),
)


def p5_ghost_partners(households, window: Window) -> Indicator:
    start, end = window.start(PERIOD_DAYS), window.end
    acted = reduce(
        operator.or_,
        (
            Exists(
                model.objects.filter(
                    **{household: OuterRef("household_id"), f"{moment}__gte": start, f"{moment}__lt": end},
                    organisation=OuterRef("organisation_id"),
                )
            )
            for model, household, moment in ACTING
        ),
    )
    places = (
        _on_team(window)
        .filter(household__in=_with_partners(households, window), organisation__isnull=False)
        .values_list("household_id", "organisation_id")
        .annotate(acted=acted)
        .distinct()
    )
    acting: dict[tuple[int, int], bool] = {}
    for household_id, organisation_id, did in places:
        acting[(household_id, organisation_id)] = acting.get((household_id, organisation_id), False) or did
    n = len(acting)
    share = 1.0 - sum(acting.values()) / n if n else None
    return _shown("P5", share, n, 0.0, None if share is None else _clip(share))


def _documents_and_dialogue(network: Network, households, window: Window) -> tuple[int, int]:
    start, end = window.start(PERIOD_DAYS), window.end
    documents = Entry.objects.filter(
        household__in=households, kind=EntryKind.DOCUMENT, created_at__gte=start, created_at__lt=end
    ).count()
    threads = (
        Message.objects.filter(
            household__in=households, organisation__isnull=False, created_at__gte=start, created_at__lt=end
        )
        .values("thread_id")
        .annotate(organisations=Count("organisation_id", distinct=True))
        .filter(organisations__gte=2)
        .count()
    )
    meetings = (
        MeetingParticipant.objects.filter(
            meeting__household__in=households,
            meeting__status=MeetingStatus.HELD,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
            team_member__organisation__isnull=False,
        )
        .values("meeting_id")
        .annotate(organisations=Count("team_member__organisation_id", distinct=True))
        .filter(organisations__gte=2)
        .count()
    )
    learning = LearningEntry.objects.filter(
        network=network, happened_on__gte=window.start_day(PERIOD_DAYS), happened_on__lte=window.as_of
    ).count()
    return documents, threads + meetings + learning


def _ratio(documents: int, dialogue: int) -> float:
    """Documents per joint conversation; with no conversation at all, every document counts (as if one)."""
    return documents / max(dialogue, 1)


def p6_documents_per_conversation(network: Network, window: Window) -> Indicator:
    """Documents ÷ (joint conversations + learning entries), against the same ratio in the network's first three
    months: the baseline counts as a gap of 0.5, twice its ratio or more as 1, no documents as 0. A baseline of no
    documents at all makes any document now a gap of 1."""
    documents, dialogue = _documents_and_dialogue(network, network_households(network, window), window)
    ratio = _ratio(documents, dialogue)
    first_day = timezone.localtime(network.created_at).date()
    baseline_day = first_day + datetime.timedelta(days=BASELINE_DAYS - 1)
    if window.as_of <= baseline_day:
        baseline = ratio
    else:
        start = Window(baseline_day)
        baseline = _ratio(*_documents_and_dialogue(network, network_households(network, start), start))
    gap = _clip(0.5 * ratio / baseline) if baseline else (1.0 if ratio else 0.5)
    return _shown("P6", ratio, documents + dialogue, None, gap, baseline=baseline)


def p7_recorded_deviations(households, window: Window) -> Indicator:
    start, end = window.start(PERIOD_DAYS), window.end
    moved = Exists(
        Action.objects.filter(
            goal__plan__household=OuterRef("pk"), replanned_at__gte=start, replanned_at__lt=end
        ).exclude(replanned_reason="")
    )
    counted = Household.objects.filter(pk__in=households).aggregate(n=Count("pk"), kept=Count("pk", filter=Q(moved)))
    n = counted["n"]
    return _shown("P7", counted["kept"] / n if n else None, n, None, None)


def p8_perceived_fit(favourable: float | None, n: int) -> Indicator:
    """Item 9's favourable share in the latest closed round (already hidden there when fewer than k answered)."""
    return _shown("P8", favourable, n, P8_TARGET, None if favourable is None else _clip(1.0 - favourable))


def paper_practice(
    network: Network,
    as_of: datetime.date,
    *,
    p2_target: float,
    p4_norm: float,
    paper_favourable: float | None,
    paper_n: int,
) -> PaperPractice:
    window = Window(as_of)
    households = network_households(network, window)
    indicators = [
        p1_one_plan(households, window),
        p2_actions_by_date(households, window, p2_target),
        p3_coordinator_contact(households, window),
        p4_referral_latency(network, window, p4_norm),
        p5_ghost_partners(households, window),
        p6_documents_per_conversation(network, window),
        p7_recorded_deviations(households, window),
        p8_perceived_fit(paper_favourable, paper_n),
    ]
    return PaperPractice(as_of=as_of, indicators={indicator.code: indicator for indicator in indicators})


def for_network(network: Network, as_of: datetime.date, *, pulse_round: PulseRound | None = None) -> PaperPractice:
    """The network's paper and practice on ``as_of``, with its own targets, and P8 from ``pulse_round`` (by default
    the latest round closed by then)."""
    settings = PulseSettings.objects.filter(network=network).first()
    t = prompts.thresholds_for(settings.thresholds if settings else None)
    if pulse_round is None:
        pulse_round = (
            PulseRound.objects.filter(network=network, status=RoundStatus.CLOSED, opens_on__lte=as_of)
            .order_by("-number")
            .first()
        )
    paper = selectors.item_figure(pulse_round, "paper") if pulse_round is not None else None
    return paper_practice(
        network,
        as_of,
        p2_target=t["p2_target"],
        p4_norm=t["p4_norm_days"],
        paper_favourable=paper.summary.favourable if paper is not None and paper.summary else None,
        paper_n=paper.n if paper is not None else 0,
    )


def history(network: Network) -> list[tuple[PulseRound, PaperPractice]]:
    """What the closed rounds stored, oldest first (the last 26)."""
    rounds = PulseRound.objects.filter(network=network, status=RoundStatus.CLOSED).order_by("-number")[:26]
    stored = [(pulse_round, PaperPractice.from_json(pulse_round.practice)) for pulse_round in rounds]
    return [(pulse_round, figures) for pulse_round, figures in reversed(stored) if figures is not None]
