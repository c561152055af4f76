"""Lessons shared upwards: only entries a network chose to share, anonymised (never the organisations, the roles, what
happened or the household's view), searchable, readable by the policy advisor and by anyone in any network, in a
fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.collaboration.models import Cause, LearningEntry, Visibility
from samen.collaboration.tests.conftest import build_setting
from samen.core.testing import count_queries
from samen.organisations.tests.factories import MembershipFactory

URL = "/samenwerking/lessen/"


def _entry(network, title, visibility=Visibility.SHARED, **extra):
    values = {
        "network": network, "title": title, "happened_on": timezone.localdate(), "trigger": "event",
        "entry_type": "incident", "intended": "Binnen twee weken een gesprek met de jeugdhulp.",
        "happened": "Het gezin Jansen wachtte zes weken.", "perspectives": "Wijkteam: we dachten dat het geregeld was.",
        "household_view": "We voelden ons van het kastje naar de muur gestuurd.", "roles": "regisseur",
        "causes": [Cause.PROTOCOL], "keep_doing": "Snel verwijzen.", "change": "Eerst bellen, dan pas afwijzen.",
        "visibility": visibility,
    } | extra  # fmt: skip
    entry = LearningEntry.objects.create(**values)
    entry.organisations.set(network.organisations.all())
    return entry


@pytest.fixture
def lessons(db):
    setting = build_setting((5, 5), prefix="Noord")
    other = build_setting((5, 5), prefix="Zuid")
    _entry(setting.network, "De afgewezen verwijzing")
    _entry(setting.network, "Alleen voor ons netwerk", visibility=Visibility.NETWORK)
    _entry(
        other.network,
        "Schulden eerst samen in kaart",
        keep_doing="Samen met de schuldhulp aan tafel.",
        change="Vaker samen.",
    )
    return setting, other


def test_the_policy_advisor_reads_the_shared_lessons_anonymised(lessons):
    setting, _other = lessons
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(MembershipFactory(policy_advisor=True).user)
    body = client.get(URL).content.decode()
    assert "De afgewezen verwijzing" in body and "Schulden eerst samen in kaart" in body
    assert "Eerst bellen, dan pas afwijzen." in body and "a rule or protocol got in the way" in body
    assert setting.network.name in body
    assert "Alleen voor ons netwerk" not in body
    for hidden in ("Jansen", "Wijkteam: we dachten", "kastje", "regisseur", "Binnen twee weken", "Noord A"):
        assert hidden not in body, hidden


def test_a_professional_of_another_network_reads_them_too_and_searches(lessons):
    _setting, other = lessons
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(other.everyone[0])
    body = client.get(URL, {"q": "bellen"}).content.decode()
    assert "De afgewezen verwijzing" in body and "Schulden eerst" not in body
    # What a shared lesson does not show is not searched either: "Jansen" is only in what happened.
    assert "No lesson matches what you searched for." in client.get(URL, {"q": "Jansen"}).content.decode()
    long = client.get(URL, {"q": "<script>alert(1)</script>" + "x" * 5000})
    assert long.status_code == 200 and "<script>alert(1)" not in long.content.decode()


@pytest.mark.parametrize("who", ["citizen", "outsider", "admin"])
def test_who_is_in_no_network_is_refused(lessons, who):
    setting, _other = lessons
    from samen.accounts.tests.factories import UserFactory

    user = {
        "citizen": UserFactory(),
        "outsider": setting.outsider,
        "admin": MembershipFactory(functional_admin=True).user,
    }[who]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_anonymous_goes_to_the_login(db):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_queries_do_not_grow_with_the_lessons(lessons):
    setting, _other = lessons
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(MembershipFactory(policy_advisor=True).user)
    client.get(URL)
    few = count_queries(client.get, URL)
    for number in range(10):
        _entry(setting.network, f"Les {number}")
    assert count_queries(client.get, URL) == few


def test_the_collaboration_page_links_to_the_lessons_only_for_who_may_read_them(lessons):
    setting, _other = lessons
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(setting.everyone[0])
    assert URL in client.get("/samenwerking/").content.decode()
    client.force_login(setting.outsider)
    assert URL not in client.get("/samenwerking/").content.decode()


def test_the_search_is_stemmed_on_both_databases(lessons):
    """ "verwijzingen" finds "verwijzing", "afspraak" finds "afspraken": PostgreSQL's dutch configuration, and on
    SQLite the same Snowball stems kept with each entry."""
    from samen.collaboration import selectors

    setting, _other = lessons
    _entry(setting.network, "Gemaakte afspraken nakomen", change="We houden ons eraan.", keep_doing="Samen plannen.")
    assert [entry.title for entry in selectors.shared_lessons("verwijzingen")] == ["De afgewezen verwijzing"]
    assert [entry.title for entry in selectors.shared_lessons("afspraak")] == ["Gemaakte afspraken nakomen"]
    assert [entry.title for entry in selectors.entries_of(setting.network, "Afspraak nakomen")] == [
        "Gemaakte afspraken nakomen"
    ]
    assert selectors.shared_lessons("afspr") == []  # a whole word's stem, not any piece of text


def test_stems_follow_the_text_when_an_entry_changes(lessons):
    setting, _other = lessons
    entry = _entry(setting.network, "Wachtlijst")
    entry.change = "Samen de wachttijden bespreken."
    entry.save(update_fields=["change"])
    entry.refresh_from_db()
    assert " besprek " in entry.shared_stems and " bel " not in entry.shared_stems
