"""The page behind an invitation link: who invites you, log in or make an account, accept; broken links; the
access log; the token never in the audit log or the logs."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.accounts.models import User
from samen.accounts.tests.factories import UserFactory
from samen.core.models import AuditAction, AuditEntry
from samen.core.testing import count_queries
from samen.households import services, tokens
from samen.households.models import TeamMember, TeamRole
from samen.households.tests.factories import (
    CitizenFactory,
    HouseholdFactory,
    InvitationFactory,
    TeamMemberFactory,
)
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BACKEND = "samen.accounts.backends.SamenBackend"
PASSWORD = "lange-zin met 7 woorden!"


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def invitation():
    household = HouseholdFactory(name="Familie Bakker")
    inviter = CitizenFactory(household=household, user__full_name="Fatima Bakker").user
    return InvitationFactory(
        household=household, invited_by=inviter, email="petra@example.test", name="Petra", description="Buurvrouw"
    )


def link(invitation) -> str:
    return reverse("households:invitation_accept", args=[tokens.invitation_token(invitation)])


def test_the_url_is_dutch(invitation):
    assert link(invitation) == f"/uitnodiging/{tokens.invitation_token(invitation)}/"


def test_an_anonymous_visitor_sees_who_invites_them_and_can_log_in_or_sign_up(invitation):
    response = client_for().get(link(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fatima invites you to the network of <strong>Familie Bakker</strong>" in html
    assert "Bakker</strong>" in html and "Fatima Bakker" not in html  # only the inviter's first name
    assert f"{reverse('accounts:login')}?next=%2Fuitnodiging%2F" in html
    assert "petra@example.test" in html
    assert 'name="email"' not in html  # the address cannot be changed
    assert 'name="full_name"' in html and 'type="password"' in html


def test_a_logged_in_citizen_accepts_and_lands_on_the_home_page(invitation):
    petra = UserFactory(email="petra@example.test")
    client = client_for(petra)
    html = client.get(link(invitation)).content.decode()
    assert "Yes, I help Familie Bakker" in html
    response = client.post(link(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home:home")
    assert "You are now part of the network of Familie Bakker. They decide what you may see." in (
        response.content.decode()
    )
    member = TeamMember.objects.get(user=petra)
    assert (member.household, member.role) == (invitation.household, TeamRole.INFORMAL)


def test_someone_without_an_account_signs_up_accepts_and_is_logged_in(invitation):
    client = client_for()
    data = {"full_name": "Petra de Buurvrouw", "password": PASSWORD, "email": "evil@example.test"}
    response = client.post(link(invitation), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home:home")
    assert "You are now part of the network of Familie Bakker." in response.content.decode()
    user = User.objects.get(full_name="Petra de Buurvrouw")
    assert user.email == "petra@example.test"  # the invitation's address, whatever was posted
    assert not User.objects.filter(email="evil@example.test").exists()
    assert response.wsgi_request.user == user
    assert TeamMember.objects.get(user=user).role == TeamRole.INFORMAL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "", "password": PASSWORD}, "Fill in your name."),
        ({"full_name": "<b>Petra</b>", "password": PASSWORD}, "the signs &lt; and &gt; are not allowed"),
        ({"full_name": "x" * 201, "password": PASSWORD}, "Use at most 200 characters for your name."),
        ({"full_name": "Petra", "password": ""}, "Choose a password."),
        ({"full_name": "Petra", "password": "kort"}, "This password is too short."),
        ({"full_name": "Petra", "password": "12345678901234"}, "This password has only numbers."),
    ],
)
def test_bad_sign_up_input_gives_a_message_keeps_the_name_and_creates_nothing(invitation, data, message):
    users = User.objects.count()
    response = client_for().post(link(invitation), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert PASSWORD not in html  # a password is never sent back
    assert User.objects.count() == users
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_address_with_an_account_is_asked_to_log_in(invitation):
    UserFactory(email="petra@example.test")
    response = client_for().post(link(invitation), {"full_name": "Petra", "password": PASSWORD})
    assert response.status_code == 200
    assert "There is already an account with this e-mail address. Log in to accept the invitation." in (
        response.content.decode()
    )


def test_a_household_member_or_team_member_sees_why_there_is_no_button(invitation):
    inviter = invitation.invited_by
    html = client_for(inviter).get(link(invitation)).content.decode()
    assert "You are a member of this household already" in html
    assert "Yes, I help" not in html
    informal = TeamMemberFactory(household=invitation.household, informal=True)
    html = client_for(informal.user).get(link(invitation)).content.decode()
    assert "You are in this household&#x27;s team already." in html
    response = client_for(informal.user).post(link(invitation))
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_professional_is_refused_clearly(invitation, method):
    professional = MembershipFactory().user
    response = getattr(client_for(professional), method)(link(invitation))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot accept this invitation as a professional" in html
    assert "through its coordinator." in html
    assert "Familie Bakker" not in html
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not AuditEntry.objects.exists()


def _states(invitation):
    expired = InvitationFactory(household=invitation.household, expired=True)
    withdrawn = InvitationFactory(household=invitation.household, withdrawn_at=timezone.now())
    used = InvitationFactory(household=invitation.household)
    services.invitation_accept(token=tokens.invitation_token(used), user=UserFactory())
    return [
        (tokens.invitation_token(expired), 410, "This invitation has expired."),
        (tokens.invitation_token(withdrawn), 410, "This invitation has been withdrawn."),
        (tokens.invitation_token(used), 410, "This invitation has already been used."),
        ("not-a-token", 404, "This invitation link is not valid."),
        ("x" * 300, 404, "This invitation link is not valid."),
    ]


@pytest.mark.parametrize("who", ["anonymous", "citizen", "professional"])
def test_a_link_that_does_not_work_gets_one_clear_page_and_changes_nothing(invitation, who, caplog):
    cases = _states(invitation)
    user = {"anonymous": None, "citizen": UserFactory(), "professional": MembershipFactory().user}[who]
    before = (User.objects.count(), TeamMember.objects.count(), AuditEntry.objects.count())
    caplog.set_level(logging.DEBUG)
    for token, status, message in cases:
        path = reverse("households:invitation_accept", args=[token])
        for method, data in (("get", {}), ("post", {"full_name": "Petra", "password": PASSWORD})):
            response = getattr(client_for(user), method)(path, data)
            assert response.status_code == status, (token[:10], method)
            html = response.content.decode()
            assert message in html
            assert "Familie Bakker" not in html
    assert (User.objects.count(), TeamMember.objects.count(), AuditEntry.objects.count()) == before
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for token, _status, _message in cases:
        assert token not in logged


def test_the_page_writes_one_access_entry_without_the_token(invitation, caplog):
    token = tokens.invitation_token(invitation)
    caplog.set_level(logging.DEBUG)
    for user in (None, UserFactory()):
        before = AuditEntry.objects.count()
        assert client_for(user).get(link(invitation)).status_code == 200
        [entry] = AuditEntry.objects.order_by("sequence")[before:]
        assert (entry.action, entry.household_id, entry.data_category, entry.object_type) == (
            AuditAction.READ,
            invitation.household.pk,
            "general",
            "households.invitation",
        )
        assert entry.user_id == (user.pk if user else None)
    client_for().post(link(invitation), {"full_name": "Petra", "password": PASSWORD})
    for entry in AuditEntry.objects.all():
        assert token not in f"{entry.description} {entry.changes} {entry.object_id}"
    assert token not in "\n".join(record.getMessage() for record in caplog.records)


def test_query_count_does_not_grow_with_households_or_team(invitation):
    def measure():
        return count_queries(client_for().get, link(invitation)), count_queries(client_for(petra).get, link(invitation))

    petra = UserFactory()
    measure()  # the first requests fill caches (content types, the chain head)
    first = measure()
    for _ in range(10):
        TeamMemberFactory(household=invitation.household, informal=True)
        InvitationFactory(household=invitation.household)
        CitizenFactory()
    assert measure() == first
