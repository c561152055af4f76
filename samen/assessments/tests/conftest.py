"""The household with everyone around it (the same cast as the dossier's tests)."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import BreakTheGlassFactory, ConsentGrantFactory, RepresentativeFactory
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory, TeamMemberFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

BACKEND = "samen.accounts.backends.SamenBackend"
G = DataCategory


@dataclass
class Setting:
    household: object
    citizen: object  # users from here on
    representative: object  # represents the grandmother for general and finances
    informal: object  # the neighbour, personal grant for general
    informal_without_grant: object
    professional: object  # Schuldhulp Zuid: general and finances
    coordinator: object  # Wijkteam Noord: general and youth
    supporter: object  # personal grants for general and health
    emergency: object  # break the glass for safety, not in the team
    expired: object  # professional whose organisation's grant expired
    revoked: object  # professional whose organisation's grant was revoked
    stranger: object  # professional of an organisation outside the team
    other_citizen: object  # citizen of another household
    other_household: object
    schuldhulp: object  # organisations
    wijkteam: object


@pytest.fixture
def setting() -> Setting:
    household = HouseholdFactory(name="Familie Bakker")
    citizen = CitizenFactory(
        household=household,
        given_name="Fatima",
        family_name="Bakker",
        user=UserFactory(full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
    )
    grandmother = HouseholdMemberFactory(
        household=household,
        given_name="Grietje",
        family_name="Bakker",
        relation=Relation.GRANDPARENT,
        date_of_birth=datetime.date(1940, 3, 1),
    )
    representative = RepresentativeFactory(member=grandmother, scope=[G.GENERAL, G.FINANCES]).user
    informal = TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw")
    ConsentGrantFactory(household=household, organisation=None, team_member=informal, category=G.GENERAL)
    informal_without_grant = TeamMemberFactory(household=household, informal=True).user
    professional = TeamMemberFactory(
        household=household, organisation__name="Schuldhulp Zuid", user__full_name="Sanne de Vries"
    )
    for category in (G.GENERAL, G.FINANCES):
        ConsentGrantFactory(household=household, organisation=professional.organisation, category=category)
    coordinator = TeamMemberFactory(
        household=household, coordinator=True, organisation__name="Wijkteam Noord", user__full_name="Kees Regisseur"
    )
    for category in (G.GENERAL, G.YOUTH):
        ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=category)
    supporter = TeamMemberFactory(household=household, supporter=True)
    for category in (G.GENERAL, G.HEALTH):
        ConsentGrantFactory(household=household, organisation=None, team_member=supporter, category=category)
    emergency = MembershipFactory(organisation=OrganisationFactory(name="Veilig Thuis"))
    BreakTheGlassFactory(household=household, user=emergency.user, organisation=emergency.organisation)
    expired = TeamMemberFactory(household=household)
    ConsentGrantFactory(household=household, organisation=expired.organisation, expired=True)
    revoked = TeamMemberFactory(household=household)
    ConsentGrantFactory(household=household, organisation=revoked.organisation, revoked=True)
    stranger = MembershipFactory(organisation=OrganisationFactory(name="Onbekende Zorg")).user
    other_household = HouseholdFactory(name="Familie Jansen")
    other_citizen = CitizenFactory(household=other_household).user
    return Setting(
        household=household,
        citizen=citizen.user,
        representative=representative,
        informal=informal.user,
        informal_without_grant=informal_without_grant,
        professional=professional.user,
        coordinator=coordinator.user,
        supporter=supporter.user,
        emergency=emergency.user,
        expired=expired.user,
        revoked=revoked.user,
        stranger=stranger,
        other_citizen=other_citizen,
        other_household=other_household,
        schuldhulp=professional.organisation,
        wijkteam=coordinator.organisation,
    )


@pytest.fixture
def login():
    def _login(user):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user, backend=BACKEND)
        return client

    return _login
