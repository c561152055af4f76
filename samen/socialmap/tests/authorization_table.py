"""The social map's rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The directory's pages take no household id; the household's own network map does (``network_views.py``):

- the map (``socialmap:network``): whoever sees the household's general category: its members (the child of 12 too),
  the representative, the neighbour with a personal grant, the professionals with consent and the coordinator, the
  supporter; not a break-the-glass access for safety, nor anyone outside;
- adding, changing, removing someone and inviting them into the team: the household itself (an adult member, a
  representative within general); everyone else who sees the map gets 403;
- "add to the plan" from the map: whoever writes in the plan (the household, the child, the representative, the
  professionals with consent and the supporter); the neighbour reads the plan only (403).
"""

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST
from samen.socialmap.tests.factories import NetworkPersonFactory

ENDPOINTS = {
    "socialmap:network": (GET, {}),
    "socialmap:network_add": (GET, {}),
    "socialmap:network_edit": (GET, {}),
    "socialmap:network_invite": (GET, {}),
    "socialmap:network_action": (GET, {}),
    # Invalid on purpose: no version. Nothing changes.
    "socialmap:network_remove": (POST, {"version": "not-a-version"}),
}
_KEEPING = ("socialmap:network_add", "socialmap:network_edit", "socialmap:network_invite", "socialmap:network_remove")


def _row(see, keep, plan) -> dict:
    return {"socialmap:network": see, **dict.fromkeys(_KEEPING, keep), "socialmap:network_action": plan}


_NOBODY = _row(HIDDEN, HIDDEN, HIDDEN)

# fmt: off
EXPECTED = {
    "citizen":                      _row(OK,    OK,        OK),
    "child":                        _row(OK,    FORBIDDEN, OK),
    "citizen_of_other_household":   _NOBODY,
    "representative":               _row(OK,    OK,        OK),
    "representative_expired":       _NOBODY,
    "informal_with_grant":          _row(OK,    FORBIDDEN, FORBIDDEN),
    "informal_without_grant":       _NOBODY,
    "professional_with_consent":    _row(OK,    FORBIDDEN, OK),
    "professional_expired_consent": _NOBODY,
    "professional_revoked_consent": _NOBODY,
    "coordinator":                  _row(OK,    FORBIDDEN, OK),
    "supporter":                    _row(OK,    FORBIDDEN, OK),
    "break_the_glass":              _NOBODY,
    "facilitator":                  _NOBODY,
    "policy_advisor":               _NOBODY,
    "functional_admin":             _NOBODY,
    "anonymous":                    _row(LOGIN, LOGIN,     LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """Someone on the cast household's map."""
    cast.url_ids["person_id"] = NetworkPersonFactory(household=cast.household, name="Oma Matrix").pk
