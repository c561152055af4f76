import pytest
from django.test import Client

from samen.accounts.tests.factories import UserFactory
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory


@pytest.fixture
def en_client():
    """A browser that asks for English, so assertions read the English source strings."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def login(en_client):
    def _login(user):
        en_client.force_login(user)
        return en_client

    return _login


@pytest.fixture
def citizen():
    """A parent linked to an account, in a household with a partner and a child."""
    member = HouseholdMemberFactory(
        given_name="Fatima",
        family_name="Zwanenburg",
        user=UserFactory(full_name="Fatima"),
        household__name="Familie Bakker",
    )
    HouseholdMemberFactory(household=member.household, given_name="Johan", relation="partner")
    HouseholdMemberFactory(household=member.household, given_name="Noor", relation="child", date_of_birth=None)
    return member


@pytest.fixture
def make_network():
    def _make(organisations=(), facilitators=(), **kwargs):
        return NetworkFactory(organisations=list(organisations), facilitators=list(facilitators), **kwargs)

    return _make


@pytest.fixture
def grow():
    """Add ``n`` more of everything a home page could show: organisations with professionals, networks, households."""

    def _grow(n, *, networks_with=(), facilitators=()):
        for _ in range(n):
            organisation = OrganisationFactory()
            MembershipFactory(organisation=organisation)
            MembershipFactory(organisation=organisation, coordinator=True)
            NetworkFactory(organisations=[organisation, *networks_with], facilitators=list(facilitators))
            HouseholdMemberFactory(household=HouseholdFactory())

    return _grow


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests create many accounts; argon2 is deliberately slow, and passwords are not under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
