import re

import pytest
from django.core import mail
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

RESET_URL = reverse("accounts:password_reset")
NEW_PASSWORD = "a long sentence I can remember 42"


def _request(client, email):
    return client.post(RESET_URL, {"email": email})


def test_reset_page_renders(client):
    response = client.get(RESET_URL)
    assert response.status_code == 200
    assert "Forgot your password?" in response.content.decode()


def test_existing_address_gets_a_plain_language_mail(client):
    UserFactory(email="anna@example.test")
    response = _request(client, "Anna@example.test")
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.test"]
    assert message.subject == "Choose a new password for Samen"
    assert "/account/wachtwoord-vergeten/" in message.body
    assert "Was it not you? Then you do not have to do anything." in message.body


def test_unknown_address_shows_the_same_page_and_sends_nothing(client):
    UserFactory(email="anna@example.test")
    known = _request(client, "anna@example.test")
    unknown = _request(client, "nobody@example.test")
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    assert len(mail.outbox) == 1
    done = client.get(unknown.url).content.decode()
    assert "If this e-mail address belongs to an account in Samen" in done


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your e-mail address."),
        ("not-an-address", "Enter an e-mail address like name@example.nl."),
        ("a" * 10_000, "An e-mail address has at most 254 characters; you entered 10000."),
    ],
)
def test_bad_input_gets_a_clear_message(client, email, message):
    response = _request(client, email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not mail.outbox


def _reset_link(client, email) -> str:
    _request(client, email)
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0).split("testserver", 1)[1]


def test_link_lets_the_user_choose_a_new_password_once(client):
    user = UserFactory(email="anna@example.test")
    link = _reset_link(client, "anna@example.test")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="accounts.user")
    assert entry.user_id == user.pk
    assert NEW_PASSWORD not in str(entry.changes)

    again = client.get(link, follow=True).content.decode()
    assert "This link does not work anymore." in again


def test_new_password_that_is_too_long_or_too_weak_is_refused(client):
    user = UserFactory(email="anna@example.test")
    link = _reset_link(client, "anna@example.test")
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    too_long = "p" * 10_000
    response = client.post(set_password_url, {"new_password1": too_long, "new_password2": too_long})
    assert response.status_code == 200
    assert "A password has at most 4096 characters; you entered 10000." in response.content.decode()
    response = client.post(set_password_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.check_password("short")
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()
