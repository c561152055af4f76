import pytest
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

LOGOUT_URL = reverse("accounts:logout")


def test_get_shows_a_confirmation_and_does_not_log_out(log_in):
    user = UserFactory()
    client = log_in(user)
    response = client.get(LOGOUT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{LOGOUT_URL}" method="post"' in html or f'method="post" action="{LOGOUT_URL}"' in html
    assert "Do you want to log out of Samen?" in html
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert not AuditEntry.objects.filter(action=AuditAction.LOGOUT).exists()


def test_post_logs_out_audits_and_says_so_on_the_login_page(log_in):
    user = UserFactory()
    client = log_in(user)
    response = client.post(LOGOUT_URL)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert client.session.get("_auth_user_id") is None
    entry = AuditEntry.objects.get(action=AuditAction.LOGOUT)
    assert entry.user_id == user.pk
    page = client.get(response.url)
    assert "You are logged out." in page.content.decode()


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    assert client.get(LOGOUT_URL).url == reverse("accounts:login")
    assert client.post(LOGOUT_URL).url == reverse("accounts:login")
    assert not AuditEntry.objects.exists()


def test_logout_needs_the_csrf_token(log_in):
    user = UserFactory()
    client = log_in(user)
    client.handler.enforce_csrf_checks = True
    response = client.post(LOGOUT_URL)
    assert response.status_code == 403
    assert client.session.get("_auth_user_id") == str(user.pk)
