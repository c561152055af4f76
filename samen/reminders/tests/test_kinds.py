"""The notification's sentences: one per kind with exactly the facts it needs, made in the reader's language, with a
plain fallback for a row that does not fit (never an error on the page)."""

import pytest
from django.utils import translation

from samen.reminders import kinds
from samen.reminders.models import NotificationKind


def test_every_kind_has_a_sentence_facts_and_a_link():
    assert set(kinds.SENTENCES) == set(kinds.PARAMS) == set(kinds.LINKS) == set(NotificationKind)
    for kind, needed in kinds.PARAMS.items():
        text = str(kinds.SENTENCES[kind])
        assert {name for name in ("name", "organisation", "date") if f"%({name})s" in text} == needed, kind


CASES = [
    ("mention", {"name": "Kees"}, 1, "Kees mentioned you in a conversation.", "Kees noemde je in een gesprek."),
    ("message", {"name": "Sanne"}, 1, "Sanne wrote a new message.", "Sanne schreef een nieuw bericht."),
    ("message", {"name": "Sanne"}, 4, "Sanne and others wrote 4 new messages.",
     "Sanne en anderen schreven 4 nieuwe berichten."),
    ("signal", {"name": "Fatima"}, 1, "Fatima said that something is not going well.",
     "Fatima liet weten dat het niet goed loopt."),
    ("referral_new", {"organisation": "Wijkteam"}, 1, "Wijkteam asks your organisation to help.",
     "Wijkteam vraagt jouw organisatie om te helpen."),
    ("referral_update", {"organisation": "GGZ"}, 2, "There is news about the request to GGZ.",
     "Er is nieuws over de vraag aan GGZ."),
    ("meeting_invited", {"date": "2026-06-02"}, 1, "You are invited to a meeting on 2 June 2026.",
     "Je bent uitgenodigd voor een overleg op 2 juni 2026."),
    ("meeting_outcomes", {"date": "2026-06-02"}, 1, "What was agreed at the meeting of 2 June 2026 is written down.",
     "Wat is afgesproken in het overleg van 2 juni 2026, staat nu op papier."),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "params", "count", "english", "dutch"), CASES)
def test_the_sentence_in_the_reader_s_language(kind, params, count, english, dutch):
    with translation.override("en"):
        assert kinds.sentence(kind, params, count) == english
    with translation.override("nl"):
        assert kinds.sentence(kind, params, count) == dutch


def test_a_row_that_does_not_fit_gets_a_plain_sentence():
    with translation.override("en"):
        assert kinds.sentence("message", {}) == "New message."
        assert kinds.sentence("message", None) == "New message."
        assert kinds.sentence("no_such_kind", {"name": "x"}) == "no_such_kind"
        assert kinds.sentence("meeting_invited", {"date": "soon"}) == "You are invited to a meeting on soon."
        assert kinds.link_text("no_such_kind") == "Open"
    # HTML in a fact is text: the template escapes it.
    assert kinds.sentence("message", {"name": "<b>x</b>"}).startswith("<b>x</b>")
