"""The "Wie keek in mijn dossier" page: who sees it, what it shows (and what not), merging, the period, paging."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import ConsentGrantFactory, RepresentativeFactory, TeamMemberFactory
from samen.core import audit
from samen.core.models import AuditAction, AuditDaySummary, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.households.models import Relation
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BACKEND = "samen.accounts.backends.SamenBackend"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def setting():
    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(
        household=household,
        user=UserFactory(email="fatima@example.test", full_name="Fatima Bakker"),
        date_of_birth=datetime.date(1985, 5, 17),
    )
    grandmother = HouseholdMemberFactory(
        household=household, relation=Relation.GRANDPARENT, date_of_birth=datetime.date(1940, 3, 1)
    )
    professional = TeamMemberFactory(
        household=household,
        organisation__name="Wijkteam Noord",
        user=UserFactory(email="sanne@wijkteam.example", full_name="Sanne de Vries"),
    )
    # A fixed name: the page shows the coordinator, and a random one could share a name with the professional.
    coordinator = TeamMemberFactory(
        household=household,
        coordinator=True,
        organisation__name="Jeugdhulp Zuid",
        user=UserFactory(full_name="Ahmed Yilmaz"),
    )
    # Consent for general: without it the coordinator sees no part of the household (deny by default).
    for member in (professional, coordinator):
        ConsentGrantFactory(household=household, organisation=member.organisation, category=DataCategory.GENERAL)
    return {
        "household": household,
        "citizen": citizen.user,
        "representative": RepresentativeFactory(member=grandmother).user,
        "professional": professional.user,
        "coordinator": coordinator.user,
    }


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


def page_url(household, **query) -> str:
    url = reverse("consent:access_log", args=[getattr(household, "pk", household)])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def entry(household, *, when=None, organisation="Wijkteam Noord", role="professional", action="read", **fields):
    """An access entry at a chosen moment (``audit.record`` always writes "now"); the chain is not at stake here."""
    occurred_at = when or timezone.now()
    return AuditEntry(
        sequence=0,  # numbered by ``add``
        chain_version=2,
        stream=f"test:{household.pk}",
        stream_sequence=0,
        occurred_at=occurred_at,
        occurred_on=audit.dutch_day(occurred_at),
        action=action,
        purpose=fields.pop("purpose", AuditPurpose.CARE_COORDINATION),
        user_id=fields.pop("user_id", 424242),
        user_display=fields.pop("user_display", "sanne@wijkteam.example"),
        organisation_name=organisation,
        role=role,
        household_id=household.pk,
        data_category=fields.pop("data_category", "finances"),
        source_system="test",
        previous_hash="0" * 64,
        entry_hash=uuid.uuid4().hex + uuid.uuid4().hex,
        **fields,
    )


def add(*entries) -> None:
    """Store entries after those already there (``audit.record`` numbers the next entry after the largest), and
    count them in the day summary that the page reads, as ``audit.record`` does."""
    first = (AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0) + 1
    for number, new in enumerate(entries, start=first):
        new.sequence = new.stream_sequence = number
    AuditEntry.objects.bulk_create(entries)
    for new in entries:
        audit.count_in_day_summary(new)


def at(days_ago: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


def html_of(user, household, **query) -> str:
    response = client_for(user).get(page_url(household, **query))
    assert response.status_code == 200
    return response.content.decode()


# --- who sees the page ----------------------------------------------------------------------------


def test_the_url_is_dutch(setting):
    assert page_url(setting["household"]) == f"/huishoudens/{setting['household'].pk}/wie-keek/"


@pytest.mark.parametrize("who", ["citizen", "representative", "coordinator"])
def test_household_and_coordinator_see_the_page(setting, who):
    add(entry(setting["household"], when=at(1)))
    html = html_of(setting[who], setting["household"])
    assert "<h1>Who looked at my file</h1>" in html
    assert "Wijkteam Noord" in html


def test_home_page_links_to_the_page(setting):
    html = client_for(setting["citizen"]).get("/").content.decode()
    assert f'href="{page_url(setting["household"])}"' in html


@pytest.mark.parametrize(
    "who", ["professional_in_team", "citizen_of_other_household", "colleague", "facilitator", "admin"]
)
def test_others_get_404_and_nothing_is_logged(setting, who):
    users = {
        "professional_in_team": lambda: setting["professional"],
        "citizen_of_other_household": lambda: HouseholdMemberFactory(user=UserFactory()).user,
        "colleague": lambda: MembershipFactory().user,
        "facilitator": lambda: MembershipFactory(facilitator=True).user,
        "admin": lambda: MembershipFactory(functional_admin=True).user,
    }
    before = AuditEntry.objects.count()
    assert client_for(users[who]()).get(page_url(setting["household"])).status_code == 404
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("household_id", ["0", "abc", "99999999", "1" * 30])
def test_missing_or_malformed_household_is_404(setting, household_id):
    assert client_for(setting["citizen"]).get(f"/huishoudens/{household_id}/wie-keek/").status_code == 404


def test_anonymous_is_sent_to_login(setting):
    response = client_for().get(page_url(setting["household"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_get(setting):
    assert client_for(setting["citizen"]).post(page_url(setting["household"])).status_code == 405


# --- what it shows --------------------------------------------------------------------------------


def test_real_access_is_shown_without_the_employee(setting):
    actor = actor_for_user(setting["professional"])
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        household_id=setting["household"].pk,
        data_category=DataCategory.FINANCES,
    )
    html = html_of(setting["citizen"], setting["household"])
    for text in ("Wijkteam Noord", "Professional", "Read", "Finances and debts", "Coordination of care", "1 time"):
        assert text in html
    assert "Sanne" not in html and "de Vries" not in html
    assert "sanne@wijkteam.example" not in html


def test_a_page_that_showed_several_categories_names_them_all(setting):
    add(entry(setting["household"], when=at(1), data_category="general,finances,mental_health"))
    html = html_of(setting["citizen"], setting["household"])
    assert "General, finances and debts, mental health" in html


def test_an_informal_helper_is_shown_by_role(setting):
    add(entry(setting["household"], when=at(1), organisation="", role="citizen", data_category="general"))
    html = html_of(setting["citizen"], setting["household"])
    assert html.count(">Resident</span></td>") == 2  # in the organisation column and the role column


def test_other_households_entries_are_not_shown(setting):
    add(entry(HouseholdFactory(), when=at(1), organisation="Schuldhulp Oost"))
    assert "Schuldhulp Oost" not in html_of(setting["citizen"], setting["household"])


def test_the_viewers_own_visits_are_not_shown(setting):
    client = client_for(setting["citizen"])
    client.get(page_url(setting["household"]))
    html = client.get(page_url(setting["household"])).content.decode()
    assert "Nobody looked at your information in this period." in html
    assert "Requested by the citizen" not in html


def test_same_day_repeats_are_merged(setting):
    household = setting["household"]
    add(
        entry(household, when=at(2, 9)),
        entry(household, when=at(2, 11)),
        entry(household, when=at(2, 15, 30)),
        entry(household, when=at(2, 16), action="update"),  # another action: its own row
        entry(household, when=at(3, 10)),  # another day: its own row
        # 00:30 in Amsterdam is the day before in UTC: it still belongs to this Dutch day.
        entry(household, when=at(4, 0, 30)),
        entry(household, when=at(4, 23, 30)),
    )
    html = html_of(setting["citizen"], household)
    assert html.count("Wijkteam Noord") == 4
    assert "3 times" in html and "2 times" in html
    assert "last time at 15:30" in html and "last time at 23:30" in html
    assert html.count("1 time<") == 2


def test_period_filter(setting):
    household = setting["household"]
    add(
        entry(household, when=at(10), organisation="Tien Dagen"),
        entry(household, when=at(50), organisation="Vijftig Dagen"),
        entry(household, when=at(200), organisation="Tweehonderd Dagen"),
    )
    default = html_of(setting["citizen"], household)
    assert "Tien Dagen" in default and "Vijftig Dagen" in default and "Tweehonderd Dagen" not in default
    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    end = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    chosen = html_of(setting["citizen"], household, start=start, end=end)
    assert "Vijftig Dagen" in chosen and "Tien Dagen" not in chosen and "Tweehonderd Dagen" not in chosen
    assert f'value="{start}"' in chosen  # what was typed stays
    old = html_of(setting["citizen"], household, start=(timezone.localdate() - datetime.timedelta(days=365)))
    assert "Tweehonderd Dagen" in old and "Tien Dagen" in old


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "gisteren"}, "Enter a date like 31-12-2025."),
        ({"end": "2025-13-45"}, "Enter a date like 31-12-2025."),
        ({"start": "0001-01-01"}, "Choose a date between"),
        ({"end": "9999-12-31"}, "Choose a date between"),
        ({"start": "2025-06-01", "end": "2025-01-01"}, "The first date must be before the last date."),
        ({"start": "%3Cscript%3Ealert(1)%3C/script%3E"}, "Enter a date like 31-12-2025."),
        ({"start": "1" * 5000}, "Enter a date like 31-12-2025."),
    ],
)
def test_bad_dates_give_a_message_and_the_default_period(setting, query, message):
    add(entry(setting["household"], when=at(10), organisation="Tien Dagen"))
    html = html_of(setting["citizen"], setting["household"], **query)
    assert message in html
    assert "We show the last three months instead." in html
    assert "Tien Dagen" in html
    assert "<script>alert" not in html


def test_break_the_glass_is_highlighted_and_first(setting):
    household = setting["household"]
    add(
        entry(household, when=at(1), organisation="Nieuwste Toegang"),
        entry(
            household,
            when=at(20),
            organisation="Veilig Thuis Regio",
            action=AuditAction.BREAK_THE_GLASS,
            purpose=AuditPurpose.BREAK_THE_GLASS,
            data_category="safety",
        ),
        entry(household, when=at(19), organisation="Politie Team", purpose=AuditPurpose.BREAK_THE_GLASS),
    )
    for who in ("citizen", "coordinator"):
        html = html_of(setting[who], household)
        assert html.count('utrecht-status-badge--danger">Emergency access<') == 2 + 1  # two rows and the note
        assert html.index("Politie Team") < html.index("Veilig Thuis Regio") < html.index("Nieuwste Toegang")


def test_no_emergency_note_without_break_the_glass(setting):
    add(entry(setting["household"], when=at(1)))
    assert "utrecht-status-badge--danger" not in html_of(setting["citizen"], setting["household"])


# --- the access log of the page itself ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "purpose"),
    [("citizen", AuditPurpose.CITIZEN), ("representative", AuditPurpose.CITIZEN), ("coordinator", "COC")],
)
def test_each_view_writes_exactly_one_access_entry(setting, who, purpose):
    client = client_for(setting[who])
    before = AuditEntry.objects.count()
    client.get(page_url(setting["household"], start="nonsense"))
    assert AuditEntry.objects.count() == before + 1
    latest = AuditEntry.objects.order_by("-sequence").first()
    assert (latest.action, latest.household_id, latest.data_category, latest.purpose, latest.user_id) == (
        AuditAction.READ,
        setting["household"].pk,
        "general",
        purpose,
        setting[who].pk,
    )


def test_the_citizen_sees_the_coordinators_visit_and_the_other_way_round(setting):
    client_for(setting["coordinator"]).get(page_url(setting["household"]))
    assert "Jeugdhulp Zuid" in html_of(setting["citizen"], setting["household"])
    assert "Requested by the citizen" in html_of(setting["coordinator"], setting["household"])


# --- paging and query count -----------------------------------------------------------------------


def _many(household, count: int) -> list[AuditEntry]:
    # One entry per (day, organisation): nothing merges, so every entry is one row.
    return [
        entry(household, when=at(index % 80), organisation=f"Organisatie {index // 80:03d}") for index in range(count)
    ]


def test_pages(setting):
    add(*_many(setting["household"], 60))
    client = client_for(setting["citizen"])
    first = client.get(page_url(setting["household"])).content.decode()
    assert "Page 1 of 3" in first
    third = client.get(page_url(setting["household"], page=3)).content.decode()
    assert "Page 3 of 3" in third and third.count("1 time<") == 10
    assert client.get(page_url(setting["household"], page="abc")).status_code == 200


def test_query_count_does_not_grow_with_the_number_of_entries(setting):
    client = client_for(setting["citizen"])
    add(*_many(setting["household"], 10))
    client.get(page_url(setting["household"]))  # warm up
    few = count_queries(client.get, page_url(setting["household"]))
    add(*_many(setting["household"], 990))
    many = count_queries(client.get, page_url(setting["household"]))
    assert few == many, f"{few} queries with 10 entries, {many} with 1,000"


def test_the_page_reads_the_day_summary_not_the_entries(setting):
    """The page groups the day summary (counted by ``audit.record``), not the log: its cost does not grow with the
    number of entries, and no time zone is converted per row."""
    add(*_many(setting["household"], 10))
    client = client_for(setting["citizen"])
    with CaptureQueriesContext(connection) as queries:
        client.get(page_url(setting["household"]))
    reads = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert reads and all("core_auditdaysummary" in sql and "core_auditentry" not in sql for sql in reads)


def test_a_thousand_visits_of_one_kind_are_one_summary_row(setting):
    actor = actor_for_user(setting["professional"])
    for _ in range(30):
        audit.record(
            actor=actor, action=AuditAction.READ, household_id=setting["household"].pk, data_category="general"
        )
    (row,) = AuditDaySummary.objects.filter(household_id=setting["household"].pk, user_id=setting["professional"].pk)
    assert row.times == 30
    assert "30 times" in html_of(setting["citizen"], setting["household"])
    assert list(audit.verify_chain()) == []
