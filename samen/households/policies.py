"""Who may see what about households (rules for ``samen.core.policy``). Deny by default.

Professionals get access to a household only through the citizen's consent, which a later
feature adds here; until then nobody but the household's own members sees its content.
"""

from __future__ import annotations

from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.households.models import Household


@rule("households.view_household")
def view_household(actor: Actor, household: Household | None) -> bool:
    """A citizen sees their own household: the one they are a member of.

    Uses the prefetched ``members`` when the household comes from ``selectors.household_of``.
    """
    if actor.role != Role.CITIZEN or actor.user_id is None or household is None:
        return False
    return any(member.user_id == actor.user_id for member in household.members.all())


@rule("households.view_aggregate_figures")
def view_aggregate_figures(actor: Actor, obj=None) -> bool:
    """The policy advisor sees anonymous counts of households and members (k-anonymous where shown)."""
    return actor.role == Role.POLICY_ADVISOR and actor.user is not None
