"""The authorization matrix (issue 3): every role × every household page and endpoint, and every role × data
category, asserted from one readable table.

One household with the full cast around it is built once for this module (inside a transaction that is rolled
back at the end); every test runs in its own savepoint on top of it. The completeness tests walk the URL
resolver and ``Role``: a new household page, or a new role, without a row in the tables below makes them fail.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import importlib.util
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from samen.consent.models import ALL_CATEGORIES, DataCategory
from samen.consent.policies import categories_visible_to
from samen.consent.tests.factories import (
    BreakTheGlassFactory,
    ConsentGrantFactory,
    ConsentRequestFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.consent.tests.matrix_terms import FORBIDDEN, GET, HIDDEN, LOGIN, OK, POST
from samen.core.actor import ANONYMOUS, Actor, Role
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory, InvitationFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory

BACKEND = "samen.accounts.backends.SamenBackend"
HOUSEHOLD_NAMESPACES = frozenset({"consent", "households"})
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

GENERAL, HEALTH, FINANCES, SAFETY, YOUTH = (
    DataCategory.GENERAL,
    DataCategory.HEALTH,
    DataCategory.FINANCES,
    DataCategory.SAFETY,
    DataCategory.YOUTH,
)

# --- the cast -----------------------------------------------------------------------------------------------

CHILD_AGE = 12


def years_ago(years: int) -> datetime.date:
    """A date of birth that makes someone ``years`` old today (on the Dutch calendar day)."""
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=28 if (today.month, today.day) == (2, 29) else today.day)


# Who is who, and the role in which they act (checked against ``actor_for_user`` by a test below).
CAST_ROLES: dict[str, Role] = {
    "citizen": Role.CITIZEN,  # adult member of the household, with an account
    "child": Role.CITIZEN,  # member of the household aged 12, with an account: sees general and youth only
    "citizen_of_other_household": Role.CITIZEN,
    "representative": Role.CITIZEN,  # represents the grandmother for general and finances
    "representative_expired": Role.CITIZEN,
    "informal_with_grant": Role.CITIZEN,  # the neighbour, with a personal grant for general
    "informal_without_grant": Role.CITIZEN,
    "professional_with_consent": Role.PROFESSIONAL,  # organisation has general and finances
    "professional_expired_consent": Role.PROFESSIONAL,
    "professional_revoked_consent": Role.PROFESSIONAL,
    "coordinator": Role.COORDINATOR,  # organisation has general and youth
    "supporter": Role.CLIENT_SUPPORTER,  # independent, personal grants for general and health
    "break_the_glass": Role.PROFESSIONAL,  # not in the team, an active access for safety
    "facilitator": Role.NETWORK_FACILITATOR,  # of a network holding the consented organisation
    "policy_advisor": Role.POLICY_ADVISOR,
    "functional_admin": Role.FUNCTIONAL_ADMIN,
    "anonymous": Role.ANONYMOUS,
}


@dataclass
class Cast:
    household: object
    users: dict[str, object | None] = field(default_factory=dict)  # None: anonymous
    url_ids: dict[str, int] = field(default_factory=dict)  # values for URL parameters other than household_id

    def actor(self, who: str) -> Actor:
        user = self.users[who]
        return ANONYMOUS if user is None else actor_for_user(user)

    def client(self, who: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if self.users[who] is not None:
            client.force_login(self.users[who], backend=BACKEND)
        return client


def build_cast() -> Cast:
    """One household with everyone around it (factories only: nothing here writes the audit log)."""
    household = HouseholdFactory(name="Familie Bakker")
    other_household = HouseholdFactory(name="Familie Jansen")
    cast = Cast(household=household)
    users = cast.users

    users["citizen"] = CitizenFactory(household=household, date_of_birth=datetime.date(1985, 5, 17)).user
    users["citizen_of_other_household"] = CitizenFactory(household=other_household).user
    users["child"] = CitizenFactory(
        household=household, relation=Relation.CHILD, given_name="Sem", date_of_birth=years_ago(CHILD_AGE)
    ).user
    grandmother = HouseholdMemberFactory(
        household=household, relation=Relation.GRANDPARENT, date_of_birth=datetime.date(1940, 3, 1)
    )
    users["representative"] = RepresentativeFactory(member=grandmother, scope=[GENERAL, FINANCES]).user
    users["representative_expired"] = RepresentativeFactory(member=grandmother, expired=True).user

    informal = TeamMemberFactory(household=household, informal=True)
    ConsentGrantFactory(household=household, organisation=None, team_member=informal, category=GENERAL)
    users["informal_with_grant"] = informal.user
    users["informal_without_grant"] = TeamMemberFactory(household=household, informal=True).user

    professional = TeamMemberFactory(household=household)
    for category in (GENERAL, FINANCES):
        ConsentGrantFactory(household=household, organisation=professional.organisation, category=category)
    users["professional_with_consent"] = professional.user

    expired = TeamMemberFactory(household=household)
    ConsentGrantFactory(household=household, organisation=expired.organisation, expired=True)
    users["professional_expired_consent"] = expired.user
    revoked = TeamMemberFactory(household=household)
    ConsentGrantFactory(household=household, organisation=revoked.organisation, revoked=True)
    users["professional_revoked_consent"] = revoked.user

    coordinator = TeamMemberFactory(household=household, coordinator=True)
    for category in (GENERAL, YOUTH):
        ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=category)
    users["coordinator"] = coordinator.user

    supporter = TeamMemberFactory(household=household, supporter=True)
    for category in (GENERAL, HEALTH):
        ConsentGrantFactory(household=household, organisation=None, team_member=supporter, category=category)
    users["supporter"] = supporter.user

    emergency = MembershipFactory(organisation=OrganisationFactory())
    BreakTheGlassFactory(
        household=household, user=emergency.user, organisation=emergency.organisation, categories=[SAFETY.value]
    )
    users["break_the_glass"] = emergency.user

    facilitator = MembershipFactory(facilitator=True, organisation=professional.organisation)
    NetworkFactory(organisations=[professional.organisation], facilitators=[facilitator.user])
    users["facilitator"] = facilitator.user
    users["policy_advisor"] = MembershipFactory(policy_advisor=True).user
    users["functional_admin"] = MembershipFactory(functional_admin=True).user
    users["anonymous"] = None

    # Something real behind the endpoints that take a second id: an open request of the organisation whose
    # consent expired (asking again), and an open invitation.
    cast.url_ids["request_id"] = ConsentRequestFactory(team_member=expired, household=household).pk
    InvitationFactory(household=household, invited_by=users["citizen"])
    for table in CONTRIBUTED_TABLES:
        if hasattr(table, "extend_cast"):
            table.extend_cast(cast)
    return cast


@contextlib.contextmanager
def cast_for_module(django_db_blocker):
    """Build the cast once, in a transaction rolled back when the module is done (like ``setUpTestData``)."""
    # The root conftest's fast hasher is a per-test fixture, not active yet while a module fixture is built.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        atomic = transaction.atomic()
        atomic.__enter__()
        cast = build_cast()
    try:
        yield cast
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with cast_for_module(django_db_blocker) as built:
        yield built


# --- the household URLs, from the resolver ------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdUrl:
    name: str  # "namespace:name"
    route: str
    params: tuple[str, ...]


def household_urls() -> list[HouseholdUrl]:
    """Every URL pattern whose route takes a household id, or that lives in a household namespace."""
    found: list[HouseholdUrl] = []

    def walk(patterns, namespace: str, prefix: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            here = params + tuple(entry.pattern.regex.groupindex)
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace, route, here)
            elif isinstance(entry, URLPattern) and ("household_id" in here or namespace in HOUSEHOLD_NAMESPACES):
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                found.append(HouseholdUrl(name=name, route=route, params=here))

    walk(get_resolver().url_patterns, "", "", ())
    return found


def url_for(household_url: HouseholdUrl | str, cast: Cast) -> str:
    if isinstance(household_url, str):
        household_url = next(item for item in household_urls() if item.name == household_url)
    kwargs = {}
    for param in household_url.params:
        if param == "household_id":
            kwargs[param] = cast.household.pk
        else:
            assert param in cast.url_ids, f"{household_url.name}: add a value for <{param}> to Cast.url_ids"
            kwargs[param] = cast.url_ids[param]
    return reverse(household_url.name, kwargs=kwargs)


# --- THE TABLE: role × page/endpoint ------------------------------------------------------------------------

# The method of each household URL, and the (harmless or invalid) form data its test sends: nothing changes.
ENDPOINTS: dict[str, tuple[str, dict]] = {
    "consent:matrix": (GET, {}),
    "consent:access_log": (GET, {}),
    "households:team": (GET, {}),
    "consent:grant": (POST, {"category": "no-such-category"}),
    "consent:revoke": (POST, {"grant": "not-a-number"}),
    "consent:answer_request": (POST, {"decision": "maybe"}),
    "households:invite": (POST, {"name": "", "email": "not-an-address"}),
    "households:withdraw": (POST, {"invitation": "not-a-number"}),
}

# Per role: the answer for each URL. The three consent buttons and the two invitation buttons are grouped:
# they share their gate (``consent.manage`` / ``households.delegate``) but each is asserted on its own.
_CONSENT_VIEW = ("consent:matrix", "consent:access_log")
_CONSENT_BUTTONS = ("consent:grant", "consent:revoke", "consent:answer_request")
_INVITATION_BUTTONS = ("households:invite", "households:withdraw")


def _row(*, view, team, consent, invite) -> dict[str, object]:
    return {
        **dict.fromkeys(_CONSENT_VIEW, view),
        "households:team": team,
        **dict.fromkeys(_CONSENT_BUTTONS, consent),
        **dict.fromkeys(_INVITATION_BUTTONS, invite),
    }


# fmt: off
PAGE_MATRIX: dict[str, dict[str, object]] = {
    # view: wie-mag-wat-zien and wie-keek; team: wie-helpt-mee; consent: grant/revoke/answer; invite: invite/withdraw
    "citizen":                      _row(view=OK,       team=OK,       consent=OK,        invite=OK),
    "child":                        _row(view=OK,       team=OK,       consent=FORBIDDEN, invite=OK),
    "citizen_of_other_household":   _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "representative":               _row(view=OK,       team=OK,       consent=OK,        invite=OK),
    "representative_expired":       _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "informal_with_grant":          _row(view=HIDDEN,   team=OK,       consent=FORBIDDEN, invite=FORBIDDEN),
    "informal_without_grant":       _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "professional_with_consent":    _row(view=HIDDEN,   team=OK,       consent=FORBIDDEN, invite=FORBIDDEN),
    "professional_expired_consent": _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "professional_revoked_consent": _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "coordinator":                  _row(view=OK,       team=OK,       consent=FORBIDDEN, invite=FORBIDDEN),
    "supporter":                    _row(view=HIDDEN,   team=OK,       consent=FORBIDDEN, invite=FORBIDDEN),
    "break_the_glass":              _row(view=HIDDEN,   team=HIDDEN,   consent=FORBIDDEN, invite=HIDDEN),
    "facilitator":                  _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "policy_advisor":               _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "functional_admin":             _row(view=HIDDEN,   team=HIDDEN,   consent=HIDDEN,    invite=HIDDEN),
    "anonymous":                    _row(view=LOGIN,    team=LOGIN,    consent=LOGIN,     invite=LOGIN),
}

# --- THE TABLE: role × data category (``categories_visible_to``) ---------------------------------------------

CATEGORY_MATRIX: dict[str, frozenset[DataCategory]] = {
    "citizen":                      ALL_CATEGORIES,
    "child":                        frozenset({GENERAL, YOUTH}),  # under 16: not health, finances, safety, ...
    "citizen_of_other_household":   frozenset(),
    "representative":               frozenset({GENERAL, FINANCES}),  # the representation's scope
    "representative_expired":       frozenset(),
    "informal_with_grant":          frozenset({GENERAL}),
    "informal_without_grant":       frozenset(),
    "professional_with_consent":    frozenset({GENERAL, FINANCES}),
    "professional_expired_consent": frozenset(),
    "professional_revoked_consent": frozenset(),
    "coordinator":                  frozenset({GENERAL, YOUTH}),
    "supporter":                    frozenset({GENERAL, HEALTH}),
    "break_the_glass":              frozenset({SAFETY}),
    "facilitator":                  frozenset(),
    "policy_advisor":               frozenset(),
    "functional_admin":             frozenset(),
    "anonymous":                    frozenset(),
}
# fmt: on


def _contributed_tables() -> list:
    """``<app>/tests/authorization_table.py`` of every Samen app that has one (see ``matrix_terms``)."""
    tables = []
    for app in settings.INSTALLED_APPS:
        name = f"{app}.tests.authorization_table"
        if app.startswith("samen.") and importlib.util.find_spec(f"{app}.tests") and importlib.util.find_spec(name):
            tables.append(importlib.import_module(name))
    return tables


CONTRIBUTED_TABLES = _contributed_tables()
for _table in CONTRIBUTED_TABLES:
    assert not set(_table.ENDPOINTS) & set(ENDPOINTS), f"{_table.__name__}: a URL is in two tables"
    ENDPOINTS.update(_table.ENDPOINTS)
    assert set(_table.EXPECTED) == set(PAGE_MATRIX), f"{_table.__name__}: EXPECTED needs a row for everyone"
    for _who, _answers in _table.EXPECTED.items():
        PAGE_MATRIX[_who].update(_answers)

PAGE_CASES = [(who, name) for who, row in PAGE_MATRIX.items() for name in row]
CATEGORY_CASES = [(who, category) for who in CATEGORY_MATRIX for category in DataCategory]


# --- completeness ---------------------------------------------------------------------------------------------


def test_every_household_url_is_in_the_matrix():
    discovered = {item.name for item in household_urls()}
    assert discovered, "the resolver walk found no household URL at all"
    assert discovered <= set(ENDPOINTS), f"household URLs missing from ENDPOINTS: {sorted(discovered - set(ENDPOINTS))}"
    for who, row in PAGE_MATRIX.items():
        assert set(row) == discovered, f"{who}: no expected answer for {sorted(discovered - set(row))}"


def test_every_role_has_a_row():
    covered = set(CAST_ROLES.values())
    missing = set(Role) - {Role.SYSTEM} - covered
    assert not missing, f"roles without a row in the matrix: {sorted(missing)}"
    assert set(PAGE_MATRIX) == set(CAST_ROLES) == set(CATEGORY_MATRIX)


@pytest.mark.django_db
def test_every_person_in_the_cast_acts_in_the_role_the_table_says(cast):
    assert {who: cast.actor(who).role for who in CAST_ROLES} == CAST_ROLES


# --- the matrix -------------------------------------------------------------------------------------------------


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name"), PAGE_CASES, ids=[f"{who}-{name}" for who, name in PAGE_CASES])
def test_page_and_endpoint_access(cast, who, name):
    method, data = ENDPOINTS[name]
    expected = PAGE_MATRIX[who][name]
    url = url_for(name, cast)
    client = cast.client(who)
    response = client.get(url) if method == GET else client.post(url, data)
    location = response.headers.get("Location", "")

    if expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith(_login_url())
    elif expected in (HIDDEN, FORBIDDEN):
        assert response.status_code == expected
    elif method == GET:
        assert response.status_code == 200
    else:
        # The endpoint itself answered: the form with its errors, or a message and back to the household page.
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert not location.startswith(_login_url())
            assert f"/huishoudens/{cast.household.pk}/" in location


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "category"), CATEGORY_CASES, ids=[f"{who}-{category.value}" for who, category in CATEGORY_CASES]
)
def test_data_category_access(cast, who, category):
    visible = categories_visible_to(cast.actor(who), cast.household)
    assert (category in visible) == (category in CATEGORY_MATRIX[who])


# --- THE TABLE: role × the person's own pages (the notification centre, ``samen.reminders``) --------------------
#
# Not about one household: everyone who is logged in has a notification centre and an e-mail choice, and sees only
# their own lines. The citizen has one notification and one reminder about the household here; opening them (or
# marking them read) is theirs alone: anyone else gets "not found", whatever they may see of the household.

PERSONAL_ENDPOINTS: dict[str, tuple[str, dict]] = {
    "reminders:list": (GET, {}),
    "reminders:preferences": (GET, {}),
    "reminders:mark_all_read": (POST, {"page": "1"}),
    "reminders:open": (GET, {}),  # the citizen's notification: marks it read, then to the page it is about
    "reminders:mark_notification_read": (POST, {"page": "1"}),
    "reminders:open_reminder": (GET, {}),  # the citizen's reminder: marks it read, then to the plan
    "reminders:mark_read": (POST, {"page": "1"}),
    "reminders:old_list": (GET, {}),  # the old address: to the centre, for anyone
}
_OWN_LINES = ("reminders:open", "reminders:mark_notification_read", "reminders:open_reminder", "reminders:mark_read")
_EVERYONE = ("reminders:list", "reminders:preferences", "reminders:mark_all_read", "reminders:old_list")


def _personal_row(*, centre, own) -> dict[str, object]:
    return {**dict.fromkeys(_EVERYONE, centre), **dict.fromkeys(_OWN_LINES, own), "reminders:old_list": OK}


PERSONAL_MATRIX: dict[str, dict[str, object]] = {
    who: _personal_row(centre=OK, own=OK if who == "citizen" else HIDDEN) for who in CAST_ROLES
}
PERSONAL_MATRIX["anonymous"] = _personal_row(centre=LOGIN, own=LOGIN)
PERSONAL_CASES = [(who, name) for who, row in PERSONAL_MATRIX.items() for name in row]


def test_every_url_of_the_notification_centre_is_in_the_matrix():
    names = {
        f"reminders:{pattern.name}"
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "reminders"
        for pattern in entry.url_patterns
    }
    assert names == set(PERSONAL_ENDPOINTS), f"missing or stale: {sorted(names ^ set(PERSONAL_ENDPOINTS))}"
    assert all(set(row) == set(PERSONAL_ENDPOINTS) for row in PERSONAL_MATRIX.values())


def _citizen_s_lines(cast: Cast) -> dict[str, int]:
    """A notification and a reminder of the citizen about the household (factories, in the test's savepoint)."""
    from samen.households.models import HouseholdMember
    from samen.plans.models import Plan
    from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory
    from samen.reminders.tests.factories import NotificationFactory, ReminderFactory

    citizen = cast.users["citizen"]
    notification = NotificationFactory(recipient=citizen, household=cast.household, url="/")
    plan = Plan.objects.filter(household=cast.household, is_current=True).first() or PlanFactory(
        household=cast.household
    )
    member = HouseholdMember.objects.get(household=cast.household, user=citizen)
    action = ActionFactory(goal=GoalFactory(plan=plan), owner_member=member, due_date=timezone.localdate())
    reminder = ReminderFactory(recipient=citizen, action=action)
    return {"notification_id": notification.pk, "reminder_id": reminder.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name"), PERSONAL_CASES, ids=[f"{who}-{name}" for who, name in PERSONAL_CASES])
def test_the_notification_centre_access(cast, who, name):
    ids = _citizen_s_lines(cast)
    method, data = PERSONAL_ENDPOINTS[name]
    expected = PERSONAL_MATRIX[who][name]
    params = {param: ids[param] for param in ("notification_id", "reminder_id") if param in name_params(name)}
    url = reverse(name, kwargs=params)
    client = cast.client(who)
    response = client.get(url) if method == GET else client.post(url, data)
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302 and location.startswith(_login_url())
    elif expected == HIDDEN:
        assert response.status_code == 404
    elif name in ("reminders:list", "reminders:preferences"):
        assert response.status_code == 200
    else:
        # A link followed or a button pressed: on to the page it is about, or back to the centre.
        assert response.status_code == 302 and not location.startswith(_login_url())


def name_params(name: str) -> tuple[str, ...]:
    """The parameters of the URL pattern called ``name`` (``namespace:name``)."""
    namespace, _sep, short = name.partition(":")
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == namespace:
            for pattern in entry.url_patterns:
                if getattr(pattern, "name", None) == short:
                    return tuple(pattern.pattern.regex.groupindex)
    return ()
