"""The notification centre ("Meldingen") with notifications in it: one list with the reminders, newest first, the
sentence in the reader's language, the household, when and a link that marks the line read; marking read with and
without htmx; the e-mail choice; bad input; who may see what; and query counts that do not grow with the number of
notifications (the page, the buttons and the count on the home page)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.consent.models import ConsentGrant
from samen.core.models import AuditAction, AuditEntry
from samen.core.testing import count_queries
from samen.organisations.actors import actor_for_user
from samen.reminders import selectors
from samen.reminders.models import EmailChoice, Notification, NotificationPreference, Reminder
from samen.reminders.tests.conftest import G, member_of
from samen.reminders.tests.factories import NotificationFactory, ReminderFactory

pytestmark = pytest.mark.django_db

LIST = "/meldingen/"
ALL_READ = "/meldingen/alles-gelezen/"
PREFERENCES = "/meldingen/voorkeuren/"
HTMX = {"HTTP_HX_REQUEST": "true"}
THREAD = "/huishoudens/1/gesprek/7/"


def open_url(notification) -> str:
    return reverse("reminders:open", args=[notification.pk])


def read_url(notification) -> str:
    return reverse("reminders:mark_notification_read", args=[notification.pk])


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def lines(setting):
    """The citizen: a message (three, bumped into one line), a meeting invitation and, in a category she sees, a
    request's news. The debt counsellor: one about finances and one about health (no consent). The network
    facilitator's escalation has no household."""
    citizen, professional = setting.citizen, setting.professional
    return {
        "message": NotificationFactory(
            recipient=citizen,
            household=setting.household,
            url=THREAD,
            params={"name": "Kees Regisseur"},
            count=3,
            created_at=ago(hours=3),
            updated_at=ago(minutes=5),
        ),
        "meeting": NotificationFactory(
            recipient=citizen,
            household=setting.household,
            kind="meeting_invited",
            params={"date": "2026-06-02"},
            created_at=ago(hours=2),
            updated_at=ago(hours=2),
        ),
        "finances": NotificationFactory(
            recipient=professional,
            household=setting.household,
            category="finances",
            kind="referral_new",
            params={"organisation": "Wijkteam Noord"},
        ),
        "health": NotificationFactory(
            recipient=professional, household=setting.household, category="health", params={"name": "Verborgen Naam"}
        ),
    }


def page(client, *args, **kwargs) -> str:
    response = client.get(LIST, *args, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------------------------------


def test_the_citizen_sees_each_line_in_plain_dutch(setting, login, lines):
    html = page(login(setting.citizen), HTTP_ACCEPT_LANGUAGE="nl")
    assert "<h1>Meldingen</h1>" in html
    assert "Je hebt 2 ongelezen meldingen" in html
    assert "Kees Regisseur en anderen schreven 3 nieuwe berichten." in html
    assert "Je bent uitgenodigd voor een overleg op 2 juni 2026." in html
    assert "Huishouden: Familie Bakker" in html
    assert "Nieuw" in html and "Vandaag om" in html or "Gisteren om" in html
    assert f'href="{open_url(lines["message"])}"' in html and "Open het gesprek" in html
    # Newest first: the message (5 minutes ago) before the meeting (2 hours ago).
    assert html.index("nieuwe berichten") < html.index("uitgenodigd")
    # Never the link itself, nor anyone else's lines.
    assert THREAD not in html
    assert "Wijkteam Noord asks" not in html and "Verborgen" not in html


def test_the_same_page_in_english(setting, login, lines):
    html = page(login(setting.citizen))
    assert "Kees Regisseur and others wrote 3 new messages." in html
    assert "You are invited to a meeting on 2 June 2026." in html
    assert "You have 2 unread notifications" in html


def test_a_line_in_a_category_the_reader_may_not_see_is_not_shown(setting, login, lines):
    html = page(login(setting.professional))
    assert "Wijkteam Noord asks your organisation to help." in html
    assert "Verborgen Naam" not in html
    assert "You have 1 unread notification" in html
    ConsentGrant.objects.filter(household=setting.household, organisation=setting.schuldhulp).update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    html = page(login(setting.professional))
    assert "Wijkteam Noord" not in html and "Familie Bakker" not in html
    assert "You have no new notifications" in html


def test_notifications_and_reminders_are_one_list_with_one_count(setting, login, lines, due_action):
    action = due_action(member=member_of(setting, setting.citizen), text="Post openen en sorteren")
    ReminderFactory(recipient=setting.citizen, action=action, created_at=ago(hours=1))
    html = page(login(setting.citizen))
    assert "You have 3 unread notifications" in html
    assert html.index("new messages") < html.index("Post openen") < html.index("invited to a meeting")
    assert selectors.unread_count(actor_for_user(setting.citizen)) == 3


def test_a_facilitator_sees_the_escalation_without_a_household(login):
    from samen.organisations.tests.factories import MembershipFactory

    facilitator = MembershipFactory(facilitator=True).user
    NotificationFactory(recipient=facilitator, household=None, kind="signal_escalated", params={})
    html = page(login(facilitator))
    assert "A signal that something is not going well was not answered in time. It needs you now." in html
    assert "Household:" not in html
    assert "Open the signal" in html


def test_the_page_writes_one_access_entry_naming_households_and_categories(setting, login, lines):
    client = login(setting.professional)
    before = AuditEntry.objects.count()
    page(client)
    (entry,) = AuditEntry.objects.order_by("sequence")[before:]
    assert entry.action == AuditAction.READ and entry.data_category == "finances"
    assert entry.changes == {"households": [setting.household.pk], "notifications": [lines["finances"].pk]}


def test_a_line_without_household_writes_no_access_entry(login):
    from samen.organisations.tests.factories import MembershipFactory

    facilitator = MembershipFactory(facilitator=True).user
    NotificationFactory(recipient=facilitator, household=None, kind="signal_escalated", params={})
    before = AuditEntry.objects.count()
    page(login(facilitator))
    assert AuditEntry.objects.count() == before


def test_read_lines_stay_a_week(setting, login, lines):
    Notification.objects.filter(pk=lines["meeting"].pk).update(created_at=ago(days=10), updated_at=ago(days=10))
    Notification.objects.filter(pk=lines["meeting"].pk).update(read_at=ago(days=2))
    html = page(login(setting.citizen))
    assert "invited to a meeting" in html and "You have 1 unread notification" in html
    assert read_url(lines["meeting"]) not in html  # no button for a read one
    Notification.objects.filter(pk=lines["meeting"].pk).update(read_at=ago(days=8))
    assert "invited to a meeting" not in page(login(setting.citizen))


def test_the_page_is_paginated(setting, login):
    Notification.objects.bulk_create(
        Notification(recipient=setting.citizen, household=setting.household, kind="message", category="general",
                     url="/", params={"name": f"Persoon {n}"})
        for n in range(30)
    )  # fmt: skip
    first = page(login(setting.citizen))
    second = page(login(setting.citizen), {"page": "2"})
    assert first.count("<article") == 25 and second.count("<article") == 5
    assert "Page 1 of 2" in first


# --- opening a line ------------------------------------------------------------------------------------------------


def test_opening_a_line_marks_it_read_and_goes_there(setting, login, lines):
    client = login(setting.citizen)
    response = client.get(open_url(lines["message"]))
    assert response.status_code == 302 and response["Location"] == THREAD
    notification = Notification.objects.get(pk=lines["message"].pk)
    assert notification.read_at is not None
    entry = AuditEntry.objects.order_by("sequence").last()
    assert entry.action == AuditAction.UPDATE and entry.description == "notification marked as read"
    before = AuditEntry.objects.count()
    assert client.get(open_url(lines["message"]))["Location"] == THREAD  # again: still there, nothing written
    assert AuditEntry.objects.count() == before
    assert "You have 1 unread notification" in page(client)


def test_a_stored_link_to_another_site_is_never_followed(setting, login):
    notification = NotificationFactory(recipient=setting.citizen, household=setting.household)
    Notification.objects.filter(pk=notification.pk).update(url="/\\evil.example/")
    response = login(setting.citizen).get(open_url(notification))
    assert response.status_code == 302 and response["Location"] == LIST


def test_opening_someone_else_s_or_a_hidden_line_is_not_found(setting, login, lines):
    for user, notification in [
        (setting.professional, lines["message"]),  # another person's, same household
        (setting.coordinator, lines["meeting"]),
        (setting.other_citizen, lines["message"]),
        (setting.stranger, lines["finances"]),
        (setting.professional, lines["health"]),  # their own, in a category they may not see
    ]:
        client = login(user)
        assert client.get(open_url(notification)).status_code == 404
        assert client.post(read_url(notification)).status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "1.5", "99999999999999999999999", "%3Cscript%3E"])
def test_a_bad_id_is_not_found(setting, login, lines, bad):
    client = login(setting.citizen)
    assert client.get(f"/meldingen/{bad}/").status_code == 404
    assert client.post(f"/meldingen/{bad}/gelezen/").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(login, lines):
    client = login(None)
    for response in (
        client.get(LIST),
        client.get(PREFERENCES),
        client.post(PREFERENCES, {"email": "never"}),
        client.get(open_url(lines["message"])),
        client.post(read_url(lines["message"])),
        client.post(ALL_READ),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not Notification.objects.filter(read_at__isnull=False).exists()
    assert not NotificationPreference.objects.exists()


# --- the buttons ------------------------------------------------------------------------------------------------


def test_mark_read_without_javascript(setting, login, lines):
    client = login(setting.citizen)
    response = client.post(read_url(lines["meeting"]), {"page": "1"})
    assert response.status_code == 302 and response["Location"] == LIST
    html = page(client)
    assert "The notification is marked as read." in html and "You have 1 unread notification" in html
    again = client.post(read_url(lines["meeting"]), follow=True)
    assert "This notification was already marked as read." in again.content.decode()


def test_mark_read_with_htmx_replaces_the_list(setting, login, lines):
    response = login(setting.citizen).post(read_url(lines["meeting"]), {"page": "1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="reminder-results"' in html
    assert 'hx-swap-oob="innerHTML"' in html and "The notification is marked as read." in html


def test_mark_all_read_marks_notifications_and_reminders(setting, login, lines, due_action):
    action = due_action(member=member_of(setting, setting.citizen))
    reminder = ReminderFactory(recipient=setting.citizen, action=action)
    client = login(setting.citizen)
    response = client.post(ALL_READ, {"page": "1"}, follow=True)
    assert "3 notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=setting.citizen, read_at__isnull=True).exists()
    assert Reminder.objects.get(pk=reminder.pk).read_at is not None
    assert Notification.objects.get(pk=lines["finances"].pk).read_at is None  # someone else's
    assert "You had no unread notifications." in client.post(ALL_READ, **HTMX).content.decode()


def test_mark_all_read_leaves_hidden_lines_alone(setting, login, lines):
    login(setting.professional).post(ALL_READ)
    assert Notification.objects.get(pk=lines["finances"].pk).read_at is not None
    assert Notification.objects.get(pk=lines["health"].pk).read_at is None


def test_the_buttons_only_take_a_form_and_need_the_csrf_token(setting, lines):
    client = Client(enforce_csrf_checks=True)
    client.force_login(setting.citizen, backend="samen.accounts.backends.SamenBackend")
    assert client.get(read_url(lines["meeting"])).status_code == 405
    assert client.post(read_url(lines["meeting"])).status_code == 403
    assert Client().post(open_url(lines["meeting"])).status_code == 405
    assert client.post(PREFERENCES, {"email": "never"}).status_code == 403
    assert not Notification.objects.filter(read_at__isnull=False).exists()


# --- the e-mail choice ----------------------------------------------------------------------------------------------


def test_the_choice_starts_at_once_a_day_and_can_be_changed(setting, login):
    client = login(setting.citizen)
    html = client.get(PREFERENCES, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<h1>Meldingen per e-mail</h1>" in html
    assert 'value="daily" id="email-daily" aria-describedby="email-daily-description" checked' in html
    response = client.post(PREFERENCES, {"email": "immediately"})
    assert response.status_code == 302 and response["Location"] == PREFERENCES
    assert NotificationPreference.objects.get(user=setting.citizen).email == EmailChoice.IMMEDIATELY
    entry = AuditEntry.objects.order_by("sequence").last()
    assert entry.changes == {"email": ["daily", "immediately"]}
    html = client.get(PREFERENCES).content.decode()
    assert "Your choice is saved." in html
    assert 'value="immediately" id="email-immediately" aria-describedby="email-immediately-description" checked' in html
    before = AuditEntry.objects.count()
    client.post(PREFERENCES, {"email": "immediately"})  # the same again: nothing written
    assert AuditEntry.objects.count() == before
    client.post(PREFERENCES, {"email": "never"})
    assert NotificationPreference.objects.get(user=setting.citizen).email == EmailChoice.NEVER
    assert NotificationPreference.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose when you want an e-mail."),
        ({"email": ""}, "Choose when you want an e-mail."),
        ({"email": "sometimes"}, "Choose one of the options."),
        ({"email": "<script>alert(1)</script>"}, "Choose one of the options."),
        ({"email": "x" * 5000}, "Choose one of the options."),
        ({"email": ["daily", "never"]}, None),  # two answers: the last one counts, as in every form
    ],
)
def test_bad_input_on_the_choice(setting, login, data, message):
    response = login(setting.citizen).post(PREFERENCES, data)
    if message is None:
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and 'href="#email-immediately"' in html  # the error summary links to the choices
    assert "<script>alert" not in html
    assert not NotificationPreference.objects.exists()


def test_everyone_chooses_only_for_themselves(setting, login):
    login(setting.citizen).post(PREFERENCES, {"email": "never", "user": setting.professional.pk})
    assert list(NotificationPreference.objects.values_list("user_id", "email")) == [(setting.citizen.pk, "never")]


# --- query counts --------------------------------------------------------------------------------------------------


def _many(setting, count: int, hours_ago: int = 3) -> None:
    """``count`` notifications for the citizen and the debt counsellor, half in finances, some read, some without a
    household; and ``count`` reminders for the citizen, each a second after a notification (so every page holds
    both)."""
    from samen.plans.models import Action, Goal

    rows = []
    base = timezone.now() - datetime.timedelta(hours=hours_ago)
    for n in range(count):
        earlier = base + datetime.timedelta(seconds=2 * n)
        for user in (setting.citizen, setting.professional):
            rows.append(
                Notification(
                    recipient=user,
                    household=None if n % 10 == 0 else setting.household,
                    kind="message",
                    category=G.FINANCES if n % 2 else G.GENERAL,
                    url="/",
                    params={"name": f"Persoon {n}"},
                    read_at=timezone.now() if n % 3 == 0 else None,
                    created_at=earlier,
                    updated_at=earlier,
                )
            )
    Notification.objects.bulk_create(rows)
    goal = Goal.objects.get(plan__household=setting.household, category=G.GENERAL)
    member = member_of(setting, setting.citizen)
    actions = Action.objects.bulk_create(
        Action(goal=goal, text=f"Taak {n}", owner_member=member, due_date=timezone.localdate()) for n in range(count)
    )
    Reminder.objects.bulk_create(
        Reminder(recipient=setting.citizen, household=setting.household, kind="action_due", action=action,
                 due_date=action.due_date, created_at=base + datetime.timedelta(seconds=2 * n + 1))
        for n, action in enumerate(actions)
    )  # fmt: skip


@pytest.mark.parametrize("who", ["citizen", "professional"])
@pytest.mark.parametrize("url", [LIST, "/"])
def test_the_page_and_the_home_count_do_not_grow_with_the_number_of_notifications(setting, login, goals, who, url):
    client = login(getattr(setting, who))
    _many(setting, 10)
    client.get(url)  # warm up: the session, the audit chain's first entry
    few = count_queries(client.get, url)
    _many(setting, 990, hours_ago=2)
    many = count_queries(client.get, url)
    assert Notification.objects.filter(recipient=getattr(setting, who)).count() == 1000
    assert few == many, f"{url}: {few} queries with 10 notifications, {many} with 1,000"


def test_the_unread_count_is_one_query(setting, goals, django_assert_num_queries):
    _many(setting, 30)
    for user in (setting.citizen, setting.professional):
        actor = actor_for_user(user)
        queries = 2 if user == setting.citizen else 1  # a citizen's representations first
        with django_assert_num_queries(queries):
            count = selectors.unread_count(actor)
        assert count == selectors.centre_counts(selectors.centre_items(actor))[1]
    assert selectors.unread_count(actor_for_user(setting.citizen)) == 20 + 30  # 2/3 of 30 unread, 30 reminders


def test_the_buttons_do_not_grow_with_the_number_of_notifications(setting, login, goals):
    client = login(setting.professional)
    _many(setting, 10)
    client.get(LIST)
    few = count_queries(client.post, ALL_READ)
    _many(setting, 990)
    many = count_queries(client.post, ALL_READ)
    assert few == many


def test_the_home_pages_show_the_unread_count(setting, login, lines):
    from samen.organisations.tests.factories import MembershipFactory

    def main(client) -> str:
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        return html[html.index("<main") :]

    html = main(login(setting.citizen))
    assert "Je hebt 2 nieuwe meldingen." in html and 'href="/meldingen/"' in html
    facilitator = MembershipFactory(facilitator=True).user
    assert 'href="/meldingen/"' not in main(login(facilitator))
    NotificationFactory(recipient=facilitator, household=None, kind="signal_escalated", params={})
    html = main(login(facilitator))
    assert "1 ongelezen melding" in html and 'href="/meldingen/"' in html
