"""Working days: Monday to Friday, without the Dutch public holidays (from the maintained ``holidays`` library).

A signal's response norm counts working days from the moment it was raised: raised on a working day at 14:00
with a norm of 2, it is due on the second working day after, at 14:00; raised on a weekend or holiday, the count
starts at the next working day at 09:00. Times are Dutch (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

START_OF_DAY = datetime.time(9, 0)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``moment`` plus ``days`` working days (an aware datetime; the answer in the same zone as Dutch time)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    local = timezone.localtime(moment)
    if not is_working_day(local.date()):
        day = local.date()
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
        local = timezone.make_aware(datetime.datetime.combine(day, START_OF_DAY))
    day, counted = local.date(), 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``):
    a request on Friday answered on Monday took one working day."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
