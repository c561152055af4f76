"""Who may read and record self-assessments (rules for ``samen.core.policy``).

Consent is decided in ``samen.consent.policies`` (``categories_visible_to``) and writing in
``samen.dossier.policies.writable_categories``; these rules only narrow it down:

- ``assessments.view`` on ``(household, visible)``: whoever may see at least one category an assessment page
  shows (a ZRM domain's category, or general for the spinnenweb). Each ZRM domain is shown only with its
  category (``domains.DOMAIN_CATEGORY``), and each spinnenweb theme with its own (``domains.THEME_CATEGORY``:
  "My body" needs health, "How I feel" mental health, the rest general; no theme without general).
- ``assessments.record_zrm`` on the household: a professional or coordinator of the team whose organisation
  has consent to write general information; they record the domains of the categories they may write.
- ``assessments.record_spinnenweb`` on ``(household, member)``: the member themselves (or, for a member without
  an account, another member of the household), an active representative of that member with general in the
  scope, or a professional or coordinator of the team who may write general information (filling it in with
  the resident). Everybody else - informal network, supporter, break-the-glass, other roles - nothing.
  They fill in only the themes of the categories they may write (``spinnenweb_writers``): "My body"
  needs health, "How I feel" mental health. So a professional whose organisation has consent for general only,
  or a child of the household (under 16: general and youth), fills in the four general themes.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from samen.assessments.domains import ASSESSMENT_CATEGORIES, DOMAIN_CATEGORY, SpinnenwebTheme, ZrmDomain, themes_in
from samen.consent.models import ALL_CATEGORIES, DataCategory
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    HouseholdAccess,
    active_representation_q,
    categories_visible_to,
    writable_categories,
)
from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.households.models import Household, HouseholdMember, Representative


def shown_categories(visible) -> list[DataCategory]:
    """The categories an assessment page shows for someone who may see ``visible``, in ``DataCategory`` order."""
    return [category for category in DataCategory if category in visible and category in ASSESSMENT_CATEGORIES]


def zrm_domains_writable(
    actor: Actor,
    household: Household | None,
    *,
    now: datetime.datetime | None = None,
    access: HouseholdAccess | None = None,
) -> list[ZrmDomain]:
    """The ZRM domains ``actor`` may record in ``household`` (none unless they may record a ZRM at all; no query
    with ``access``, the household's ``household_access`` of this request)."""
    if household is None or actor.role not in PROFESSIONAL_ROLES:
        return []
    writable = writable_categories(actor, household, now=now, access=access)
    if DataCategory.GENERAL not in writable:
        return []
    return [domain for domain in ZrmDomain if DOMAIN_CATEGORY[domain] in writable]


def _spinnenweb_categories(
    actor: Actor,
    household: Household | None,
    *,
    now: datetime.datetime | None = None,
    access: HouseholdAccess | None = None,
) -> list[tuple[HouseholdMember, frozenset[DataCategory]]]:
    """Per member of ``household`` whose spinnenweb ``actor`` may fill in: the categories they may write in it."""
    if household is None or actor.user_id is None or not actor.is_authenticated:
        return []
    if actor.role not in PROFESSIONAL_ROLES and actor.role != Role.CITIZEN:
        return []
    now = now or timezone.now()
    writable = writable_categories(actor, household, now=now, access=access)
    if DataCategory.GENERAL not in writable:
        return []
    members = list(HouseholdMember.objects.filter(household_id=household.pk).order_by("date_of_birth", "pk"))
    if actor.role in PROFESSIONAL_ROLES:
        return [(member, writable) for member in members]
    is_member = any(member.user_id == actor.user_id for member in members)
    # A representative writes within the scope of their representation of that member (empty: every category).
    scopes: dict[int, frozenset[DataCategory]] = {}
    for member_id, scope in Representative.objects.filter(
        active_representation_q(now), user_id=actor.user_id, member__household_id=household.pk
    ).values_list("member_id", "scope"):
        in_scope = frozenset(DataCategory(v) for v in scope if v in DataCategory.values) if scope else ALL_CATEGORIES
        scopes[member_id] = scopes.get(member_id, frozenset()) | in_scope
    writers = []
    for member in members:
        categories = writable & scopes.get(member.pk, frozenset())
        if is_member and (member.user_id == actor.user_id or member.user_id is None):
            categories |= writable  # a member (a child: general and youth only) for themselves or one without login
        if DataCategory.GENERAL in categories:
            writers.append((member, categories))
    return writers


def spinnenweb_writers(
    actor: Actor,
    household: Household | None,
    *,
    now: datetime.datetime | None = None,
    access: HouseholdAccess | None = None,
) -> list[tuple[HouseholdMember, list[SpinnenwebTheme]]]:
    """The members of ``household`` for whom ``actor`` may fill in a spinnenweb, oldest first, each with the themes
    they may fill in on it, in the spinnenweb's order: the themes of the categories they may write
    (``writable_categories``; a representative within the scope of that member's representation). "My body" needs
    health, "How I feel" mental health: the household's adult members write all six; a child (under 16), or a
    professional whose organisation has consent for general only, the four general themes. At most five queries;
    two fewer with ``access``, the household's ``household_access`` of this request."""
    return [
        (member, themes_in(categories))
        for member, categories in _spinnenweb_categories(actor, household, now=now, access=access)
    ]


def spinnenweb_members(
    actor: Actor,
    household: Household | None,
    *,
    now: datetime.datetime | None = None,
    access: HouseholdAccess | None = None,
) -> list[HouseholdMember]:
    """The members of ``household`` for whom ``actor`` may fill in a spinnenweb (``spinnenweb_writers``)."""
    return [member for member, _categories in _spinnenweb_categories(actor, household, now=now, access=access)]


def spinnenweb_themes_writable(
    actor: Actor, household: Household | None, member: HouseholdMember, *, now: datetime.datetime | None = None
) -> list[SpinnenwebTheme]:
    """The themes ``actor`` may fill in on the spinnenweb of ``member`` (none when they may not fill it in)."""
    return next(
        (themes for candidate, themes in spinnenweb_writers(actor, household, now=now) if candidate.pk == member.pk), []
    )


@rule("assessments.view")
def view(actor: Actor, obj: Household | tuple[Household, frozenset[DataCategory]] | None) -> bool:
    """The self-assessment page: ``obj`` is the household, or ``(household, visible categories)``."""
    household, visible = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(household, Household) or actor.user_id is None or not actor.is_authenticated:
        return False
    if visible is None:
        visible = categories_visible_to(actor, household)
    return bool(shown_categories(visible))


@rule("assessments.record_zrm")
def record_zrm(actor: Actor, household: Household | None) -> bool:
    return isinstance(household, Household) and bool(zrm_domains_writable(actor, household))


@rule("assessments.record_spinnenweb")
def record_spinnenweb(actor: Actor, obj: tuple[Household, HouseholdMember] | None) -> bool:
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    household, member = obj
    if not isinstance(household, Household) or not isinstance(member, HouseholdMember):
        return False
    return any(candidate.pk == member.pk for candidate in spinnenweb_members(actor, household))
