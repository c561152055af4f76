"""The households app's rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``;
format in ``samen/consent/tests/matrix_terms.py``): the coordinator's forms and the invitation page.

"Wie helpt mee", inviting and withdrawing are in the matrix's own table (they came first).

The invitation page (``households:invitation_accept``) is not gated by the household but by the link: whoever
holds a working link sees who invites them to which household's network (the inviter's first name and the
household's name). That is household data shown, so every answer 200 writes one access entry for the household
(with the invitation as object, never the token); a refusal or a broken link writes none. Professionals, acting
for an organisation, are refused (403): they join a team through its coordinator.
"""

from __future__ import annotations

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST
from samen.households import tokens
from samen.households.tests.factories import InvitationFactory

ENDPOINTS = {
    "households:add_professional": (GET, {}),
    "households:handover": (GET, {}),
    "households:invitation_accept": (GET, {}),
    # The citizen's form on "Wie helpt mee" (an invalid organisation: the page again with the error, nothing added).
    "households:add_supporter": (POST, {"supporter-organisation": "not-a-number", "supporter-email": "x"}),
}


def _row(*, coordinator_forms, invitation, supporter) -> dict[str, object]:
    return {
        "households:add_professional": coordinator_forms,
        "households:handover": coordinator_forms,
        "households:invitation_accept": invitation,
        "households:add_supporter": supporter,
    }


# fmt: off
EXPECTED = {
    # coordinator_forms: add a professional, hand over coordination; invitation: the page behind an invitation link;
    # supporter: the citizen brings in an independent client supporter (the gate of inviting: households.delegate)
    "citizen":                      _row(coordinator_forms=FORBIDDEN, invitation=OK, supporter=OK),
    "child":                        _row(coordinator_forms=FORBIDDEN, invitation=OK, supporter=OK),
    "citizen_of_other_household":   _row(coordinator_forms=HIDDEN,    invitation=OK, supporter=HIDDEN),
    "representative":               _row(coordinator_forms=FORBIDDEN, invitation=OK, supporter=OK),
    "representative_expired":       _row(coordinator_forms=HIDDEN,    invitation=OK, supporter=HIDDEN),
    "informal_with_grant":          _row(coordinator_forms=FORBIDDEN, invitation=OK, supporter=FORBIDDEN),
    "informal_without_grant":       _row(coordinator_forms=HIDDEN,    invitation=OK, supporter=HIDDEN),
    "professional_with_consent":    _row(coordinator_forms=FORBIDDEN, invitation=FORBIDDEN, supporter=FORBIDDEN),
    "professional_expired_consent": _row(coordinator_forms=HIDDEN,    invitation=FORBIDDEN, supporter=HIDDEN),
    "professional_revoked_consent": _row(coordinator_forms=HIDDEN,    invitation=FORBIDDEN, supporter=HIDDEN),
    "coordinator":                  _row(coordinator_forms=OK,        invitation=FORBIDDEN, supporter=FORBIDDEN),
    "supporter":                    _row(coordinator_forms=FORBIDDEN, invitation=FORBIDDEN, supporter=FORBIDDEN),
    "break_the_glass":              _row(coordinator_forms=HIDDEN,    invitation=FORBIDDEN, supporter=HIDDEN),
    "facilitator":                  _row(coordinator_forms=HIDDEN,    invitation=FORBIDDEN, supporter=HIDDEN),
    "policy_advisor":               _row(coordinator_forms=HIDDEN,    invitation=FORBIDDEN, supporter=HIDDEN),
    "functional_admin":             _row(coordinator_forms=HIDDEN,    invitation=FORBIDDEN, supporter=HIDDEN),
    "anonymous":                    _row(coordinator_forms=LOGIN,     invitation=OK, supporter=LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """An open invitation of the household, sent by the citizen: its link's token is the ``<token>`` value."""
    invitation = InvitationFactory(household=cast.household, invited_by=cast.users["citizen"])
    cast.url_ids["token"] = tokens.invitation_token(invitation)
