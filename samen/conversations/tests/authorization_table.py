"""The conversation's rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The household conversation and a signal's thread are shown to everyone who may see at least one category of the
household (each message then only in the categories the reader sees); the polling endpoint answers the same way,
but with "not found" for someone who is not logged in (it is only called by a page). "Het loopt niet goed" is for
everyone who may write in the household's general category, the informal network included; a conversation between
professionals is started by a professional or coordinator of the team with consent; a signal is solved by the
coordinator or by whoever raised it (here: the citizen); a summary is saved by who may write notes.
"""

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST

ENDPOINTS = {
    "conversations:household": (GET, {}),
    "conversations:thread": (GET, {}),
    "conversations:poll": (GET, {}),
    "conversations:raise_signal": (GET, {}),
    "conversations:start_thread": (GET, {}),
    # Invalid on purpose: no resolution, an unknown category. Nothing is stored.
    "conversations:resolve": (POST, {"resolution": ""}),
    "conversations:summary": (POST, {"category": "no-such-category"}),
}


def _row(view, poll, signal, start, resolve, summary) -> dict:
    return {
        "conversations:household": view,
        "conversations:thread": view,
        "conversations:poll": poll,
        "conversations:raise_signal": signal,
        "conversations:start_thread": start,
        "conversations:resolve": resolve,
        "conversations:summary": summary,
    }


_NONE = _row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)

# fmt: off
EXPECTED = {
    #                                view    poll    signal     start      resolve    summary
    "citizen":                      _row(OK,     OK,     OK,        FORBIDDEN, OK,        OK),
    "child":                        _row(OK,     OK,     OK,        FORBIDDEN, FORBIDDEN, OK),
    "citizen_of_other_household":   _NONE,
    "representative":               _row(OK,     OK,     OK,        FORBIDDEN, FORBIDDEN, OK),
    "representative_expired":       _NONE,
    "informal_with_grant":          _row(OK,     OK,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "informal_without_grant":       _NONE,
    "professional_with_consent":    _row(OK,     OK,     OK,        OK,        FORBIDDEN, OK),
    "professional_expired_consent": _NONE,
    "professional_revoked_consent": _NONE,
    "coordinator":                  _row(OK,     OK,     OK,        OK,        OK,        OK),
    "supporter":                    _row(OK,     OK,     OK,        FORBIDDEN, FORBIDDEN, OK),
    "break_the_glass":              _row(OK,     OK,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "facilitator":                  _NONE,
    "policy_advisor":               _NONE,
    "functional_admin":             _NONE,
    "anonymous":                    _row(LOGIN,  HIDDEN, LOGIN,     LOGIN,     LOGIN,     LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """An open signal raised by the citizen, with its thread and a first message (factories only)."""
    from samen.conversations.tests.factories import SignalFactory

    signal = SignalFactory(household=cast.household, raised_by=cast.users["citizen"])
    cast.url_ids["thread_id"] = signal.thread_id
