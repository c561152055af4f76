"""``services.notify``: the one way other parts of Samen tell a person that something needs them. Who gets a line,
group keys that bump one line instead of adding fifty, the checks on every argument, the audit entry, the e-mail
at once after the commit (only for who chose it, never with content), and the caller's transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import ANONYMOUS, SYSTEM
from samen.core.models import AuditAction, AuditEntry
from samen.organisations.actors import actor_for_user
from samen.reminders import services
from samen.reminders.models import EmailChoice, Notification, NotificationKind
from samen.reminders.tests.conftest import G
from samen.reminders.tests.factories import NotificationPreferenceFactory

pytestmark = pytest.mark.django_db

URL = "/huishoudens/1/gesprekken/3/"


def tell(actor, recipients, household, **fields):
    arguments = {
        "kind": NotificationKind.MESSAGE,
        "category": G.GENERAL,
        "url": URL,
        "params": {"name": "Kees Regisseur"},
    } | fields
    return services.notify(
        actor=actor,
        recipients=recipients,
        household_id=household.pk if household is not None else None,
        **arguments,
    )


def test_each_recipient_gets_one_line(setting):
    actor = actor_for_user(setting.coordinator)
    got = tell(actor, [setting.citizen.pk, setting.professional.pk], setting.household)
    assert got == 2
    rows = Notification.objects.order_by("recipient_id")
    assert {row.recipient_id for row in rows} == {setting.citizen.pk, setting.professional.pk}
    row = rows[0]
    assert (row.kind, row.category, row.url, row.params, row.count) == ("message", "general", URL, row.params, 1)
    assert row.params == {"name": "Kees Regisseur"}
    assert row.household_id == setting.household.pk and row.read_at is None and row.emailed_at is None


def test_the_actor_duplicates_blocked_and_unknown_accounts_are_skipped(setting):
    blocked = UserFactory(is_active=False)
    actor = actor_for_user(setting.coordinator)
    recipients = [setting.coordinator.pk, setting.citizen.pk, str(setting.citizen.pk), blocked.pk, 987654321]
    assert tell(actor, recipients, setting.household) == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [setting.citizen.pk]
    assert tell(actor, [setting.coordinator.pk], setting.household) == 0
    assert tell(actor, [], setting.household) == 0
    assert Notification.objects.count() == 1


def test_a_notification_without_household(setting):
    facilitator = UserFactory()
    assert (
        tell(SYSTEM, [facilitator.pk], None, kind=NotificationKind.SIGNAL_ESCALATED, params={}, url="/meldingen/") == 1
    )
    row = Notification.objects.get()
    assert row.household_id is None and row.params == {}


def test_a_group_key_bumps_the_unread_line(setting):
    coordinator = actor_for_user(setting.coordinator)
    professional = actor_for_user(setting.professional)
    tell(coordinator, [setting.citizen.pk], setting.household, group_key="thread:12")
    first = Notification.objects.get()
    for _ in range(3):
        tell(
            professional,
            [setting.citizen.pk, setting.coordinator.pk],
            setting.household,
            group_key="thread:12",
            params={"name": "Sanne de Vries"},
        )
    citizen = Notification.objects.get(recipient=setting.citizen)
    assert citizen.pk == first.pk and citizen.count == 4
    assert citizen.params == {"name": "Sanne de Vries"}  # the newest
    assert citizen.updated_at > citizen.created_at
    assert Notification.objects.get(recipient=setting.coordinator).count == 3
    # Another group, or none: a line of its own.
    tell(coordinator, [setting.citizen.pk], setting.household, group_key="thread:13")
    tell(coordinator, [setting.citizen.pk], setting.household)
    assert Notification.objects.filter(recipient=setting.citizen).count() == 3


def test_after_reading_a_new_line_starts(setting):
    actor = actor_for_user(setting.coordinator)
    tell(actor, [setting.citizen.pk], setting.household, group_key="thread:12")
    Notification.objects.update(read_at=timezone.now())
    tell(actor, [setting.citizen.pk], setting.household, group_key="thread:12")
    assert sorted(Notification.objects.values_list("count", flat=True)) == [1, 1]
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_one_audit_entry_per_call_without_the_facts(setting):
    actor = actor_for_user(setting.coordinator)
    before = AuditEntry.objects.count()
    tell(actor, [setting.citizen.pk, setting.professional.pk], setting.household, category=G.FINANCES)
    (entry,) = AuditEntry.objects.order_by("sequence")[before:]
    assert entry.action == AuditAction.CREATE and entry.object_type == "reminders.notification"
    assert entry.household_id == setting.household.pk and entry.data_category == "finances"
    assert entry.changes["recipients"] == sorted([setting.citizen.pk, setting.professional.pk])
    assert "Kees" not in str(entry.changes) and "Kees" not in entry.description
    tell(actor, [setting.coordinator.pk], setting.household)  # nobody: nothing written
    assert AuditEntry.objects.count() == before + 1


def test_it_runs_in_the_callers_transaction(setting):
    actor = actor_for_user(setting.coordinator)
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(actor, [setting.citizen.pk], setting.household)
        raise RuntimeError("the caller failed")
    assert not Notification.objects.exists()


def test_anonymous_may_not_notify(setting):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tell(ANONYMOUS, [setting.citizen.pk], setting.household)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "gossip"},
        {"kind": ""},
        {"category": "secrets"},
        {"url": "https://evil.example/"},
        {"url": "//evil.example/"},
        {"url": "/\\evil.example"},
        {"url": "javascript:alert(1)"},
        {"url": "huishoudens/1/"},
        {"url": "/a b"},
        {"url": "/a\nb"},
        {"url": "/" + "a" * 600},
        {"url": None},
        {"params": {}},
        {"params": {"name": "Kees", "text": "Het gaat slecht met de schulden"}},
        {"params": {"who": "Kees"}},
        {"params": {"name": ""}},
        {"params": {"name": "x" * 201}},
        {"params": {"name": "Kees\nRegisseur"}},
        {"params": {"name": ["Kees"]}},
        {"params": {"name": None}},
        {"kind": NotificationKind.MEETING_INVITED, "params": {"date": "next Tuesday"}},
        {"kind": NotificationKind.SIGNAL_ESCALATED, "params": {"name": "Kees"}},
        {"group_key": "x" * 101},
        {"group_key": " thread:1"},
        {"group_key": 12},
    ],
)
def test_bad_arguments_are_refused(setting, fields):
    with pytest.raises(ValidationError):
        tell(actor_for_user(setting.coordinator), [setting.citizen.pk], setting.household, **fields)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("recipients", [["abc"], [None], [-1], "12", 12])
def test_bad_recipients_are_refused(setting, recipients):
    with pytest.raises(ValidationError):
        tell(actor_for_user(setting.coordinator), recipients, setting.household)


@pytest.mark.parametrize("household", ["abc", -3, 0])
def test_a_bad_household_is_refused(setting, household):
    with pytest.raises(ValidationError):
        services.notify(
            actor=actor_for_user(setting.coordinator),
            recipients=[setting.citizen.pk],
            household_id=household,
            kind="message",
            category="general",
            url=URL,
            params={"name": "Kees"},
        )


def test_a_date_is_kept_as_a_date(setting):
    tell(
        actor_for_user(setting.coordinator),
        [setting.citizen.pk],
        setting.household,
        kind=NotificationKind.MEETING_INVITED,
        params={"date": datetime.date(2026, 6, 2)},
    )
    assert Notification.objects.get().params == {"date": "2026-06-02"}


# --- e-mail at once ------------------------------------------------------------------------------------------------


def test_e_mail_at_once_only_for_who_chose_it_after_the_commit(setting, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=setting.citizen, email=EmailChoice.IMMEDIATELY)
    NotificationPreferenceFactory(user=setting.representative, email=EmailChoice.NEVER)
    actor = actor_for_user(setting.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(actor, [setting.citizen.pk, setting.professional.pk, setting.representative.pk], setting.household)
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    (message,) = mailoutbox
    assert message.to == [setting.citizen.email]
    assert message.subject == "Je hebt 1 nieuwe melding in Samen"
    assert "https://samen.example.nl/meldingen/" in message.body
    # A bump of the same group sends nothing more; the line was already mentioned.
    with django_capture_on_commit_callbacks(execute=True):
        tell(actor, [setting.citizen.pk], setting.household, group_key="thread:1")
        tell(actor, [setting.citizen.pk], setting.household, group_key="thread:1")
    assert len(mailoutbox) == 2


def test_the_e_mail_at_once_holds_no_content(setting, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreferenceFactory(user=setting.citizen, email=EmailChoice.IMMEDIATELY)
    actor = actor_for_user(setting.coordinator)
    for kind, params in [
        (NotificationKind.MENTION, {"name": "Kees Regisseur"}),
        (NotificationKind.REFERRAL_UPDATE, {"organisation": "Schuldhulp Zuid"}),
        (NotificationKind.MEETING_INVITED, {"date": "2026-06-02"}),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            tell(actor, [setting.citizen.pk], setting.household, kind=kind, params=params)
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        text = message.subject + message.body
        for content in ("Kees", "Regisseur", "Schuldhulp", "2026", "juni", "Bakker", "Fatima", URL, "gesprek"):
            assert content not in text
