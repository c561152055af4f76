"""A year of self-assessments for the demo municipality, telling a story: debts improving after debt counselling.

``add_demo_assessments`` is called by the demo loader after the households and teams exist. The showcase
household (the lowest id) gets a ZRM every quarter and a spinnenweb every month; a few other households with a
professional in their team get two ZRMs and three spinnenwebs. Deterministic for a seed and a ``now``; every
row is written with ``bulk_create`` (a fixed number of queries). Only scores and domain codes, never the GGD
criteria texts.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import F
from django.utils import timezone

from samen.assessments.domains import CURRENT_INSTRUMENT, SpinnenwebTheme, ZrmDomain
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.households.models import HouseholdMember, TeamMember, TeamRole

OTHER_HOUSEHOLDS = 8
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
# The showcase's spinnenweb a year ago and now (0-10); the months in between move towards "now" with small
# ups and downs.
SHOWCASE_WEB_START = {"body": 6, "feelings": 3, "meaning": 5, "life": 3, "taking_part": 4, "day": 4}
SHOWCASE_WEB_END = {"body": 7, "feelings": 7, "meaning": 7, "life": 7, "taking_part": 6, "day": 7}


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def add_demo_assessments(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Write the demo's ZRMs and spinnenwebs; returns how many assessments (ZRMs plus spinnenwebs) it wrote."""
    if not household_ids:
        return 0
    today = timezone.localdate(now)
    showcase = min(household_ids)
    rng = random.Random(seed * 7919 + 17)
    # Households with an active professional in the team: the showcase and a few others, lowest ids first.
    places = (
        TeamMember.objects.filter(household_id__in=household_ids, role=TeamRole.PROFESSIONAL, left_at__isnull=True)
        .order_by("household_id", "-is_coordinator", "pk")
        .values_list("household_id", "user_id", "organisation_id")
    )
    recorder: dict[int, tuple[int, int | None]] = {}
    for household_id, user_id, organisation_id in places:
        recorder.setdefault(household_id, (user_id, organisation_id))
    chosen = [showcase] + [h for h in sorted(recorder) if h != showcase][:OTHER_HOUSEHOLDS]
    members: dict[int, tuple[int, int | None]] = {}
    for member_id, household_id, user_id in (
        HouseholdMember.objects.filter(household_id__in=chosen)
        .order_by("household_id", F("user_id").desc(nulls_last=True), "date_of_birth", "pk")
        .values_list("id", "household_id", "user_id")
    ):
        members.setdefault(household_id, (member_id, user_id))  # the member with an account, else the oldest

    assessments: list[ZrmAssessment] = []
    planned_scores: list[dict[ZrmDomain, int]] = []
    webs: list[Spinnenweb] = []
    for household_id in chosen:
        if household_id not in members:
            continue
        member_id, member_user_id = members[household_id]
        staff = recorder.get(household_id)
        filler = member_user_id or (staff[0] if staff else None)
        if household_id == showcase:
            zrm_days = [360, 270, 180, 90, 3]
            zrm_scores = [{domain: values[index] for domain, values in SHOWCASE_ZRM.items()} for index in range(5)]
            web_days = [365 - 30 * month for month in range(12)] + [2]
            web_scores = []
            for index in range(len(web_days)):
                share = index / (len(web_days) - 1)
                web_scores.append(
                    {
                        theme: _clamp(
                            round(start + (SHOWCASE_WEB_END[theme] - start) * share)
                            + (rng.choice((-1, 0, 0, 1)) if 0 < index < len(web_days) - 1 else 0),
                            0,
                            10,
                        )
                        for theme, start in SHOWCASE_WEB_START.items()
                    }
                )
        else:
            zrm_days = [200 + rng.randrange(30), 20 + rng.randrange(60)]
            first = {domain: rng.choice((2, 3, 3, 4, 5)) for domain in ZrmDomain}
            zrm_scores = [first, {d: _clamp(v + rng.choice((0, 0, 1)), 1, 5) for d, v in first.items()}]
            web_days = [240 + rng.randrange(20), 120 + rng.randrange(20), 10 + rng.randrange(20)]
            base = {theme.value: rng.randrange(3, 8) for theme in SpinnenwebTheme}
            web_scores = [{t: _clamp(v + step, 0, 10) for t, v in base.items()} for step in (0, 1, rng.choice((1, 2)))]
        if staff is not None:
            for days, scores in zip(zrm_days, zrm_scores, strict=True):
                assessments.append(
                    ZrmAssessment(
                        household_id=household_id,
                        member_id=member_id,
                        instrument_version=CURRENT_INSTRUMENT,
                        assessed_on=today - datetime.timedelta(days=days),
                        recorded_by_id=staff[0],
                        organisation_id=staff[1],
                        created_at=now - datetime.timedelta(days=days),
                    )
                )
                planned_scores.append(scores)
        if filler is not None:
            for days, scores in zip(web_days, web_scores, strict=True):
                webs.append(
                    Spinnenweb(
                        household_id=household_id,
                        member_id=member_id,
                        filled_on=today - datetime.timedelta(days=days),
                        filled_by_id=filler,
                        organisation_id=None if filler == member_user_id else staff[1],
                        created_at=now - datetime.timedelta(days=days),
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
