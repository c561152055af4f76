"""The household's own network map ("netwerkkaart"): the services (the only writers, audited), the rules (who sees it,
who keeps it, who does not), the pages (the map with its list, adding, changing, removing, inviting into the team,
an action in the plan), bad input (a message, nothing lost, never a 500), a query count flat in the number of people,
the map's geometry and the demo."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samen.consent.policies import household_access
from samen.core.models import AuditEntry
from samen.core.policy import can
from samen.core.testing import count_queries
from samen.dossier.tests import conftest as dossier_fixtures
from samen.households.models import HouseholdMember, Invitation, TeamMember, TeamRole
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, TeamMemberFactory
from samen.organisations.actors import actor_for_user
from samen.plans.models import Action
from samen.plans.tests.factories import GoalFactory, PlanFactory
from samen.socialmap import network_map, network_services
from samen.socialmap.demo_network import add_demo_network
from samen.socialmap.models import NetworkPerson
from samen.socialmap.tests.factories import NetworkPersonFactory, ServiceFactory

pytestmark = pytest.mark.django_db

# The dossier's cast around Familie Bakker (everyone who may and may not see a household), and a logged-in client.
setting = dossier_fixtures.setting
login = dossier_fixtures.login

SEES_AND_KEEPS = ["citizen", "representative"]
SEES_ONLY = ["informal", "professional", "coordinator", "supporter"]
SEES_NOTHING = ["informal_without_grant", "emergency", "expired", "revoked", "stranger", "other_citizen"]


def _url(name: str, household, *args) -> str:
    return reverse(f"socialmap:{name}", args=[household.pk, *args])


def _actor(user):
    return actor_for_user(user)


def _fields(**overrides) -> dict:
    return {
        "name": "Oma Truus",
        "relation": "family",
        "closeness": "1",
        "helps_with": "Past op de kinderen.",
        **overrides,
    }


def _errors(response) -> str:
    return response.content.decode()


# --- services --------------------------------------------------------------------------------------------------


def test_the_citizen_adds_changes_and_removes_someone_and_each_is_audited(setting):
    actor = _actor(setting.citizen)
    person = network_services.network_person_add(
        actor=actor, household=setting.household, name="  Oma   Truus ", relation="family", closeness=1
    )
    assert (person.name, person.closeness, person.version) == ("Oma Truus", 1, 1)
    changed = network_services.network_person_update(
        actor=actor,
        person=person,
        expected_version=1,
        name="Oma Truus",
        relation="family",
        closeness="2",
        helps_with="Kookt op zondag.",
    )
    assert (changed.closeness, changed.version) == (2, 2)
    network_services.network_person_remove(actor=actor, person=person, expected_version=2)
    assert not NetworkPerson.objects.exists()
    entries = AuditEntry.objects.filter(object_type="socialmap.networkperson", object_id=str(person.pk))
    assert [entry.description for entry in entries.order_by("pk")] == [
        "network person added",
        "network person changed",
        "network person removed",
    ]
    assert all(entry.household_id == setting.household.pk and entry.data_category == "general" for entry in entries)
    assert all("Truus" not in str(entry.changes) for entry in entries)  # no third party's name in the log
    assert entries.order_by("pk")[1].changes == {"fields": ["closeness", "helps_with"]}


def test_a_change_on_top_of_someone_elses_is_refused_and_writes_nothing(setting):
    person = NetworkPersonFactory(household=setting.household, name="Linda")
    actor = _actor(setting.citizen)
    network_services.network_person_update(
        actor=actor, person=person, expected_version=1, name="Linda", relation="friend", closeness=1
    )
    with pytest.raises(network_services.NetworkConflict) as conflict:
        network_services.network_person_update(
            actor=actor, person=person, expected_version=1, name="Linda B.", relation="friend", closeness=3
        )
    assert conflict.value.current_version == 2 and conflict.value.current["relation"] == "friend"
    person.refresh_from_db()
    assert (person.name, person.closeness) == ("Linda", 1)
    with pytest.raises(network_services.NetworkConflict):
        network_services.network_person_remove(actor=actor, person=person, expected_version=1)
    assert NetworkPerson.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": 42}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"relation": "enemy"}, "relation"),
        ({"relation": None}, "relation"),
        ({"closeness": "4"}, "closeness"),
        ({"closeness": "abc"}, "closeness"),
        ({"closeness": True}, "closeness"),
        ({"closeness": 0}, "closeness"),
        ({"helps_with": "x" * 1001}, "helps_with"),
        ({"helps_with": ["a list"]}, "helps_with"),
        ({"team_member": "999999"}, "team_member"),
        ({"service": "not-a-uuid"}, "service"),
    ],
)
def test_bad_input_is_refused_per_field_and_writes_nothing(setting, fields, field):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        network_services.network_person_add(
            actor=_actor(setting.citizen), household=setting.household, **_fields(**fields)
        )
    assert field in error.value.message_dict
    assert not NetworkPerson.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_team_member_of_another_household_or_one_already_on_the_map_cannot_be_linked(setting):
    actor = _actor(setting.citizen)
    elsewhere = TeamMemberFactory(household=setting.other_household)
    with pytest.raises(ValidationError) as error:
        network_services.network_person_add(
            actor=actor, household=setting.household, **_fields(team_member=str(elsewhere.pk))
        )
    assert "team_member" in error.value.message_dict
    neighbour = TeamMember.objects.get(household=setting.household, user=setting.informal)
    network_services.network_person_add(actor=actor, household=setting.household, **_fields(team_member=neighbour))
    with pytest.raises(ValidationError) as error:
        network_services.network_person_add(
            actor=actor, household=setting.household, **_fields(name="Ans", team_member=str(neighbour.pk))
        )
    assert error.value.message_dict["team_member"]


@pytest.mark.parametrize("who", [*SEES_ONLY, *SEES_NOTHING])
def test_only_the_household_keeps_its_map(setting, who):
    actor = _actor(getattr(setting, who))
    person = NetworkPersonFactory(household=setting.household)
    with pytest.raises(PermissionDenied):
        network_services.network_person_add(actor=actor, household=setting.household, **_fields())
    with pytest.raises(PermissionDenied):
        network_services.network_person_update(actor=actor, person=person, expected_version=1, **_fields())
    with pytest.raises(PermissionDenied):
        network_services.network_person_remove(actor=actor, person=person, expected_version=1)
    assert NetworkPerson.objects.get().name == person.name


def test_a_child_of_the_household_sees_the_map_but_does_not_keep_it(setting):
    teenager = CitizenFactory(
        household=setting.household,
        relation="child",
        date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 16 + 30),
    )
    access = household_access(_actor(teenager.user), setting.household.pk)
    assert can(_actor(teenager.user), "socialmap.network_view", access)
    assert not can(_actor(teenager.user), "socialmap.network_edit", access)


def test_inviting_someone_from_the_map_uses_the_households_invitation(setting, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    person = NetworkPersonFactory(household=setting.household, name="Linda", relation="friend", helps_with="Luistert.")
    invitation = network_services.network_person_invite(
        actor=_actor(setting.citizen), person=person, email="Linda@Example.test", expected_version=1
    )
    person.refresh_from_db()
    assert person.invitation == invitation and person.version == 2
    assert (invitation.name, invitation.email, invitation.description) == ("Linda", "linda@example.test", "Luistert.")
    assert AuditEntry.objects.filter(description="informal network invited", household_id=setting.household.pk).exists()
    with pytest.raises(ValidationError):  # an open invitation is not sent twice
        network_services.network_person_invite(
            actor=_actor(setting.citizen), person=person, email="linda2@example.test", expected_version=2
        )
    doctor = NetworkPersonFactory(household=setting.household, professional=True)
    with pytest.raises(ValidationError) as error:
        network_services.network_person_invite(
            actor=_actor(setting.citizen), person=doctor, email="dokter@example.test", expected_version=1
        )
    assert error.value.message_dict["person"]
    assert Invitation.objects.count() == 1


# --- rules -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [*SEES_AND_KEEPS, *SEES_ONLY])
def test_who_sees_and_who_keeps_the_map(setting, who):
    actor = _actor(getattr(setting, who))
    access = household_access(actor, setting.household.pk)
    assert can(actor, "socialmap.network_view", access)
    assert can(actor, "socialmap.network_edit", access) == (who in SEES_AND_KEEPS)
    assert can(actor, "socialmap.network_invite", access) == (who in SEES_AND_KEEPS)


def test_the_rules_refuse_anything_that_is_not_an_access(setting):
    actor = _actor(setting.citizen)
    for obj in (None, setting.household, "1", (setting.household,)):
        assert not can(actor, "socialmap.network_edit", obj)
    assert not can(actor, "socialmap.network_view", None)


# --- pages -----------------------------------------------------------------------------------------------------


def test_the_map_and_its_list_show_everyone_with_the_same_numbers(setting, login):
    NetworkPersonFactory(household=setting.household, name="Oma Truus", relation="family", closeness=1)
    NetworkPersonFactory(household=setting.household, name="Meester Bram", professional=True)
    neighbour = TeamMember.objects.get(household=setting.household, user=setting.informal)
    NetworkPersonFactory(household=setting.household, name="Ans", closeness=3, team_member=neighbour)
    response = login(setting.citizen).get(_url("network", setting.household))
    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg class=\"samen-network-map__svg\"[^>]*>", html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="network-map-title"' in svg
    assert 'aria-describedby="network-map-description"' in svg
    assert html.count('class="samen-network-map__ring ') == 3
    for number, name in enumerate(["Oma Truus", "Meester Bram", "Ans"], start=1):
        assert f'value="{number}"' in html and name in html
    assert "samen-network-map__person--team" in html  # Ans is in the team
    assert "In the team" in html
    assert reverse("socialmap:network_add", args=[setting.household.pk]) in html
    assert AuditEntry.objects.filter(description="network map", household_id=setting.household.pk).count() == 1
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]


def test_the_workspace_has_the_network_tab(setting, login):
    html = login(setting.citizen).get(_url("network", setting.household)).content.decode()
    assert f'href="{_url("network", setting.household)}"' in html
    assert "Our network" in html
    professional_html = login(setting.professional).get(_url("network", setting.household)).content.decode()
    assert ">Network<" in professional_html


@pytest.mark.parametrize("who", SEES_ONLY)
def test_the_team_sees_the_map_without_the_forms(setting, login, who):
    person = NetworkPersonFactory(household=setting.household)
    client = login(getattr(setting, who))
    response = client.get(_url("network", setting.household))
    assert response.status_code == 200
    assert _url("network_add", setting.household) not in response.content.decode()
    assert client.get(_url("network_add", setting.household)).status_code == 403
    assert client.post(_url("network_add", setting.household), _fields()).status_code == 403
    assert client.get(_url("network_edit", setting.household, person.pk)).status_code == 403
    assert client.post(_url("network_remove", setting.household, person.pk), {"version": "1"}).status_code == 403
    assert NetworkPerson.objects.count() == 1


@pytest.mark.parametrize("who", SEES_NOTHING)
def test_everyone_else_gets_not_found(setting, login, who):
    person = NetworkPersonFactory(household=setting.household)
    client = login(getattr(setting, who))
    for url in (
        _url("network", setting.household),
        _url("network_add", setting.household),
        _url("network_edit", setting.household, person.pk),
        _url("network_invite", setting.household, person.pk),
        _url("network_action", setting.household, person.pk),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("network_add", setting.household), _fields()).status_code == 404
    assert NetworkPerson.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(setting, login):
    person = NetworkPersonFactory(household=setting.household)
    client = login(None)
    for url in (_url("network", setting.household), _url("network_edit", setting.household, person.pk)):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]
    assert client.post(_url("network_add", setting.household), _fields()).status_code == 302
    assert NetworkPerson.objects.count() == 1


def test_another_households_person_or_no_id_is_not_found(setting, login):
    theirs = NetworkPersonFactory(household=setting.other_household)
    client = login(setting.citizen)
    for person_id in (theirs.pk, "abc", "0", "99999999999999999999999"):
        assert client.get(_url("network_edit", setting.household, person_id)).status_code == 404
    assert client.post(_url("network_remove", setting.household, theirs.pk), {"version": "1"}).status_code == 404
    assert client.get(reverse("socialmap:network", args=["x1"])).status_code == 404
    assert NetworkPerson.objects.filter(pk=theirs.pk).exists()


def test_the_citizen_adds_someone_through_the_form(setting, login):
    client = login(setting.citizen)
    assert client.get(_url("network_add", setting.household)).status_code == 200
    response = client.post(_url("network_add", setting.household), _fields())
    person = NetworkPerson.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#person-{person.pk}")
    assert (person.name, person.relation, person.closeness, person.created_by) == (
        "Oma Truus",
        "family",
        1,
        setting.citizen,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Write the name of the person."),
        ({"name": "x" * 201}, "This is too long"),
        ({"closeness": "abc"}, "Choose how close this person is."),
        ({"relation": "enemy"}, "Choose who this person is for you."),
        ({"helps_with": "y" * 1001}, "This is too long"),
        ({"team_member": "999999"}, "Choose someone from the team in the list."),
    ],
)
def test_bad_input_in_the_form_gives_a_message_and_keeps_what_was_typed(setting, login, fields, message):
    typed = _fields(helps_with="Helpt met <b>brieven</b>", **{k: v for k, v in fields.items() if k != "helps_with"})
    if "helps_with" in fields:
        typed["helps_with"] = fields["helps_with"]
    response = login(setting.citizen).post(_url("network_add", setting.household), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    if "helps_with" not in fields:
        assert "Helpt met &lt;b&gt;brieven&lt;/b&gt;" in html  # kept, escaped
    assert not NetworkPerson.objects.exists()


def test_script_tags_are_stored_as_text_and_shown_escaped(setting, login):
    client = login(setting.citizen)
    client.post(_url("network_add", setting.household), _fields(name="<script>alert(1)</script>"))
    assert NetworkPerson.objects.get().name == "<script>alert(1)</script>"
    html = client.get(_url("network", setting.household)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_tampered_or_wrong_method_request_is_never_a_500(setting, login):
    client = login(setting.citizen)
    person = NetworkPersonFactory(household=setting.household)
    assert (
        client.post(_url("network_add", setting.household), {"name": ["a", "b"], "closeness": ["1", "x"]}).status_code
        == 200
    )
    assert client.post(_url("network_add", setting.household), {"service": "x" * 500}).status_code == 200
    assert client.get(_url("network_remove", setting.household, person.pk)).status_code == 405
    response = client.post(_url("network_remove", setting.household, person.pk), {"version": "x"})
    assert response.status_code == 302
    response = client.post(_url("network_edit", setting.household, person.pk), _fields(version="abc"))
    assert response.status_code == 200 and "This page was out of date" in response.content.decode()
    assert NetworkPerson.objects.filter(pk=person.pk).exists()


def test_changing_someone_and_a_conflict_keeps_what_was_typed(setting, login):
    person = NetworkPersonFactory(household=setting.household, name="Linda", relation="friend")
    client = login(setting.citizen)
    page = client.get(_url("network_edit", setting.household, person.pk)).content.decode()
    assert 'name="version" value="1"' in page and "Remove Linda from the map" in page
    network_services.network_person_update(
        actor=_actor(setting.citizen), person=person, expected_version=1, name="Linda", relation="friend", closeness=2
    )
    response = client.post(
        _url("network_edit", setting.household, person.pk), _fields(name="Linda de Vries", version="1")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Changed in the meantime" in html
    assert 'value="Linda de Vries"' in html and 'name="version" value="2"' in html
    response = client.post(
        _url("network_edit", setting.household, person.pk), _fields(name="Linda de Vries", version="2")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.version) == ("Linda de Vries", 3)


def test_removing_someone(setting, login):
    person = NetworkPersonFactory(household=setting.household, name="Henk")
    client = login(setting.citizen)
    response = client.post(_url("network_remove", setting.household, person.pk), {"version": "1"}, follow=True)
    assert not NetworkPerson.objects.exists()
    assert "Henk is no longer on the map." in response.content.decode()


def test_a_service_from_the_social_map_is_filled_in(setting, login):
    service = ServiceFactory(name="Buurtbus")
    client = login(setting.citizen)
    page = client.get(_url("network_add", setting.household), {"dienst": str(service.pk)}).content.decode()
    assert "Buurtbus" in page and f'value="{service.pk}"' in page
    assert client.get(_url("network_add", setting.household), {"dienst": "nonsense"}).status_code == 200
    client.post(_url("network_add", setting.household), _fields(relation="volunteer", service=str(service.pk)))
    assert NetworkPerson.objects.get().service == service
    assert (
        reverse("socialmap:service", args=[service.pk])
        in client.get(_url("network", setting.household)).content.decode()
    )


def test_a_hidden_service_cannot_be_linked(setting, login):
    hidden = ServiceFactory(name="Opgeheven dienst", status="inactive")
    client = login(setting.citizen)
    page = client.get(_url("network_add", setting.household), {"dienst": str(hidden.pk)}).content.decode()
    assert "Opgeheven dienst" not in page
    response = client.post(
        _url("network_add", setting.household), _fields(relation="volunteer", service=str(hidden.pk))
    )
    assert response.status_code == 200 and not NetworkPerson.objects.exists()


def test_the_invite_page(setting, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    friend = NetworkPersonFactory(household=setting.household, name="Linda", relation="friend")
    doctor = NetworkPersonFactory(household=setting.household, name="Dokter Visser", professional=True)
    client = login(setting.citizen)
    map_html = client.get(_url("network", setting.household)).content.decode()
    assert _url("network_invite", setting.household, friend.pk) in map_html
    assert _url("network_invite", setting.household, doctor.pk) not in map_html
    bad = client.post(_url("network_invite", setting.household, friend.pk), {"email": "geen-adres", "version": "1"})
    assert bad.status_code == 200 and "Enter an e-mail address like name@example.nl." in bad.content.decode()
    response = client.post(
        _url("network_invite", setting.household, friend.pk), {"email": "linda@example.test", "version": "1"}
    )
    assert response.status_code == 302
    friend.refresh_from_db()
    assert friend.invitation.email == "linda@example.test"
    assert "Invited into the team" in client.get(_url("network", setting.household)).content.decode()
    page = client.get(_url("network_invite", setting.household, doctor.pk)).content.decode()
    assert "joins the team through the coordinator" in page and 'name="email"' not in page
    assert login(setting.professional).get(_url("network_invite", setting.household, friend.pk)).status_code == 403


def test_the_coordinator_is_offered_the_add_professional_flow_for_a_professional(setting, login):
    NetworkPersonFactory(household=setting.household, name="Dokter Visser", professional=True)
    html = login(setting.coordinator).get(_url("network", setting.household)).content.decode()
    assert reverse("households:add_professional", args=[setting.household.pk]) in html
    html = login(setting.professional).get(_url("network", setting.household)).content.decode()
    assert reverse("households:add_professional", args=[setting.household.pk]) not in html


def test_someone_who_joined_with_the_invitation_shows_in_the_team(setting, login):
    friend = NetworkPersonFactory(household=setting.household, name="Ans")
    invitation = Invitation.objects.create(
        household=setting.household,
        email="ans@example.test",
        name="Ans",
        token_hash="x" * 64,
        token_salt="s",
        invited_by=setting.citizen,
        expires_at=timezone.now() + datetime.timedelta(days=14),
        accepted_at=timezone.now(),
        accepted_by=setting.informal,
    )
    NetworkPerson.objects.filter(pk=friend.pk).update(invitation=invitation)
    html = login(setting.citizen).get(_url("network", setting.household)).content.decode()
    assert "In the team" in html and "samen-network-map__person--team" in html


def _plan(setting):
    plan = PlanFactory(household=setting.household)
    return GoalFactory(plan=plan, text="Rust in huis", category="general")


def test_add_to_the_plan_with_someone_in_the_team_makes_them_the_owner(setting, login):
    goal = _plan(setting)
    neighbour = TeamMember.objects.get(household=setting.household, user=setting.informal)
    person = NetworkPersonFactory(household=setting.household, name="Ans", team_member=neighbour)
    client = login(setting.citizen)
    page = client.get(_url("network_action", setting.household, person.pk)).content.decode()
    assert f'<option value="team:{neighbour.pk}" selected>' in page
    assert "is not in the team" not in page
    response = client.post(
        _url("network_action", setting.household, person.pk),
        {"goal": str(goal.pk), "text": "Kinderen ophalen op dinsdag", "owner": f"team:{neighbour.pk}"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")
    action = Action.objects.get()
    assert (action.owner_team_member, action.goal) == (neighbour, goal)


def test_add_to_the_plan_with_someone_outside_the_team_names_them_and_a_member_owns_it(setting, login):
    goal = _plan(setting)
    person = NetworkPersonFactory(household=setting.household, name="Oma Truus", relation="family")
    member = HouseholdMember.objects.get(user=setting.citizen)
    client = login(setting.citizen)
    page = client.get(_url("network_action", setting.household, person.pk)).content.decode()
    assert f'<option value="member:{member.pk}" selected>' in page
    assert "Oma Truus is not in the team" in page and "With Oma Truus: " in page
    client.post(
        _url("network_action", setting.household, person.pk),
        {"goal": str(goal.pk), "text": "With Oma Truus: oppassen", "owner": f"member:{member.pk}"},
    )
    assert Action.objects.get().owner_member == member


def test_add_to_the_plan_refuses_bad_input_and_those_who_do_not_write_the_plan(setting, login):
    goal = _plan(setting)
    person = NetworkPersonFactory(household=setting.household)
    client = login(setting.citizen)
    url = _url("network_action", setting.household, person.pk)
    response = client.post(url, {"goal": "", "text": "", "owner": "member:999999"})
    assert response.status_code == 200 and "Choose the goal this action is for." in response.content.decode()
    other_goal = GoalFactory(plan=PlanFactory(household=setting.other_household))
    response = client.post(
        url,
        {
            "goal": str(other_goal.pk),
            "text": "x",
            "owner": f"member:{HouseholdMember.objects.get(user=setting.citizen).pk}",
        },
    )
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert login(setting.informal).get(url).status_code == 403  # sees the map, reads the plan only
    assert login(setting.professional).get(url).status_code == 200  # writes in the plan with consent
    assert goal.actions.count() == 0


def test_the_map_page_takes_the_same_number_of_queries_for_two_or_twenty_people(setting, login):
    client = login(setting.citizen)
    url = _url("network", setting.household)
    neighbour = TeamMember.objects.get(household=setting.household, user=setting.informal)
    NetworkPersonFactory(household=setting.household, team_member=neighbour)
    NetworkPersonFactory(household=setting.household, service=ServiceFactory())
    client.get(url)  # the session's first request caches who is acting
    few = count_queries(client.get, url)
    for index in range(18):
        NetworkPersonFactory(household=setting.household, closeness=1 + index % 3, service=ServiceFactory())
    many = count_queries(client.get, url)
    assert many == few


# --- the map's geometry ----------------------------------------------------------------------------------------


def test_the_dots_are_on_their_circles_inside_the_map():
    people = [(number, 1 + number % 3, f"Persoon {number}", number == 2) for number in range(1, 10)]
    rings, dots, numbers_only = network_map.layout(people, ["dichtbij", "tussenin", "verder weg"])
    assert [ring.closeness for ring in rings] == [3, 2, 1] and not numbers_only
    for (number, closeness, _name, _team), dot in zip(people, dots, strict=True):
        x, y = float(dot.x), float(dot.y)
        distance = ((x - network_map.CX) ** 2 + (y - network_map.CY) ** 2) ** 0.5
        assert abs(distance - network_map.RADII[closeness - 1]) < 0.2
        assert 0 < x < network_map.WIDTH and 0 < float(dot.label_y) < network_map.HEIGHT
        assert dot.number == number
    assert dots[1].in_team


def test_a_crowded_circle_shows_numbers_only_and_long_names_are_shortened():
    crowded = [(number, 1, "Iemand met een hele lange naam", False) for number in range(1, 9)]
    _rings, dots, numbers_only = network_map.layout(crowded, ["a", "b", "c"])
    assert numbers_only
    assert dots[0].label.endswith("…") and len(dots[0].label) <= network_map.NAME_CHARS


# --- the demo --------------------------------------------------------------------------------------------------


def test_the_demo_gives_the_showcase_and_other_households_a_map():
    showcase = HouseholdFactory()
    TeamMemberFactory(household=showcase, coordinator=True)
    TeamMemberFactory(household=showcase, informal=True)
    others = [HouseholdFactory() for _ in range(3)]
    ServiceFactory(name="Buurtbus")
    now = timezone.now()
    added = add_demo_network(household_ids=[showcase.pk, *(h.pk for h in others)], seed=7, now=now)
    assert added == NetworkPerson.objects.count()
    shown = NetworkPerson.objects.filter(household=showcase)
    assert 6 <= shown.count() <= 10
    assert shown.filter(team_member__role=TeamRole.INFORMAL).exists()
    assert shown.filter(service__name="Buurtbus").exists()
    for household in others:
        assert 6 <= NetworkPerson.objects.filter(household=household).count() <= 10
    assert add_demo_network(household_ids=[showcase.pk], seed=7, now=now) == 0  # once
