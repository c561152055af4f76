"""The design catalogue (/ontwerp/): every ui component in its states, in development mode only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from samen.ui.templatetags import ui

CATALOGUE = Path(__file__).resolve().parents[1] / "templates" / "ui" / "design.html"


def test_every_component_tag_is_in_the_catalogue():
    """A new component shows up in the catalogue, so the next page uses it instead of new markup."""
    source = CATALOGUE.read_text(encoding="utf-8")
    shown = set(re.findall(r"{%\s*(ui_[a-z_]+)", source))
    components = {name for name in ui.register.tags if name.startswith("ui_")}
    assert components, "the ui library registers its components as ui_* tags"
    assert components - shown == set()


@pytest.mark.django_db
def test_the_catalogue_answers_in_development_mode_only(client, settings):
    settings.DEBUG = True
    response = client.get("/ontwerp/")
    assert response.status_code == 200
    assert "design language</h1>" in response.content.decode()
    settings.DEBUG = False
    assert client.get("/ontwerp/").status_code == 404
