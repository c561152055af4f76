"""The dossier in a browser (issue 4): the timeline, a conversation summary, a document, the intake.

A debt counsellor writes a conversation summary and uploads a small PDF. The citizen sees both in the timeline,
filters it on finances and downloads the document. The coordinator tells the household's story with it (the
intake); the debt counsellor then reads that story instead of asking again. Every page is checked with axe at
1280 and 360 px.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from samen.assessments.domains import ZrmDomain
from samen.consent.models import DataCategory
from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
from samen.core.actor import Role
from samen.dossier.models import Intake
from samen.dossier.tests.factories import TINY_PDF, EntryFactory
from samen.timeline.models import Entry, EntryKind
from tests_e2e.helpers import bakker_household, check_page, household_menu, log_in, log_out, nl, nlp, one_run

pytestmark = pytest.mark.e2e

GENERAL_NOTE = "Fatima heeft een nieuwe fiets voor Noor gekocht."
SUMMARY = "We hebben de brieven van de energieleverancier samen bekeken. Fatima belt morgen zelf."
QUESTION = "Ik wil rust in mijn hoofd en van de schulden af."


@pytest.fixture
def household(live_server, settings, tmp_path):
    settings.SAMEN_DOCUMENTS_DIR = tmp_path / "documents"
    household, citizen, professional = bakker_household()
    coordinator = TeamMemberFactory(
        household=household,
        coordinator=True,
        organisation__name="Wijkteam Noord",
        user=UserFactory(email="kees@example.test", full_name="Kees Regisseur"),
    )
    ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=DataCategory.GENERAL)
    EntryFactory(
        household=household,
        category=DataCategory.GENERAL,
        text=GENERAL_NOTE,
        written_by=coordinator.user,
        organisation=coordinator.organisation,
        author_role=Role.COORDINATOR,
    )
    return household, citizen.user, professional.user, coordinator.user


def _open_dossier(page, household) -> None:
    page.goto(f"/huishoudens/{household.pk}/")
    page.get_by_role("link", name=nl("The whole dossier"), exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name=nl("Dossier of %(name)s") % {"name": household.name})
    ).to_be_visible()


@one_run
def test_summary_and_document_reach_the_household_and_the_story_is_told_once(page, household):
    household, citizen, professional, coordinator = household
    finances = capfirst(nl("finances and debts"))

    # The debt counsellor writes a conversation summary and uploads a letter.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    _open_dossier(page, household)
    check_page(page)
    form = page.get_by_role("region", name=nl("Add a conversation summary"))
    form.get_by_label(nl("What was the conversation about?")).select_option(label=finances)
    form.get_by_label(nl("Who took part"), exact=True).fill("Fatima en Sanne")
    form.get_by_label(nl("What was said and agreed")).fill(SUMMARY)
    form.get_by_role("button", name=nl("Save summary")).click()
    expect(page.get_by_text(nl("The conversation summary is saved."))).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    check_page(page)

    form = page.get_by_role("region", name=nl("Add a document"))
    form.get_by_label(nl("What is the document about?")).select_option(label=finances)
    form.get_by_label(nl("Document"), exact=True).set_input_files(
        {"name": "brief-energie.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    form.get_by_role("button", name=nl("Upload document")).click()
    expect(page.get_by_text(nl("The document is saved."))).to_be_visible()
    check_page(page)
    assert Entry.objects.filter(household=household, kind=EntryKind.DOCUMENT, category="finances").count() == 1
    log_out(page)

    # The citizen sees both, filters on finances and downloads the letter.
    log_in(page, citizen.email, DEFAULT_PASSWORD)
    _open_dossier(page, household)
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_text(GENERAL_NOTE)).to_be_visible()
    check_page(page)
    page.get_by_text(nl("Choose what you see"), exact=True).first.click()  # the filters are behind a disclosure
    page.get_by_label(nl("About"), exact=True).select_option(label=finances)
    page.get_by_role("button", name=nl("Show"), exact=True).click()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_text(GENERAL_NOTE)).to_have_count(0)
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"brief-energie\.pdf")).first.click()
    download = download_info.value
    assert download.suggested_filename == "brief-energie.pdf"
    with open(download.path(), "rb") as stored:
        assert stored.read() == TINY_PDF
    log_out(page)

    # The coordinator tells the household's story with it.
    log_in(page, coordinator.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/")
    household_menu(page).get_by_role("link", name=nlp("workspace", "Story"), exact=True).click()
    expect(page.get_by_text(nl("Nobody has told the story yet."))).to_be_visible()
    check_page(page)
    page.get_by_role("link", name=nl("Tell the story"), exact=True).click()
    story_title = nl("The story of %(name)s") % {"name": household.name}
    expect(page.get_by_role("heading", level=1, name=story_title)).to_be_visible()
    check_page(page)
    page.get_by_label(nl("What is your question?")).fill(QUESTION)
    with translation.override("nl"):
        housing = capfirst(str(ZrmDomain.HOUSING.label))
    # Parts of life nobody wrote about yet wait behind one disclosure, so the form starts short.
    expect(page.get_by_label(housing, exact=True)).to_be_hidden()
    page.get_by_text(nl("Tell about more parts of life"), exact=True).click()
    page.get_by_label(housing, exact=True).fill("Huurwoning, de huur is betaald.")
    page.get_by_label(nl("Who is already involved?")).fill("De huisarts en de buurvrouw.")
    page.get_by_label(nl("What do you want to change?")).fill("Geen aanmaningen meer.")
    page.get_by_role("button", name=nl("Save the story")).click()
    expect(page.get_by_text(nl("Your story is saved. Everyone who helps can read it here."))).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    check_page(page)
    assert Intake.objects.get(household=household).filled_by == coordinator
    log_out(page)

    # The debt counsellor reads it instead of asking again.
    log_in(page, professional.email, DEFAULT_PASSWORD)
    page.goto(f"/huishoudens/{household.pk}/")
    household_menu(page).get_by_role("link", name=nlp("workspace", "Story"), exact=True).click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    expect(page.get_by_text("Huurwoning, de huur is betaald.")).to_be_visible()
    expect(page.get_by_role("link", name=nl("Change the story"))).to_have_count(0)
    check_page(page)
