"""The dossier's rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The overview is shown to everyone who may see at least one category of the household; a note is written only
by the household itself, a representative, the team's professionals with consent and the supporter. The informal
network and a break-the-glass access may read but not write (403).
"""

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST

ENDPOINTS = {
    "dossier:overview": (GET, {}),
    # Invalid on purpose: an unknown category and no text. Nothing is stored.
    "dossier:add_note": (POST, {"category": "no-such-category", "text": ""}),
}


def _row(overview, add_note) -> dict:
    return {"dossier:overview": overview, "dossier:add_note": add_note}


# fmt: off
EXPECTED = {
    "citizen":                      _row(OK,     OK),
    "citizen_of_other_household":   _row(HIDDEN, HIDDEN),
    "representative":               _row(OK,     OK),
    "representative_expired":       _row(HIDDEN, HIDDEN),
    "informal_with_grant":          _row(OK,     FORBIDDEN),
    "informal_without_grant":       _row(HIDDEN, HIDDEN),
    "professional_with_consent":    _row(OK,     OK),
    "professional_expired_consent": _row(HIDDEN, HIDDEN),
    "professional_revoked_consent": _row(HIDDEN, HIDDEN),
    "coordinator":                  _row(OK,     OK),
    "supporter":                    _row(OK,     OK),
    "break_the_glass":              _row(OK,     FORBIDDEN),
    "facilitator":                  _row(HIDDEN, HIDDEN),
    "policy_advisor":               _row(HIDDEN, HIDDEN),
    "functional_admin":             _row(HIDDEN, HIDDEN),
    "anonymous":                    _row(LOGIN,  LOGIN),
}
# fmt: on
