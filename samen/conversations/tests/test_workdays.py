"""Working days skip weekends and Dutch public holidays (from the holidays library, not a list of our own)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from samen.conversations.workdays import add_working_days, is_working_day

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(day: str, hour: int = 14) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=AMS)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-12-03", True),  # a Thursday
        ("2026-12-05", False),  # Saturday
        ("2026-12-06", False),  # Sunday
        ("2026-12-25", False),  # Christmas
        ("2026-12-26", False),  # second Christmas day (a Saturday too)
        ("2027-04-27", False),  # King's Day, a Tuesday
        ("2027-05-06", False),  # Ascension Day
        ("2027-01-01", False),  # New Year's Day
    ],
)
def test_working_days(day, working):
    assert is_working_day(datetime.date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    ("raised", "days", "due"),
    [
        (at("2026-12-03"), 2, at("2026-12-07")),  # Thursday + 2 = Monday: the weekend does not count
        (at("2026-12-04"), 2, at("2026-12-08")),  # Friday + 2 = Tuesday
        (at("2026-12-05"), 2, at("2026-12-09", 9)),  # raised on Saturday: counting starts Monday 09:00
        (at("2026-12-23"), 2, at("2026-12-28")),  # Wednesday before Christmas: 24th, then the 28th
        (at("2027-04-26"), 1, at("2027-04-28")),  # the day before King's Day
        (at("2027-05-05"), 2, at("2027-05-10")),  # across Ascension Day (Thursday) and the weekend
    ],
)
def test_add_working_days(raised, days, due):
    assert add_working_days(raised, days) == due


def test_at_least_one_day():
    with pytest.raises(ValueError):
        add_working_days(at("2026-12-03"), 0)
