"""Factories for consent (test set-up only; they bypass the services).

The team and representatives come from ``samen.households.tests.factories`` (re-exported here):
``TeamMemberFactory`` gives a professional or supporter the membership of their organisation, so
``actor_for_user(team_member.user)`` acts for that organisation. Times come from ``timezone.now()`` at
build time, so they follow a patched clock.
"""

import datetime

import factory
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import (
    BREAK_THE_GLASS_HOURS,
    BreakTheGlass,
    BreakTheGlassGround,
    ConsentGrant,
    ConsentRequest,
    DataCategory,
    LegalBasis,
)
from samen.households.tests.factories import HouseholdFactory, RepresentativeFactory, TeamMemberFactory
from samen.organisations.tests.factories import OrganisationFactory

__all__ = [
    "BreakTheGlassFactory",
    "ConsentGrantFactory",
    "ConsentRequestFactory",
    "RepresentativeFactory",
    "TeamMemberFactory",
]


def now():
    return timezone.now()


class ConsentGrantFactory(factory.django.DjangoModelFactory):
    """An active grant to an organisation for ``general``; pass ``team_member=...`` (and ``organisation=None``)
    for a personal grant. Traits ``expired``, ``revoked``."""

    class Meta:
        model = ConsentGrant

    household = factory.SubFactory(HouseholdFactory)
    category = DataCategory.GENERAL
    organisation = factory.SubFactory(OrganisationFactory)
    team_member = None
    legal_basis = LegalBasis.CONSENT
    granted_by = factory.SubFactory(UserFactory)
    valid_from = factory.LazyFunction(lambda: now() - datetime.timedelta(days=7))
    granted_at = factory.SelfAttribute("valid_from")

    class Params:
        expired = factory.Trait(
            valid_from=factory.LazyFunction(lambda: now() - datetime.timedelta(days=60)),
            valid_until=factory.LazyFunction(lambda: now() - datetime.timedelta(days=1)),
        )
        revoked = factory.Trait(
            revoked_at=factory.LazyFunction(lambda: now() - datetime.timedelta(hours=1)),
            revoked_by=factory.SelfAttribute("granted_by"),
        )


class ConsentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRequest

    team_member = factory.SubFactory(TeamMemberFactory)
    household = factory.SelfAttribute("team_member.household")
    organisation = factory.SelfAttribute("team_member.organisation")
    categories = factory.LazyFunction(lambda: [DataCategory.GENERAL.value, DataCategory.FINANCES.value])
    legal_basis = LegalBasis.CONSENT
    reason = "Wij helpen met een schuldregeling en moeten daarvoor de situatie kennen."
    requested_by = factory.SelfAttribute("team_member.user")
    requested_at = factory.LazyFunction(now)


class BreakTheGlassFactory(factory.django.DjangoModelFactory):
    """An active break-the-glass access (started an hour ago); trait ``expired``."""

    class Meta:
        model = BreakTheGlass

    household = factory.SubFactory(HouseholdFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    categories = factory.LazyFunction(lambda: [DataCategory.SAFETY.value])
    reason = "Melding van acuut geweld in het gezin; wij moeten nu weten wie er betrokken is."
    legal_ground = BreakTheGlassGround.MELDCODE
    started_at = factory.LazyFunction(lambda: now() - datetime.timedelta(hours=1))
    expires_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(hours=BREAK_THE_GLASS_HOURS))

    class Params:
        expired = factory.Trait(
            started_at=factory.LazyFunction(lambda: now() - datetime.timedelta(hours=BREAK_THE_GLASS_HOURS + 1))
        )
