"""Any text a person types is stored as it was written (cleaned of line-ending differences) and shown escaped: never
HTML, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samen.consent.policies import household_access
from samen.conversations import services
from samen.conversations.models import Message
from samen.organisations.actors import actor_for_user

pytestmark = pytest.mark.django_db


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=0, max_size=300))
def test_any_text_is_stored_or_refused_with_a_message_and_shown_escaped(setting, text):
    actor = actor_for_user(setting.citizen)
    access = household_access(actor, setting.household.pk)
    try:
        message = services.message_post(actor=actor, access=access, category="general", text=text)
    except ValidationError as error:
        assert set(error.message_dict) == {"text"}
        return
    stored = Message.objects.get(pk=message.pk)
    html = render_to_string(
        "conversations/_message.html",
        {
            "household": setting.household,
            "message": {"anchor": "m", "author": "A", "text": stored.text, "is_general": True},
        },
    )
    assert "<script" not in html.lower() or "<script" not in stored.text.lower()
    for dangerous in ("<", ">"):
        if dangerous in stored.text:
            assert dangerous not in html.split("data-user-text>")[1].split("</p>")[0].replace("<br>", "").replace(
                "<a ", ""
            ).replace("</a>", "").replace('rel="nofollow">', "")
