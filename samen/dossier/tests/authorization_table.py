"""The dossier's rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The overview and the timeline are shown to everyone who may see at least one category of the household; a note,
a conversation summary and a document are written only by the household itself, a representative, the team's
professionals with consent and the supporter. The informal network and a break-the-glass access may read but
not write (403). One entry and its document (both ``general``) are shown to whoever may see ``general``; only a
professional or coordinator with consent for ``general`` may hide it from the household. The intake is read by
whoever may see ``general``, and filled in by the citizen (member or representative) or the coordinator.
"""

from samen.consent.models import DataCategory
from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST

ENDPOINTS = {
    "dossier:overview": (GET, {}),
    "dossier:timeline": (GET, {}),
    "dossier:entry": (GET, {}),
    "dossier:document": (GET, {}),
    # Invalid on purpose: an unknown category, no text, no file, no reason. Nothing is stored.
    "dossier:add_note": (POST, {"category": "no-such-category", "text": ""}),
    "dossier:add_conversation": (POST, {"category": "no-such-category", "participants": "", "text": ""}),
    "dossier:add_document": (POST, {"category": "no-such-category"}),
    "dossier:hide_entry": (POST, {"reason": "no-such-reason", "explanation": ""}),
    "dossier:intake": (GET, {}),
    "dossier:intake_edit": (GET, {}),
}

_WRITE = ("dossier:add_note", "dossier:add_conversation", "dossier:add_document")
_ENTRY = ("dossier:entry", "dossier:document")


def _row(overview, write, entry, hide, intake, edit_intake) -> dict:
    return {
        "dossier:intake": intake,
        "dossier:intake_edit": edit_intake,
        "dossier:overview": overview,
        "dossier:timeline": overview,
        **dict.fromkeys(_WRITE, write),
        **dict.fromkeys(_ENTRY, entry),
        "dossier:hide_entry": hide,
    }


# fmt: off
EXPECTED = {
    #                                overview write      entry   hide       intake  edit intake
    "citizen":                      _row(OK,     OK,        OK,     FORBIDDEN, OK,     OK),
    "child":                        _row(OK,     OK,        OK,     FORBIDDEN, OK,     OK),
    "citizen_of_other_household":   _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "representative":               _row(OK,     OK,        OK,     FORBIDDEN, OK,     OK),
    "representative_expired":       _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "informal_with_grant":          _row(OK,     FORBIDDEN, OK,     FORBIDDEN, OK,     FORBIDDEN),
    "informal_without_grant":       _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "professional_with_consent":    _row(OK,     OK,        OK,     OK,        OK,     FORBIDDEN),
    "professional_expired_consent": _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "professional_revoked_consent": _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "coordinator":                  _row(OK,     OK,        OK,     OK,        OK,     OK),
    "supporter":                    _row(OK,     OK,        OK,     FORBIDDEN, OK,     FORBIDDEN),
    "break_the_glass":              _row(OK,     FORBIDDEN, HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "facilitator":                  _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "policy_advisor":               _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "functional_admin":             _row(HIDDEN, HIDDEN,    HIDDEN, HIDDEN,    HIDDEN, HIDDEN),
    "anonymous":                    _row(LOGIN,  LOGIN,     LOGIN,  LOGIN,     LOGIN,  LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """A ``general`` document in the household, written by the citizen, and an intake with a situation in two
    domains (factories only: no audit entry)."""
    from samen.dossier.tests.factories import DocumentEntryFactory, IntakeFactory, IntakeSituationFactory

    intake = IntakeFactory(household=cast.household, filled_by=cast.users["citizen"])
    IntakeSituationFactory(intake=intake, domain="finances")
    IntakeSituationFactory(intake=intake, domain="physical_health")

    entry = DocumentEntryFactory(
        household=cast.household, category=DataCategory.GENERAL, written_by=cast.users["citizen"]
    )
    cast.url_ids["entry_id"] = entry.pk
