"""The notification centre ("Meldingen"), for the reminders in it: what it shows and to whom, the buttons with and
without htmx, bad input, the access entry, and a query count that does not grow with the number of reminders. The
notifications in it: ``test_centre.py``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.consent.models import ConsentGrant
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.plans.models import Action, Goal
from samen.reminders.models import Reminder
from samen.reminders.tests.conftest import G, in_days, member_of, place_of
from samen.reminders.tests.factories import ReminderFactory

pytestmark = pytest.mark.django_db

LIST = "/meldingen/"
ALL_READ = "/meldingen/alles-gelezen/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def mark_url(reminder_id) -> str:
    return reverse("reminders:mark_read", args=[reminder_id])


@pytest.fixture
def reminders(setting, due_action, due_evaluation):
    """The citizen: an action two days overdue and an evaluation in three days. The debt counsellor: an action
    due tomorrow in finances. The coordinator: an action due today."""
    citizen = member_of(setting, setting.citizen)
    overdue = due_action(G.GENERAL, member=citizen, days=-2, text="Post openen en sorteren")
    evaluation = due_evaluation(days=3)
    finances = due_action(G.FINANCES, place=place_of(setting, setting.professional), days=1, text="Schulden op een rij")
    today = due_action(G.YOUTH, place=place_of(setting, setting.coordinator), days=0, text="School bellen")
    return {
        "overdue": ReminderFactory(recipient=setting.citizen, action=overdue),
        "evaluation": ReminderFactory(recipient=setting.citizen, about_evaluation=True, evaluation=evaluation),
        "finances": ReminderFactory(recipient=setting.professional, action=finances),
        "today": ReminderFactory(recipient=setting.coordinator, action=today),
    }


def test_the_urls_are_dutch():
    assert reverse("reminders:list") == LIST
    assert reverse("reminders:mark_all_read") == ALL_READ
    assert mark_url(5) == "/meldingen/herinnering/5/gelezen/"
    assert reverse("reminders:open_reminder", args=[5]) == "/meldingen/herinnering/5/"
    assert reverse("reminders:open", args=[5]) == "/meldingen/5/"
    assert reverse("reminders:mark_notification_read", args=[5]) == "/meldingen/5/gelezen/"
    assert reverse("reminders:preferences") == "/meldingen/voorkeuren/"


def test_the_old_address_leads_to_the_centre(login, setting):
    response = login(setting.citizen).get("/herinneringen/")
    assert response.status_code == 302 and response["Location"] == LIST


# --- the page ---------------------------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(login, reminders):
    client = login(None)
    for response in (
        client.get(LIST),
        client.post(ALL_READ),
        client.post(mark_url(reminders["overdue"].pk)),
        client.post(mark_url("nonsense")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not Reminder.objects.filter(read_at__isnull=False).exists()


def test_the_citizen_sees_what_is_due_when_and_where(setting, login, reminders):
    response = login(setting.citizen).get(LIST, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Meldingen</h1>" in html
    assert "Je hebt 2 ongelezen meldingen" in html
    assert "Actie: Post openen en sorteren" in html
    assert "Te laat" in html  # said in words, not only by colour
    overdue = timezone.localdate() - datetime.timedelta(days=2)
    assert "Dit had op" in html and "klaar moeten zijn, 2 dagen geleden" in html
    assert str(overdue.year) in html
    assert "Samen terugkijken op het plan" in html and "kijken jullie samen terug op het plan, over 3 dagen" in html
    assert "Open het plan van Familie Bakker" in html
    for reminder in (reminders["overdue"], reminders["evaluation"]):
        assert f'href="{reverse("reminders:open_reminder", args=[reminder.pk])}"' in html
    # Nobody else's reminders.
    assert "Schulden op een rij" not in html and "School bellen" not in html


def test_each_person_sees_their_own(setting, login, reminders):
    professional = login(setting.professional).get(LIST).content.decode()
    assert "Action: Schulden op een rij" in professional
    assert "Post openen en sorteren" not in professional and "School bellen" not in professional
    coordinator = login(setting.coordinator).get(LIST).content.decode()
    assert "Action: School bellen" in coordinator and "Today" in coordinator
    for user in (setting.other_citizen, setting.stranger, setting.representative, setting.emergency):
        html = login(user).get(LIST).content.decode()
        assert "You have no new notifications" in html
        for text in ("Post openen", "Schulden op een rij", "School bellen", "Familie Bakker"):
            assert text not in html


def test_revoked_consent_hides_the_reminder_on_the_page(setting, login, reminders):
    ConsentGrant.objects.filter(household=setting.household, organisation=setting.schuldhulp).update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    html = login(setting.professional).get(LIST).content.decode()
    assert "Schulden op een rij" not in html
    assert "Familie Bakker" not in html


def test_the_page_writes_one_access_entry_naming_households_and_categories(setting, login, reminders):
    client = login(setting.citizen)
    before = AuditEntry.objects.count()
    client.get(LIST)
    entries = list(AuditEntry.objects.order_by("sequence")[before:])
    assert len(entries) == 1
    (entry,) = entries
    assert entry.action == AuditAction.READ and entry.purpose == AuditPurpose.CITIZEN
    assert entry.user_id == setting.citizen.pk
    assert entry.data_category == "general"
    assert entry.description == "notifications"
    assert entry.changes == {
        "households": [setting.household.pk],
        "reminders": [reminders["evaluation"].pk, reminders["overdue"].pk],  # newest first
    }
    professional = login(setting.professional)
    before = AuditEntry.objects.count()
    professional.get(LIST)
    assert AuditEntry.objects.order_by("sequence")[before:][0].data_category == "finances"


def test_an_empty_page_writes_no_access_entry(setting, login):
    client = login(setting.citizen)
    before = AuditEntry.objects.count()
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Nothing new for you." in response.content.decode()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999", "<script>"])
def test_a_bad_page_number_shows_the_first_page(setting, login, reminders, page):
    response = login(setting.citizen).get(LIST, {"page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That page number does not exist. We show the first page." in html
    assert "Post openen en sorteren" in html


def test_read_reminders_stay_a_week(setting, login, reminders):
    overdue = reminders["overdue"]
    Reminder.objects.filter(pk=overdue.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    Reminder.objects.filter(pk=overdue.pk).update(read_at=timezone.now() - datetime.timedelta(days=2))
    html = login(setting.citizen).get(LIST).content.decode()
    assert "Post openen en sorteren" in html and "You have 1 unread notification" in html
    assert mark_url(overdue.pk) not in html  # no button for a read one
    Reminder.objects.filter(pk=overdue.pk).update(read_at=timezone.now() - datetime.timedelta(days=8))
    assert "Post openen en sorteren" not in login(setting.citizen).get(LIST).content.decode()


def test_the_page_is_paginated(setting, login, due_action):
    citizen = member_of(setting, setting.citizen)
    for number in range(30):
        ReminderFactory(recipient=setting.citizen, action=due_action(member=citizen, text=f"Taak {number:02d}"))
    first = login(setting.citizen).get(LIST).content.decode()
    second = login(setting.citizen).get(LIST, {"page": "2"}).content.decode()
    assert first.count("<article") == 25 and second.count("<article") == 5


# --- the buttons -------------------------------------------------------------------------------------------------


def test_mark_read_without_javascript(setting, login, reminders):
    client = login(setting.citizen)
    reminder = reminders["overdue"]
    response = client.post(mark_url(reminder.pk), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert Reminder.objects.get(pk=reminder.pk).read_at is not None
    page = client.get(LIST).content.decode()
    assert "The reminder is marked as read." in page
    assert "You have 1 unread notification" in page
    again = client.post(mark_url(reminder.pk), follow=True)
    assert "This reminder was already marked as read." in again.content.decode()


def test_mark_read_with_htmx_replaces_the_list(setting, login, reminders):
    response = login(setting.citizen).post(mark_url(reminders["overdue"].pk), {"page": "1"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="reminder-results"' in html
    assert 'hx-swap-oob="innerHTML"' in html and "The reminder is marked as read." in html
    assert "You have 1 unread notification" in html


def test_mark_all_read(setting, login, reminders):
    client = login(setting.citizen)
    response = client.post(ALL_READ, {"page": "1"}, follow=True)
    assert "2 notifications are marked as read." in response.content.decode()
    assert not Reminder.objects.filter(recipient=setting.citizen, read_at__isnull=True).exists()
    assert Reminder.objects.get(pk=reminders["finances"].pk).read_at is None  # someone else's
    again = client.post(ALL_READ, **HTMX)
    assert "You had no unread notifications." in again.content.decode()


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "1.5", "99999999999999999999999", "%3Cscript%3E"])
def test_a_bad_id_is_not_found(setting, login, reminders, bad):
    client = login(setting.citizen)
    assert client.post(f"/meldingen/herinnering/{bad}/gelezen/").status_code == 404
    assert client.get(f"/meldingen/herinnering/{bad}/").status_code == 404
    assert not Reminder.objects.filter(read_at__isnull=False).exists()


def test_someone_else_s_reminder_is_not_found(setting, login, reminders):
    for user, reminder in [
        (setting.citizen, reminders["finances"]),  # another person's, same household
        (setting.professional, reminders["overdue"]),
        (setting.other_citizen, reminders["overdue"]),  # another household's
        (setting.stranger, reminders["today"]),
    ]:
        assert login(user).post(mark_url(reminder.pk)).status_code == 404
    assert not Reminder.objects.filter(read_at__isnull=False).exists()


def test_a_reminder_no_longer_visible_cannot_be_marked(setting, login, reminders):
    ConsentGrant.objects.filter(household=setting.household, organisation=setting.schuldhulp).update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    assert login(setting.professional).post(mark_url(reminders["finances"].pk)).status_code == 404


def test_the_buttons_only_take_a_form_and_need_the_csrf_token(setting, reminders):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(setting.citizen, backend="samen.accounts.backends.SamenBackend")
    assert client.get(mark_url(reminders["overdue"].pk)).status_code == 405
    assert client.get(ALL_READ).status_code == 405
    assert client.post(mark_url(reminders["overdue"].pk)).status_code == 403
    assert client.post(ALL_READ).status_code == 403
    assert not Reminder.objects.filter(read_at__isnull=False).exists()


# --- query counts ------------------------------------------------------------------------------------------------


def _many(setting, count: int) -> None:
    """``count`` reminders for the professional about actions in finances, and as many for the citizen."""
    place = place_of(setting, setting.professional)
    finances = Goal.objects.get(plan__household=setting.household, category=G.FINANCES)
    actions = Action.objects.bulk_create(
        Action(goal=finances, text=f"Taak {n}", owner_team_member=place, due_date=in_days(n % 4)) for n in range(count)
    )
    Reminder.objects.bulk_create(
        Reminder(
            recipient=user,
            household=setting.household,
            kind="action_due",
            action=action,
            due_date=action.due_date,
        )
        for action in actions
        for user in (setting.professional, setting.citizen)
    )


@pytest.mark.parametrize("who", ["citizen", "professional"])
def test_the_page_queries_do_not_grow_with_the_number_of_reminders(setting, login, goals, who):
    client = login(getattr(setting, who))
    _many(setting, 10)
    client.get(LIST)  # warm up: the session, the audit chain's first entry
    few = count_queries(client.get, LIST)
    _many(setting, 990)
    many = count_queries(client.get, LIST)
    assert Reminder.objects.filter(recipient=getattr(setting, who)).count() == 1000
    assert few == many, f"{few} queries with 10 reminders, {many} with 1,000"


def test_mark_all_read_queries_do_not_grow(setting, login, goals):
    client = login(setting.professional)
    _many(setting, 10)
    client.get(LIST)  # warm up: the session, the audit chain's first entry
    few = count_queries(client.post, ALL_READ)
    _many(setting, 990)
    many = count_queries(client.post, ALL_READ)
    assert few == many


@pytest.mark.parametrize(
    ("kind", "days", "badge", "sentence"),
    [
        ("action", -1, "Overdue", "This should have been done on Monday 1 June 2026, 1 day ago."),
        ("action", 0, "Today", "This has to be done today, Tuesday 2 June 2026."),
        ("action", 2, "Soon", "This has to be done by Thursday 4 June 2026, in 2 days."),
        ("evaluation", -3, "Overdue", "The evaluation was planned for Saturday 30 May 2026, 3 days ago."),
        ("evaluation", 0, "Today", "The evaluation is today, Tuesday 2 June 2026."),
        ("evaluation", 1, "Soon", "The evaluation is on Wednesday 3 June 2026, in 1 day."),
    ],
)
def test_the_date_is_said_in_words(kind, days, badge, sentence):
    from django.utils import translation

    from samen.reminders.models import ReminderKind
    from samen.reminders.views import _when

    today = datetime.date(2026, 6, 2)
    reminder = Reminder(
        kind=ReminderKind.ACTION_DUE if kind == "action" else ReminderKind.EVALUATION_DUE,
        due_date=today + datetime.timedelta(days=days),
    )
    with translation.override("en"):
        said_badge, _kind, said = _when(reminder, today)
    assert said_badge == badge
    assert said.startswith(sentence)
