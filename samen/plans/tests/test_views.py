import pytest
from django.urls import reverse

from samen.consent.models import DataCategory
from samen.core.models import AuditAction, AuditEntry
from samen.core.testing import count_queries
from samen.plans.models import Goal, ZrmDomain
from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory, PlanVersionFactory

pytestmark = pytest.mark.django_db


def _url(name, household, *args):
    return reverse(f"plans:{name}", args=[household.pk, *args])


def _plan_with_goals(setting):
    plan = PlanFactory(household=setting.household)
    general = GoalFactory(plan=plan, text="Elke dag naar buiten", category=DataCategory.GENERAL)
    money = GoalFactory(
        plan=plan, text="Schulden op een rij", domain=ZrmDomain.FINANCES, category=DataCategory.FINANCES
    )
    return plan, general, money


def test_the_plan_page_shows_only_goals_within_consent_and_logs_one_entry(setting, login):
    _plan, _general, _money = _plan_with_goals(setting)
    response = login(setting.coordinator).get(_url("plan", setting.household))
    assert response.status_code == 200
    assert "Elke dag naar buiten" in response.content.decode()
    assert "Schulden op een rij" not in response.content.decode()  # no consent for finances
    entries = AuditEntry.objects.filter(action=AuditAction.READ)
    assert [entry.data_category for entry in entries] == ["general"]
    response = login(setting.professional).get(_url("plan", setting.household))
    assert "Schulden op een rij" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.READ).last().data_category == "general,finances"


def test_a_goal_of_another_category_or_household_is_not_found(setting, login):
    _plan, _general, money = _plan_with_goals(setting)
    other = GoalFactory(plan=PlanFactory(household=setting.other_household))
    client = login(setting.coordinator)
    assert client.get(_url("edit_goal", setting.household, money.pk)).status_code == 404
    assert client.get(_url("edit_goal", setting.household, other.pk)).status_code == 404
    assert client.get(_url("edit_goal", setting.household, "abc")).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "domain": "housing"}, "Please write something here."),
        ({"text": "x" * 1001, "domain": "housing"}, "too long"),
        ({"text": "Een doel", "domain": "geen-domein"}, "Choose a life domain from the list."),
        ({"text": "Een doel", "domain": "housing", "category": "finances"}, "You cannot write about this"),
        ({"text": "Een doel", "domain": "housing", "member": "999999"}, "Choose someone from this household."),
    ],
)
def test_bad_input_on_add_goal_keeps_what_was_typed(setting, login, data, message):
    response = login(setting.coordinator).post(_url("add_goal", setting.household), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert data["text"][:50] in response.content.decode()
    assert not Goal.objects.exists()


def test_script_tags_are_stored_as_text_and_escaped(setting, login):
    client = login(setting.citizen)
    response = client.post(
        _url("add_goal", setting.household), {"text": "<script>alert(1)</script>", "domain": "housing"}
    )
    assert response.status_code == 302
    page = client.get(_url("plan", setting.household)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _goal_post(goal, text, version):
    return {
        "text": text,
        "domain": goal.domain,
        "status": "open",
        "member": "",
        "category": goal.category,
        "version": version,
    }


def test_two_sessions_edit_the_same_goal_and_the_second_sees_both_texts(setting, login):
    _plan, general, _money = _plan_with_goals(setting)
    url = _url("edit_goal", setting.household, general.pk)
    fatima, sanne = login(setting.citizen), login(setting.professional)
    assert fatima.get(url).status_code == 200 and sanne.get(url).status_code == 200
    assert fatima.post(url, _goal_post(general, "Tekst van Fatima", 1)).status_code == 302
    response = sanne.post(url, _goal_post(general, "Tekst van Sanne", 1))
    page = response.content.decode()
    assert response.status_code == 200
    assert "What you wrote" in page and "What is saved now" in page
    assert "Tekst van Fatima" in page and "Tekst van Sanne" in page
    assert 'name="version" value="2"' in page  # saving again goes on top of the new version
    general.refresh_from_db()
    assert general.text == "Tekst van Fatima"
    assert sanne.post(url, _goal_post(general, "Tekst van Sanne", 2)).status_code == 302
    general.refresh_from_db()
    assert general.text == "Tekst van Sanne"


def test_a_tampered_version_gives_a_clear_message(setting, login):
    _plan, general, _money = _plan_with_goals(setting)
    response = login(setting.citizen).post(
        _url("edit_goal", setting.household, general.pk), _goal_post(general, "Mijn nieuwe tekst", "abc")
    )
    assert response.status_code == 200
    assert "This page was out of date" in response.content.decode()
    assert "Mijn nieuwe tekst" in response.content.decode()
    general.refresh_from_db()
    assert general.version == 1


def test_the_informal_network_reads_but_does_not_write(setting, login):
    _plan_with_goals(setting)
    client = login(setting.informal)
    page = client.get(_url("plan", setting.household)).content.decode()
    assert "Elke dag naar buiten" in page and "Add a goal" not in page
    assert client.post(_url("add_goal", setting.household), {"text": "x", "domain": "housing"}).status_code == 403


def test_versions_diff_agree_and_print(setting, login):
    plan, general, _money = _plan_with_goals(setting)
    citizen = login(setting.citizen)
    assert citizen.post(_url("save_version", setting.household), {"confirm": "yes"}).status_code == 302
    general.text = "Elke dag een uur naar buiten"
    general.save()
    citizen.post(_url("save_version", setting.household), {"confirm": "yes"})
    page = citizen.get(_url("version_diff", setting.household), {"a": 1, "b": 2}).content.decode()
    assert "Added:" in page and "Removed:" in page and "Elke dag een uur naar buiten" in page
    bad = citizen.get(_url("version_diff", setting.household), {"a": "x", "b": 99})
    assert bad.status_code == 200 and "Choose a version from the list." in bad.content.decode()
    latest = plan.versions.get(number=2)
    assert citizen.post(_url("agree", setting.household, latest.pk), {"confirm": "yes"}).status_code == 302
    page = citizen.get(_url("plan", setting.household)).content.decode()
    assert "Fatima Bakker agreed with it on" in page
    printed = citizen.get(_url("print", setting.household)).content.decode()
    assert "plans/print" in printed and "Add a goal" not in printed


def test_action_done_from_the_plan_page(setting, login):
    _plan, general, _money = _plan_with_goals(setting)
    action = ActionFactory(goal=general, text="Boodschappen doen")
    client = login(setting.citizen)
    response = client.post(_url("action_done", setting.household, action.pk), {"note": "Gelukt!"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.done_note == "Gelukt!"


@pytest.mark.parametrize("name", ["plan", "print"])
def test_the_plan_page_queries_do_not_grow_with_goals_and_actions(setting, login, name):
    plan = PlanFactory(household=setting.household)
    PlanVersionFactory(plan=plan, number=1)
    client = login(setting.professional)

    def add(count):
        for index in range(count):
            goal = GoalFactory(plan=plan, category=DataCategory.FINANCES if index % 2 else DataCategory.GENERAL)
            ActionFactory(goal=goal, owner_member=setting.citizen.household_member)

    add(10)
    client.get(_url(name, setting.household))  # the first request of a session does a little more
    small = count_queries(client.get, _url(name, setting.household))
    add(990)
    large = count_queries(client.get, _url(name, setting.household))
    assert small == large


# --- the plan as a document, and its small pages ----------------------------------------------------------------


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_the_plan_reads_as_a_document_without_forms(setting, login):
    """The plan page renders no form at all: adding, changing and marking done are links to small pages, one
    "Add a goal" action, and every action shows its state in a word."""
    _plan, general, _money = _plan_with_goals(setting)
    ActionFactory(goal=general, text="Boodschappen doen", owner_member=setting.citizen.household_member)
    page = _main(login(setting.coordinator).get(_url("plan", setting.household)).content.decode())
    assert "<form" not in page and "<textarea" not in page and "<input" not in page
    assert page.count("Add a goal") == 1
    assert _url("add_goal", setting.household) in page
    assert _url("add_action", setting.household, general.pk) in page
    action = general.actions.get()
    assert _url("action_done", setting.household, action.pk) in page
    assert _url("edit_action", setting.household, action.pk) in page
    assert "To do" in page


def test_an_overdue_action_says_late(setting, login):
    import datetime

    from django.utils import timezone

    _plan, general, _money = _plan_with_goals(setting)
    ActionFactory(goal=general, text="Brief sturen", due_date=timezone.localdate() - datetime.timedelta(days=2))
    page = _main(login(setting.citizen).get(_url("plan", setting.household)).content.decode())
    assert "Late" in page


@pytest.mark.parametrize("name", ["add_goal", "add_action", "action_done", "add_agreement", "add_evaluation"])
def test_each_small_page_shows_one_form_and_the_way_back(setting, login, name):
    _plan, general, _money = _plan_with_goals(setting)
    action = ActionFactory(goal=general, text="Boodschappen doen")
    args = {"add_action": (general.pk,), "action_done": (action.pk,)}.get(name, ())
    response = login(setting.citizen).get(_url(name, setting.household, *args))
    assert response.status_code == 200
    page = _main(response.content.decode())
    assert page.count("<form") == 1
    assert f'href="{_url("plan", setting.household)}"' in page
    if name == "action_done":
        assert "Boodschappen doen" in page  # says which action


def test_the_small_pages_are_for_writers_only_and_within_the_household(setting, login):
    _plan, general, money = _plan_with_goals(setting)
    other = GoalFactory(plan=PlanFactory(household=setting.other_household))
    assert login(setting.informal).get(_url("add_goal", setting.household)).status_code == 403
    coordinator = login(setting.coordinator)
    assert coordinator.get(_url("add_action", setting.household, money.pk)).status_code == 404  # no consent
    assert coordinator.get(_url("add_action", setting.household, other.pk)).status_code == 404
    assert coordinator.get(_url("action_done", setting.household, "abc")).status_code == 404
    assert login(setting.citizen).get(_url("add_goal", setting.other_household)).status_code == 404


def test_a_done_action_is_not_done_twice(setting, login):
    _plan, general, _money = _plan_with_goals(setting)
    action = ActionFactory(goal=general, text="Boodschappen doen")
    client = login(setting.citizen)
    assert client.post(_url("action_done", setting.household, action.pk), {"note": "Gelukt!"}).status_code == 302
    again = client.get(_url("action_done", setting.household, action.pk))
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.done_note == "Gelukt!"


def test_too_long_a_note_is_refused_with_a_message_and_kept(setting, login):
    """A paste longer than the limit is never cut off: the server says so and the page keeps every character."""
    _plan, general, _money = _plan_with_goals(setting)
    action = ActionFactory(goal=general, text="Boodschappen doen")
    pasted = "lang verhaal " * 800  # 10,400 characters
    response = login(setting.citizen).post(_url("action_done", setting.household, action.pk), {"note": pasted})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is too long" in page
    assert pasted.strip() in page
    assert 'maxlength="' not in page  # the browser does not cut it off either
    action.refresh_from_db()
    assert action.status == "open"


def test_a_resident_reads_life_domains_in_plain_words(setting, login):
    GoalFactory(plan=PlanFactory(household=setting.household), domain=ZrmDomain.BASIC_ADL, text="Zelf aankleden")
    citizen_page = _main(login(setting.citizen).get(_url("plan", setting.household)).content.decode())
    assert "Taking care of yourself" in citizen_page and "ADL" not in citizen_page
    form = login(setting.citizen).get(_url("add_goal", setting.household)).content.decode()
    assert "Running your home" in form and "IADL" not in form
    professional_page = _main(login(setting.coordinator).get(_url("plan", setting.household)).content.decode())
    assert "Basic daily living (ADL)" in professional_page


def test_moving_a_date_with_a_reason_shows_on_the_plan_escaped(setting, login):
    import datetime

    _plan, general, _money = _plan_with_goals(setting)
    action = ActionFactory(
        goal=general, text="Brief sturen", owner_member=setting.citizen.household_member,
        due_date=datetime.date(2027, 1, 10),
    )  # fmt: skip
    client = login(setting.citizen)
    form = client.get(_url("edit_action", setting.household, action.pk)).content.decode()
    assert 'name="reason"' in form
    response = client.post(
        _url("edit_action", setting.household, action.pk),
        {
            "text": "Brief sturen", "owner": f"member:{setting.citizen.household_member.pk}",
            "due_date": "2027-02-10", "reason": "<script>alert(1)</script> De printer was kapot.", "version": "1",
        },
    )  # fmt: skip
    assert response.status_code == 302
    page = _main(client.get(_url("plan", setting.household)).content.decode())
    assert "Moved from 10 January 2027, because:" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; De printer was kapot." in page
    assert "<script>alert(1)" not in page


def test_a_reason_without_a_new_date_is_a_clear_message_and_nothing_changes(setting, login):
    import datetime

    _plan, general, _money = _plan_with_goals(setting)
    action = ActionFactory(
        goal=general, text="Brief sturen", owner_member=setting.citizen.household_member,
        due_date=datetime.date(2027, 1, 10),
    )  # fmt: skip
    response = login(setting.citizen).post(
        _url("edit_action", setting.household, action.pk),
        {
            "text": "Brief sturen anders", "owner": f"member:{setting.citizen.household_member.pk}",
            "due_date": "2027-01-10", "reason": "Geen tijd", "version": "1",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "A reason is for a new date" in response.content.decode()
    action.refresh_from_db()
    assert (action.text, action.version, action.replanned_reason) == ("Brief sturen", 1, "")
