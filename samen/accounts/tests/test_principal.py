"""The user cached in the session (``samen.accounts.principal``): one query per request for the session and nothing
more, while logging out, a new password, a deactivated account, an ended or new membership and a deactivated
organisation still count on the very next request, whoever changed them and however (the database triggers)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from samen.accounts.models import User, UserSession
from samen.accounts.principal import SNAPSHOT_KEY, get_user
from samen.accounts.sessions import SessionStore
from samen.core.actor import Role
from samen.core.testing import count_queries
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership, Organisation
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BACKEND = "samen.accounts.backends.SamenBackend"


def _logged_in_session(client, user) -> str:
    client.force_login(user, backend=BACKEND)
    return client.session.session_key


def _request(session_key: str):
    """A request with the session as the session middleware loads it; the session saved afterwards, as the
    middleware does when it changed."""
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key)  # loaded on first use, as the middleware's session is
    return request


def _next_request(session_key: str):
    """What the next request sees: (user, actor), and the session saved if the request changed it."""
    request = _request(session_key)
    user = get_user(request)
    actor = actor_for_user(user) if user.is_authenticated else None
    if request.session.modified:
        request.session.save()
    return user, actor


@pytest.fixture
def professional(client):
    membership = MembershipFactory(coordinator=True)
    key = _logged_in_session(client, membership.user)
    _next_request(key)  # the first request stores the snapshot
    return membership, key


def test_a_warm_request_reads_only_the_session(professional):
    membership, key = professional
    loaded = {}

    def next_request():
        request = _request(key)
        loaded["user"] = get_user(request)
        loaded["actor"] = actor_for_user(loaded["user"])

    assert count_queries(next_request) == 1  # the session row; the user and memberships come from it
    assert loaded["user"] == membership.user
    assert loaded["actor"].role == Role.COORDINATOR
    assert loaded["actor"].organisation == membership.organisation
    assert loaded["actor"].organisation.name == membership.organisation.name


def test_the_first_request_after_logging_in_loads_the_user_and_stores_it(client):
    membership = MembershipFactory()
    key = _logged_in_session(client, membership.user)
    request = _request(key)
    assert count_queries(get_user, request) == 2  # the session, then the user with their memberships
    assert SNAPSHOT_KEY in request.session


def test_the_password_hash_is_not_kept_in_the_session(professional):
    membership, key = professional
    stored = UserSession.objects.get(session_key=key).session_data
    password = User.objects.get(pk=membership.user.pk).password
    assert password.split("$")[-1] not in stored
    user, _ = _next_request(key)
    assert user.check_password("not the password") is False  # the hash is loaded when asked for


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: Membership.objects.filter(pk=m.pk).update(is_active=False), id="update()"),
        pytest.param(lambda m: (setattr(m, "is_active", False), m.save()), id="save()"),
        pytest.param(lambda m: m.delete(), id="delete()"),
        pytest.param(lambda m: Organisation.objects.filter(pk=m.organisation_id).update(is_active=False), id="org"),
    ],
)
def test_an_ended_membership_counts_on_the_next_request(professional, change):
    membership, key = professional
    change(membership)
    user, actor = _next_request(key)
    assert user == membership.user
    assert actor.role == Role.CITIZEN
    assert actor.organisation is None


def test_a_new_membership_counts_on_the_next_request(professional):
    membership, key = professional
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    _next_request(key)
    MembershipFactory(user=membership.user, role="professional")
    _, actor = _next_request(key)
    assert actor.role == Role.PROFESSIONAL


def test_a_changed_role_counts_on_the_next_request(professional):
    membership, key = professional
    Membership.objects.filter(pk=membership.pk).update(role="professional")
    _, actor = _next_request(key)
    assert actor.role == Role.PROFESSIONAL


def test_a_deactivated_account_is_logged_out_on_the_next_request(professional):
    membership, key = professional
    User.objects.filter(pk=membership.user.pk).update(is_active=False)
    user, _ = _next_request(key)
    assert isinstance(user, AnonymousUser)


def test_a_new_password_logs_out_the_other_sessions(client, professional):
    membership, key = professional
    user = User.objects.get(pk=membership.user.pk)
    user.set_password("an entirely new passphrase 2026")
    user.save()
    loaded, _ = _next_request(key)
    assert isinstance(loaded, AnonymousUser)
    assert SNAPSHOT_KEY not in SessionStore(key).load()


def test_a_logged_out_session_is_gone(client, professional):
    membership, key = professional
    client.logout()
    user, _ = _next_request(key)
    assert isinstance(user, AnonymousUser)


def test_a_change_during_a_request_survives_that_requests_save(professional):
    """The request loaded the session, the membership ended while it ran, then it saved the session: the raised
    version is not overwritten, so the next request loads the user again."""
    membership, key = professional
    request = _request(key)
    get_user(request)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    request.session["something"] = "changed"
    request.session.save()
    _, actor = _next_request(key)
    assert actor.role == Role.CITIZEN


def test_another_users_change_does_not_reload_this_session(professional):
    _, key = professional
    MembershipFactory()  # someone else
    request = _request(key)
    assert count_queries(get_user, request) == 1


@pytest.mark.parametrize(
    "snapshot",
    [
        {"format": 0},
        {"format": 1, "version": 0, "user": ["x"], "memberships": []},
        {"format": 1, "version": 0, "user": [], "memberships": []},
        "<script>alert(1)</script>",
        ["not", "a", "dict"],
    ],
)
def test_a_snapshot_that_does_not_fit_is_loaded_again(professional, snapshot):
    membership, key = professional
    session = SessionStore(key)
    session[SNAPSHOT_KEY] = snapshot
    session.save()
    user, actor = _next_request(key)
    assert user == membership.user
    assert actor.role == Role.COORDINATOR
    assert SessionStore(key).load()[SNAPSHOT_KEY]["user"][0] == membership.user.pk


def test_a_snapshot_of_another_user_is_not_used(professional):
    membership, key = professional
    other = MembershipFactory(coordinator=True)
    session = SessionStore(key)
    snapshot = session.load()[SNAPSHOT_KEY]
    snapshot["user"][0] = other.user.pk
    session[SNAPSHOT_KEY] = snapshot
    session.save()
    user, _ = _next_request(key)
    assert user == membership.user


def test_the_session_row_knows_its_user(professional):
    membership, key = professional
    assert UserSession.objects.get(session_key=key).user_id == membership.user.pk


def test_pages_use_the_cached_user(client):
    membership = MembershipFactory(coordinator=True)
    client.force_login(membership.user, backend=BACKEND)
    client.get("/", secure=True)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    response = client.get("/mijn-huishoudens/", secure=True)
    assert response.status_code in (403, 404)
