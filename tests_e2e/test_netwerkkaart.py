"""The household's own network map ("Ons netwerk") in a browser.

Fatima opens her household's network from the household menu: an empty map. She tries to add someone without a
name (and is told what is missing, with what she typed kept), then adds her grandmother (close) and the neighbour
(further away); both are on the map and in the list, with the same numbers. She moves the neighbour to the middle
circle, and removes her grandmother. Sanne, the professional with consent, sees the map but has no button to change
it. Every page is checked (axe, contrast, text size, reflow) at 1280 and 360 px."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.text import capfirst
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.socialmap.models import NetworkPerson
from tests_e2e.helpers import bakker_household, check_page, household_menu, log_in, log_out, nl, nlp, one_run

pytestmark = pytest.mark.e2e


def _add(page, *, name: str, relation: str, closeness: str, helps: str) -> None:
    page.get_by_role("link", name=nl("Add someone"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Add someone to our network"))).to_be_visible()
    page.get_by_label(nl("Name"), exact=True).fill(name)
    page.get_by_role("group", name=nl("Who is this for you?")).get_by_label(capfirst(nl(relation)), exact=True).check()
    page.get_by_role("group", name=nl("How close is this person?")).get_by_label(nl(closeness)).check()
    page.get_by_label(nl("What does this person help with?")).fill(helps)
    page.get_by_role("button", name=nl("Add to the map"), exact=True).click()


@one_run
def test_the_citizen_keeps_the_map_and_a_professional_sees_it(page, live_server):
    household, _fatima, _sanne = bakker_household()
    log_in(page, "fatima@example.test", DEFAULT_PASSWORD)
    page.goto(reverse("dossier:overview", args=[household.pk]))
    household_menu(page).get_by_role("link", name=nl("Our network"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Our network"), exact=True)).to_be_visible()
    expect(page.get_by_role("img", name=nl("The map"))).to_be_visible()
    expect(
        page.get_by_text(nl("Nobody is on the map yet. Add the people who matter to you: family, friends, neighbours."))
    ).to_be_visible()
    check_page(page)

    # Nothing filled in but what she helps with: told what is missing, and what was typed is still there.
    page.get_by_role("link", name=nl("Add someone"), exact=True).click()
    page.get_by_label(nl("What does this person help with?")).fill("Kookt op zondag.")
    page.get_by_role("button", name=nl("Add to the map"), exact=True).click()
    expect(page.get_by_role("alert").filter(has_text=nl("Write the name of the person."))).to_be_visible()
    expect(page.get_by_label(nl("What does this person help with?"))).to_have_value("Kookt op zondag.")
    check_page(page)
    page.get_by_role("link", name=nl("Cancel"), exact=True).click()

    _add(
        page,
        name="Oma Truus",
        relation="family",
        closeness="Close: you can always call on them",
        helps="Kookt op zondag.",
    )
    expect(page.get_by_text(nl("%(name)s is on the map now.") % {"name": "Oma Truus"})).to_be_visible()
    _add(
        page,
        name="Henk de Buurman",
        relation="neighbour",
        closeness="Further away: you know where to find them",
        helps="Haalt boodschappen.",
    )
    the_map = page.get_by_role("img", name=nl("The map"))
    expect(the_map.locator("text.samen-network-map__name")).to_have_text(["Oma Truus", "Henk de Buurman"])
    expect(the_map.locator("text.samen-network-map__number")).to_have_text(["1", "2"])
    close = page.get_by_role("region", name=nlp("closeness", "Close") + " (1")
    expect(close.get_by_role("heading", level=4, name="Oma Truus")).to_be_visible()
    further = page.get_by_role("region", name=nlp("closeness", "Further away") + " (1")
    expect(further.get_by_role("heading", level=4, name="Henk de Buurman")).to_be_visible()
    check_page(page)

    # The neighbour comes closer.
    further.get_by_role("link", name=f"{nl('Change')} Henk de Buurman").click()
    expect(
        page.get_by_role("heading", level=1, name=nl("Change %(name)s") % {"name": "Henk de Buurman"})
    ).to_be_visible()
    check_page(page)
    page.get_by_role("group", name=nl("How close is this person?")).get_by_label(
        nl("In between: you see them now and then")
    ).check()
    page.get_by_role("button", name=nl("Save changes"), exact=True).click()
    middle = page.get_by_role("region", name=nlp("closeness", "In between") + " (1")
    expect(middle.get_by_role("heading", level=4, name="Henk de Buurman")).to_be_visible()

    # The grandmother is taken off the map.
    page.get_by_role("region", name=nlp("closeness", "Close") + " (1").get_by_role(
        "link", name=f"{nl('Change')} Oma Truus"
    ).click()
    page.get_by_role("button", name=nl("Remove %(name)s from the map") % {"name": "Oma Truus"}).click()
    expect(page.get_by_text(nl("%(name)s is no longer on the map.") % {"name": "Oma Truus"})).to_be_visible()
    expect(page.get_by_role("img", name=nl("The map")).locator("text.samen-network-map__name")).to_have_text(
        ["Henk de Buurman"]
    )
    check_page(page)
    assert list(NetworkPerson.objects.values_list("name", "closeness")) == [("Henk de Buurman", 2)]
    log_out(page)

    # The professional with consent sees the map, and nothing to change it with.
    log_in(page, "sanne@example.test", DEFAULT_PASSWORD)
    page.goto(reverse("socialmap:network", args=[household.pk]))
    expect(page.get_by_role("heading", level=1, name=nlp("workspace", "Network"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=4, name="Henk de Buurman")).to_be_visible()
    expect(page.get_by_role("link", name=nl("Add someone"), exact=True)).to_have_count(0)
    expect(
        page.get_by_text(nl("The household keeps this map itself. Someone missing? Talk about it with the household."))
    ).to_be_visible()
    check_page(page)
