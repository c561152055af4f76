"""Who may see and do what with a household's meetings (rules for ``samen.core.policy``), built only on the gate in
``samen.consent.policies`` and the plan's rules.

- ``meetings.view`` on ``household`` or ``(household, visible)``: the meetings of a household, their participants,
  and the agenda and outcomes in the general category: whoever may see the household's general category (the
  household itself by default; the informal network with a grant for general; a professional whose organisation
  has consent for general). A break-the-glass access for another category alone does not see them.
- ``meetings.view_item`` on ``(household, category)`` or ``(household, category, visible)``: an agenda item or an
  outcome in ``category``: only for whoever may see that category as well.
- ``meetings.manage`` on ``household`` or ``(household, access)`` (``access``: the request's ``HouseholdAccess``):
  planning, changing, holding and cancelling a meeting and writing its outcomes: the household's team
  professionals (the coordinator among them) whose organisation has consent for general while they are in the
  team, and the household itself: a member, or a representative whose scope holds general. Not the informal
  network, not the independent supporter, not a break-the-glass access.
- ``meetings.apply`` on ``(household, category)``: turning an outcome into a change of the plan: whoever may write
  ``category`` in the plan (the rule ``plans.write``). Handing over the coordination also needs the rule
  ``households.hand_over`` (the active coordinator).
"""

from __future__ import annotations

from typing import Any

from samen.consent.models import DataCategory
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    HouseholdAccess,
    categories_visible_to,
    citizen_relation,
    consented_categories,
)
from samen.core.actor import Actor, Role
from samen.core.policy import can, rule
from samen.households.models import Household

GENERAL = DataCategory.GENERAL


def _category(value: Any) -> DataCategory | None:
    try:
        return DataCategory(value)
    except ValueError:
        return None


def _signed_in(actor: Actor) -> bool:
    return actor.user_id is not None and actor.is_authenticated


@rule("meetings.view")
def view(actor: Actor, obj: Household | tuple | None) -> bool:
    household, visible = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(household, Household) or not _signed_in(actor):
        return False
    if visible is None:
        visible = categories_visible_to(actor, household)
    return GENERAL in visible


@rule("meetings.view_item")
def view_item(actor: Actor, obj: tuple | None) -> bool:
    if not isinstance(obj, tuple) or len(obj) not in (2, 3):
        return False
    household, category = obj[0], _category(obj[1])
    if not isinstance(household, Household) or category is None or not _signed_in(actor):
        return False
    visible = obj[2] if len(obj) == 3 else categories_visible_to(actor, household)
    return GENERAL in visible and category in visible


@rule("meetings.manage")
def manage(actor: Actor, obj: Household | tuple | None) -> bool:
    household, access = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(household, Household) or not _signed_in(actor):
        return False
    if access is not None and (not isinstance(access, HouseholdAccess) or access.household.pk != household.pk):
        return False
    if actor.role == Role.CITIZEN:
        relation = access.citizen if access is not None else citizen_relation(actor, household)
        return relation.is_member or GENERAL in relation.represented_categories
    if actor.role in PROFESSIONAL_ROLES and actor.organisation_id is not None:
        consented = access.consented if access is not None else consented_categories(actor, household)
        return GENERAL in consented
    return False


@rule("meetings.apply")
def apply(actor: Actor, obj: tuple | None) -> bool:
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    household, category = obj[0], _category(obj[1])
    if not isinstance(household, Household) or category is None:
        return False
    return can(actor, "plans.write", (household, category))
