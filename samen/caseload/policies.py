"""Who may open "Mijn huishoudens" (the caseload). Which households it lists is decided elsewhere: only by
``samen.consent.policies.households_visible_to``."""

from __future__ import annotations

from samen.core.actor import Actor, Role
from samen.core.policy import rule

# The roles that work in households' teams: a professional, a coordinator, the independent client supporter.
CASELOAD_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR, Role.CLIENT_SUPPORTER})


@rule("caseload.view")
def view_caseload(actor: Actor, obj: object = None) -> bool:
    """The caseload page: for someone logged in who acts as a professional, coordinator or client supporter
    for an organisation. Everybody else (citizen, facilitator, policy advisor, administrator) has none."""
    return actor.user_id is not None and actor.role in CASELOAD_ROLES and actor.organisation_id is not None
