"""The conversation's writers: messages shown only in their category, signals that escalate on working days."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from samen.consent.policies import household_access
from samen.conversations import selectors, services
from samen.conversations.models import Message, Signal, SignalKind
from samen.organisations.actors import actor_for_user
from samen.organisations.models import CaseEvent
from samen.organisations.tests.factories import NetworkFactory, UserFactory
from samen.timeline.models import Entry, EventCode

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _access(user, household):
    actor = actor_for_user(user)
    return actor, household_access(actor, household.pk)


def test_a_message_is_read_only_by_who_may_see_its_category(setting):
    actor, access = _access(setting.professional, setting.household)
    services.message_post(actor=actor, access=access, category="finances", text="Schuld bij de energie <script>")
    services.message_post(actor=actor, access=access, category="general", text="Tot dinsdag")
    thread = selectors.household_thread(setting.household.pk)
    for who, expected in (
        ("professional", ["Schuld bij de energie <script>", "Tot dinsdag"]),
        ("citizen", ["Schuld bij de energie <script>", "Tot dinsdag"]),
        ("coordinator", ["Tot dinsdag"]),  # Wijkteam Noord has no consent for finances
        ("informal", ["Tot dinsdag"]),
    ):
        _actor, reader = _access(getattr(setting, who), setting.household)
        shown, _older = selectors.messages(thread, reader.visible)
        assert [message.text for message in shown] == expected, who


def test_outsiders_and_revoked_consent_cannot_write(setting):
    for who in ("revoked", "stranger", "other_citizen"):
        with pytest.raises(Http404):
            _access(getattr(setting, who), setting.household)  # the gate: not even the household
    for who in ("emergency",):
        actor, access = _access(getattr(setting, who), setting.household)
        with pytest.raises(PermissionDenied):
            services.message_post(actor=actor, access=access, category="general", text="Hallo")
    assert not Message.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001, None, 12])
def test_bad_text_is_refused_with_a_message(setting, text):
    actor, access = _access(setting.citizen, setting.household)
    with pytest.raises(ValidationError) as error:
        services.message_post(actor=actor, access=access, category="general", text=text)
    assert "text" in error.value.message_dict
    assert not Message.objects.exists()


def test_a_signal_escalates_after_the_norm_in_working_days_and_then_breaks_through(setting):
    network = NetworkFactory(organisations=[setting.wijkteam, setting.schuldhulp])
    facilitator = UserFactory()
    network.facilitators.add(facilitator)
    actor, access = _access(setting.citizen, setting.household)
    signal = services.signal_raise(
        actor=actor,
        access=access,
        kind=SignalKind.PART,
        text="De afspraak is niet doorgegaan",
        organisation_ids=[setting.wijkteam.pk, setting.schuldhulp.pk],
    )
    signal.refresh_from_db()
    assert signal.owner == setting.coordinator and signal.network == network
    assert CaseEvent.objects.filter(kind="signal_shared").count() == 1
    # Raised on a Thursday afternoon: due Monday, second deadline Wednesday.
    thursday = datetime.datetime(2026, 12, 3, 14, tzinfo=AMS)
    Signal.objects.filter(pk=signal.pk).update(
        raised_at=thursday,
        due_at=datetime.datetime(2026, 12, 7, 14, tzinfo=AMS),
        second_due_at=datetime.datetime(2026, 12, 9, 14, tzinfo=AMS),
    )
    assert services.signals_escalate(now=datetime.datetime(2026, 12, 7, 13, tzinfo=AMS)).escalated == 0
    run = services.signals_escalate(now=datetime.datetime(2026, 12, 7, 15, tzinfo=AMS))
    assert (run.escalated, run.breakthrough) == (1, 0)
    again = services.signals_escalate(now=datetime.datetime(2026, 12, 7, 16, tzinfo=AMS))
    assert (again.escalated, again.breakthrough) == (0, 0)  # idempotent
    run = services.signals_escalate(now=datetime.datetime(2026, 12, 9, 15, tzinfo=AMS))
    assert (run.escalated, run.breakthrough) == (0, 1)
    codes = list(
        Entry.objects.filter(household=setting.household, event_code__startswith="signal").values_list(
            "event_code", flat=True
        )
    )
    assert sorted(codes) == sorted([EventCode.SIGNAL_RAISED, EventCode.SIGNAL_ESCALATED, EventCode.SIGNAL_BREAKTHROUGH])
    assert CaseEvent.objects.filter(kind="signal_escalated").count() == 1


def test_a_professional_answering_in_the_thread_stops_the_escalation(setting):
    actor, access = _access(setting.citizen, setting.household)
    signal = services.signal_raise(actor=actor, access=access, kind="plan", text="Het plan werkt niet")
    coordinator, coordinator_access = _access(setting.coordinator, setting.household)
    services.message_post(actor=coordinator, access=coordinator_access, thread=signal.thread, text="Ik bel je morgen")
    signal.refresh_from_db()
    assert signal.answered_by == setting.coordinator
    assert services.signals_escalate(now=signal.due_at + datetime.timedelta(hours=1)).escalated == 0
    resolved = services.signal_resolve(
        actor=coordinator, access=coordinator_access, signal=signal, is_coordinator=True, resolution="Nieuwe afspraak"
    )
    assert resolved.resolved_at is not None
    with pytest.raises(PermissionDenied):
        services.signal_resolve(
            actor=coordinator, access=coordinator_access, signal=resolved, is_coordinator=True, resolution="Nog eens"
        )


def test_a_message_in_a_category_someone_may_not_see_is_invisible_everywhere(setting):
    from samen.reminders.models import Notification

    actor, access = _access(setting.professional, setting.household)
    services.message_post(actor=actor, access=access, category="finances", text="Beslag op het loon @Kees")
    thread = selectors.household_thread(setting.household.pk)
    _coordinator, coordinator_access = _access(setting.coordinator, setting.household)  # no consent for finances
    assert selectors.messages(thread, coordinator_access.visible) == ([], False)  # the page and the search
    assert selectors.messages(thread, coordinator_access.visible, query="Beslag") == ([], False)
    assert selectors.messages_after(thread, coordinator_access.visible, 0) == []  # the polling endpoint
    assert not Notification.objects.filter(recipient=setting.coordinator).exists()  # not told, not mentioned
    assert Notification.objects.filter(recipient=setting.citizen, kind="message").exists()


def test_a_thread_between_professionals_hides_its_messages_but_not_that_it_exists(setting):
    actor, access = _access(setting.coordinator, setting.household)
    started = services.thread_start(
        actor=actor,
        access=access,
        topic="Afstemming huur",
        reason="Eerst onderling afstemmen wie de verhuurder belt.",
        organisation_ids=[setting.schuldhulp.pk],
        category="general",
        text="Bel jij of ik?",
    )
    for who, readable in (("coordinator", True), ("professional", True), ("citizen", False), ("supporter", False)):
        reader = actor_for_user(getattr(setting, who))
        reader_access = household_access(reader, setting.household.pk)
        rows = selectors.thread_rows(
            setting.household.pk,
            reader_access.visible,
            user_id=reader.user_id,
            organisation_id=reader.organisation_id,
            consented=bool(reader_access.consented),
        )
        row = next(row for row in rows if row.thread.pk == started.pk)
        assert row.readable is readable, who
        assert row.thread.topic == "Afstemming huur" and row.thread.reason  # the household sees it exists, and why
        assert sorted(row.organisations) == ["Schuldhulp Zuid", "Wijkteam Noord"]
    assert Entry.objects.filter(household=setting.household, event_code=EventCode.THREAD_OPENED).exists()
    with pytest.raises(ValidationError):
        services.thread_start(
            actor=actor, access=access, topic="X", reason="", organisation_ids=[], category="general", text="Y"
        )


def test_the_escalation_command_queues_the_job_and_runs_it_here(setting, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = StringIO()
    call_command("escalate_signals", stdout=out)
    assert "queued" in out.getvalue()
    call_command("escalate_signals", "--here", stdout=out)
    assert "0 signal(s) escalated" in out.getvalue()


def test_the_deadlines_count_working_days_across_christmas_and_a_weekend(setting, monkeypatch):
    """Raised on Christmas Eve (a Thursday) at 14:00 with the default norm of 2 working days: Christmas Day, the
    weekend (with Boxing Day) do not count, so it is due on Tuesday the 29th at 14:00 and unsolved by Thursday the
    31st at 14:00 it goes to the breakthrough route."""
    from django.utils import timezone as django_timezone

    raised = datetime.datetime(2026, 12, 24, 14, tzinfo=AMS)
    monkeypatch.setattr(django_timezone, "now", lambda: raised)
    actor, access = _access(setting.citizen, setting.household)
    signal = services.signal_raise(actor=actor, access=access, kind="other", text="Niemand belt terug")
    assert signal.due_at == datetime.datetime(2026, 12, 29, 14, tzinfo=AMS)
    assert signal.second_due_at == datetime.datetime(2026, 12, 31, 14, tzinfo=AMS)
    assert services.signals_escalate(now=datetime.datetime(2026, 12, 29, 13, 59, tzinfo=AMS)).escalated == 0
    assert services.signals_escalate(now=datetime.datetime(2026, 12, 29, 14, 1, tzinfo=AMS)).escalated == 1
    assert services.signals_escalate(now=datetime.datetime(2026, 12, 31, 13, 59, tzinfo=AMS)).breakthrough == 0
    assert services.signals_escalate(now=datetime.datetime(2026, 12, 31, 14, 1, tzinfo=AMS)).breakthrough == 1


def test_the_network_sets_the_norm(setting):
    network = NetworkFactory(organisations=[setting.wijkteam], signal_response_days=5)
    actor, access = _access(setting.citizen, setting.household)
    signal = services.signal_raise(actor=actor, access=access, kind="other", text="Het gaat niet")
    assert (signal.network, signal.response_days) == (network, 5)


def test_an_attachment_is_a_dossier_document_and_a_summary_goes_to_the_timeline(setting, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samen.dossier.tests.factories import TINY_PDF
    from samen.timeline.models import EntryKind

    settings.SAMEN_DOCUMENTS_DIR = tmp_path / "documents"
    actor, access = _access(setting.professional, setting.household)
    upload = SimpleUploadedFile("brief.pdf", TINY_PDF, content_type="application/pdf")
    message = services.message_post(actor=actor, access=access, category="finances", text="De brief", upload=upload)
    assert message.attachment.kind == EntryKind.DOCUMENT and message.attachment.category == "finances"
    services.message_post(actor=actor, access=access, category="general", text="Tot dinsdag")
    entry = services.summary_save(actor=actor, access=access, thread=message.thread, category="finances")
    assert entry.kind == EntryKind.CONVERSATION and entry.category == "finances"
    assert "De brief" in entry.text and "Tot dinsdag" not in entry.text
    assert entry.participants == "Sanne de Vries"
