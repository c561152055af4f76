"""The Actor: who is acting, for which organisation, in which role, and on whose behalf.

Every service and policy takes an Actor instead of a bare user, so the audit log and the
access decisions always know the organisation and role as well as the person.
``samen.organisations.actors.actor_for_user`` builds one for a user (from their memberships), and
``samen.accounts.middleware.ActorMiddleware`` puts one on every request as ``request.actor``. This module
imports no other part of Samen.
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
