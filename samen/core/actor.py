"""The Actor: who is acting, for which organisation, in which role, and on whose behalf.

Every service and policy takes an Actor instead of a bare user, so the audit log and the
access decisions always know the organisation and role as well as the person.
``ActorMiddleware`` puts one on every request as ``request.actor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from samen.accounts.models import User
    from samen.organisations.models import Membership, Organisation


class Role(models.TextChoices):
    """The roles of ``product.md``. A professional's role comes from their membership."""

    ANONYMOUS = "anonymous", _("anonymous")
    CITIZEN = "citizen", _("resident")
    PROFESSIONAL = "professional", _("professional")
    COORDINATOR = "coordinator", _("coordinator")
    CLIENT_SUPPORTER = "client_supporter", _("independent client supporter")
    NETWORK_FACILITATOR = "network_facilitator", _("network facilitator")
    POLICY_ADVISOR = "policy_advisor", _("policy advisor")
    FUNCTIONAL_ADMIN = "functional_admin", _("functional administrator")
    SYSTEM = "system", _("system")


PROFESSIONAL_ROLES = frozenset(
    {
        Role.PROFESSIONAL,
        Role.COORDINATOR,
        Role.CLIENT_SUPPORTER,
        Role.NETWORK_FACILITATOR,
        Role.POLICY_ADVISOR,
        Role.FUNCTIONAL_ADMIN,
    }
)


@dataclass(frozen=True, slots=True)
class Actor:
    user: User | None
    role: Role
    organisation: Organisation | None = None
    membership: Membership | None = None
    on_behalf_of: User | None = None
    ip_address: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.role != Role.ANONYMOUS

    @property
    def is_professional(self) -> bool:
        return self.role in PROFESSIONAL_ROLES

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def organisation_id(self) -> int | None:
        return self.organisation.pk if self.organisation is not None else None

    def __str__(self) -> str:
        who = self.user.email if self.user is not None else "anonymous"
        where = f" @ {self.organisation}" if self.organisation is not None else ""
        return f"{who} ({self.role}){where}"


ANONYMOUS = Actor(user=None, role=Role.ANONYMOUS)
SYSTEM = Actor(user=None, role=Role.SYSTEM)


def actor_for_user(user, *, membership_id: int | None = None, ip_address: str | None = None) -> Actor:
    """Build the Actor for a logged-in user.

    A professional acts through one membership (organisation + role); with several, the one
    chosen in the session (``membership_id``) or else the oldest. A user without a membership
    but linked to a household member is a citizen.
    """
    if user is None or not user.is_authenticated:
        return Actor(user=None, role=Role.ANONYMOUS, ip_address=ip_address)
    from samen.organisations.selectors import active_memberships_of

    memberships = active_memberships_of(user)
    membership = None
    if memberships:
        membership = next((m for m in memberships if m.pk == membership_id), memberships[0])
        return Actor(
            user=user,
            role=Role(membership.role),
            organisation=membership.organisation,
            membership=membership,
            ip_address=ip_address,
        )
    return Actor(user=user, role=Role.CITIZEN, ip_address=ip_address)
