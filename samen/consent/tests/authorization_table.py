"""Emergency access ("Noodtoegang") in the authorization matrix (format: ``matrix_terms``).

``consent:break_the_glass`` takes no household id but lives in the consent namespace, so the matrix finds it:
the start form is for everyone acting as a professional or coordinator (whatever their relation to the
household), 404 for everyone else. ``consent:break_the_glass_end`` stops one's own access: whoever may see the
household and acts as a professional gets the endpoint's answer (here: "we cannot find this access", back to the
household), other people who may see the household 403, the rest 404. The form data names no access at all, so
nothing changes.
"""

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST

START, STOP = "consent:break_the_glass", "consent:break_the_glass_end"

ENDPOINTS = {
    START: (GET, {}),
    STOP: (POST, {"access": "not-a-number"}),
}

# The start form shows no household data at all (no household in its URL, nothing looked up on GET): the
# crawler of ``test_access_entries`` should expect no access entry for it.
PAGES_WITHOUT_HOUSEHOLD_DATA = frozenset({START})


def _row(*, start, stop) -> dict[str, object]:
    return {START: start, STOP: stop}


# fmt: off
EXPECTED = {
    "citizen":                      _row(start=HIDDEN, stop=FORBIDDEN),
    "child":                        _row(start=HIDDEN, stop=FORBIDDEN),
    "citizen_of_other_household":   _row(start=HIDDEN, stop=HIDDEN),
    "representative":               _row(start=HIDDEN, stop=FORBIDDEN),
    "representative_expired":       _row(start=HIDDEN, stop=HIDDEN),
    "informal_with_grant":          _row(start=HIDDEN, stop=FORBIDDEN),
    "informal_without_grant":       _row(start=HIDDEN, stop=HIDDEN),
    "professional_with_consent":    _row(start=OK,     stop=OK),
    "professional_expired_consent": _row(start=OK,     stop=HIDDEN),
    "professional_revoked_consent": _row(start=OK,     stop=HIDDEN),
    "coordinator":                  _row(start=OK,     stop=OK),
    "supporter":                    _row(start=HIDDEN, stop=FORBIDDEN),
    "break_the_glass":              _row(start=OK,     stop=OK),
    "facilitator":                  _row(start=HIDDEN, stop=HIDDEN),
    "policy_advisor":               _row(start=HIDDEN, stop=HIDDEN),
    "functional_admin":             _row(start=HIDDEN, stop=HIDDEN),
    "anonymous":                    _row(start=LOGIN,  stop=LOGIN),
}
# fmt: on
