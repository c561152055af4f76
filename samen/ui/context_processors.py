from __future__ import annotations

from samen.organisations.selectors import active_memberships_of


def navigation(request) -> dict:
    """The actor for the header and navigation, and whether to offer switching organisation/role.

    The memberships were loaded with the user (``samen.accounts.backends``): no extra query.
    """
    actor = getattr(request, "actor", None)

    def may_switch_role() -> bool:
        return actor is not None and actor.is_professional and len(active_memberships_of(actor.user)) > 1

    return {"actor": actor, "may_switch_role": may_switch_role}
