"""The self-assessment rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The page is shown to everyone who may see a category it shows (general for the spinnenweb, the ZRM domains'
categories; break-the-glass for safety sees the "relationships at home" domain). A ZRM is recorded only by the
team's professionals and coordinator with consent to write general information; a spinnenweb also by the
member themselves and a representative. The informal network, the supporter and a break-the-glass access may
read but not record (403).
"""

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK

ENDPOINTS = {
    "assessments:overview": (GET, {}),
    "assessments:zrm_new": (GET, {}),
    "assessments:spinnenweb_new": (GET, {}),
}


def _row(overview, zrm, spinnenweb) -> dict:
    return {"assessments:overview": overview, "assessments:zrm_new": zrm, "assessments:spinnenweb_new": spinnenweb}


# fmt: off
EXPECTED = {
    "citizen":                      _row(OK,     FORBIDDEN, OK),
    "child":                        _row(OK,     FORBIDDEN, OK),
    "citizen_of_other_household":   _row(HIDDEN, HIDDEN,    HIDDEN),
    "representative":               _row(OK,     FORBIDDEN, OK),
    "representative_expired":       _row(HIDDEN, HIDDEN,    HIDDEN),
    "informal_with_grant":          _row(OK,     FORBIDDEN, FORBIDDEN),
    "informal_without_grant":       _row(HIDDEN, HIDDEN,    HIDDEN),
    "professional_with_consent":    _row(OK,     OK,        OK),
    "professional_expired_consent": _row(HIDDEN, HIDDEN,    HIDDEN),
    "professional_revoked_consent": _row(HIDDEN, HIDDEN,    HIDDEN),
    "coordinator":                  _row(OK,     OK,        OK),
    "supporter":                    _row(OK,     FORBIDDEN, FORBIDDEN),
    "break_the_glass":              _row(OK,     FORBIDDEN, FORBIDDEN),
    "facilitator":                  _row(HIDDEN, HIDDEN,    HIDDEN),
    "policy_advisor":               _row(HIDDEN, HIDDEN,    HIDDEN),
    "functional_admin":             _row(HIDDEN, HIDDEN,    HIDDEN),
    "anonymous":                    _row(LOGIN,  LOGIN,     LOGIN),
}
# fmt: on
