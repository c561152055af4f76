"""Who may see what about organisations and networks (rules for ``samen.core.policy``).

Organisations and networks are not case content, but they are still shown only to the roles
that need them. Lists come from the ``*_visible_to(actor)`` querysets below.
"""

from __future__ import annotations

from django.db.models import QuerySet

from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.organisations.models import Network, Organisation

# The roles that work with households on behalf of their organisation.
WORK_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR, Role.CLIENT_SUPPORTER})


@rule("organisations.view_work_overview")
def view_work_overview(actor: Actor, organisation: Organisation | None) -> bool:
    """A professional, coordinator or client supporter sees their own organisation, its networks and colleagues."""
    return (
        actor.role in WORK_ROLES
        and organisation is not None
        and actor.organisation_id is not None
        and actor.organisation_id == organisation.pk
    )


@rule("organisations.view_facilitated_networks")
def view_facilitated_networks(actor: Actor, obj=None) -> bool:
    """A network facilitator sees the make-up of the networks they facilitate (never case content)."""
    return actor.role == Role.NETWORK_FACILITATOR and actor.user is not None


@rule("organisations.view_register")
def view_register(actor: Actor, obj=None) -> bool:
    """The functional administrator sees every organisation and network (never household content)."""
    return actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None


@rule("organisations.view_type_figures")
def view_type_figures(actor: Actor, obj=None) -> bool:
    """The policy advisor sees anonymous figures per organisation type."""
    return actor.role == Role.POLICY_ADVISOR and actor.user is not None


def networks_visible_to(actor: Actor) -> QuerySet[Network]:
    """The networks an actor may see: their organisation's, the ones they facilitate, or all for the administrator."""
    if actor.user is None:
        return Network.objects.none()
    if actor.role in WORK_ROLES and actor.organisation_id is not None:
        return Network.objects.filter(organisations=actor.organisation_id)
    if actor.role == Role.NETWORK_FACILITATOR:
        return Network.objects.filter(facilitators=actor.user_id)
    if actor.role == Role.FUNCTIONAL_ADMIN:
        return Network.objects.all()
    return Network.objects.none()


@rule("organisations.manage")
def manage(actor: Actor, obj=None) -> bool:
    """Creating and changing organisations, networks and memberships: the functional administrator,
    and the system itself (setup commands such as the demo generator)."""
    return actor.role == Role.SYSTEM or (actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None)
