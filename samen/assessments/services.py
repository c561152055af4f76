"""Recording self-assessments. ``zrm_record`` and ``spinnenweb_record`` are the only writers: they validate,
check the policy and write the audit entry in the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.assessments.domains import (
    CURRENT_INSTRUMENT,
    DOMAIN_CATEGORY,
    INSTRUMENTS,
    SPINNENWEB_MAX,
    SPINNENWEB_MIN,
    THEME_CATEGORY,
    ZRM_MAX,
    ZRM_MIN,
    SpinnenwebTheme,
    ZrmDomain,
)
from samen.assessments.models import Spinnenweb, ZrmAssessment, ZrmScore
from samen.assessments.policies import spinnenweb_themes_writable, zrm_domains_writable
from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.transactions import atomic_service
from samen.households.models import Household, HouseholdMember


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 3:
        return int(value.strip())
    return None


def clean_date(value: Any, field: str) -> datetime.date:
    """A date that is not in the future (Amsterdam time)."""
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError({field: _("Enter a valid date.")}, code="invalid_date")
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future_date")
    return value


def _clean_member(household: Household, member: Any) -> HouseholdMember:
    if not isinstance(member, HouseholdMember) or member.household_id != household.pk:
        raise ValidationError({"member": _("Choose a member of this household.")}, code="other_household")
    return member


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def clean_zrm_scores(scores: Any, domains: list[ZrmDomain]) -> dict[ZrmDomain, int]:
    """One whole number 1-5 for each of ``domains``, and nothing else; or every problem at once."""
    scores = scores if isinstance(scores, dict) else {}
    errors: dict[str, list[str]] = {}
    cleaned: dict[ZrmDomain, int] = {}
    allowed = {domain.value for domain in domains}
    for key in scores:
        if str(key) not in allowed:
            errors.setdefault("scores", []).append(
                _("You cannot record a score for %(domain)s.") % {"domain": str(key)[:40]}
            )
    for domain in domains:
        raw = scores.get(domain.value, scores.get(domain))
        if raw in (None, ""):
            errors[domain.value] = [_("Choose a score for %(domain)s.") % {"domain": domain.label}]
            continue
        number = _whole_number(raw)
        if number is None or not ZRM_MIN <= number <= ZRM_MAX:
            errors[domain.value] = [
                _("The score for %(domain)s must be a whole number from 1 to 5.") % {"domain": domain.label}
            ]
            continue
        cleaned[domain] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


@atomic_service
def zrm_record(
    *,
    actor: Actor,
    member: HouseholdMember,
    household: Household | None = None,
    assessed_on: datetime.date,
    scores: dict,
    instrument_version: str = CURRENT_INSTRUMENT,
) -> ZrmAssessment:
    """Record a ZRM of ``member`` (of ``household``, when given): a score 1-5 for every domain of
    ``instrument_version`` that the actor may write (``policies.zrm_domains_writable``). ``ValidationError`` for
    bad input, ``PermissionDenied`` when the actor may not record a ZRM for this household."""
    if not isinstance(member, HouseholdMember):
        raise ValidationError({"member": _("Choose a member of this household.")}, code="no_member")
    if household is not None:  # the household the form was for: a member of another one is refused
        _clean_member(household, member)
    household = member.household
    require(actor, "assessments.record_zrm", household)
    if instrument_version not in INSTRUMENTS:
        raise ValidationError({"instrument_version": _("This version of the ZRM is not supported.")})
    assessed_on = clean_date(assessed_on, "assessed_on")
    writable = set(zrm_domains_writable(actor, household))
    domains = [domain for domain in INSTRUMENTS[instrument_version] if domain in writable]
    if not domains:
        raise PermissionDenied
    cleaned = clean_zrm_scores(scores, domains)
    assessment = ZrmAssessment.objects.create(
        household=household,
        member=member,
        instrument_version=instrument_version,
        assessed_on=assessed_on,
        recorded_by=actor.user,
        organisation=actor.organisation,
    )
    ZrmScore.objects.bulk_create(
        ZrmScore(assessment=assessment, domain=domain.value, score=score) for domain, score in cleaned.items()
    )
    categories = [category for category in DataCategory if category in {DOMAIN_CATEGORY[d] for d in cleaned}]
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        household_id=household.pk,
        person_id=member.pk,
        data_category=audit.categories_value(category.value for category in categories),
        purpose=_purpose(actor),
        description="ZRM recorded",
        changes={"instrument_version": instrument_version, "domains": len(cleaned)},
    )
    return assessment


def _theme(key: Any) -> SpinnenwebTheme | None:
    try:
        return SpinnenwebTheme(str(key))
    except ValueError:
        return None


def clean_spinnenweb_scores(scores: Any, themes: list[SpinnenwebTheme]) -> dict[SpinnenwebTheme, int]:
    """One whole number 0-10 for each of ``themes`` (the ones the actor may write), and nothing for another theme;
    or every problem at once. An empty value for a theme the actor may not write is the same as none."""
    if not isinstance(scores, dict):
        raise ValidationError({"scores": [_("Send the numbers of the spinnenweb as a list of themes.")]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[SpinnenwebTheme, int] = {}
    for key, raw in scores.items():
        theme = _theme(key)
        if theme is None:
            errors.setdefault("scores", []).append(
                _("%(theme)s is not a theme of the spinnenweb.") % {"theme": str(key)[:40]}
            )
        elif theme not in themes and raw not in (None, ""):
            errors[theme.value] = [
                _("You cannot fill in “%(theme)s”: it is about %(category)s, and you have no permission for that.")
                % {"theme": theme.label, "category": THEME_CATEGORY[theme].label}
            ]
    for theme in themes:
        raw = scores.get(theme.value, scores.get(theme))
        if raw in (None, ""):
            errors[theme.value] = [_("Choose a number for “%(theme)s”.") % {"theme": theme.label}]
            continue
        number = _whole_number(raw)
        if number is None or not SPINNENWEB_MIN <= number <= SPINNENWEB_MAX:
            errors[theme.value] = [
                _("The number for “%(theme)s” must be a whole number from 0 to 10.") % {"theme": theme.label}
            ]
            continue
        cleaned[theme] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


@atomic_service
def spinnenweb_record(
    *,
    actor: Actor,
    member: HouseholdMember,
    filled_on: datetime.date,
    scores: dict,
    household: Household | None = None,
) -> Spinnenweb:
    """Record a spinnenweb of ``member``: a number 0-10 for each theme the actor may fill in
    (``policies.spinnenweb_writers``: "My body" needs health, "How I feel" mental health, the other four
    general); a theme they may not fill in stays empty, and a number sent for it is refused. ``ValidationError``
    for bad input, ``PermissionDenied`` when the actor may not fill it in for this member."""
    if not isinstance(member, HouseholdMember):
        raise ValidationError({"member": _("Choose a member of this household.")}, code="no_member")
    if household is not None:  # the household the form was for: a member of another one is refused
        _clean_member(household, member)
    household = member.household
    require(actor, "assessments.record_spinnenweb", (household, member))
    themes = spinnenweb_themes_writable(actor, household, member)
    if not themes:
        raise PermissionDenied
    filled_on = clean_date(filled_on, "filled_on")
    cleaned = clean_spinnenweb_scores(scores, themes)
    spinnenweb = Spinnenweb.objects.create(
        household=household,
        member=member,
        category=DataCategory.GENERAL,
        filled_on=filled_on,
        filled_by=actor.user,
        organisation=actor.organisation if actor.role != Role.CITIZEN else None,
        **{theme.value: value for theme, value in cleaned.items()},
    )
    # What was written: the categories of the themes filled in, and which themes (never the numbers).
    written = [theme for theme in SpinnenwebTheme if theme in cleaned]
    categories = {THEME_CATEGORY[theme] for theme in written}
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=spinnenweb,
        household_id=household.pk,
        person_id=member.pk,
        data_category=audit.categories_value(category.value for category in DataCategory if category in categories),
        purpose=_purpose(actor),
        description="spinnenweb recorded",
        changes={"themes": [theme.value for theme in written]},
    )
    return spinnenweb


def check_member_of(household: Household, member: Any) -> HouseholdMember:
    """``member`` if it belongs to ``household`` (for views that pick a member from a form)."""
    return _clean_member(household, member)
