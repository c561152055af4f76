"""Who fills in which themes of a spinnenweb: "My body" is health and "How I feel" mental health, so only someone
who may write that category fills them in. A professional whose organisation has consent for general only fills in
the four general themes; a number for the other two is refused with a clear message (not dropped). The household's
adult members fill in all six, a child of the household (under 16: general and youth) the four general ones. The
page shows an empty theme as "not filled in", never as 0."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from samen.assessments import services
from samen.assessments.domains import SpinnenwebTheme
from samen.assessments.models import Spinnenweb
from samen.assessments.policies import spinnenweb_themes_writable
from samen.assessments.tests.factories import SpinnenwebFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import ConsentGrantFactory
from samen.core.actor import ANONYMOUS
from samen.core.models import AuditEntry
from samen.core.testing import count_queries
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, TeamMemberFactory

from .helpers import TODAY, actor, general_web_scores, member_of, web_scores

pytestmark = pytest.mark.django_db

G = DataCategory
GENERAL = [SpinnenwebTheme.MEANING, SpinnenwebTheme.LIFE, SpinnenwebTheme.TAKING_PART, SpinnenwebTheme.DAY]


def _record(setting, user, scores, member=None):
    return services.spinnenweb_record(
        actor=actor(user), member=member or member_of(setting.citizen), filled_on=TODAY, scores=scores
    )


def _child(setting):
    today = timezone.localdate()
    return CitizenFactory(
        household=setting.household,
        given_name="Sem",
        relation=Relation.CHILD,
        date_of_birth=datetime.date(today.year - 12, 1, 1),
    )


@pytest.fixture
def general_only(setting):
    """A professional of an organisation with consent for general information only."""
    place = TeamMemberFactory(household=setting.household, organisation__name="Buurtwerk")
    ConsentGrantFactory(household=setting.household, organisation=place.organisation, category=G.GENERAL)
    return place.user


# --- the service ------------------------------------------------------------------------------------------


def test_general_only_records_the_four_general_themes(setting, general_only):
    web = _record(setting, general_only, general_web_scores(8))
    assert web.scores() == {"body": None, "feelings": None, **general_web_scores(8)}
    entry = AuditEntry.objects.get()
    assert entry.data_category == "general"
    assert entry.changes == {"themes": ["meaning", "life", "taking_part", "day"]}
    assert "8" not in str(entry.changes)  # which themes, never the numbers


@pytest.mark.parametrize("theme", ["body", "feelings"])
def test_general_only_is_refused_a_health_theme(setting, general_only, theme):
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        _record(setting, general_only, {**general_web_scores(), theme: 5})
    assert list(error.value.message_dict) == [theme]
    label = {"body": "Mijn lichaam", "feelings": "Hoe ik me voel"}[theme]
    assert error.value.message_dict[theme][0].startswith(f"Je kunt ‘{label}’ niet invullen. Het gaat over ")
    assert not Spinnenweb.objects.exists() and not AuditEntry.objects.exists()


def test_an_empty_value_for_a_theme_one_may_not_write_is_no_number(setting, general_only):
    web = _record(setting, general_only, {**general_web_scores(), "body": "", "feelings": None})
    assert (web.body, web.feelings) == (None, None)


def test_with_health_my_body_is_required_and_stored(setting):
    ConsentGrantFactory(household=setting.household, organisation=setting.schuldhulp, category=G.HEALTH)
    with pytest.raises(ValidationError) as error:
        _record(setting, setting.professional, general_web_scores())
    assert list(error.value.message_dict) == ["body"]
    with pytest.raises(ValidationError) as error:  # still no mental health: "How I feel" is refused
        _record(setting, setting.professional, {**general_web_scores(), "body": 4, "feelings": 4})
    assert list(error.value.message_dict) == ["feelings"]
    web = _record(setting, setting.professional, {**general_web_scores(), "body": 4})
    assert (web.body, web.feelings) == (4, None)
    assert AuditEntry.objects.get().data_category == "general,health"


def test_the_citizen_fills_in_all_six_and_each_is_required(setting):
    for theme in ("body", "feelings"):
        with pytest.raises(ValidationError) as error:
            _record(setting, setting.citizen, {key: n for key, n in web_scores().items() if key != theme})
        assert list(error.value.message_dict) == [theme]
    web = _record(setting, setting.citizen, web_scores(9))
    assert web.scores() == web_scores(9)


def test_a_child_fills_in_the_four_general_themes_of_their_own_spinnenweb(setting):
    child = _child(setting)
    assert spinnenweb_themes_writable(actor(child.user), setting.household, child) == GENERAL
    with pytest.raises(ValidationError) as error:
        _record(setting, child.user, web_scores(), member=child)
    assert set(error.value.message_dict) == {"body", "feelings"}
    web = _record(setting, child.user, general_web_scores(10), member=child)
    assert (web.body, web.feelings, web.day) == (None, None, 10)
    with pytest.raises(PermissionDenied):  # not their mother's
        _record(setting, child.user, general_web_scores())


def test_the_coordinator_with_general_and_youth_records_the_general_themes(setting):
    themes = spinnenweb_themes_writable(actor(setting.coordinator), setting.household, member_of(setting.citizen))
    assert themes == GENERAL


@pytest.mark.parametrize("who", ["revoked", "expired", "stranger", "other_citizen", "informal", "supporter"])
def test_others_are_refused_as_before(setting, who):
    with pytest.raises(PermissionDenied):
        _record(setting, getattr(setting, who), general_web_scores())
    assert not Spinnenweb.objects.exists()


def test_anonymous_is_refused(setting):
    with pytest.raises(PermissionDenied):
        services.spinnenweb_record(
            actor=ANONYMOUS, member=member_of(setting.citizen), filled_on=TODAY, scores=general_web_scores()
        )


def test_a_member_of_another_household_is_refused(setting, general_only):
    other = CitizenFactory(household=setting.other_household)
    with pytest.raises(ValidationError) as error:
        services.spinnenweb_record(
            actor=actor(general_only),
            member=other,
            household=setting.household,
            filled_on=TODAY,
            scores=general_web_scores(),
        )
    assert "member" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        _record(setting, general_only, general_web_scores(), member=other)


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({}, "meaning"),
        ({**general_web_scores(), "day": ""}, "day"),
        ({**general_web_scores(), "day": "1" * 5000}, "day"),
        ({**general_web_scores(), "life": [3]}, "life"),
        ({**general_web_scores(), "life": 4.5}, "life"),
        ({**general_web_scores(), "life": True}, "life"),
        ({**general_web_scores(), "meaning": "<script>alert(1)</script>"}, "meaning"),
        ({**general_web_scores(), "<script>alert(1)</script>": 3}, "scores"),
        ({**general_web_scores(), "x" * 5000: 3}, "scores"),
        ("<script>", "scores"),
        (None, "scores"),
    ],
)
def test_bad_input_is_explained(setting, general_only, scores, field):
    with pytest.raises(ValidationError) as error:
        _record(setting, general_only, scores)
    messages = error.value.message_dict[field]
    assert messages and all(len(message) < 200 for message in messages)
    assert not Spinnenweb.objects.exists()


def test_the_database_keeps_the_rules(setting):
    member = member_of(setting.citizen)
    assert SpinnenwebFactory(member=member, body=None, feelings=None).body is None
    for bad in ({"body": 11}, {"feelings": -1}, {"meaning": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SpinnenwebFactory(member=member, **bad)


# --- the form ---------------------------------------------------------------------------------------------


def _url(name, household):
    return reverse(f"assessments:{name}", args=[household.pk])


def _inputs(html: str) -> list[str]:
    """The themes the form asks for, in the page's order."""
    return list(dict.fromkeys(re.findall(r'name="(body|feelings|meaning|life|taking_part|day)"', html)))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("citizen", ["body", "feelings", "meaning", "life", "taking_part", "day"]),
        ("professional", ["meaning", "life", "taking_part", "day"]),
        ("coordinator", ["meaning", "life", "taking_part", "day"]),
        ("representative", ["meaning", "life", "taking_part", "day"]),
    ],
)
def test_the_form_asks_only_for_the_themes_one_may_write(setting, login, who, expected):
    html = login(getattr(setting, who)).get(_url("spinnenweb_new", setting.household)).content.decode()
    assert _inputs(html) == expected
    if "body" not in expected:
        assert "My body" not in html and "How I feel" not in html


def test_the_form_with_health_asks_for_my_body(setting, login):
    ConsentGrantFactory(household=setting.household, organisation=setting.schuldhulp, category=G.HEALTH)
    html = login(setting.professional).get(_url("spinnenweb_new", setting.household)).content.decode()
    assert _inputs(html) == ["body", "meaning", "life", "taking_part", "day"]


def test_the_form_of_a_child(setting, login):
    child = _child(setting)
    html = login(child.user).get(_url("spinnenweb_new", setting.household)).content.decode()
    assert _inputs(html) == ["meaning", "life", "taking_part", "day"]
    data = {"member": str(child.pk), "filled_on": "2026-03-01", **general_web_scores(7)}
    assert login(child.user).post(_url("spinnenweb_new", setting.household), data).status_code == 302
    assert Spinnenweb.objects.get().scores() == {"body": None, "feelings": None, **general_web_scores(7)}


def test_general_only_posting_my_body_gets_a_clear_error_and_nothing_is_stored(setting, login, general_only):
    client = login(general_only)
    data = {"member": str(member_of(setting.citizen).pk), "filled_on": "2026-03-01", **general_web_scores(7)}
    response = client.post(_url("spinnenweb_new", setting.household), {**data, "body": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "You cannot fill in “My body”" in html
    assert not Spinnenweb.objects.exists()
    assert client.post(_url("spinnenweb_new", setting.household), data).status_code == 302
    assert Spinnenweb.objects.get().body is None


def test_general_only_posting_script_gets_a_message_not_a_500(setting, login, general_only):
    data = {
        "member": str(member_of(setting.citizen).pk),
        "filled_on": "2026-03-01",
        **general_web_scores(7),
        "feelings": "<script>alert(1)</script>",
        "day": "<script>",
    }
    response = login(general_only).post(_url("spinnenweb_new", setting.household), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Choose a number from 0 to 10." in html
    assert not Spinnenweb.objects.exists()
    data["day"] = "7"  # the form is right now: the service refuses the theme that may not be written
    html = login(general_only).post(_url("spinnenweb_new", setting.household), data).content.decode()
    assert "You cannot fill in “How I feel”" in html and "<script>alert" not in html
    assert not Spinnenweb.objects.exists()


# --- the page ---------------------------------------------------------------------------------------------


@pytest.fixture
def mixed(setting, general_only):
    """Fatima's own spinnenweb, then one filled in by a professional with consent for general only."""
    member = member_of(setting.citizen)
    SpinnenwebFactory(member=member, filled_on=datetime.date(2025, 6, 1), body=4, feelings=2)
    SpinnenwebFactory(member=member, filled_on=datetime.date(2025, 9, 1), body=None, feelings=None, day=9)
    return member


def _table(html: str, caption: str) -> str:
    start = html.index(f"{caption} (table)")
    return html[start : html.index("</table>", start)]


def test_the_household_sees_not_filled_in_and_no_false_zero(setting, login, mixed):
    html = login(setting.citizen).get(_url("overview", setting.household)).content.decode()
    radar = _table(html, "Spinnenweb of Fatima: the latest moments")
    # The radar draws only the themes filled in each time: no polygon through the centre for an empty theme.
    assert "My body" not in radar and "How I feel" not in radar and "My day" in radar
    assert "Not in this chart, because not filled in every time: My body, How I feel." in html
    trend = _table(html, "Spinnenweb of Fatima over time")
    assert "My body" in trend and trend.count("not filled in") == 2
    assert "no score" not in trend


def test_health_sees_not_filled_in_for_my_body_written_without_it(setting, login, mixed):
    html = login(setting.supporter).get(_url("overview", setting.household)).content.decode()
    trend = _table(html, "Spinnenweb of Fatima over time")
    assert "My body" in trend and "How I feel" not in html
    assert trend.count("not filled in") == 1


def test_general_only_sees_no_trace_of_the_two_themes(setting, login, general_only, mixed):
    html = login(general_only).get(_url("overview", setting.household)).content.decode()
    assert "My body" not in html and "How I feel" not in html and "not filled in" not in html


EMPTY_ABLE = (SpinnenwebTheme.BODY, SpinnenwebTheme.FEELINGS)


def _webs(member, count: int, filler) -> None:
    start = datetime.date(2000, 1, 1)
    Spinnenweb.objects.bulk_create(
        Spinnenweb(
            household_id=member.household_id,
            member=member,
            filled_on=start + datetime.timedelta(days=index),
            filled_by=filler,
            **{theme.value: None if index % 2 and theme in EMPTY_ABLE else index % 11 for theme in SpinnenwebTheme},
        )
        for index in range(count)
    )


@pytest.mark.parametrize("who", ["citizen", "supporter"])
def test_the_page_queries_do_not_grow_with_partly_filled_in_spinnenwebs(setting, login, who):
    client = login(getattr(setting, who))
    member = member_of(setting.citizen)
    url = _url("overview", setting.household)
    _webs(member, 5, setting.professional)
    client.get(url)
    few = count_queries(client.get, url)
    _webs(member, 500, setting.professional)
    many = count_queries(client.get, url)
    assert few == many, f"{few} queries with 5 spinnenwebs, {many} with 505"
