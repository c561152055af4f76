"""Who may see and write the household's plan (rules for ``samen.core.policy``).

Built only on ``samen.consent.policies`` (which categories the actor may see) and the dossier's notion of who
writes (``writable_categories``):

- ``plans.view`` on ``(household, visible)``: the plan page, for whoever may see the general category.
- ``plans.view_goal`` on ``(household, category, visible)``: a goal and its actions, for whoever may see the
  goal's category (another organisation without consent for it does not see the goal).
- ``plans.write`` on ``(household, category)``: writing a goal or action of ``category``, or the plan's general
  parts (question, agreements, evaluations, versions) with ``category`` general: the category must be in
  ``writable_categories`` (the household, a representative, the team's professionals with consent, the
  supporter). The informal network and a break-the-glass access read only.
- ``plans.agree`` on ``household``: agreeing with a version is for the household itself: a member, or a
  representative of a member.
"""

from __future__ import annotations

from typing import Any

from samen.consent.models import DataCategory
from samen.consent.policies import categories_visible_to, citizen_relation, writable_categories
from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.households.models import Household


def _category(value: Any) -> DataCategory | None:
    try:
        return DataCategory(value)
    except ValueError:
        return None


def _signed_in(actor: Actor) -> bool:
    return actor.user_id is not None and actor.is_authenticated


@rule("plans.view")
def view_plan(actor: Actor, obj: Household | tuple[Household, frozenset[DataCategory]] | None) -> bool:
    household, visible = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(household, Household) or not _signed_in(actor):
        return False
    if visible is None:
        visible = categories_visible_to(actor, household)
    return DataCategory.GENERAL in visible


@rule("plans.view_goal")
def view_goal(actor: Actor, obj: tuple | None) -> bool:
    if not isinstance(obj, tuple) or len(obj) not in (2, 3):
        return False
    household, category = obj[0], _category(obj[1])
    if not isinstance(household, Household) or category is None or not _signed_in(actor):
        return False
    visible = obj[2] if len(obj) == 3 else categories_visible_to(actor, household)
    return DataCategory.GENERAL in visible and category in visible


@rule("plans.write")
def write(actor: Actor, obj: tuple | None) -> bool:
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    household, category = obj[0], _category(obj[1])
    if not isinstance(household, Household) or category is None or not _signed_in(actor):
        return False
    writable = writable_categories(actor, household)
    return DataCategory.GENERAL in writable and category in writable


@rule("plans.agree")
def agree(actor: Actor, household: Household | None) -> bool:
    if not isinstance(household, Household) or not _signed_in(actor) or actor.role != Role.CITIZEN:
        return False
    relation = citizen_relation(actor, household)
    if relation.is_member:
        return True
    return DataCategory.GENERAL in relation.represented_categories
