"""Self-assessments for the demo municipality, over up to a year, telling a story per household.

``add_demo_assessments`` is called by the demo loader after the households, teams and plans exist. Every household
of ``household_ids`` with a professional in its team gets a ZRM every quarter and a spinnenweb every month or every
two months, from when its team started (at most a year ago) up to the last few weeks, so its charts show a trend:
most households improve in the life domains of their plan's goals, some stay about the same, a few get worse.

- The showcase household (the lowest id) tells its own story: debts improving after debt counselling (a ZRM
  every quarter with all thirteen domains, a spinnenweb every month).
- A ZRM is recorded by a professional who was in the team that day (the one whose organisation then had consent
  for the most categories; the coordinator first), with scores only in the domains whose category that
  organisation had consent for that day, as ``samen.assessments.services.zrm_record`` allows.
- A spinnenweb is filled in by the member with an account, else by that professional with the household (then
  "My body" and "How I feel" only when the organisation had consent for health or mental health that day).

Deterministic for a seed, the data and a ``now``: a ``random.Random`` per household. A fixed number of queries
(reads with ``__in``, rows with ``bulk_create``), whatever the number of households. Households that already have
a ZRM or a spinnenweb are left alone, so a second run adds nothing. Only scores and domain codes, never the GGD
criteria texts.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from samen.assessments.domains import (
    CURRENT_INSTRUMENT,
    DOMAIN_CATEGORY,
    SPINNENWEB_MAX,
    SPINNENWEB_MIN,
    THEME_CATEGORY,
    ZRM_MAX,
    ZRM_MIN,
    SpinnenwebTheme,
    ZrmDomain,
)
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.consent.models import ConsentGrant, DataCategory
from samen.households.models import HouseholdMember, TeamMember, TeamRole
from samen.plans.models import Goal

D = ZrmDomain

# The showcase's ZRM, one column per quarter (a year ago ... now). Debt counselling starts after the second
# moment: finances climb from acute to sufficient, and stress (mental health) and the social network follow.
SHOWCASE_ZRM: dict[ZrmDomain, tuple[int, ...]] = {
    D.FINANCES: (1, 1, 2, 3, 4),
    D.WORK_EDUCATION: (2, 2, 2, 3, 3),
    D.TIME_USE: (3, 3, 3, 3, 4),
    D.HOUSING: (2, 2, 3, 4, 4),
    D.DOMESTIC_RELATIONS: (3, 3, 3, 3, 4),
    D.MENTAL_HEALTH: (2, 2, 2, 3, 3),
    D.PHYSICAL_HEALTH: (4, 4, 4, 4, 4),
    D.SUBSTANCE_USE: (5, 5, 5, 5, 5),
    D.BASIC_ADL: (5, 5, 5, 5, 5),
    D.INSTRUMENTAL_ADL: (3, 3, 4, 4, 4),
    D.SOCIAL_NETWORK: (2, 3, 3, 3, 4),
    D.PARTICIPATION: (2, 2, 3, 3, 3),
    D.JUSTICE: (5, 5, 5, 5, 5),
}
SHOWCASE_ZRM_DAYS = (360, 270, 180, 90, 3)
# The showcase's spinnenweb a year ago and now (0-10); the months in between move towards "now" with small
# ups and downs.
SHOWCASE_WEB_START = {"body": 6, "feelings": 3, "meaning": 5, "life": 3, "taking_part": 4, "day": 4}
SHOWCASE_WEB_END = {"body": 7, "feelings": 7, "meaning": 7, "life": 7, "taking_part": 6, "day": 7}

# How a household's year goes, and how often (weights).
IMPROVES, STAYS, WORSENS = "improves", "stays", "worsens"
TRENDS = ((IMPROVES, 55), (STAYS, 30), (WORSENS, 15))
YEAR_DAYS = 360
QUARTER_DAYS = 91
WEB_INTERVALS = (30, 61)  # a spinnenweb every month, or every two months
# Domains the plan's goals are about, else a few that often are.
LIKELY_DOMAINS = (D.FINANCES, D.HOUSING, D.SOCIAL_NETWORK, D.WORK_EDUCATION, D.TIME_USE, D.MENTAL_HEALTH)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _between(start: int, end: int, share: float) -> int:
    return round(start + (end - start) * share)


@dataclass
class _Place:
    user_id: int
    organisation_id: int
    is_coordinator: bool
    joined_at: datetime.datetime
    left_at: datetime.datetime | None


@dataclass
class _Household:
    member_id: int
    member_user_id: int | None
    places: list[_Place] = field(default_factory=list)
    grants: dict[int, list[tuple[str, datetime.datetime, datetime.datetime | None]]] = field(default_factory=dict)
    goal_domains: list[str] = field(default_factory=list)

    def categories(self, organisation_id: int, moment: datetime.datetime) -> set[str]:
        """The categories ``organisation_id`` had consent for at ``moment``."""
        return {
            category
            for category, start, end in self.grants.get(organisation_id, ())
            if start <= moment and (end is None or moment < end)
        }

    def recorder(self, moment: datetime.datetime) -> tuple[_Place, set[str]] | None:
        """The professional who records on ``moment``: in the team then, with consent for general; the one whose
        organisation may see the most, the coordinator first, then who joined first."""
        best = None
        for place in self.places:
            if not (place.joined_at <= moment and (place.left_at is None or moment < place.left_at)):
                continue
            categories = self.categories(place.organisation_id, moment)
            if DataCategory.GENERAL not in categories:
                continue
            rank = (len(categories), place.is_coordinator)
            if best is None or rank > best[0]:
                best = (rank, place, categories)
        return (best[1], best[2]) if best is not None else None


def _load(ids: list[int]) -> dict[int, _Household]:
    """The households still without self-assessments that have a professional and a member (six queries)."""
    done = set(ZrmAssessment.objects.filter(household_id__in=ids).values_list("household_id", flat=True))
    done |= set(Spinnenweb.objects.filter(household_id__in=ids).values_list("household_id", flat=True))
    todo = [pk for pk in ids if pk not in done]
    if not todo:
        return {}
    households: dict[int, _Household] = {}
    for member_id, household_id, user_id in (
        HouseholdMember.objects.filter(household_id__in=todo)
        .order_by("household_id", F("user_id").desc(nulls_last=True), "date_of_birth", "pk")
        .values_list("id", "household_id", "user_id")
    ):
        if household_id not in households:  # the member with an account, else the oldest
            households[household_id] = _Household(member_id, user_id)
    for household_id, user_id, organisation_id, is_coordinator, joined, left in (
        TeamMember.objects.filter(
            household_id__in=list(households), role=TeamRole.PROFESSIONAL, organisation__isnull=False
        )
        .order_by("household_id", "joined_at", "pk")
        .values_list("household_id", "user_id", "organisation_id", "is_coordinator", "joined_at", "left_at")
    ):
        households[household_id].places.append(_Place(user_id, organisation_id, is_coordinator, joined, left))
    households = {pk: household for pk, household in households.items() if household.places}
    for household_id, organisation_id, category, valid_from, valid_until, revoked_at in (
        ConsentGrant.objects.filter(household_id__in=list(households), organisation__isnull=False)
        .order_by("household_id", "valid_from", "pk")
        .values_list("household_id", "organisation_id", "category", "valid_from", "valid_until", "revoked_at")
    ):
        ends = [end for end in (valid_until, revoked_at) if end is not None]
        grants = households[household_id].grants.setdefault(organisation_id, [])
        grants.append((category, valid_from, min(ends) if ends else None))
    for household_id, domain in (
        Goal.objects.filter(plan__household_id__in=list(households), plan__is_current=True)
        .order_by("plan__household_id", "created_at", "pk")
        .values_list("plan__household_id", "domain")
    ):
        domains = households[household_id].goal_domains
        if domain not in domains:
            domains.append(domain)
    return households


def add_demo_assessments(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Write the demo's ZRMs and spinnenwebs; returns how many assessments (ZRMs plus spinnenwebs) it wrote."""
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    showcase = ids[0]
    households = _load(ids)
    assessments: list[ZrmAssessment] = []
    planned_scores: list[dict[ZrmDomain, int]] = []
    webs: list[Spinnenweb] = []
    for household_id in ids:
        household = households.get(household_id)
        if household is None:
            continue
        if household_id == showcase:
            rng = random.Random(seed * 7919 + 17)
            zrms, spinnenwebs = _showcase(rng)
            all_domains = True
        else:
            rng = random.Random(f"samen-demo-assessments-{seed}-{household_id}")
            zrms, spinnenwebs = _story(household, rng, now)
            all_domains = False
        for days, scores in zrms:
            moment = now - datetime.timedelta(days=days)
            found = household.recorder(moment)
            if found is None:
                continue
            place, categories = found
            if not all_domains:  # only the domains its organisation may write in
                scores = {domain: score for domain, score in scores.items() if DOMAIN_CATEGORY[domain] in categories}
            assessments.append(
                ZrmAssessment(
                    household_id=household_id,
                    member_id=household.member_id,
                    instrument_version=CURRENT_INSTRUMENT,
                    assessed_on=timezone.localdate(moment),
                    recorded_by_id=place.user_id,
                    organisation_id=place.organisation_id,
                    created_at=moment,
                )
            )
            planned_scores.append(scores)
        for days, scores in spinnenwebs:
            moment = now - datetime.timedelta(days=days)
            if household.member_user_id is not None:
                filler, organisation = household.member_user_id, None
            else:
                found = household.recorder(moment)
                if found is None:
                    continue
                filler, organisation = found[0].user_id, found[0].organisation_id
                # "My body" and "How I feel" only with consent for health / mental health, as the service allows.
                scores = {theme: score for theme, score in scores.items() if THEME_CATEGORY[theme] in found[1]}
            webs.append(
                Spinnenweb(
                    household_id=household_id,
                    member_id=household.member_id,
                    filled_on=timezone.localdate(moment),
                    filled_by_id=filler,
                    organisation_id=organisation,
                    created_at=moment,
                    **scores,
                )
            )
    created = ZrmAssessment.objects.bulk_create(assessments)
    ZrmScore.objects.bulk_create(
        ZrmScore(assessment_id=assessment.pk, domain=domain.value, score=score)
        for assessment, scores in zip(created, planned_scores, strict=True)
        for domain, score in scores.items()
    )
    Spinnenweb.objects.bulk_create(webs)
    return len(created) + len(webs)


def _showcase(rng: random.Random) -> tuple[list, list]:
    """The showcase's ZRMs and spinnenwebs as (days ago, scores)."""
    zrms = [
        (days, {domain: values[index] for domain, values in SHOWCASE_ZRM.items()})
        for index, days in enumerate(SHOWCASE_ZRM_DAYS)
    ]
    web_days = [365 - 30 * month for month in range(12)] + [2]
    webs = []
    for index, days in enumerate(web_days):
        share = index / (len(web_days) - 1)
        webs.append(
            (
                days,
                {
                    theme: _clamp(
                        _between(start, SHOWCASE_WEB_END[theme], share)
                        + (rng.choice((-1, 0, 0, 1)) if 0 < index < len(web_days) - 1 else 0),
                        SPINNENWEB_MIN,
                        SPINNENWEB_MAX,
                    )
                    for theme, start in SHOWCASE_WEB_START.items()
                },
            )
        )
    return zrms, webs


def _story(household: _Household, rng: random.Random, now: datetime.datetime) -> tuple[list, list]:
    """A household's ZRMs and spinnenwebs as (days ago, scores), from when its team started (at most a year ago):
    a trend in the domains of its goals (better, about the same, or worse), small ups and downs elsewhere."""
    trend = rng.choices([name for name, _w in TRENDS], [weight for _n, weight in TRENDS])[0]
    team_days = (now - min(place.joined_at for place in household.places)).days
    span = min(YEAR_DAYS, team_days - rng.randint(2, 7))
    recent = rng.randint(3, 20)
    if span <= recent:
        return [], []
    focus = [ZrmDomain(domain) for domain in household.goal_domains] or rng.sample(LIKELY_DOMAINS, 2)

    zrm_days = list(range(span, recent, -QUARTER_DAYS)) + [recent]
    start: dict[ZrmDomain, int] = {}
    end: dict[ZrmDomain, int] = {}
    for domain in ZrmDomain:
        if domain in focus:
            start[domain] = rng.choice((1, 2, 2)) if trend != WORSENS else rng.choice((2, 3, 3))
            change = {IMPROVES: rng.randint(1, 3), STAYS: rng.choice((0, 0, 1)), WORSENS: -rng.randint(1, 2)}[trend]
        else:
            start[domain] = rng.choice((2, 3, 3, 4, 4, 5, 5))
            change = rng.choice((0, 0, 0, 1)) if trend == IMPROVES else rng.choice((0, 0, 0, 0, -1))
        end[domain] = _clamp(start[domain] + change, ZRM_MIN, ZRM_MAX)
    zrms = []
    for index, days in enumerate(zrm_days):
        share = index / (len(zrm_days) - 1)
        last = index == len(zrm_days) - 1
        zrms.append(
            (
                days,
                {
                    domain: _clamp(
                        _between(start[domain], end[domain], share)
                        + (0 if index == 0 or last or rng.random() > 0.1 else rng.choice((-1, 1))),
                        ZRM_MIN,
                        ZRM_MAX,
                    )
                    for domain in ZrmDomain
                },
            )
        )

    interval = rng.choice(WEB_INTERVALS)
    web_days = list(range(span - rng.randint(0, 5), recent, -interval)) + [max(1, recent - rng.randint(0, 2))]
    web_start = {theme.value: rng.randint(3, 7) for theme in SpinnenwebTheme}
    web_change = {
        theme.value: {IMPROVES: rng.randint(1, 4), STAYS: rng.choice((-1, 0, 0, 1)), WORSENS: -rng.randint(1, 3)}[trend]
        for theme in SpinnenwebTheme
    }
    webs = []
    for index, days in enumerate(web_days):
        share = index / (len(web_days) - 1) if len(web_days) > 1 else 1.0
        inner = 0 < index < len(web_days) - 1
        webs.append(
            (
                days,
                {
                    theme: _clamp(
                        _between(value, value + web_change[theme], share) + (rng.choice((-1, 0, 0, 1)) if inner else 0),
                        SPINNENWEB_MIN,
                        SPINNENWEB_MAX,
                    )
                    for theme, value in web_start.items()
                },
            )
        )
    return zrms, webs
