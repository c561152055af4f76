"""The e-mails about notifications: the daily digest (the default choice) through the daily job, the e-mail at once,
nothing for "never"; each thing mentioned once; and never any content: no household, no name, no facts, no link
but the one to the notification centre. A notification about something the person may not (or no longer) see is
invisible everywhere: the list, the unread count, the e-mail at once and the digest."""

import pytest
from django.utils import timezone

from samen.consent.models import ConsentGrant
from samen.organisations.actors import actor_for_user
from samen.reminders import selectors, services, tasks
from samen.reminders.models import EmailChoice, Notification, NotificationKind
from samen.reminders.tests.conftest import G, member_of
from samen.reminders.tests.factories import NotificationPreferenceFactory

pytestmark = pytest.mark.django_db

FACTS = {
    NotificationKind.MENTION: {"name": "Kees Regisseur"},
    NotificationKind.MESSAGE: {"name": "Sanne de Vries"},
    NotificationKind.SIGNAL: {"name": "Fatima Bakker"},
    NotificationKind.SIGNAL_ESCALATED: {},
    NotificationKind.SIGNAL_BREAKTHROUGH: {},
    NotificationKind.REFERRAL_NEW: {"organisation": "Schuldhulp Zuid"},
    NotificationKind.REFERRAL_UPDATE: {"organisation": "Wijkteam Noord"},
    NotificationKind.MEETING_INVITED: {"date": "2026-06-02"},
    NotificationKind.MEETING_OUTCOMES: {"date": "2026-05-28"},
    NotificationKind.PULSE_OPEN: {"name": "Netwerk Zuid", "date": "2026-06-12"},
    NotificationKind.PULSE_REMINDER: {"name": "Netwerk Zuid", "date": "2026-06-12"},
    NotificationKind.PULSE_PROMPT: {"name": "Netwerk Zuid"},
}
SECRET_URL = "/huishoudens/1/gesprek/77/#bericht-geheim"


def by_recipient(mailoutbox) -> dict:
    assert all(len(message.to) == 1 for message in mailoutbox)
    return {message.to[0]: message for message in mailoutbox}


def tell(setting, recipients, kind=NotificationKind.MESSAGE, category=G.GENERAL, household=True, **fields):
    return services.notify(
        actor=actor_for_user(setting.coordinator),
        recipients=[user.pk for user in recipients],
        household_id=setting.household.pk if household else None,
        kind=kind,
        category=category,
        url=SECRET_URL,
        params=FACTS[kind],
        **fields,
    )


def daily_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_due_reminders()


def assert_no_content(setting, message):
    text = message.subject + "\n" + message.body
    forbidden = [setting.household.name, "Bakker", "Fatima", "Kees", "Regisseur", "Sanne", "Vries", "Schuldhulp",
                 "Wijkteam", "2026", "juni", "mei", "gesprek/77", "bericht-geheim", "signaal", "overleg"]  # fmt: skip
    for word in forbidden:
        assert word not in text, f"{word!r} in the e-mail: {text}"
    assert "https://samen.example.nl/meldingen/" in message.body


# --- the daily digest ---------------------------------------------------------------------------------------------


def test_the_daily_digest_is_the_default(setting, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(setting, [setting.citizen, setting.professional])
        tell(setting, [setting.citizen], kind=NotificationKind.MEETING_INVITED)
    assert mailoutbox == []  # nothing at once
    result = daily_job(django_capture_on_commit_callbacks)
    assert (result.recipients, result.digests) == (0, 2)
    mails = by_recipient(mailoutbox)
    assert set(mails) == {setting.citizen.email, setting.professional.email}
    assert mails[setting.citizen.email].subject == "Er staan 2 nieuwe meldingen voor je klaar in Samen"
    assert "Er staan 2 nieuwe meldingen voor je klaar in Samen." in mails[setting.citizen.email].body
    assert mails[setting.professional.email].subject == "Er staat 1 nieuwe melding voor je klaar in Samen"
    for message in mailoutbox:
        assert_no_content(setting, message)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # The next day: nothing new, nothing sent.
    assert daily_job(django_capture_on_commit_callbacks).digests == 0
    assert len(mailoutbox) == 2


def test_reminders_and_notifications_in_one_daily_e_mail(
    setting, due_action, mailoutbox, django_capture_on_commit_callbacks
):
    due_action(member=member_of(setting, setting.citizen))
    due_action(member=member_of(setting, setting.citizen), days=2)
    tell(setting, [setting.citizen])
    result = daily_job(django_capture_on_commit_callbacks)
    assert (result.recipients, result.digests) == (1, 0)  # the citizen: one e-mail for both
    (message,) = mailoutbox
    assert message.subject == "Er staan 3 nieuwe meldingen voor je klaar in Samen"
    assert "Er staat 1 nieuwe melding voor je klaar in Samen." in message.body
    assert "Je hebt ook 2 nieuwe herinneringen" in message.body
    assert_no_content(setting, message)


def test_who_chose_at_once_gets_no_digest_of_what_was_sent(setting, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=setting.citizen, email=EmailChoice.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        tell(setting, [setting.citizen])
    assert len(mailoutbox) == 1
    assert daily_job(django_capture_on_commit_callbacks).digests == 0
    assert len(mailoutbox) == 1


def test_never_means_never(setting, due_action, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=setting.citizen, email=EmailChoice.NEVER)
    due_action(member=member_of(setting, setting.citizen))
    with django_capture_on_commit_callbacks(execute=True):
        tell(setting, [setting.citizen])
    daily_job(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    # Still on the page.
    assert selectors.unread_count(actor_for_user(setting.citizen)) == 2


def test_the_digest_task_is_idempotent_and_tried_again(setting, mailoutbox):
    from unittest import mock

    tell(setting, [setting.citizen])
    down = mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("mail server down"))
    with down, pytest.raises(ConnectionError):
        tasks.send_reminder_digest.call(setting.citizen.pk)
    assert Notification.objects.get().emailed_at is None  # released for the next attempt
    assert tasks.send_reminder_digest.call(setting.citizen.pk) == 1
    assert tasks.send_reminder_digest.call(setting.citizen.pk) == 0
    assert len(mailoutbox) == 1


def test_a_blocked_account_gets_nothing(setting, mailoutbox, django_capture_on_commit_callbacks):
    tell(setting, [setting.citizen])
    setting.citizen.is_active = False
    setting.citizen.save(update_fields=["is_active"])
    daily_job(django_capture_on_commit_callbacks)
    assert tasks.send_reminder_digest.call(setting.citizen.pk) == 0
    assert mailoutbox == []


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_no_e_mail_holds_content_whatever_the_kind(setting, kind, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=setting.citizen, email=EmailChoice.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        tell(setting, [setting.citizen, setting.professional], kind=kind)
    daily_job(django_capture_on_commit_callbacks)
    mails = by_recipient(mailoutbox)
    assert set(mails) == {setting.citizen.email, setting.professional.email}  # at once, and in the digest
    for message in mailoutbox:
        assert_no_content(setting, message)


# --- invisible everywhere --------------------------------------------------------------------------------------------


def test_a_category_the_person_may_not_see_is_invisible_everywhere(
    setting, login, mailoutbox, django_capture_on_commit_callbacks
):
    """The debt counsellor's organisation may see finances, not health. A notification about health: not in the
    list, not in the count, not in the e-mail at once, not in the digest. The coordinator, who chose e-mail at once,
    gets one about finances; then the household withdraws finances: it disappears everywhere before the digest."""
    NotificationPreferenceFactory(user=setting.coordinator, email=EmailChoice.IMMEDIATELY)
    professional = actor_for_user(setting.professional)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            actor=actor_for_user(setting.citizen),
            recipients=[setting.professional.pk, setting.coordinator.pk],
            household_id=setting.household.pk,
            kind=NotificationKind.SIGNAL,
            category=G.HEALTH,
            url=SECRET_URL,
            params={"name": "Fatima Bakker"},
        )
    # The coordinator's organisation has no consent for health either: the e-mail at once is not sent.
    assert mailoutbox == []
    html = login(setting.professional).get("/meldingen/").content.decode()
    assert "Fatima" not in html and "You have no new notifications" in html
    assert selectors.unread_count(professional) == 0
    daily_job(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0

    # Visible first, then withdrawn before anything was sent.
    tell(setting, [setting.professional], category=G.FINANCES)
    assert selectors.unread_count(professional) == 1
    ConsentGrant.objects.filter(household=setting.household, organisation=setting.schuldhulp).update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    assert selectors.unread_count(professional) == 0
    assert "wrote a new message" not in login(setting.professional).get("/meldingen/").content.decode()
    home = login(setting.professional).get("/").content.decode()
    assert "unread notification" not in home and "unread reminder" not in home
    daily_job(django_capture_on_commit_callbacks)
    assert mailoutbox == []

    # The coordinator (e-mail at once) about youth, which their organisation may see: one e-mail; about health: none.
    with django_capture_on_commit_callbacks(execute=True):
        tell(setting, [setting.coordinator], category=G.HEALTH, group_key="a")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            actor=actor_for_user(setting.citizen),
            recipients=[setting.coordinator.pk],
            household_id=setting.household.pk,
            kind=NotificationKind.MESSAGE,
            category=G.YOUTH,
            url=SECRET_URL,
            params={"name": "Fatima Bakker"},
        )
    (message,) = mailoutbox
    assert message.to == [setting.coordinator.email]
    assert message.subject == "Je hebt 1 nieuwe melding in Samen"
