"""Limits per internet address (``samen.accounts.throttle``): failed logins for any accounts, password-reset
requests and invitation sign-up attempts; and an access log that made-up e-mail addresses cannot flood."""

import datetime
import re
import uuid
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.accounts import throttle
from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.core.models import AuditAction, AuditEntry
from samen.households import tokens
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, InvitationFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
RESET_URL = reverse("accounts:password_reset")
ATTACKER, OTHER = "203.0.113.7", "198.51.100.20"


def _login(client, email, password="wrong-password-123", ip=ATTACKER):
    return client.post(LOGIN_URL, {"email": email, "password": password}, REMOTE_ADDR=ip)


def _random_email() -> str:
    return f"{uuid.uuid4().hex[:12]}@example.test"


def _failures():
    return AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED)


class Clock:
    def __init__(self, now):
        self.now = now

    def advance(self, **kwargs):
        self.now += datetime.timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    """Time that tests move on (the throttle, the database cache's expiry and axes all read ``timezone.now``)."""
    clock = Clock(timezone.now().replace(minute=1, second=0, microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


# --- failed logins per address --------------------------------------------------------------------------------


def test_a_hundred_made_up_addresses_from_one_address_hit_the_limit_and_hardly_touch_the_log(client, settings):
    limit = settings.SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT
    statuses = [_login(client, _random_email()).status_code for _ in range(100)]
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the neutral "not right" message
    assert statuses[limit - 1 :] == [429] * (100 - limit + 1)  # from the limit on: refused
    # Not 100 entries: the window's first failure, and the one that blocked the address (with the count).
    entries = list(_failures().order_by("sequence"))
    assert len(entries) == 2
    first, blocked = entries
    assert first.changes["unknown_account_failures_in_window"] == 1
    assert first.ip_address == ATTACKER
    assert blocked.changes["unknown_account_failures_in_window"] == limit
    assert blocked.changes["address_failures_in_window"] == limit
    assert "blocked_until" in blocked.changes
    assert "wrong-password-123" not in str(first.changes) + str(blocked.changes)


def test_a_correct_login_from_another_address_still_works(client):
    anna = UserFactory(email="anna@example.test")
    for _ in range(40):
        _login(client, _random_email())
    assert _login(client, "anna@example.test", DEFAULT_PASSWORD).status_code == 429  # from the blocked address
    other = Client(headers={"accept-language": "en"})
    response = _login(other, "anna@example.test", DEFAULT_PASSWORD, ip=OTHER)
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(anna.pk)


def test_the_blocked_page_is_plain_dutch_and_says_when_to_try_again(clock, settings):
    settings.SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    dutch = Client()
    for _ in range(3):
        response = _login(dutch, _random_email())
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    html = response.content.decode()
    until = timezone.localtime(clock.now + datetime.timedelta(minutes=15)).strftime("%H:%M")
    assert "Te vaak geprobeerd" in html
    assert "te veel mislukte inlogpogingen" in html
    assert f"vanaf {until}" in html and "over 15 minuten" in html
    # The next attempt, five minutes later: still refused, with the same time and ten minutes to go.
    clock.advance(minutes=5)
    later = _login(dutch, _random_email())
    assert later.status_code == 429
    assert f"vanaf {until}" in later.content.decode() and "over 10 minuten" in later.content.decode()
    assert later["Retry-After"] == str(10 * 60)
    # After the window: logging in is possible again.
    clock.advance(minutes=10)
    assert _login(dutch, _random_email()).status_code == 200


def test_failures_for_an_existing_account_each_get_their_own_entry_and_count_for_the_address(client, settings):
    settings.SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    anna = UserFactory(email="anna@example.test")
    for _ in range(3):
        assert _login(client, "anna@example.test").status_code == 200
    for _ in range(5):
        _login(client, _random_email())
    about_anna = _failures().filter(object_id=str(anna.pk))
    assert about_anna.count() == 3  # about a person: each one written, on her
    assert [entry.changes["address_failures_in_window"] for entry in about_anna.order_by("sequence")] == [1, 2, 3]
    assert _failures().count() == 4  # and one for the five made-up addresses


def test_the_next_window_starts_with_the_count_of_the_one_before(client, clock, settings):
    settings.SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT = 100
    for _ in range(7):
        _login(client, _random_email())
    assert _failures().count() == 1
    clock.advance(minutes=15)
    _login(client, _random_email())
    newest = _failures().order_by("-sequence").first()
    assert newest.changes["unknown_account_failures_in_window"] == 1
    assert newest.changes["unknown_account_failures_in_previous_window"] == 7


def test_the_per_account_lockout_still_answers_first(client):
    UserFactory(email="anna@example.test")
    for _ in range(5):
        _login(client, "anna@example.test")
    response = _login(client, "anna@example.test", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "You tried to log in too often with a wrong password" in response.content.decode()


def test_the_address_is_remote_addr_not_a_header_a_client_sets(client, settings):
    settings.SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for number in range(3):
        response = client.post(
            LOGIN_URL,
            {"email": _random_email(), "password": "x" * 12},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    assert response.status_code == 429
    assert {entry.ip_address for entry in _failures()} == {ATTACKER}


def test_a_cache_that_fails_lets_people_log_in(client):
    anna = UserFactory(email="anna@example.test")
    broken = mock.Mock()
    broken.get.side_effect = broken.add.side_effect = broken.incr.side_effect = ConnectionError("cache down")
    with mock.patch.object(throttle.AddressLimit, "_cache", return_value=broken):
        assert _login(client, _random_email()).status_code == 200
        response = _login(client, "anna@example.test", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(anna.pk)


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # the same connection
        ("::ffff:192.0.2.1", "192.0.2.1"),
        (None, "unknown"),
        ("", "unknown"),
    ],
)
def test_what_counts_as_one_address(address, bucket):
    assert throttle.address_bucket(address) == bucket


def test_nonsense_as_an_address_is_counted_without_an_error():
    assert throttle.address_bucket("not an address\x00").startswith("invalid:")
    assert throttle.LOGIN_FAILURES.hit("not an address\x00").count == 1


# --- password reset -----------------------------------------------------------------------------------------


def test_password_reset_requests_are_limited_per_address(client, settings):
    limit = settings.SAMEN_PASSWORD_RESET_ADDRESS_LIMIT
    for _ in range(limit):
        assert client.post(RESET_URL, {"email": _random_email()}, REMOTE_ADDR=ATTACKER).status_code == 302
    refused = client.post(RESET_URL, {"email": _random_email()}, REMOTE_ADDR=ATTACKER)
    assert refused.status_code == 429
    assert "too many requests for a new password" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    # Someone else is not affected.
    assert client.post(RESET_URL, {"email": _random_email()}, REMOTE_ADDR=OTHER).status_code == 302


def test_at_most_three_reset_mails_go_to_one_person_and_the_page_does_not_tell(client):
    UserFactory(email="anna@example.test")
    answers = [client.post(RESET_URL, {"email": "Anna@example.test"}, REMOTE_ADDR=f"192.0.2.{n}") for n in range(1, 6)]
    assert [answer.status_code for answer in answers] == [302] * 5
    assert {answer.url for answer in answers} == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == 3


# --- invitation sign-up -------------------------------------------------------------------------------------


def _invitation():
    household = HouseholdFactory()
    invitation = InvitationFactory(household=household, invited_by=CitizenFactory(household=household).user)
    return reverse("households:invitation_accept", args=[tokens.invitation_token(invitation)])


def test_guessing_invitation_links_is_limited_per_address(client, settings):
    limit = settings.SAMEN_INVITATION_ADDRESS_LIMIT
    working = _invitation()
    for number in range(limit):
        broken = reverse("households:invitation_accept", args=[f"geraden-{number}-abcdefghijkl"])
        assert client.get(broken, REMOTE_ADDR=ATTACKER).status_code == 404
    # Now even a working link is refused from that address, until the time on the page.
    refused = client.get(working, REMOTE_ADDR=ATTACKER)
    assert refused.status_code == 429
    assert "too many attempts with invitation links" in refused.content.decode()
    assert client.get(working, REMOTE_ADDR=OTHER).status_code == 200


def test_sign_up_attempts_are_limited_per_address(client, settings):
    settings.SAMEN_INVITATION_ADDRESS_LIMIT = 4
    url = _invitation()
    for _ in range(4):  # too short a password: the form again, nothing made
        response = client.post(url, {"full_name": "Petra", "password": "kort"}, REMOTE_ADDR=ATTACKER)
        assert response.status_code == 200
    response = client.post(url, {"full_name": "Petra", "password": "een lange zin van mij 7"}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert not re.search(r"geraden|[A-Za-z0-9_-]{40}", response.headers.get("Location", ""))
    # From another address the same person can still sign up.
    response = client.post(url, {"full_name": "Petra", "password": "een lange zin van mij 7"}, REMOTE_ADDR=OTHER)
    assert response.status_code == 302
