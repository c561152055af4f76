"""The household overview in a browser (issue 3): consent decides what a professional sees, on the next request.

A debt counsellor opens the household overview and reads a finances note. The citizen opens "Mijn huishouden",
adds a note in plain words, and withdraws the organisation's access to finances in "Wie mag wat zien". The
debt counsellor looks again: the finances note is gone and the page says there is no permission for finances.
The citizen then sees that organisation's earlier access, naming finances, in "Wie keek in mijn dossier". Every
page is checked with axe at 1280 and 360 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.consent.models import DataCategory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.core.actor import Role
from samen.dossier.tests.factories import EntryFactory
from samen.timeline.models import Entry
from tests_e2e.helpers import bakker_household, check_page, household_menu, log_in, log_out, nl, one_run

pytestmark = pytest.mark.e2e


FINANCES_NOTE = "Betalingsregeling met de energieleverancier getroffen: 45 euro per maand."
CITIZEN_NOTE = "Ik heb vandaag een gesprek gehad bij de bakkerij. Volgende week hoor ik of ik mag beginnen."


@pytest.fixture
def household(live_server):
    household, citizen, professional = bakker_household()
    coordinator = TeamMemberFactory(
        household=household, coordinator=True, organisation__name="Wijkteam Noord", user__full_name="Kees Regisseur"
    )
    ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=DataCategory.GENERAL)
    EntryFactory(
        household=household,
        category=DataCategory.FINANCES,
        text=FINANCES_NOTE,
        written_by=professional.user,
        organisation=professional.organisation,
        author_role=Role.PROFESSIONAL,
    )
    return household, citizen.user, professional.user


def _finances() -> str:
    return nl("finances and debts").capitalize()


@one_run
def test_revoking_finances_hides_the_note_and_the_citizen_sees_the_earlier_access(page, household):
    household, citizen, professional = household
    overview = f"/huishoudens/{household.pk}/"

    # 1. The debt counsellor reads the finances note.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto(overview)
    title = nl("Household %(name)s") % {"name": "Familie Bakker"}
    expect(page.get_by_role("heading", level=1, name=title, exact=True)).to_be_visible()
    finances = page.get_by_role("region", name=_finances(), exact=True)
    expect(finances.get_by_text(FINANCES_NOTE)).to_be_visible()
    expect(finances).to_contain_text("Schuldhulp Zuid")
    check_page(page)
    log_out(page)

    # 2. The citizen opens "Mijn huishouden" and adds a note in plain words.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.get_by_role("link", name=nl("Open my household"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("My household"), exact=True)).to_be_visible()
    check_page(page)
    form = page.get_by_role("region", name=nl("Write a note"), exact=True)
    form.get_by_label(nl("What is your note about?")).select_option(DataCategory.GENERAL.value)
    form.get_by_label(nl("Your note"), exact=True).fill(CITIZEN_NOTE)
    form.get_by_role("button", name=nl("Save note"), exact=True).click()
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=nl("Your note is saved."))).to_be_visible()
    general = page.get_by_role("region", name=nl("general").capitalize(), exact=True)
    expect(general.get_by_text(CITIZEN_NOTE)).to_be_visible()
    expect(general).to_contain_text("Fatima Bakker")  # who wrote it, by name
    assert Entry.objects.filter(text=CITIZEN_NOTE, written_by=citizen).exists()
    check_page(page)

    # 3. "Wie mag wat zien": one click takes finances away from Schuldhulp Zuid.
    household_menu(page).get_by_role("link", name=nl("Who may see what"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Who may see what"), exact=True)).to_be_visible()
    check_page(page)
    receiver = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Schuldhulp Zuid"))
    receiver.get_by_role("button", name=f"{nl('Withdraw')}: {_finances()}", exact=True).click()
    message = nl("%(receiver)s may no longer see %(what)s.") % {
        "receiver": "Schuldhulp Zuid",
        "what": nl("your money and debts"),
    }
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=message)).to_be_visible()
    check_page(page)
    log_out(page)

    # 4. The debt counsellor looks again: the note is gone, the page says why.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto(overview)
    expect(page.get_by_role("heading", level=1, name=title, exact=True)).to_be_visible()
    expect(page.get_by_text(FINANCES_NOTE)).to_have_count(0)
    expect(page.get_by_role("region", name=_finances(), exact=True)).to_have_count(0)
    no_permission = page.get_by_text(nl("You have no permission for:"))
    expect(no_permission).to_be_visible()
    expect(no_permission).to_contain_text(_finances())
    expect(page.get_by_text(CITIZEN_NOTE)).to_be_visible()  # general is still allowed
    check_page(page)
    log_out(page)

    # 5. The citizen sees Schuldhulp Zuid's earlier access to finances in "Wie keek in mijn dossier".
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    page.get_by_role("link", name=nl("Open my household"), exact=True).click()
    household_menu(page).get_by_role("link", name=nl("Who looked"), exact=True).click()
    expect(page.get_by_role("heading", level=1, name=nl("Who looked at my file"), exact=True)).to_be_visible()
    table = page.get_by_role("table", name=nl("Who looked at your information"))
    earlier = table.get_by_role("row").filter(has_text="Schuldhulp Zuid").filter(has_text=nl("finances and debts"))
    expect(earlier.first).to_be_visible()
    check_page(page)
