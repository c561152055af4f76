"""The base layout: landmarks, one h1, the current page marked, the language switch (without JavaScript)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from samen.accounts.tests.factories import UserFactory
from samen.households.tests.factories import HouseholdMemberFactory

pytestmark = pytest.mark.django_db

SAMEN_CSS = Path(__file__).resolve().parents[1] / "static" / "samen" / "samen.css"


@pytest.fixture
def citizen_client(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    member = HouseholdMemberFactory(user=UserFactory(full_name="Fatima Bakker"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    return client


def test_layout_has_landmarks_skip_link_and_one_h1(citizen_client):
    html = citizen_client.get("/").content.decode()
    body = html[html.index("<body") :]
    assert re.search(r'<a class="utrecht-skip-link[^"]*" href="#main">', body)
    assert body.index("utrecht-skip-link") < body.index("<header")  # the first thing a keyboard reaches
    assert body.count("<header") == 1 and body.count("<main") == 1 and body.count("<footer") == 1
    assert '<main class="samen-main samen-container" id="main" tabindex="-1">' in body
    assert re.search(r'<nav class="[^"]*" aria-label="[^"]+">', body)
    assert re.search(r'<form class="samen-language"[^>]*aria-label="[^"]+"', body)
    assert body.count("<h1") == 1
    assert '<html lang="nl"' in html


def test_navigation_marks_the_current_page(citizen_client):
    html = citizen_client.get("/").content.decode()
    assert re.search(r'<a class="samen-menu__link" href="/" aria-current="page">', html)
    assert "Fatima Bakker" in html


def test_no_current_page_on_an_unknown_url(citizen_client):
    html = citizen_client.get("/bestaat-niet/").content.decode()
    assert 'aria-current="page"' not in html


def _switch(client, page: str, language: str):
    html = client.get(page).content.decode()
    form = re.search(r'<form class="samen-language" action="([^"]+)" method="post".*?</form>', html, re.DOTALL)
    assert form, "the language switch is a plain form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    assert f'name="language" value="{language}"' in form.group(0)
    response = client.post(form.group(1), {"language": language, "next": page, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == page
    return client.get(page).content.decode()


def test_language_switch_to_english_and_back_without_javascript(citizen_client):
    dutch = citizen_client.get("/").content.decode()
    assert "<h1>Mijn huishouden</h1>" in dutch
    assert 'value="en" lang="en">English</button>' in dutch

    english = _switch(citizen_client, "/", "en")
    assert '<html lang="en"' in english
    assert "<h1>My household</h1>" in english
    assert "Skip to main content" in english
    assert 'value="nl" lang="nl">Nederlands</button>' in english

    back = _switch(citizen_client, "/", "nl")
    assert '<html lang="nl"' in back
    assert "<h1>Mijn huishouden</h1>" in back
    assert "Direct naar de inhoud" in back


def test_layout_css_uses_design_tokens_not_colours():
    css = SAMEN_CSS.read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(", css)
    for colour_property in re.findall(r"(?:^|\s)((?:background-)?color|border[a-z-]*)\s*:\s*([^;]+);", css):
        value = colour_property[1]
        # What is left after the safe words (a line style, a unit, the text colour) must not name a colour.
        rest = re.sub(r"\b(?:solid|dashed|none|inherit|transparent|currentColor|\d*\.?\d+(?:px|rem|em)?)\b", "", value)
        assert "var(--" in value or not re.search(r"[a-zA-Z]", rest), colour_property


@pytest.mark.django_db
def test_the_menu_offers_switching_only_to_professionals_with_several_memberships(client):
    from samen.organisations.tests.factories import MembershipFactory

    single = MembershipFactory()
    client.force_login(single.user, backend="samen.accounts.backends.SamenBackend")
    assert "/account/organisatie-kiezen/" not in client.get("/").content.decode()

    double = MembershipFactory()
    MembershipFactory(user=double.user)
    client.force_login(double.user, backend="samen.accounts.backends.SamenBackend")
    assert 'href="/account/organisatie-kiezen/"' in client.get("/").content.decode()
