import pytest
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.core.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY
from samen.core.models import AuditAction, AuditEntry
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:choose_membership")


@pytest.fixture
def two_memberships():
    first = MembershipFactory(coordinator=True)
    second = MembershipFactory(user=first.user, policy_advisor=True)
    return first, second


def test_page_lists_only_the_users_own_memberships(log_in, two_memberships):
    first, second = two_memberships
    other = MembershipFactory()
    response = log_in(first.user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert first.organisation.name in html and second.organisation.name in html
    assert other.organisation.name not in html
    assert "Now active" in html


def test_choosing_a_membership_changes_the_actor_and_is_audited(log_in, two_memberships):
    first, second = two_memberships
    client = log_in(first.user)
    response = client.post(URL, {"membership": second.pk})
    assert response.status_code == 302
    assert response.url == reverse("home:home")
    assert client.session[ACTIVE_MEMBERSHIP_SESSION_KEY] == second.pk
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.organisation_id == second.organisation_id
    assert entry.role == "policy_advisor"


def test_another_users_membership_gives_404(log_in, two_memberships):
    first, _second = two_memberships
    someone_else = MembershipFactory()
    client = log_in(first.user)
    response = client.post(URL, {"membership": someone_else.pk})
    assert response.status_code == 404
    assert ACTIVE_MEMBERSHIP_SESSION_KEY not in client.session
    assert not AuditEntry.objects.exists()


def test_missing_and_inactive_memberships_give_404(log_in, two_memberships):
    first, second = two_memberships
    second.is_active = False
    second.save(update_fields=["is_active"])
    client = log_in(first.user)
    assert client.post(URL, {"membership": second.pk}).status_code == 404
    assert client.post(URL, {"membership": 999_999}).status_code == 404


@pytest.mark.parametrize("value", ["", "abc", "-1", "<script>", "9" * 30])
def test_bad_input_gets_a_clear_message(log_in, two_memberships, value):
    first, _second = two_memberships
    response = log_in(first.user).post(URL, {"membership": value})
    assert response.status_code == 200
    assert "Choose an organisation and role." in response.content.decode()


def test_citizen_without_memberships_is_sent_home(log_in):
    assert log_in(UserFactory()).get(URL).url == reverse("home:home")
