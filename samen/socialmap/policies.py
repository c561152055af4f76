"""Who may do what with the social map (rules for ``samen.core.policy``). Deny by default.

The directory holds no personal data: what organisations offer, where and when.

- Searching it and reading a service (``socialmap.search``): everyone who is logged in (residents search it too).
  A search made for a household (from its plan) needs access to that household; the view checks it with the
  household's gate and writes an access entry.
- The read-only HSDS API: open, like the published social maps of municipalities (no login; only ``active`` and
  other statuses as HSDS defines them, never anything of a household).
- Keeping a service up to date (``socialmap.maintain``): the professionals and coordinators of the organisation in
  Samen that keeps the entry (its ``maintainer``); the functional administrator keeps every entry.
- Importing HSDS files (``socialmap.import``): the functional administrator.
"""

from __future__ import annotations

from samen.core.actor import PROFESSIONAL_ROLES, Actor, Role
from samen.core.policy import rule


def _is_functional_admin(actor: Actor) -> bool:
    return actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None and actor.user.is_active


def _works_for(actor: Actor, organisation_id: int | None) -> bool:
    if organisation_id is None or actor.user is None or not actor.user.is_active:
        return False
    if actor.role not in PROFESSIONAL_ROLES or actor.organisation is None or not actor.organisation.is_active:
        return False
    if actor.membership is not None and not actor.membership.is_active:
        return False
    return actor.organisation_id == organisation_id


@rule("socialmap.search")
def search(actor: Actor, obj=None) -> bool:
    return actor.is_authenticated and actor.user.is_active


@rule("socialmap.maintain")
def maintain(actor: Actor, service) -> bool:
    """``service``: a ``Service`` (or an ``Organization`` of the map)."""
    if service is None:
        return False
    if _is_functional_admin(actor):
        return True
    organization = getattr(service, "organization", service)
    return _works_for(actor, getattr(organization, "maintainer_id", None))


@rule("socialmap.maintain_any")
def maintain_any(actor: Actor, obj=None) -> bool:
    """The page "Our services": the functional administrator, and professionals whose organisation keeps entries
    (the page lists only their own)."""
    return _is_functional_admin(actor) or (
        actor.role in PROFESSIONAL_ROLES and actor.organisation is not None and _works_for(actor, actor.organisation_id)
    )


@rule("socialmap.import")
def import_hsds(actor: Actor, obj=None) -> bool:
    return _is_functional_admin(actor)


# --- the household's own network ---
# The household's own network map (``network_views.py``) holds names of people around the household and what they
# help with: general information about the household (``DataCategory.GENERAL``), behind the household's gate
# (``samen.consent.policies.household_access``: missing and forbidden are both 404).
#
# - Seeing it (``socialmap.network_view``): whoever sees the household's general category now: its members and active
#   representatives, the team's professionals whose organisation has consent for general (and a break-the-glass
#   access that covers it, which only reads), the supporter and the informal network with a personal grant for it.
# - Keeping it (``socialmap.network_edit``: adding, changing, removing people): the household itself, i.e. an adult
#   member or an active representative whose scope covers general. Not the professionals: it is the household's own
#   picture of its own people (eigen regie). A professional who learns of someone talks about it with the household,
#   who adds them; writing down a family's friends without them is the paper reality Samen is meant to replace.
# - Inviting someone from it into the team (``socialmap.network_invite``): the household's keepers, who are also the
#   people who invite the informal network (``households.delegate``, which the invitation service asks again).

from samen.consent.policies import HouseholdAccess  # noqa: E402 - the section's own import
from samen.core.vocabulary import DataCategory  # noqa: E402 - the section's own import


def _signed_in(actor: Actor) -> bool:
    return actor.user is not None and actor.is_authenticated and actor.user.is_active


@rule("socialmap.network_view")
def network_view(actor: Actor, access) -> bool:
    """No query: it decides on the request's ``household_access``, or on ``(household, visible)`` (the workspace's
    tab, with the categories the actor sees)."""
    if isinstance(access, HouseholdAccess):
        visible = access.visible
    elif isinstance(access, tuple) and len(access) == 2 and access[0] is not None:
        visible = access[1] or frozenset()
    else:
        return False
    return _signed_in(actor) and DataCategory.GENERAL in visible


@rule("socialmap.network_edit")
def network_edit(actor: Actor, access: HouseholdAccess | None) -> bool:
    """An adult member of the household, or a representative in force whose scope covers general. No query."""
    if not isinstance(access, HouseholdAccess) or not network_view(actor, access) or actor.role != Role.CITIZEN:
        return False
    relation = access.citizen
    return relation.is_adult_member or DataCategory.GENERAL in relation.represented_categories


@rule("socialmap.network_invite")
def network_invite(actor: Actor, access: HouseholdAccess | None) -> bool:
    """Inviting someone on the map into the team: who keeps the map (the invitation service then asks
    ``households.delegate`` itself)."""
    return network_edit(actor, access)
