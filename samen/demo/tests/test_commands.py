"""``manage.py demo_municipality`` and ``manage.py demo_logins`` as a developer sees them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samen.core.models import AuditEntry
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from samen.households.models import Household, HouseholdMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development_mode(settings):
    settings.DEBUG = True  # as `make run` runs it (the test runner turns DEBUG off)


def run(*args: str, **options) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command(*args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_progress_goes_to_stderr_a_line_per_tenth_when_not_a_terminal():
    # 25 households in batches of 2000 are one step: a single 100 % line
    out, err = run("demo_municipality", "--households", "25")
    assert "Households |" in err and "100%" in err and "25/25" in err and "/s" in err and "ETA" in err
    assert err.count("\n") == 1 and "\r" not in err
    assert "Demo municipality generated (seed 2026): 25 households" in out


def test_a_second_run_says_already_loaded_and_adds_nothing():
    run("demo_municipality", "--households", "25")
    counts = (Household.objects.count(), HouseholdMember.objects.count(), AuditEntry.objects.count())
    out, err = run("demo_municipality", "--households", "25")
    assert out.strip() == "Demo municipality already loaded (seed 2026, 25 households)."
    assert err == ""
    assert (Household.objects.count(), HouseholdMember.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.parametrize("quiet", [("--quiet",), ("--verbosity", "0")])
def test_quiet_and_verbosity_zero_print_nothing(quiet):
    out, err = run("demo_municipality", "--households", "5", *quiet)
    assert (out, err) == ("", "")
    assert Household.objects.count() == 5


def test_no_bsn_is_ever_printed():
    out, err = run("demo_municipality", "--households", "30")
    out2, err2 = run("demo_municipality", "--households", "30")
    printed = out + err + out2 + err2
    bsns = HouseholdMember.objects.exclude(bsn="").values_list("bsn", flat=True)
    assert bsns and not any(number in printed for number in bsns)


def test_bad_arguments_give_a_clear_error_and_write_nothing():
    with pytest.raises(CommandError, match="number of households"):
        run("demo_municipality", "--households", "0")
    run("demo_municipality", "--households", "3", "--quiet")
    with pytest.raises(CommandError, match="already holds the demo municipality of seed 2026"):
        run("demo_municipality", "--households", "3", "--seed", "4")
    assert Household.objects.count() == 3


def test_production_mode_warns_about_the_shared_password(settings):
    settings.DEBUG = False
    _, err = run("demo_municipality", "--households", "2")
    assert "published password" in err


def test_demo_logins_prints_every_login_with_the_password_and_the_url():
    run("demo_municipality", "--households", "2", "--quiet")
    out, err = run("demo_logins")
    assert "http://127.0.0.1:8000" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Role"))
    assert "E-mail" in header and "Password" in header and "Description" in header
    for login in DEMO_LOGINS:
        (line,) = [line for line in lines if login.email in line]
        assert DEMO_PASSWORD in line and line.rstrip().endswith(login.description)
    assert "coordinator" in out and "independent client supporter" in out
    assert err == ""


def test_demo_logins_says_when_the_accounts_do_not_exist_yet():
    out, err = run("demo_logins")
    assert "inwoner@" in out
    assert "demo_municipality" in err
