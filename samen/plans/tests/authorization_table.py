"""The plan's rows in the authorization matrix (``samen/consent/tests/test_authorization_matrix.py``).

The plan is shown to everyone who may see the general category; it is written by the household itself, a
representative, the team's professionals with consent and the supporter. The informal network reads only (403
on every write); a break-the-glass access for safety alone does not see the plan (404). Agreeing with a version
is for the household (a member or a representative) only.
"""

from samen.consent.models import DataCategory
from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST
from samen.plans.models import ZrmDomain
from samen.plans.tests.factories import (
    ActionFactory,
    EvaluationMomentFactory,
    GoalFactory,
    PlanFactory,
    PlanVersionFactory,
)
from samen.socialmap.tests.factories import ServiceFactory

ENDPOINTS = {
    "plans:plan": (GET, {}),
    "plans:print": (GET, {}),
    "plans:versions": (GET, {}),
    "plans:version_diff": (GET, {}),
    "plans:edit_plan": (GET, {}),
    "plans:edit_goal": (GET, {}),
    "plans:edit_action": (GET, {}),
    "plans:record_outcome": (GET, {}),
    # The small pages that add to the plan or mark an action done (a form each; GET shows it).
    "plans:add_goal": (GET, {}),
    "plans:add_action": (GET, {}),
    "plans:add_service_action": (GET, {}),
    "plans:action_done": (GET, {}),
    "plans:add_agreement": (GET, {}),
    "plans:add_evaluation": (GET, {}),
    "plans:save_version": (POST, {"confirm": "no"}),
    "plans:agree": (POST, {"confirm": "no"}),
}

_READ = ("plans:plan", "plans:print", "plans:versions", "plans:version_diff")
_WRITE = tuple(name for name in ENDPOINTS if name not in _READ and name != "plans:agree")


def _row(read, write, agree) -> dict:
    return {**dict.fromkeys(_READ, read), **dict.fromkeys(_WRITE, write), "plans:agree": agree}


# fmt: off
EXPECTED = {
    "citizen":                      _row(OK,     OK,        OK),
    "child":                        _row(OK,     OK,        OK),
    "citizen_of_other_household":   _row(HIDDEN, HIDDEN,    HIDDEN),
    "representative":               _row(OK,     OK,        OK),
    "representative_expired":       _row(HIDDEN, HIDDEN,    HIDDEN),
    "informal_with_grant":          _row(OK,     FORBIDDEN, FORBIDDEN),
    "informal_without_grant":       _row(HIDDEN, HIDDEN,    HIDDEN),
    "professional_with_consent":    _row(OK,     OK,        FORBIDDEN),
    "professional_expired_consent": _row(HIDDEN, HIDDEN,    HIDDEN),
    "professional_revoked_consent": _row(HIDDEN, HIDDEN,    HIDDEN),
    "coordinator":                  _row(OK,     OK,        FORBIDDEN),
    "supporter":                    _row(OK,     OK,        FORBIDDEN),
    "break_the_glass":              _row(HIDDEN, HIDDEN,    HIDDEN),
    "facilitator":                  _row(HIDDEN, HIDDEN,    HIDDEN),
    "policy_advisor":               _row(HIDDEN, HIDDEN,    HIDDEN),
    "functional_admin":             _row(HIDDEN, HIDDEN,    HIDDEN),
    "anonymous":                    _row(LOGIN,  LOGIN,     LOGIN),
}
# fmt: on


def extend_cast(cast) -> None:
    """A plan with a goal in general and one in finances, an open action on the general goal, an evaluation
    moment, two versions and a service in the social map."""
    plan = PlanFactory(household=cast.household)
    general = GoalFactory(plan=plan, domain=ZrmDomain.TIME_USE, category=DataCategory.GENERAL)
    GoalFactory(plan=plan, domain=ZrmDomain.FINANCES, category=DataCategory.FINANCES)
    action = ActionFactory(goal=general)
    PlanVersionFactory(plan=plan, number=1)
    latest = PlanVersionFactory(plan=plan, number=2)
    cast.url_ids["goal_id"] = general.pk
    cast.url_ids["action_id"] = action.pk
    cast.url_ids["version_id"] = latest.pk
    cast.url_ids["evaluation_id"] = EvaluationMomentFactory(plan=plan).pk
    cast.url_ids["service_id"] = ServiceFactory().pk  # a service of the social map, put in the plan as an action
