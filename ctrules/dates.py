"""Calendar arithmetic: the only module that adds months, years, weeks or days to a date.

Connecticut's regulation speaks in birthdays, months and weeks. ctrules follows the CDC's
Clinical Decision Support for Immunization (CDSi) date rules, because they are what
immunization registries and the CDC test cases use:

* CALCDT-1/2: adding years or months keeps the day of the month;
* CALCDT-5: a date that does not exist moves forward to the first day of the next month
  (2000-03-31 + 6 months = 2000-10-01; a child born 2016-02-29 turns 1 on 2017-03-01);
* CALCDT-6: years first, then months, then weeks and days as a plain day count;
* a grace period is subtracted last, after any roll-over.

`dateutil.relativedelta` clamps to the month's last day instead (Jan 31 + 1 month = Feb 28),
which is exactly the bug several CDSi engines shipped, so it is not used for months or years.

>>> add(date(2000, 3, 31), months=6)
datetime.date(2000, 10, 1)
>>> birthday(date(2016, 2, 29), 1)
datetime.date(2017, 3, 1)
>>> add(date(2001, 1, 31), months=1, grace_days=4)
datetime.date(2001, 2, 25)
"""

from __future__ import annotations

import calendar
import enum
from datetime import date, timedelta
from typing import Final

__all__ = [
    "Unit",
    "add",
    "add_months",
    "age_parts",
    "birthday",
    "days_between",
    "parse_iso",
    "school_year_start",
]


class Unit(enum.Enum):
    """A calendar unit as written in a rule (`28 days`, `4 weeks`, `6 months`, `4 years`)."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"

    def singular(self) -> str:
        return self.value[:-1]


def add_months(start: date, months: int) -> date:
    """Add calendar months keeping the day; a day the month lacks rolls to the 1st of the next.

    >>> add_months(date(2001, 1, 31), 1)
    datetime.date(2001, 3, 1)
    >>> add_months(date(2000, 1, 31), 1)
    datetime.date(2000, 3, 1)
    >>> add_months(date(2000, 8, 31), 6)
    datetime.date(2001, 3, 1)
    >>> add_months(date(2000, 11, 1), 6)
    datetime.date(2001, 5, 1)
    >>> add_months(date(2001, 3, 31), -1)
    datetime.date(2001, 3, 1)
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if start.day <= 28 or start.day <= _month_length(year, month):
        return date(year, month, start.day)
    # CALCDT-5: the date does not exist; move forward to the first of the next month.
    return date(year + (month == 12), month % 12 + 1, 1)


_MONTH_LENGTHS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_length(year: int, month: int) -> int:
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_LENGTHS[month - 1]


def add(
    start: date,
    *,
    years: int = 0,
    months: int = 0,
    weeks: int = 0,
    days: int = 0,
    grace_days: int = 0,
) -> date:
    """Add a duration the CDSi way (years, then months, then weeks and days), less any grace.

    Years and months are applied one after the other, each with the roll-over rule, so
    2000-02-29 + 1 year 1 month = 2001-03-01 + 1 month = 2001-04-01.

    >>> add(date(2000, 2, 29), years=1, months=1)
    datetime.date(2001, 4, 1)
    >>> add(date(2000, 2, 1), weeks=5)
    datetime.date(2000, 3, 7)
    >>> add(date(2000, 1, 31), months=6, grace_days=4)
    datetime.date(2000, 7, 27)
    """
    result = start
    if years:
        result = add_months(result, 12 * years)
    if months:
        result = add_months(result, months)
    return result + timedelta(days=7 * weeks + days - grace_days)


def add_quantity(start: date, amount: int, unit: Unit, grace_days: int = 0) -> date:
    """`start` + `amount` `unit`s − `grace_days`, by the rules of `add`."""
    match unit:
        case Unit.DAYS:
            return add(start, days=amount, grace_days=grace_days)
        case Unit.WEEKS:
            return add(start, weeks=amount, grace_days=grace_days)
        case Unit.MONTHS:
            return add(start, months=amount, grace_days=grace_days)
        case Unit.YEARS:
            return add(start, years=amount, grace_days=grace_days)


def birthday(birth: date, years: int) -> date:
    """The date of the `years`-th birthday; a Feb 29 birthday falls on Mar 1 in common years.

    >>> birthday(date(2016, 2, 29), 4)
    datetime.date(2020, 2, 29)
    >>> birthday(date(2016, 2, 29), 5)
    datetime.date(2021, 3, 1)
    """
    return add_months(birth, 12 * years)


def age_parts(birth: date, on: date) -> tuple[int, int, int]:
    """Completed years, months and days from `birth` to `on`, by the calendar rules above (a
    month is reached on the same day of the month, or on the 1st when that day is missing).

    >>> age_parts(date(2018, 12, 11), date(2024, 9, 1))
    (5, 8, 21)
    >>> age_parts(date(2019, 1, 31), date(2019, 2, 28))
    (0, 0, 28)
    """
    months = (on.year - birth.year) * 12 + on.month - birth.month
    while months > 0 and add_months(birth, months) > on:
        months -= 1
    return months // 12, months % 12, (on - add_months(birth, months)).days


def days_between(earlier: date, later: date) -> int:
    """Whole days from `earlier` to `later` (negative when `later` comes first)."""
    return (later - earlier).days


SCHOOL_YEAR_START_MONTH: Final = 7
"""School years run July 1 to June 30, as Connecticut's reporting and the vendor's rules do."""


def school_year_start(on: date) -> int:
    """The calendar year in which the school year containing `on` began.

    >>> school_year_start(date(2024, 9, 1)), school_year_start(date(2025, 6, 30))
    (2024, 2024)
    """
    return on.year if on.month >= SCHOOL_YEAR_START_MONTH else on.year - 1


def parse_iso(text: str) -> date:
    """Parse YYYY-MM-DD strictly (no times, no other layouts); raise ValueError otherwise."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"expected a date as YYYY-MM-DD, got {text!r}")
    return date.fromisoformat(text)
