from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.core.models import AuditAction, AuditEntry, AuditOutcome, AuditPurpose
from samen.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
HOME_URL = reverse("home:home")
NEUTRAL = "The e-mail address or password is not right."


def _post(client, email, password, **extra):
    return client.post(LOGIN_URL, {"email": email, "password": password, **extra})


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_explains_and_links_to_password_reset(client):
    with assert_max_queries(2):
        response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Log in to Samen" in html
    assert reverse("accounts:password_reset") in html
    assert 'name="email"' in html and 'name="password"' in html
    assert "novalidate" in html


def test_login_page_is_dutch_by_default():
    response = Client().get(LOGIN_URL)
    assert "Inloggen bij Samen" in response.content.decode()


def test_login_succeeds_and_writes_an_audit_entry(client):
    user = UserFactory(email="anna@example.test")
    response = _post(client, "anna@example.test", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == HOME_URL
    assert _logged_in_user_id(client) == str(user.pk)
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.user_id == user.pk
    assert entry.purpose == AuditPurpose.OPERATIONS
    assert entry.outcome == AuditOutcome.SUCCESS
    assert entry.ip_address == "127.0.0.1"


def test_login_works_with_the_production_argon2_hashes(client, settings, fast_password_hashing):
    settings.PASSWORD_HASHERS = fast_password_hashing
    user = UserFactory(email="anna@example.test")
    assert user.password.startswith("argon2$")
    assert _post(client, "anna@example.test", DEFAULT_PASSWORD).status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_login_ignores_case_and_spaces_of_the_email_address(client):
    user = UserFactory(email="anna@example.test")
    response = _post(client, "  Anna@Example.TEST ", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.pk)


def test_wrong_password_gives_the_neutral_message_and_an_audit_entry_without_the_password(client):
    UserFactory(email="anna@example.test")
    response = _post(client, "anna@example.test", "not-my-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert NEUTRAL in html
    assert 'value="anna@example.test"' in html  # what was typed is kept
    assert "not-my-password" not in html
    assert _logged_in_user_id(client) is None
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.outcome == AuditOutcome.FAILURE
    assert entry.changes["attempted_email"] == "anna@example.test"
    assert entry.changes["reason"] == "wrong_credentials"
    assert "not-my-password" not in str(entry.changes) + entry.description


def test_unknown_email_gives_the_same_neutral_message(client):
    UserFactory(email="anna@example.test")
    wrong_password = _post(client, "anna@example.test", "not-my-password").content.decode()
    unknown = _post(client, "nobody@example.test", DEFAULT_PASSWORD)
    assert unknown.status_code == 200
    assert NEUTRAL in unknown.content.decode()
    assert NEUTRAL in wrong_password


def test_inactive_user_cannot_log_in(client):
    UserFactory(email="gone@example.test", is_active=False)
    response = _post(client, "gone@example.test", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert NEUTRAL in response.content.decode()
    assert _logged_in_user_id(client) is None


def test_empty_fields_get_clear_messages(client):
    response = _post(client, "", "")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter your e-mail address." in html
    assert "Enter your password." in html
    assert 'aria-invalid="true"' in html
    assert not AuditEntry.objects.exists()  # nothing was attempted


def test_invalid_email_gets_a_clear_message_and_keeps_what_was_typed(client):
    response = _post(client, "anna-at-example", "secret")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter an e-mail address like name@example.nl." in html
    assert 'value="anna-at-example"' in html


def test_very_long_input_is_refused_before_any_password_is_checked(client):
    long_email = "a" * 9_990 + "@example.nl"
    with mock.patch("samen.accounts.forms.auth.authenticate") as authenticate:
        response = _post(client, long_email, "p" * 10_000)
    assert response.status_code == 200
    authenticate.assert_not_called()
    html = response.content.decode()
    assert "An e-mail address has at most 254 characters; you entered 10001." in html
    assert "A password has at most 4096 characters; you entered 10000." in html
    assert "Enter an e-mail address like" not in html  # one clear reason, not two
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.changes["attempted_email"] == long_email[:254]
    assert entry.changes["reason"] == "invalid_input"


def test_script_in_the_email_is_escaped(client):
    response = _post(client, '<script>alert("x")</script>@example.nl', "secret")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_null_bytes_never_give_a_500_nor_reach_the_audit_log(client):
    response = _post(client, "a\x00b@example.nl", "x\x00y")
    assert response.status_code == 200
    assert AuditEntry.objects.get().changes["attempted_email"] == "ab@example.nl"


def test_repeated_fields_never_give_a_500(client):
    response = client.post(LOGIN_URL, {"email": ["a@example.nl", "<b>"], "password": ["x", "y"]})
    assert response.status_code == 200


def test_safe_next_is_followed(client):
    UserFactory(email="anna@example.test")
    response = _post(client, "anna@example.test", DEFAULT_PASSWORD, next="/account/organisatie-kiezen/")
    assert response.url == "/account/organisatie-kiezen/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:evil.example", "javascript:alert(1)"]
)
def test_next_to_another_site_is_refused(client, next_url):
    UserFactory(email="anna@example.test")
    page = client.get(LOGIN_URL, {"next": next_url}).content.decode()
    assert 'type="hidden" name="next"' not in page
    response = _post(client, "anna@example.test", DEFAULT_PASSWORD, next=next_url)
    assert response.status_code == 302
    assert response.url == HOME_URL


def test_logged_in_user_visiting_login_goes_home(log_in):
    client = log_in(UserFactory())
    response = client.get(LOGIN_URL)
    assert response.status_code == 302
    assert response.url == HOME_URL


# --- throttling (django-axes) ------------------------------------------------------------------


def test_five_wrong_passwords_lock_out_even_the_right_password(client):
    UserFactory(email="anna@example.test")
    for _ in range(4):
        assert _post(client, "anna@example.test", "wrong").status_code == 200
    _post(client, "anna@example.test", "wrong")  # the fifth failure reaches the limit

    response = _post(client, "anna@example.test", DEFAULT_PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html
    assert "try again in 15 minutes" in html
    assert reverse("accounts:password_reset") in html
    assert response["Retry-After"] == "900"
    assert _logged_in_user_id(client) is None
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, changes__reason="locked_out").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_lockout_counts_case_variants_of_one_address_together(client):
    UserFactory(email="anna@example.test")
    for email in [
        "anna@example.test",
        "ANNA@example.test",
        "Anna@Example.test",
        "anna@EXAMPLE.test",
        " anna@example.test",
    ]:
        _post(client, email, "wrong")
    assert _post(client, "anna@example.test", DEFAULT_PASSWORD).status_code == 429


def test_lockout_is_per_address(client):
    UserFactory(email="anna@example.test")
    UserFactory(email="bert@example.test")
    for _ in range(5):
        _post(client, "anna@example.test", "wrong")
    response = _post(client, "bert@example.test", DEFAULT_PASSWORD)
    assert response.status_code == 302


def test_successful_login_resets_the_failure_counter(client):
    UserFactory(email="anna@example.test")
    for _ in range(3):
        _post(client, "anna@example.test", "wrong")
    assert AccessAttempt.objects.filter(username="anna@example.test").exists()
    assert _post(client, "anna@example.test", DEFAULT_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="anna@example.test").exists()
