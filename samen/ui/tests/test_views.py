"""The error pages: the right status, plain words, a way home, in the normal layout."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from samen.ui import views


class Explodes:
    """Stands in for anything the 500 page must not touch (user, session, actor)."""

    def __getattr__(self, name):
        raise AssertionError(f"the 500 page touched {name!r}")

    def __bool__(self):
        raise AssertionError("the 500 page touched the request state")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_unknown_url_gives_the_404_page():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>We cannot find this page</h1>" in html
    assert html.count("<h1") == 1
    assert 'href="/">Go to the home page</a>' in html
    assert 'id="main"' in html and "<footer" in html  # the base layout
    assert 'name="language"' in html  # the language switch works on the 404 page too


@pytest.mark.django_db
def test_404_page_in_dutch_by_default():
    response = Client().get("/bestaat-niet/")
    assert response.status_code == 404
    assert '<html lang="nl"' in response.content.decode()


@pytest.mark.django_db
def test_403_handler(english):
    request = RequestFactory().get("/ergens/")
    response = views.permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot open this page</h1>" in html
    assert "You do not have permission to see this page." in html
    assert 'href="/">Go to the home page</a>' in html


def test_500_handler_renders_without_database_or_request_state(english):
    # No django_db mark: any database query fails this test.
    request = RequestFactory().get("/kapot/")
    request.user = request.session = request.actor = Explodes()
    response = views.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html
    assert "This is not your fault." in html
    assert 'href="/">Go to the home page</a>' in html
    assert 'id="main"' in html and "<footer" in html  # still the base layout
    assert "hx-headers" not in html and "csrfmiddlewaretoken" not in html


def test_500_handler_speaks_dutch_by_default():
    with translation.override("nl"):
        html = views.server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="nl"' in html
