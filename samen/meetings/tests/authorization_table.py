"""The meetings' rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

Whoever may see the household's general category sees its meetings, their agenda and outcomes in general, and may
download the .ics (the informal network with a grant and the supporter too). The household itself (its members, a
representative) and the team's professionals with consent plan, change, hold and cancel them: the informal network
and the supporter may not (403). Putting an outcome in the plan follows the plan's rule (the supporter may, the
informal network may not); making someone else coordinator is for the coordinator only. A break-the-glass access for
safety alone does not see them (404), and neither does anyone outside the household.
"""

from samen.consent.models import DataCategory
from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST
from samen.meetings.tests.factories import MeetingFactory, OutcomeFactory

ENDPOINTS = {
    "meetings:list": (GET, {}),
    "meetings:detail": (GET, {}),
    "meetings:ics": (GET, {}),
    "meetings:plan": (GET, {}),
    "meetings:edit": (GET, {}),
    "meetings:hold": (GET, {}),
    "meetings:cancel": (GET, {}),
    "meetings:to_action": (GET, {}),
    "meetings:to_goal": (GET, {}),
    "meetings:to_coordinator": (GET, {}),
    "meetings:to_agreement": (POST, {"confirm": "no"}),
}

_READ = ("meetings:list", "meetings:detail", "meetings:ics")
_MANAGE = ("meetings:plan", "meetings:edit", "meetings:hold", "meetings:cancel")
_APPLY = ("meetings:to_action", "meetings:to_goal", "meetings:to_agreement")


def _row(read, manage, apply, coordinator) -> dict:
    return {
        **dict.fromkeys(_READ, read),
        **dict.fromkeys(_MANAGE, manage),
        **dict.fromkeys(_APPLY, apply),
        "meetings:to_coordinator": coordinator,
    }


_NOBODY = _row(HIDDEN, HIDDEN, HIDDEN, HIDDEN)

# fmt: off
EXPECTED = {
    "citizen":                      _row(OK,    OK,        OK,        FORBIDDEN),
    "child":                        _row(OK,    OK,        OK,        FORBIDDEN),
    "citizen_of_other_household":   _NOBODY,
    "representative":               _row(OK,    OK,        OK,        FORBIDDEN),
    "representative_expired":       _NOBODY,
    "informal_with_grant":          _row(OK,    FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "informal_without_grant":       _NOBODY,
    "professional_with_consent":    _row(OK,    OK,        OK,        FORBIDDEN),
    "professional_expired_consent": _NOBODY,
    "professional_revoked_consent": _NOBODY,
    "coordinator":                  _row(OK,    OK,        OK,        OK),
    "supporter":                    _row(OK,    FORBIDDEN, OK,        FORBIDDEN),
    "break_the_glass":              _NOBODY,
    "facilitator":                  _NOBODY,
    "policy_advisor":               _NOBODY,
    "functional_admin":             _NOBODY,
    "anonymous":                    _row(LOGIN, LOGIN,     LOGIN,     LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """A planned meeting (``meeting_id``), and a held one with an outcome in general that is not in the plan yet
    (``outcome_id``)."""
    cast.url_ids["meeting_id"] = MeetingFactory(household=cast.household).pk
    held = MeetingFactory(household=cast.household, held=True)
    cast.url_ids["outcome_id"] = OutcomeFactory(meeting=held, category=DataCategory.GENERAL).pk
