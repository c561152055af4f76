"""Importing into the social map in a browser: the functional administrator opens "Import into the social map",
uploads the official HSDS example service_full.json, and reads the result (14 new objects and the note about the
example's latitude); a file with a wrong status is refused with the error per record. Every page is checked with axe
and the page checks at 1280 and 360 px (check_page)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from samen.accounts.tests.factories import DEFAULT_PASSWORD
from samen.organisations.tests.factories import MembershipFactory
from samen.socialmap.models import DirectoryImport, ImportStatus, Service
from tests_e2e.helpers import check_page, log_in, nl, one_run

pytestmark = pytest.mark.e2e

EXAMPLES = django_settings.BASE_DIR.parent / "shared" / "testdata" / "hsds-3.0" / "examples"


@pytest.fixture
def administrator(live_server, settings):
    # The import runs as soon as the upload is stored (in production a worker picks it up).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return MembershipFactory(functional_admin=True, user__email="beheerder@example.test").user


@one_run
def test_the_administrator_imports_an_official_example_and_reads_the_result(page, administrator, tmp_path):
    log_in(page, administrator.email, DEFAULT_PASSWORD)
    page.goto("/sociale-kaart/importeren/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Import into the social map"))
    expect(page.get_by_text(nl("No imports yet."))).to_be_visible()
    check_page(page)

    # A file that is not JSON gets a message on the form.
    broken = tmp_path / "kapot.json"
    broken.write_text("{nee")
    page.get_by_label(nl("HSDS file")).set_input_files(str(broken))
    page.get_by_role("button", name=nl("Import")).click()
    expect(page.locator("#form-errors")).to_contain_text(nl("Please check what you entered."))
    check_page(page)

    page.get_by_label(nl("HSDS file")).set_input_files(str(EXAMPLES / "service_full.json"))
    page.get_by_role("button", name=nl("Import")).click()
    expect(page.get_by_role("heading", level=2, name=nl("Imported"))).to_be_visible()
    expect(page.get_by_text("1 record gelezen: 14 nieuw, 0 veranderd.", exact=False)).to_be_visible()
    expect(page.get_by_role("table", name=nl("Notes"))).to_contain_text("latitude")
    check_page(page)
    assert Service.objects.get().name == "Community Counselling"

    # A record that breaks HSDS: refused, with the record, the field and the reason.
    wrong = json.loads((EXAMPLES / "service_full.json").read_text())
    wrong["status"] = "open"
    bad = tmp_path / "fout.json"
    bad.write_text(json.dumps(wrong))
    page.get_by_role("link", name=nl("Back to importing")).click()
    expect(page.get_by_role("table", name=nl("Recent imports"))).to_contain_text("service_full.json")
    check_page(page)
    page.get_by_label(nl("HSDS file")).set_input_files(str(bad))
    page.get_by_role("button", name=nl("Import")).click()
    expect(page.get_by_role("heading", level=2, name=nl("Refused"))).to_be_visible()
    errors = page.get_by_role("table", name=nl("What to fix"))
    expect(errors).to_contain_text("status")
    expect(errors).to_contain_text(
        "moet een van deze zijn: active, inactive, defunct, temporarily closed (het is open)"
    )
    check_page(page)
    assert DirectoryImport.objects.filter(status=ImportStatus.REFUSED).count() == 1


@one_run
def test_a_running_import_shows_its_progress_bar(page, administrator):
    row = DirectoryImport.objects.create(started_by=administrator, filename="groot.json", total=40, done=12)
    log_in(page, administrator.email, DEFAULT_PASSWORD)
    page.goto(f"/sociale-kaart/importeren/{row.pk}/")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "12")
    expect(page.get_by_text("12 van de 40 records gecontroleerd.", exact=False)).to_be_visible()
    check_page(page)
    # htmx polls the page: once the import has ended, the bar gives way to the result without a reload.
    DirectoryImport.objects.filter(pk=row.pk).update(status=ImportStatus.DONE, done=40, created=40)
    expect(page.get_by_text("40 records gelezen: 40 nieuw, 0 veranderd.", exact=False)).to_be_visible(timeout=6000)
    check_page(page)
