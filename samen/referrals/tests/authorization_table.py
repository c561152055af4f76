"""The referrals' rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The household's referrals (the list and one referral in ``general``) are shown to its members and active
representatives, to the professionals in the team whose organisation has consent, and to the independent client
supporter; not to the informal network (the referral is the professionals' and the household's business) nor to a
break-the-glass access. Referring is for a professional with consent and for whoever decides on consent in the
household (the child of 12 and the supporter see the list but get 403 on the form). On the cast's referral,
requested by the coordinator: the coordinator (who asked) and the household's adults may cancel it; the
professional of another organisation in the team has no button (403). Answering the consent question is for whoever
decides on consent for its category. The receiving organisation's own pages (no household id in their URL) are in
``test_authorization.py``.
"""

from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST
from samen.core.vocabulary import DataCategory
from samen.households.models import TeamMember
from samen.organisations.tests.factories import OrganisationFactory
from samen.referrals.models import ReferralStatus
from samen.referrals.tests.factories import ReferralFactory

ENDPOINTS = {
    "referrals:list": (GET, {}),
    "referrals:new": (GET, {}),
    "referrals:detail": (GET, {}),
    # Invalid on purpose: no such status, no such answer. Nothing changes.
    "referrals:move": (POST, {"to": "no-such-status", "version": "1"}),
    "referrals:answer": (POST, {"decision": "maybe", "version": "1"}),
}


def _row(see, refer, move, answer) -> dict:
    return {
        "referrals:list": see,
        "referrals:detail": see,
        "referrals:new": refer,
        "referrals:move": move,
        "referrals:answer": answer,
    }


_NOBODY = _row(HIDDEN, HIDDEN, HIDDEN, HIDDEN)

# fmt: off
EXPECTED = {
    "citizen":                      _row(OK, OK,        OK,        OK),
    "child":                        _row(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "citizen_of_other_household":   _NOBODY,
    "representative":               _row(OK, OK,        OK,        OK),
    "representative_expired":       _NOBODY,
    "informal_with_grant":          _NOBODY,
    "informal_without_grant":       _NOBODY,
    "professional_with_consent":    _row(OK, OK,        FORBIDDEN, FORBIDDEN),
    "professional_expired_consent": _NOBODY,
    "professional_revoked_consent": _NOBODY,
    "coordinator":                  _row(OK, OK,        OK,        FORBIDDEN),
    "supporter":                    _row(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "break_the_glass":              _NOBODY,
    "facilitator":                  _NOBODY,
    "policy_advisor":               _NOBODY,
    "functional_admin":             _NOBODY,
    "anonymous":                    _row(LOGIN, LOGIN,  LOGIN,     LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """A referral of the cast household in ``general``, requested by its coordinator, to an organisation outside the
    team."""
    coordinator = TeamMember.objects.get(household=cast.household, user=cast.users["coordinator"])
    referral = ReferralFactory(
        household=cast.household,
        from_organisation=coordinator.organisation,
        to_organisation=OrganisationFactory(name="GGZ Matrix"),
        requested_by=coordinator.user,
        category=DataCategory.GENERAL,
        status=ReferralStatus.REQUESTED,
    )
    cast.url_ids["referral_id"] = referral.pk
