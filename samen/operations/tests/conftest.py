import pytest
from django.test import Client

from samen.accounts.tests.factories import UserFactory
from samen.households.tests.factories import HouseholdMemberFactory
from samen.organisations.tests.factories import MembershipFactory

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    """These tests are about the database backend unless they say otherwise."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def en_client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def login(en_client):
    def _login(user):
        en_client.force_login(user)
        return en_client

    return _login


@pytest.fixture
def people():
    """Someone of every role that must not see the page, and the functional administrator."""
    return {
        "functional_admin": MembershipFactory(functional_admin=True).user,
        "professional": MembershipFactory().user,
        "coordinator": MembershipFactory(coordinator=True).user,
        "policy_advisor": MembershipFactory(policy_advisor=True).user,
        "facilitator": MembershipFactory(facilitator=True).user,
        "citizen": HouseholdMemberFactory(user=UserFactory()).user,
    }
