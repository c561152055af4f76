"""Reads for the self-assessment page: a fixed number of queries, whatever the number of assessments.

Selectors do not decide access and do not write the access log: the view asks the policy first
(``household_for``, ``categories_visible_to``) and passes the domains the reader may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from samen.assessments.domains import SpinnenwebTheme, ZrmDomain
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.households.models import Household, HouseholdMember

# How many moments per member the page shows (the trend); the radar overlays the newest three of them.
MOMENTS_PER_MEMBER = 12


@dataclass
class ZrmMoment:
    id: int
    assessed_on: object
    instrument_version: str
    organisation: str
    scores: dict[str, int] = field(default_factory=dict)  # domain code -> score, only the domains asked for


@dataclass(frozen=True)
class SpinnenwebMoment:
    id: int
    filled_on: object
    scores: dict[str, int]


def members(household: Household) -> list[HouseholdMember]:
    """The members, oldest first (one query; the BSN is never loaded)."""
    return list(
        HouseholdMember.objects.filter(household=household)
        .only("id", "household_id", "given_name", "family_name", "date_of_birth", "user_id")
        .order_by("date_of_birth", "pk")
    )


def zrm_moments(
    household: Household, domains: Iterable[ZrmDomain], *, per_member: int = MOMENTS_PER_MEMBER
) -> dict[int, list[ZrmMoment]]:
    """Per member id: their newest ``per_member`` ZRM assessments, oldest first, with the scores of ``domains``
    (two queries, none without domains)."""
    codes = [ZrmDomain(domain).value for domain in domains]
    if not codes:
        return {}
    ranked = (
        ZrmAssessment.objects.filter(household=household)
        .select_related("organisation")
        .only("id", "member_id", "assessed_on", "instrument_version", "organisation__name")
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("member_id")], order_by=[F("assessed_on").desc(), F("pk").desc()]
            )
        )
        .filter(position__lte=per_member)
        .order_by("member_id", "assessed_on", "pk")
    )
    by_id: dict[int, ZrmMoment] = {}
    result: dict[int, list[ZrmMoment]] = defaultdict(list)
    for assessment in ranked:
        moment = ZrmMoment(
            id=assessment.pk,
            assessed_on=assessment.assessed_on,
            instrument_version=assessment.instrument_version,
            organisation=assessment.organisation.name if assessment.organisation_id else "",
        )
        by_id[assessment.pk] = moment
        result[assessment.member_id].append(moment)
    if by_id:
        scores = ZrmScore.objects.filter(assessment_id__in=list(by_id), domain__in=codes).values_list(
            "assessment_id", "domain", "score"
        )
        for assessment_id, domain, score in scores:
            by_id[assessment_id].scores[domain] = score
    return dict(result)


def spinnenweb_moments(
    household: Household, themes: Iterable[SpinnenwebTheme] | None = None, *, per_member: int = MOMENTS_PER_MEMBER
) -> dict[int, list[SpinnenwebMoment]]:
    """Per member id: their newest ``per_member`` spinnenwebs, oldest first, with the scores of ``themes`` only
    (all six when not given; one query, none for no themes)."""
    themes = [SpinnenwebTheme(theme).value for theme in (SpinnenwebTheme if themes is None else themes)]
    if not themes:
        return {}
    ranked = (
        Spinnenweb.objects.filter(household=household)
        .only("id", "member_id", "filled_on", *themes)
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("member_id")], order_by=[F("filled_on").desc(), F("pk").desc()]
            )
        )
        .filter(position__lte=per_member)
        .order_by("member_id", "filled_on", "pk")
    )
    result: dict[int, list[SpinnenwebMoment]] = defaultdict(list)
    for row in ranked:
        result[row.member_id].append(
            SpinnenwebMoment(
                id=row.pk, filled_on=row.filled_on, scores={theme: getattr(row, theme) for theme in themes}
            )
        )
    return dict(result)
