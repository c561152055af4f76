"""The household overview and its note form: what each person sees, the one access entry, bad input, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.dossier.tests.factories import EntryFactory
from samen.households.models import Household, HouseholdMember
from samen.timeline.models import NOTE_MAX_LENGTH, Entry, EntryKind

pytestmark = pytest.mark.django_db

G = DataCategory


def _url(household_id) -> str:
    return reverse("dossier:overview", args=[household_id])


def _note_url(household_id) -> str:
    return reverse("dossier:add_note", args=[household_id])


@pytest.fixture
def notes(setting):
    """One note in each category, by the people who work in it."""
    household = setting.household
    by = {
        G.GENERAL: ("Fatima wil weer aan het werk.", None, "citizen", setting.citizen),
        G.FINANCES: (
            "Schuld bij de energieleverancier: 1200 euro.",
            setting.schuldhulp,
            "professional",
            setting.professional,
        ),
        G.YOUTH: ("Noor gaat weer graag naar school.", setting.wijkteam, "coordinator", setting.coordinator),
        G.HEALTH: ("Afspraak bij de huisarts over slapen.", None, "client_supporter", setting.supporter),
        G.SAFETY: ("Geen zorgen over veiligheid thuis.", setting.wijkteam, "coordinator", setting.coordinator),
        G.MENTAL_HEALTH: ("Gesprek met de praktijkondersteuner.", None, "citizen", setting.citizen),
        G.JUSTICE: ("Boete betaald.", None, "citizen", setting.citizen),
    }
    for category, (text, organisation, role, user) in by.items():
        EntryFactory(
            household=household,
            category=category,
            text=text,
            organisation=organisation,
            author_role=role,
            written_by=user,
        )
    return {category: text for category, (text, *_rest) in by.items()}


# --- who sees what -------------------------------------------------------------------------------------------


def test_citizen_sees_my_household_with_everything(setting, notes, login):
    response = login(setting.citizen).get(_url(setting.household.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>My household</h1>" in html
    assert "Fatima Bakker (you)" in html and "Grietje Bakker" in html and "Grandparent" in html
    assert "The coordinator is Kees Regisseur (Wijkteam Noord)." in html
    assert "6 other people help as well." in html
    for text in notes.values():
        assert text in html
    # Who wrote what, by name: the professional with their organisation, the resident by their own name.
    assert "Schuldhulp Zuid" in html and "resident" not in html
    assert html.count("Fatima Bakker") >= 2  # in the members table, and as the writer of her own note
    assert "You have no permission for" not in html
    assert reverse("households:team", args=[setting.household.pk]) in html
    assert reverse("consent:matrix", args=[setting.household.pk]) in html
    assert reverse("consent:access_log", args=[setting.household.pk]) in html
    assert 'name="text"' in html  # the note form
    for category in G:
        assert f'<option value="{category.value}">' in html


def test_one_access_entry_names_every_category_shown(setting, notes, login):
    login(setting.citizen).get(_url(setting.household.pk))
    (entry,) = AuditEntry.objects.all()
    assert entry.action == AuditAction.READ
    assert entry.household_id == setting.household.pk
    assert entry.purpose == AuditPurpose.CITIZEN
    assert entry.data_category == "general,health,mental_health,finances,safety,justice,youth"


def test_professional_sees_only_the_consented_parts(setting, notes, login):
    response = login(setting.professional).get(_url(setting.household.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Household Familie Bakker</h1>" in html
    assert notes[G.GENERAL] in html and notes[G.FINANCES] in html
    for category in (G.YOUTH, G.HEALTH, G.SAFETY, G.MENTAL_HEALTH, G.JUSTICE):
        assert notes[category] not in html
    assert "You have no permission for: Health, Mental health, Safety, Justice, Youth." in html
    assert "Grietje Bakker" in html  # general: the members
    # Only the categories this professional may write in.
    assert '<option value="finances">' in html and '<option value="health">' not in html
    # Not the household's consent pages.
    assert reverse("consent:matrix", args=[setting.household.pk]) not in html
    assert reverse("households:team", args=[setting.household.pk]) in html
    (entry,) = AuditEntry.objects.all()
    assert entry.data_category == "general,finances"
    assert entry.purpose == AuditPurpose.CARE_COORDINATION
    assert entry.organisation_id == setting.schuldhulp.pk


def test_coordinator_sees_the_consent_links(setting, notes, login):
    html = login(setting.coordinator).get(_url(setting.household.pk)).content.decode()
    assert notes[G.YOUTH] in html and notes[G.FINANCES] not in html
    assert reverse("consent:matrix", args=[setting.household.pk]) in html
    assert reverse("consent:access_log", args=[setting.household.pk]) in html


def test_informal_member_reads_general_and_has_no_form(setting, notes, login):
    html = login(setting.informal).get(_url(setting.household.pk)).content.decode()
    assert notes[G.GENERAL] in html and notes[G.FINANCES] not in html
    assert 'name="text"' not in html
    assert "You have no permission for" not in html  # only professionals get that line
    assert AuditEntry.objects.get().data_category == "general"


def test_break_the_glass_reads_safety_only_without_members_or_form(setting, notes, login):
    html = login(setting.emergency).get(_url(setting.household.pk)).content.decode()
    assert notes[G.SAFETY] in html
    assert notes[G.GENERAL] not in html and "Grietje" not in html
    assert 'name="text"' not in html
    assert AuditEntry.objects.get().data_category == "safety"


def test_without_notes_the_page_says_so_once(setting, login):
    html = login(setting.professional).get(_url(setting.household.pk)).content.decode()
    assert html.count("Nobody has written a note yet.") == 1
    assert 'id="category-' not in html


def test_only_kinds_of_information_with_notes_are_shown(setting, login):
    EntryFactory(household=setting.household, category=G.FINANCES, text="Aflossing loopt.")
    html = login(setting.professional).get(_url(setting.household.pk)).content.decode()
    assert 'id="category-finances"' in html and 'id="category-general"' not in html
    assert "Nobody has written a note yet." not in html
    assert f'href="/huishoudens/{setting.household.pk}/dossier/?category=finances"' in html


def test_at_most_three_notes_per_category_newest_first_and_no_events(setting, login):
    start = timezone.now() - datetime.timedelta(days=30)
    for i in range(5):
        EntryFactory(
            household=setting.household, text=f"Notitie nummer {i:02d}", created_at=start + datetime.timedelta(days=i)
        )
    # What Samen itself wrote (an event) is in the dossier, not in "what is going on".
    EntryFactory(household=setting.household, kind=EntryKind.EVENT, event_code="plan_changed", text="Plan aangepast.")
    html = login(setting.citizen).get(_url(setting.household.pk)).content.decode()
    assert "Notitie nummer 01" not in html and "Plan aangepast." not in html
    assert html.index("Notitie nummer 04") < html.index("Notitie nummer 03") < html.index("Notitie nummer 02")


@pytest.mark.parametrize("who", ["expired", "revoked", "stranger", "other_citizen", "informal_without_grant"])
def test_who_may_not_see_it(setting, notes, login, who):
    response = login(getattr(setting, who)).get(_url(setting.household.pk))
    assert response.status_code == 404
    assert notes[G.GENERAL] not in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_anonymous_goes_to_the_login_page(setting, login):
    response = login(None).get(_url(setting.household.pk))
    assert response.status_code == 302 and "/account/" in response["Location"]


@pytest.mark.parametrize("household_id", ["0", "abc", "-1", "99999999999999999999999", "1e3"])
def test_malformed_or_missing_ids_are_not_found(setting, login, household_id):
    assert login(setting.citizen).get(f"/huishoudens/{household_id}/").status_code == 404


def test_revocation_takes_effect_on_the_next_request(setting, notes, login):
    client = login(setting.professional)
    assert notes[G.FINANCES] in client.get(_url(setting.household.pk)).content.decode()
    grant = setting.household.consent_grants.get(organisation=setting.schuldhulp, category="finances")
    grant.revoked_at, grant.revoked_by = timezone.now(), setting.citizen
    grant.save(update_fields=["revoked_at", "revoked_by"])
    html = client.get(_url(setting.household.pk)).content.decode()
    assert notes[G.FINANCES] not in html
    assert "Finances and debts" in html  # named in "You have no permission for"


def test_overview_only_answers_get_and_head(setting, login):
    client = login(setting.citizen)
    assert client.head(_url(setting.household.pk)).status_code == 200
    assert client.put(_url(setting.household.pk)).status_code == 405


# --- adding a note ---------------------------------------------------------------------------------------------


def test_citizen_adds_a_note(setting, login):
    client = login(setting.citizen)
    response = client.post(_note_url(setting.household.pk), {"category": "general", "text": "Ik heb een nieuwe baan!"})
    assert response.status_code == 302 and response["Location"] == _url(setting.household.pk)
    entry = Entry.objects.get()
    assert entry.text == "Ik heb een nieuwe baan!" and entry.written_by == setting.citizen
    html = client.get(_url(setting.household.pk)).content.decode()
    assert "Your note is saved." in html and "Ik heb een nieuwe baan!" in html


def test_professional_adds_a_finances_note(setting, login):
    response = login(setting.professional).post(
        _note_url(setting.household.pk), {"category": "finances", "text": "Aflosplan gemaakt."}
    )
    assert response.status_code == 302
    assert Entry.objects.get().organisation == setting.schuldhulp


def test_script_tags_are_shown_as_text(setting, login):
    client = login(setting.citizen)
    client.post(_note_url(setting.household.pk), {"category": "general", "text": "<script>alert(1)</script>"})
    assert Entry.objects.get().text == "<script>alert(1)</script>"
    html = client.get(_url(setting.household.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("who", "data", "message"),
    [
        ("citizen", {"category": "general", "text": ""}, "Write something in your note."),
        ("citizen", {"category": "general", "text": "   "}, "Write something in your note."),
        ("citizen", {"category": "general", "text": "x" * (NOTE_MAX_LENGTH + 1)}, "Your note is too long"),
        ("citizen", {"category": "no-such-category", "text": "Mijn tekst blijft staan"}, "from the list"),
        ("citizen", {"text": "Mijn tekst blijft staan"}, "Choose what your note is about."),
        ("citizen", {"category": "general", "text": "a\x00b"}, "cannot store"),
        ("professional", {"category": "health", "text": "Mijn tekst blijft staan"}, "You cannot write notes"),
        ("representative", {"category": "youth", "text": "Mijn tekst blijft staan"}, "You cannot write notes"),
    ],
)
def test_bad_input_shows_the_page_again_with_a_message_and_the_text_kept(setting, login, who, data, message):
    response = login(getattr(setting, who)).post(_note_url(setting.household.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    if data.get("text") == "Mijn tekst blijft staan":
        assert "Mijn tekst blijft staan</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert not Entry.objects.exists()
    (entry,) = AuditEntry.objects.all()  # the page shown again: one access entry, no CREATE
    assert entry.action == AuditAction.READ


def test_another_households_id_is_not_found_and_nothing_is_stored(setting, login):
    response = login(setting.citizen).post(
        _note_url(setting.other_household.pk), {"category": "general", "text": "Verkeerd huishouden"}
    )
    assert response.status_code == 404
    assert not Entry.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["informal", "emergency"])
def test_readers_may_not_write(setting, login, who):
    response = login(getattr(setting, who)).post(
        _note_url(setting.household.pk), {"category": "general", "text": "Hoi"}
    )
    assert response.status_code == 403
    assert not Entry.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["expired", "revoked", "stranger", "other_citizen"])
def test_outsiders_get_not_found(setting, login, who):
    response = login(getattr(setting, who)).post(
        _note_url(setting.household.pk), {"category": "general", "text": "Hoi"}
    )
    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_anonymous_post_goes_to_the_login_page(setting, login):
    response = login(None).post(_note_url(setting.household.pk), {"category": "general", "text": "Hoi"})
    assert response.status_code == 302 and "/account/" in response["Location"]
    assert not Entry.objects.exists()


def test_add_note_only_takes_a_form(setting, login):
    assert login(setting.citizen).get(_note_url(setting.household.pk)).status_code == 405


# --- query counts -----------------------------------------------------------------------------------------------


def _more_households(count: int) -> None:
    households = Household.objects.bulk_create([Household(name=f"Huishouden {i}") for i in range(count)])
    user_ids = list(UserFactory._meta.model.objects.values_list("pk", flat=True)[:1])
    HouseholdMember.objects.bulk_create(
        [
            HouseholdMember(household=household, given_name="Piet", family_name="Jansen", relation="parent")
            for household in households
        ]
    )
    Entry.objects.bulk_create(
        [
            Entry(
                household=household, category="general", text="Elders", written_by_id=user_ids[0], author_role="citizen"
            )
            for household in households[:2000]
        ]
    )


def _more_notes(setting, count: int) -> None:
    Entry.objects.bulk_create(
        [
            Entry(
                household=setting.household,
                category=list(G)[i % len(G)].value,
                text=f"Notitie {i}",
                written_by=setting.citizen,
                organisation=setting.schuldhulp if i % 2 else None,
                author_role="professional" if i % 2 else "citizen",
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize("who", ["citizen", "professional", "emergency"])
def test_page_queries_do_not_grow_with_households_or_notes(setting, login, who):
    client = login(getattr(setting, who))
    url = _url(setting.household.pk)
    _more_households(100)
    _more_notes(setting, 10)
    client.get(url)  # warm up
    few = count_queries(client.get, url)
    _more_households(9_900)
    _more_notes(setting, 990)
    many = count_queries(client.get, url)
    assert few == many, f"{few} queries at 100 households and 10 notes, {many} at 10,000 and 1,000"


def test_error_page_queries_do_not_grow(setting, login):
    client = login(setting.citizen)
    url = _note_url(setting.household.pk)
    _more_notes(setting, 10)
    client.post(url, {"category": "general", "text": ""})
    few = count_queries(client.post, url, {"category": "general", "text": ""})
    _more_notes(setting, 990)
    _more_households(1000)
    many = count_queries(client.post, url, {"category": "general", "text": ""})
    assert few == many


def test_break_the_glass_shows_the_emergency_banner_and_logs_the_purpose(setting, notes, login):
    html = login(setting.emergency).get(_url(setting.household.pk)).content.decode()
    assert "Emergency access" in html and "Stop emergency access now" in html
    assert AuditEntry.objects.get().purpose == AuditPurpose.BREAK_THE_GLASS


def test_no_emergency_banner_without_an_emergency_access(setting, login):
    html = login(setting.professional).get(_url(setting.household.pk)).content.decode()
    assert "Stop emergency access now" not in html
