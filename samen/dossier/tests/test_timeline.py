"""The timeline, conversation summaries, events, hidden entries and downloading a document: services, policies,
selectors and views."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samen.consent.models import DataCategory
from samen.core.actor import ANONYMOUS, SYSTEM, Role
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.policy import can
from samen.core.testing import count_queries
from samen.dossier import selectors
from samen.dossier.services import conversation_add, document_add, entry_hide
from samen.dossier.tests.factories import TINY_PDF, DocumentEntryFactory, EntryFactory
from samen.organisations.actors import actor_for_user
from samen.timeline.models import Entry, EntryKind, EventCode, HiddenReason
from samen.timeline.services import event_record

pytestmark = pytest.mark.django_db

G = DataCategory


def _timeline(household_id) -> str:
    return reverse("dossier:timeline", args=[household_id])


def _entry_url(entry) -> str:
    return reverse("dossier:entry", args=[entry.household_id, entry.pk])


def _hide(setting, entry, who="professional"):
    return entry_hide(
        actor=actor_for_user(getattr(setting, who)),
        entry=entry,
        reason=HiddenReason.SAFETY,
        explanation="Er loopt een melding bij Veilig Thuis.",
    )


# --- services -------------------------------------------------------------------------------------------------


def test_professional_writes_a_conversation_summary(setting):
    entry = conversation_add(
        actor=actor_for_user(setting.professional),
        household=setting.household,
        category="finances",
        participants="  Fatima   en Sanne ",
        text="We spraken over de  betalingsregeling.",
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.category, entry.participants) == (EntryKind.CONVERSATION, "finances", "Fatima en Sanne")
    assert entry.organisation == setting.schuldhulp
    (audit,) = AuditEntry.objects.all()
    assert (audit.action, audit.data_category, audit.description) == (
        AuditAction.CREATE,
        "finances",
        "conversation summary added",
    )


def test_a_conversation_needs_participants_and_text(setting):
    with pytest.raises(ValidationError) as caught:
        conversation_add(
            actor=actor_for_user(setting.professional),
            household=setting.household,
            category="general",
            participants=" ",
            text="",
        )
    assert set(caught.value.message_dict) == {"participants", "text"}
    assert not Entry.objects.exists() and not AuditEntry.objects.exists()


def test_a_conversation_outside_consent_is_refused(setting):
    with pytest.raises(PermissionDenied):
        conversation_add(
            actor=actor_for_user(setting.professional),
            household=setting.household,
            category="health",
            participants="Sanne",
            text="Over de gezondheid.",
        )
    assert not Entry.objects.exists()


def test_event_record_for_other_parts_of_samen(setting):
    entry = event_record(
        actor=actor_for_user(setting.coordinator),
        household=setting.household,
        category=G.GENERAL,
        code=EventCode.VERSION_SAVED,
        params={"number": 3},
    )
    assert (entry.kind, entry.source, entry.written_by) == (EntryKind.EVENT, "plans", setting.coordinator)
    assert (entry.event_code, entry.event_params) == ("version_saved", {"number": 3})
    assert entry.text == "Versie 3 van het plan is bewaard."  # the Dutch sentence, kept as it was
    system_entry = event_record(
        actor=SYSTEM,
        household=setting.household,
        category="general",
        code="emergency_access",
        params={"organisation": "Schuldhulp"},
    )
    assert system_entry.written_by is None and system_entry.author_role == Role.SYSTEM
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 2


@pytest.mark.parametrize(
    ("category", "code", "params"),
    [
        ("nope", "version_saved", {"number": 1}),  # unknown category
        ("general", "nope", {}),  # unknown event
        ("general", "version_saved", {}),  # a fact missing
        ("general", "goal_added", {"text": "Schulden bij de bank"}),  # case content refused
    ],
)
def test_event_record_refuses_unknown_codes_and_other_facts(setting, category, code, params):
    with pytest.raises(ValidationError):
        event_record(actor=SYSTEM, household=setting.household, category=category, code=code, params=params)
    assert not Entry.objects.filter(kind=EntryKind.EVENT).exists()


def test_an_event_is_shown_in_the_readers_language(setting, client):
    event_record(
        actor=SYSTEM,
        household=setting.household,
        category=G.FINANCES,
        code=EventCode.CONSENT_GIVEN,
        params={"receiver": "Schuldhulp", "category": "finances"},
    )
    client.force_login(setting.citizen)
    url = reverse("dossier:timeline", args=[setting.household.pk])
    assert "Schuldhulp mag nu zien: geld en schulden." in client.get(url).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Schuldhulp may now see: finances and debts." in english


def test_hiding_records_who_when_why_and_audits_the_reason_not_the_explanation(setting):
    entry = EntryFactory(household=setting.household, category=G.FINANCES)
    _hide(setting, entry)
    entry.refresh_from_db()
    assert entry.hidden_from_household and entry.hidden_reason == "safety"
    assert entry.hidden_by == setting.professional and entry.hidden_at is not None
    (audit,) = AuditEntry.objects.all()
    assert audit.action == AuditAction.UPDATE and audit.changes["hidden_reason"] == "safety"
    assert "Veilig Thuis" not in str(audit.changes) and "Veilig Thuis" not in audit.description
    with pytest.raises(ValidationError):
        _hide(setting, entry)  # already hidden


@pytest.mark.parametrize(
    ("reason", "explanation", "fields"),
    [("", "Uitleg", {"reason"}), ("safety", "  ", {"explanation"}), ("nope", "", {"reason", "explanation"})],
)
def test_hiding_needs_a_reason_and_an_explanation(setting, reason, explanation, fields):
    entry = EntryFactory(household=setting.household)
    with pytest.raises(ValidationError) as caught:
        entry_hide(actor=actor_for_user(setting.professional), entry=entry, reason=reason, explanation=explanation)
    assert set(caught.value.message_dict) == fields
    entry.refresh_from_db()
    assert not entry.hidden_from_household


@pytest.mark.parametrize("who", ["citizen", "representative", "informal", "supporter", "emergency", "stranger"])
def test_only_professionals_with_consent_may_hide(setting, who):
    entry = EntryFactory(household=setting.household, category=G.GENERAL)
    with pytest.raises(PermissionDenied):
        _hide(setting, entry, who)


def test_professional_may_not_hide_outside_consent(setting):
    entry = EntryFactory(household=setting.household, category=G.YOUTH)
    with pytest.raises(PermissionDenied):
        _hide(setting, entry, "professional")
    _hide(setting, entry, "coordinator")  # the coordinator's organisation has youth


# --- policies -------------------------------------------------------------------------------------------------


def test_view_entry_follows_consent(setting):
    finances = EntryFactory(household=setting.household, category=G.FINANCES)
    assert can(actor_for_user(setting.professional), "dossier.view_entry", finances)
    assert can(actor_for_user(setting.citizen), "dossier.view_entry", finances)
    for who in ("coordinator", "expired", "revoked", "stranger", "other_citizen", "emergency", "informal"):
        assert not can(actor_for_user(getattr(setting, who)), "dossier.view_entry", finances), who
    assert not can(ANONYMOUS, "dossier.view_entry", finances)
    assert not can(actor_for_user(setting.citizen), "dossier.view_entry", None)


def test_revoked_consent_hides_the_entry_on_the_next_ask(setting):
    entry = EntryFactory(household=setting.household, category=G.FINANCES)
    actor = actor_for_user(setting.professional)
    assert can(actor, "dossier.view_entry", entry)
    from samen.consent.models import ConsentGrant

    ConsentGrant.objects.filter(organisation=setting.schuldhulp, category="finances").update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    assert not can(actor, "dossier.view_entry", entry)


def test_the_household_does_not_see_a_hidden_entry(setting):
    entry = EntryFactory(household=setting.household, category=G.GENERAL)
    _hide(setting, entry)
    entry.refresh_from_db()
    for who in ("citizen", "representative", "informal"):
        assert not can(actor_for_user(getattr(setting, who)), "dossier.view_entry", entry), who
    for who in ("professional", "coordinator", "supporter"):
        assert can(actor_for_user(getattr(setting, who)), "dossier.view_entry", entry), who


def test_a_hidden_entry_outside_consent_stays_invisible_to_professionals(setting):
    entry = EntryFactory(household=setting.household, category=G.YOUTH)
    _hide(setting, entry, "coordinator")
    entry.refresh_from_db()
    assert not can(actor_for_user(setting.professional), "dossier.view_entry", entry)


# --- selectors ------------------------------------------------------------------------------------------------


def test_timeline_newest_first_within_categories_and_filters(setting):
    now = timezone.now()
    old = EntryFactory(household=setting.household, category=G.GENERAL, created_at=now - datetime.timedelta(days=100))
    new = EntryFactory(household=setting.household, category=G.GENERAL, kind=EntryKind.CONVERSATION)
    EntryFactory(household=setting.household, category=G.HEALTH)
    EntryFactory(household=setting.other_household, category=G.GENERAL)
    hidden = EntryFactory(household=setting.household, category=G.GENERAL)
    _hide(setting, hidden)
    both = [G.GENERAL]
    assert list(selectors.timeline(setting.household, both, include_hidden=False)) == [new, old]
    assert list(selectors.timeline(setting.household, both, include_hidden=True)) == [hidden, new, old]
    assert list(selectors.timeline(setting.household, both, include_hidden=False, kinds=["conversation"])) == [new]
    since = now - datetime.timedelta(days=31)
    assert list(selectors.timeline(setting.household, both, include_hidden=False, since=since)) == [new]


def test_hidden_counts_per_household_and_reason(setting):
    for reason in ("safety", "safety", "legal"):
        entry_hide(
            actor=actor_for_user(setting.professional),
            entry=EntryFactory(household=setting.household),
            reason=reason,
            explanation="Uitleg",
        )
    EntryFactory(household=setting.household)
    assert selectors.hidden_count(setting.household) == 3
    assert selectors.hidden_reason_counts(setting.household) == {
        "safety": 2,
        "third_party": 0,
        "legal": 1,
        "other": 0,
    }
    assert selectors.hidden_reason_counts(setting.other_household)["safety"] == 0
    assert selectors.hidden_reason_counts()["safety"] == 2


# --- views: the timeline --------------------------------------------------------------------------------------


@pytest.fixture
def entries(setting):
    household = setting.household
    EntryFactory(
        household=household, category=G.GENERAL, text="Algemene notitie van Fatima.", written_by=setting.citizen
    )
    EntryFactory(
        household=household,
        category=G.FINANCES,
        kind=EntryKind.CONVERSATION,
        participants="Fatima en Sanne",
        text="Gesprek over de schulden.",
        organisation=setting.schuldhulp,
        author_role="professional",
        written_by=setting.professional,
    )
    EntryFactory(household=household, category=G.HEALTH, text="Bij de huisarts geweest.")
    DocumentEntryFactory(household=household, category=G.FINANCES, file_name="beschikking.pdf")


def test_citizen_sees_everything_and_one_access_entry(setting, entries, login):
    response = login(setting.citizen).get(_timeline(setting.household.pk))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in ("Algemene notitie van Fatima.", "Gesprek over de schulden.", "Bij de huisarts", "beschikking.pdf"):
        assert expected in text
    assert "Who took part: <span data-user-text>Fatima en Sanne</span>" in text
    (audit,) = AuditEntry.objects.all()
    assert audit.action == AuditAction.READ and audit.purpose == AuditPurpose.CITIZEN
    assert audit.data_category == ",".join(category.value for category in DataCategory)
    assert audit.description == "dossier timeline"


def test_professional_sees_only_consented_categories(setting, entries, login):
    response = login(setting.professional).get(_timeline(setting.household.pk))
    text = response.content.decode()
    assert "Gesprek over de schulden." in text and "Algemene notitie" in text
    assert "Bij de huisarts" not in text
    assert AuditEntry.objects.get().data_category == "general,finances"


def test_filters_by_category_kind_and_period(setting, entries, login):
    client = login(setting.citizen)
    text = client.get(_timeline(setting.household.pk), {"category": "health"}).content.decode()
    assert "Bij de huisarts" in text and "Algemene notitie" not in text
    assert AuditEntry.objects.latest("sequence").data_category == "health"
    text = client.get(_timeline(setting.household.pk), {"kind": "conversation"}).content.decode()
    assert "Gesprek over de schulden." in text and "Bij de huisarts" not in text
    EntryFactory(
        household=setting.household, text="Heel oude notitie.", created_at=timezone.now() - datetime.timedelta(days=400)
    )
    text = client.get(_timeline(setting.household.pk), {"period": "year"}).content.decode()
    assert "Heel oude notitie." not in text and "Bij de huisarts" in text


@pytest.mark.parametrize(
    "query",
    [
        {"category": "no-such"},
        {"kind": "<script>alert(1)</script>"},
        {"period": "forever"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"category": "health"},  # not visible to the professional: not a choice
    ],
)
def test_bad_filter_values_explain_and_show_the_rest(setting, entries, login, query):
    response = login(setting.professional).get(_timeline(setting.household.pk), query)
    assert response.status_code == 200
    text = response.content.decode()
    assert "We ignored what could not be used" in text or "That page number does not exist" in text
    assert "Bij de huisarts" not in text
    assert "<script>alert(1)</script>" not in text
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize("who", ["expired", "revoked", "stranger", "other_citizen", "informal_without_grant"])
def test_who_may_not_see_the_timeline(setting, entries, login, who):
    assert login(getattr(setting, who)).get(_timeline(setting.household.pk)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_anonymous_goes_to_the_login_page(setting, login):
    response = login(None).get(_timeline(setting.household.pk))
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_hidden_entries_are_not_shown_to_the_household_and_counted_for_the_coordinator(setting, login):
    entry = EntryFactory(household=setting.household, category=G.GENERAL, text="Geheime notitie.")
    _hide(setting, entry)
    assert "Geheime notitie." not in login(setting.citizen).get(_timeline(setting.household.pk)).content.decode()
    assert login(setting.citizen).get(_entry_url(entry)).status_code == 404
    coordinator_page = login(setting.coordinator).get(_timeline(setting.household.pk)).content.decode()
    assert "Geheime notitie." in coordinator_page
    assert "1 entry is hidden from the household." in coordinator_page
    professional_page = login(setting.professional).get(_timeline(setting.household.pk)).content.decode()
    assert "is hidden from the household." not in professional_page  # only the coordinator sees the count


def test_conversation_form_saves_and_bad_input_keeps_what_was_typed(setting, login):
    client = login(setting.professional)
    url = reverse("dossier:add_conversation", args=[setting.household.pk])
    response = client.post(url, {"category": "finances", "participants": "", "text": "Wat we bespraken <b>"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Write who took part in the conversation." in text and "Wat we bespraken &lt;b&gt;" in text
    assert not Entry.objects.exists()
    response = client.post(url, {"category": "health", "participants": "Sanne", "text": "Over de gezondheid"})
    assert "You cannot write about this kind of information." in response.content.decode()
    response = client.post(url, {"category": "finances", "participants": "Fatima, Sanne", "text": "Regeling."})
    assert response.status_code == 302 and response["Location"] == _timeline(setting.household.pk)
    assert Entry.objects.get().kind == EntryKind.CONVERSATION


def test_readers_may_not_write_conversations(setting, login):
    url = reverse("dossier:add_conversation", args=[setting.household.pk])
    data = {"category": "general", "participants": "Ans", "text": "Hallo"}
    assert login(setting.informal).post(url, data).status_code == 403
    assert login(setting.emergency).post(url, data).status_code == 403
    assert login(setting.stranger).post(url, data).status_code == 404
    assert not Entry.objects.exists()


def test_upload_through_the_page(setting, login, documents_dir):
    client = login(setting.professional)
    url = reverse("dossier:add_document", args=[setting.household.pk])
    bad = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00\x03 a program", content_type="application/pdf")
    response = client.post(url, {"category": "finances", "upload": bad, "description": "Brief"})
    assert response.status_code == 200
    assert "We only accept these kinds of files" in response.content.decode()
    assert not Entry.objects.exists() and not list(documents_dir.glob("*"))
    response = client.post(url, {"category": "finances"})
    assert "Choose a file to upload." in response.content.decode()
    good = SimpleUploadedFile("../../brief.pdf", TINY_PDF, content_type="text/html")
    response = client.post(url, {"category": "finances", "upload": good, "description": "Brief van de bank"})
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.file_name == "brief.pdf" and entry.content_type == "application/pdf"


def test_download_asks_the_policy_and_logs_once(setting, login):
    entry = document_add(
        actor=actor_for_user(setting.professional),
        household=setting.household,
        category=G.FINANCES,
        upload=SimpleUploadedFile("brief.pdf", TINY_PDF),
    )
    before = AuditEntry.objects.count()
    url = reverse("dossier:document", args=[setting.household.pk, entry.pk])
    response = login(setting.citizen).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and "brief.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    audit = AuditEntry.objects.latest("sequence")
    assert AuditEntry.objects.count() == before + 1
    assert (audit.action, audit.data_category, audit.description) == (AuditAction.READ, "finances", "dossier document")
    for who in ("coordinator", "supporter", "emergency", "stranger", "other_citizen", "revoked"):
        assert login(getattr(setting, who)).get(url).status_code == 404, who
    assert AuditEntry.objects.count() == before + 1
    note = EntryFactory(household=setting.household)
    assert login(setting.citizen).get(reverse("dossier:document", args=[note.household_id, note.pk])).status_code == 404
    other = reverse("dossier:document", args=[setting.other_household.pk, entry.pk])
    assert login(setting.citizen).get(other).status_code == 404


@pytest.mark.parametrize("entry_id", ["abc", "0", "-1", "99999999", "1.0"])
def test_malformed_or_missing_entry_ids_are_not_found(setting, login, entry_id):
    url = reverse("dossier:entry", args=[setting.household.pk, entry_id])
    assert login(setting.citizen).get(url).status_code == 404


def test_entry_page_and_hiding_through_it(setting, login):
    entry = EntryFactory(household=setting.household, category=G.GENERAL, text="Over de buren.")
    client = login(setting.professional)
    page = client.get(_entry_url(entry)).content.decode()
    assert "Over de buren." in page and "Hide from the household" in page
    assert AuditEntry.objects.get().data_category == "general"
    url = reverse("dossier:hide_entry", args=[setting.household.pk, entry.pk])
    response = client.post(url, {"reason": "safety", "explanation": ""})
    assert response.status_code == 200 and "Explain why the household may not see this." in response.content.decode()
    response = client.post(url, {"reason": "nope", "explanation": "Uitleg <script>"})
    assert "Choose a reason from the list." in response.content.decode()
    assert "Uitleg &lt;script&gt;" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.hidden_from_household
    response = client.post(url, {"reason": "third_party", "explanation": "Het gaat over de buren."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.hidden_reason == "third_party"
    page = client.get(_entry_url(entry)).content.decode()
    assert "Het gaat over de buren." in page and "Sanne de Vries hid this on" in page
    assert login(setting.citizen).post(url, {"reason": "safety", "explanation": "x"}).status_code == 404
    citizen_entry = EntryFactory(household=setting.household, category=G.GENERAL)
    citizen_url = reverse("dossier:hide_entry", args=[setting.household.pk, citizen_entry.pk])
    assert login(setting.citizen).post(citizen_url, {"reason": "safety", "explanation": "x"}).status_code == 403


def test_overview_does_not_show_hidden_entries_to_the_household(setting, login):
    entry = EntryFactory(household=setting.household, category=G.GENERAL, text="Verborgen voor het huishouden.")
    _hide(setting, entry)
    overview = reverse("dossier:overview", args=[setting.household.pk])
    assert "Verborgen voor het huishouden." not in login(setting.citizen).get(overview).content.decode()
    assert "Verborgen voor het huishouden." in login(setting.professional).get(overview).content.decode()
    assert _timeline(setting.household.pk) in login(setting.citizen).get(overview).content.decode()


@pytest.mark.parametrize("who", ["citizen", "professional", "coordinator"])
def test_timeline_queries_do_not_grow_with_entries(setting, login, who):
    client = login(getattr(setting, who))
    url = _timeline(setting.household.pk)

    def make(number):
        Entry.objects.bulk_create(
            [
                Entry(
                    household=setting.household,
                    category=[G.GENERAL, G.FINANCES, G.YOUTH][index % 3],
                    kind=[EntryKind.NOTE, EntryKind.CONVERSATION, EntryKind.EVENT][index % 3],
                    text=f"Notitie {index}",
                    written_by=setting.professional,
                    organisation=setting.schuldhulp,
                    author_role="professional",
                    hidden_from_household=index % 7 == 0,
                    hidden_reason="safety" if index % 7 == 0 else "",
                    hidden_explanation="Uitleg" if index % 7 == 0 else "",
                    hidden_at=timezone.now() if index % 7 == 0 else None,
                )
                for index in range(number)
            ]
        )

    make(10)
    client.get(url)  # the first request of a session does more (the session, the language)
    few = count_queries(client.get, url)
    make(990)
    many = count_queries(client.get, url)
    assert few == many
    assert count_queries(client.get, url, {"page": "3", "kind": "note"}) == many


def test_a_hidden_document_cannot_be_downloaded_by_the_household(setting, login):
    entry = DocumentEntryFactory(household=setting.household, category=G.GENERAL)
    _hide(setting, entry)
    url = reverse("dossier:document", args=[setting.household.pk, entry.pk])
    assert login(setting.citizen).get(url).status_code == 404
    assert login(setting.representative).get(url).status_code == 404
    assert login(setting.professional).get(url).status_code == 200
