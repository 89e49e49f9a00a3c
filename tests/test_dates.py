"""Calendar arithmetic (ctrules/dates.py) against the CDC CDSi date rules CALCDT-1..6.

Sources: /work/shared/design/vaccines.md section 1.6 "Date arithmetic: the exact rules"
(the spec's own examples and the "Comparison with libraries and engines" table), and
docs/dates.md for the worked examples written for policy staff.

The rule in one line: keep the day of the month; if that day does not exist in the target
month, move to the 1st of the next month; years, then months, then weeks and days; a grace
period is subtracted last.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrules.dates import (
    Unit,
    add,
    add_months,
    add_quantity,
    birthday,
    days_between,
    parse_iso,
    school_year_start,
)


def d(text: str) -> date:
    """Test shorthand; independent of parse_iso so parse_iso's own tests stay meaningful."""
    year, month, day = (int(part) for part in text.split("-"))
    return date(year, month, day)


# --------------------------------------------------------------------------------------
# Golden tests: the CDSi specification's own examples (Table 3-6, CALCDT-1..6)
# --------------------------------------------------------------------------------------

CDSI_SPEC_EXAMPLES = [
    pytest.param("2000-01-01", {"years": 3}, "2003-01-01", id="CALCDT-1: 2000-01-01 + 3 years = 2003-01-01"),
    pytest.param("2000-01-01", {"months": 6}, "2000-07-01", id="CALCDT-2: 2000-01-01 + 6 months = 2000-07-01"),
    pytest.param(
        "2000-11-01", {"months": 6}, "2001-05-01", id="CALCDT-2: 2000-11-01 + 6 months = 2001-05-01 (year carries)"
    ),
    pytest.param("2000-01-01", {"days": 3}, "2000-01-04", id="CALCDT-3: 2000-01-01 + 3 days = 2000-01-04"),
    pytest.param("2000-01-01", {"weeks": 3}, "2000-01-22", id="CALCDT-3: 2000-01-01 + 3 weeks = 2000-01-22"),
    pytest.param(
        "2000-02-01", {"weeks": 5}, "2000-03-07", id="CALCDT-3: 2000-02-01 + 5 weeks = 2000-03-07 (leap year)"
    ),
    pytest.param(
        "2001-02-01", {"weeks": 5}, "2001-03-08", id="CALCDT-3: 2001-02-01 + 5 weeks = 2001-03-08 (common year)"
    ),
    pytest.param("2000-01-15", {"days": -4}, "2000-01-11", id="CALCDT-4: 2000-01-15 - 4 days = 2000-01-11"),
    pytest.param(
        "2000-03-31", {"months": 6}, "2000-10-01", id="CALCDT-5: 2000-03-31 + 6 months = 2000-10-01 (Sep 31 rolls)"
    ),
    pytest.param(
        "2000-08-31", {"months": 6}, "2001-03-01", id="CALCDT-5: 2000-08-31 + 6 months = 2001-03-01 (Feb 31 rolls)"
    ),
    pytest.param(
        "2000-01-31",
        {"months": 6, "grace_days": 4},
        "2000-07-27",
        id="CALCDT-6: 2000-01-31 + 6 months - 4 days = 2000-07-27",
    ),
]


@pytest.mark.parametrize(("start", "duration", "expected"), CDSI_SPEC_EXAMPLES)
def test_add_reproduces_every_cdsi_spec_example(start: str, duration: dict[str, int], expected: str) -> None:
    assert add(d(start), **duration) == d(expected)


def test_subtracting_days_and_a_grace_period_of_the_same_length_agree() -> None:
    # CALCDT-4 "- 4 days" and a "4 days grace" are the same arithmetic once the months are done.
    assert add(d("2000-01-15"), grace_days=4) == d("2000-01-11")
    assert add(d("2001-01-31"), months=1, days=-4) == add(d("2001-01-31"), months=1, grace_days=4) == d("2001-02-25")


# --------------------------------------------------------------------------------------
# Golden tests: the "Comparison with libraries and engines" table (vaccines.md 1.6)
# --------------------------------------------------------------------------------------

# (start, duration, CDSi result, dateutil.relativedelta result)
COMPARISON_TABLE = [
    pytest.param("2001-01-31", {"months": 1}, "2001-03-01", "2001-02-28", id="2001-01-31 + 1 month"),
    pytest.param("2000-01-31", {"months": 1}, "2000-03-01", "2000-02-29", id="2000-01-31 + 1 month (leap)"),
    pytest.param(
        "2001-01-31", {"months": 1, "grace_days": 4}, "2001-02-25", "2001-02-24", id="2001-01-31 + 1 month - 4 days"
    ),
    pytest.param("2000-02-29", {"years": 1}, "2001-03-01", "2001-02-28", id="2000-02-29 + 1 year"),
    pytest.param(
        "2000-02-29", {"months": 12, "grace_days": 4}, "2001-02-25", "2001-02-24", id="2000-02-29 + 12 months - 4 days"
    ),
    pytest.param("2000-02-29", {"years": 4}, "2004-02-29", "2004-02-29", id="2000-02-29 + 4 years"),
    pytest.param("2000-12-31", {"months": 2}, "2001-03-01", "2001-02-28", id="2000-12-31 + 2 months"),
    pytest.param(
        "2026-05-31",
        {"months": 6},
        "2026-12-01",
        "2026-11-30",
        id="2026-05-31 + 6 months (CDC cases 2013-0003/0130/0165)",
    ),
]


@pytest.mark.parametrize(("start", "duration", "cdsi", "clamped"), COMPARISON_TABLE)
def test_add_gives_the_cdsi_column_of_the_comparison_table(
    start: str, duration: dict[str, int], cdsi: str, clamped: str
) -> None:
    assert add(d(start), **duration) == d(cdsi)


@pytest.mark.parametrize(("start", "duration", "cdsi", "clamped"), COMPARISON_TABLE)
def test_relativedelta_still_clamps_as_the_comparison_table_records(
    start: str, duration: dict[str, int], cdsi: str, clamped: str
) -> None:
    """Pins the contrast the docs explain: dateutil clamps to the month's last day."""
    grace = duration.get("grace_days", 0)
    offset = relativedelta(years=duration.get("years", 0), months=duration.get("months", 0))
    assert d(start) + offset - timedelta(days=grace) == d(clamped)


DISAGREEMENT_2000_2030 = [
    # (duration, start dates in 2000-01-01..2030-12-31 where CDSi and relativedelta differ)
    pytest.param({"months": 1}, 209, id="+1 month: 209 of 11323 (1.85%)"),
    pytest.param({"months": 2}, 117, id="+2 months: 117 of 11323 (1.03%)"),
    pytest.param({"months": 6}, 210, id="+6 months: 210 of 11323 (1.85%)"),
    pytest.param({"months": 6, "grace_days": 4}, 210, id="+6 months - 4 days: 210 of 11323 (1.85%)"),
    pytest.param({"months": 12}, 8, id="+12 months: 8 of 11323 (Feb 29 only)"),
    pytest.param({"years": 1}, 8, id="+1 year: 8 of 11323 (Feb 29 only)"),
    pytest.param({"years": 4}, 0, id="+4 years: never"),
]


@pytest.mark.parametrize(("duration", "differing"), DISAGREEMENT_2000_2030)
def test_cdsi_and_relativedelta_disagree_on_the_share_of_dates_the_design_measured(
    duration: dict[str, int], differing: int
) -> None:
    grace = duration.get("grace_days", 0)
    offset = relativedelta(years=duration.get("years", 0), months=duration.get("months", 0))
    start, end = date(2000, 1, 1), date(2030, 12, 31)
    count = 0
    total = 0
    day = start
    while day <= end:
        total += 1
        count += add(day, **duration) != day + offset - timedelta(days=grace)
        day += timedelta(days=1)
    assert total == 11323
    assert count == differing


# --------------------------------------------------------------------------------------
# Named edge cases
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        pytest.param(0, "2016-02-29", id="birth date itself"),
        pytest.param(1, "2017-03-01", id="1st birthday: Mar 1, not Feb 28"),
        pytest.param(2, "2018-03-01", id="2nd birthday: Mar 1"),
        pytest.param(4, "2020-02-29", id="4th birthday: Feb 29 again (leap year)"),
        pytest.param(5, "2021-03-01", id="5th birthday: Mar 1"),
    ],
)
def test_feb_29_child_has_birthdays_on_mar_1_in_common_years(years: int, expected: str) -> None:
    assert birthday(d("2016-02-29"), years) == d(expected)


def test_feb_29_child_is_not_one_year_old_on_feb_28() -> None:
    first = birthday(d("2016-02-29"), 1)
    assert d("2017-02-28") < first  # a dose on Feb 28 2017 is *before* the 1st birthday
    assert d("2017-03-01") >= first  # a dose on Mar 1 2017 is *on or after* it


def test_dose_the_day_before_a_birthday_is_before_it_and_on_the_day_is_on_or_after() -> None:
    fourth = birthday(d("2015-06-15"), 4)
    assert fourth == d("2019-06-15")
    assert d("2019-06-14") < fourth
    assert not d("2019-06-14") >= fourth
    assert d("2019-06-15") >= fourth
    assert not d("2019-06-15") < fourth


def test_birthday_is_the_same_as_adding_years() -> None:
    assert birthday(d("2000-02-29"), 1) == add(d("2000-02-29"), years=1) == d("2001-03-01")
    assert birthday(d("2010-07-04"), 13) == d("2023-07-04")


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param("2001-01-31", "2001-03-01", id="common year: Feb 31 -> Mar 1"),
        pytest.param("2023-01-31", "2023-03-01", id="common year 2023"),
        pytest.param("2000-01-31", "2000-03-01", id="leap year: Feb 31 -> Mar 1, not Feb 29"),
        pytest.param("2024-01-31", "2024-03-01", id="leap year 2024"),
        pytest.param("2001-01-29", "2001-03-01", id="Jan 29 in a common year: Feb 29 does not exist"),
        pytest.param("2000-01-29", "2000-02-29", id="Jan 29 in a leap year: Feb 29 exists"),
        pytest.param("2001-01-28", "2001-02-28", id="Jan 28: the day exists, kept"),
        pytest.param("1900-01-29", "1900-03-01", id="1900 is not a leap year"),
    ],
)
def test_jan_end_plus_one_month_rolls_to_mar_1_when_feb_lacks_the_day(start: str, expected: str) -> None:
    assert add_months(d(start), 1) == d(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param("2000-12-31", "2001-03-01", id="into a common February"),
        pytest.param("2003-12-31", "2004-03-01", id="into a leap February"),
        pytest.param("2003-12-29", "2004-02-29", id="Dec 29 into a leap February keeps the day"),
    ],
)
def test_dec_31_plus_two_months_rolls_to_mar_1(start: str, expected: str) -> None:
    assert add_months(d(start), 2) == d(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param("2000-08-31", "2001-03-01", id="CDSi spec example, not Mar 3 (StepIntoCDSI bug)"),
        pytest.param("2003-08-31", "2004-03-01", id="into a leap February: Feb 31 still does not exist"),
        pytest.param("2001-08-30", "2002-03-01", id="Aug 30: Feb 30 does not exist"),
        pytest.param("2001-08-29", "2002-03-01", id="Aug 29, common year: Feb 29 does not exist"),
        pytest.param("2003-08-29", "2004-02-29", id="Aug 29, leap year: Feb 29 exists"),
        pytest.param("2026-08-29", "2027-03-01", id="FITS HepA AART-EXTRA expects Feb 28; CDSi says Mar 1"),
    ],
)
def test_aug_end_plus_six_months_rolls_to_mar_1(start: str, expected: str) -> None:
    assert add_months(d(start), 6) == d(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param("2001-01-31", "2001-07-27", id="Jan 31: Jul 31 exists, minus 4 = Jul 27"),
        pytest.param("2001-03-31", "2001-09-27", id="Mar 31: Sep 31 -> Oct 1, minus 4 = Sep 27"),
        pytest.param("2001-05-31", "2001-11-27", id="May 31: Nov 31 -> Dec 1, minus 4 = Nov 27"),
        pytest.param("2001-06-30", "2001-12-26", id="Jun 30: Dec 30 exists, minus 4 = Dec 26"),
        pytest.param("2001-08-31", "2002-02-25", id="Aug 31: Feb 31 -> Mar 1, minus 4 = Feb 25"),
        pytest.param("2003-08-31", "2004-02-26", id="Aug 31 into leap Feb: Mar 1 minus 4 = Feb 26"),
        pytest.param("2001-10-31", "2002-04-27", id="Oct 31: Apr 31 -> May 1, minus 4 = Apr 27"),
        pytest.param("2001-12-31", "2002-06-27", id="Dec 31: Jun 31 -> Jul 1, minus 4 = Jun 27"),
    ],
)
def test_month_end_plus_six_months_minus_four_days_subtracts_after_the_roll_over(start: str, expected: str) -> None:
    assert add(d(start), months=6, grace_days=4) == d(expected)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param("2001-03-15", -1, "2001-02-15", id="mid-month: day kept"),
        pytest.param("2001-01-15", -1, "2000-12-15", id="borrows a year"),
        pytest.param("2001-03-31", -1, "2001-03-01", id="Feb 31 does not exist: rolls FORWARD to Mar 1"),
        pytest.param("2000-03-30", -1, "2000-03-01", id="leap year Feb 30 rolls forward to Mar 1"),
        pytest.param("2000-03-29", -1, "2000-02-29", id="leap year Feb 29 exists"),
        pytest.param("2001-01-31", -2, "2000-12-01", id="Nov 31 rolls forward to Dec 1"),
        pytest.param("2001-05-31", -12, "2000-05-31", id="minus 12 months"),
        pytest.param("2000-07-31", -240, "1980-07-31", id="minus 240 months"),
    ],
)
def test_negative_month_offsets_keep_the_day_or_roll_forward(start: str, months: int, expected: str) -> None:
    assert add_months(d(start), months) == d(expected)


def test_negative_year_offset_from_feb_29_rolls_forward_to_mar_1() -> None:
    assert add(d("2004-02-29"), years=-1) == d("2003-03-01")


def test_years_then_months_each_roll_over_in_turn() -> None:
    # Stepwise CALCDT-6: Feb 29 2001 -> Mar 1 2001, + 1 month -> Apr 1 2001.
    # (Adding 13 months in one step, as Cicada does, would give Mar 29 2001.)
    assert add(d("2000-02-29"), years=1, months=1) == d("2001-04-01")
    assert add_months(d("2000-02-29"), 13) == d("2001-03-29")


def test_weeks_and_days_are_added_after_the_month_roll_over() -> None:
    # Jan 31 + 1 month -> Mar 1, then + 1 week -> Mar 8 (not Feb 28 + 7 = Mar 7).
    assert add(d("2001-01-31"), months=1, weeks=1) == d("2001-03-08")
    assert add(d("2001-01-31"), months=1, days=1) == d("2001-03-02")


def test_december_date_plus_one_year_is_exact_not_a_day_late() -> None:
    # OpenCdsi cdsi-date computed month 0 for month + N a multiple of 12 and went one day late.
    assert add(d("2000-12-15"), years=1) == d("2001-12-15")
    assert add_months(d("2000-12-15"), 12) == d("2001-12-15")
    assert add_months(d("2000-12-31"), 12) == d("2001-12-31")


def test_add_with_no_duration_returns_the_start_date() -> None:
    assert add(d("2000-02-29")) == d("2000-02-29")
    assert add_months(d("2000-01-31"), 0) == d("2000-01-31")


@pytest.mark.parametrize(
    ("start", "amount", "unit", "grace", "expected"),
    [
        pytest.param("2000-01-01", 28, Unit.DAYS, 0, "2000-01-29", id="28 days"),
        pytest.param("2000-02-01", 4, Unit.WEEKS, 0, "2000-02-29", id="4 weeks = 28 days"),
        pytest.param("2000-08-31", 6, Unit.MONTHS, 0, "2001-03-01", id="6 months rolls over"),
        pytest.param("2016-02-29", 1, Unit.YEARS, 0, "2017-03-01", id="1 year rolls over"),
        pytest.param("2001-01-31", 1, Unit.MONTHS, 4, "2001-02-25", id="1 month less 4 days grace"),
        pytest.param("2001-01-31", 1, Unit.MONTHS, -4, "2001-03-05", id="negative grace widens an upper bound"),
    ],
)
def test_add_quantity_applies_the_unit_named_in_the_rule(
    start: str, amount: int, unit: Unit, grace: int, expected: str
) -> None:
    assert add_quantity(d(start), amount, unit, grace) == d(expected)


@pytest.mark.parametrize(
    ("unit", "word"),
    [(Unit.DAYS, "day"), (Unit.WEEKS, "week"), (Unit.MONTHS, "month"), (Unit.YEARS, "year")],
    ids=lambda value: str(value),
)
def test_unit_singular_drops_the_plural_s(unit: Unit, word: str) -> None:
    assert unit.singular() == word


def test_days_between_counts_whole_days_and_is_negative_backwards() -> None:
    assert days_between(d("2000-01-01"), d("2000-01-29")) == 28
    assert days_between(d("2000-02-01"), d("2000-03-01")) == 29
    assert days_between(d("2000-01-29"), d("2000-01-01")) == -28
    assert days_between(d("2000-01-01"), d("2000-01-01")) == 0


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param("2025-06-30", 2024, id="June 30 ends the school year that began in 2024"),
        pytest.param("2025-07-01", 2025, id="July 1 starts the 2025 school year"),
        pytest.param("2024-12-31", 2024, id="Dec 31 is mid school year"),
        pytest.param("2025-01-01", 2024, id="Jan 1 belongs to the school year begun the July before"),
        pytest.param("2024-09-01", 2024, id="Sep 1, first day of school"),
    ],
)
def test_school_year_runs_july_1_to_june_30(on: str, expected: int) -> None:
    assert school_year_start(d(on)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2019-02-30", id="Feb 30 does not exist"),
        pytest.param("2019-02-29", id="Feb 29 in a common year"),
        pytest.param("2019-2-3", id="month and day without leading zeros"),
        pytest.param("20190203", id="basic ISO format without dashes"),
        pytest.param("2019-02-03T00:00", id="date with a time"),
        pytest.param("2019/02/03", id="slashes"),
        pytest.param("02/03/2019", id="US layout"),
        pytest.param(" 2019-02-03", id="leading space"),
        pytest.param("2019-13-01", id="month 13"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_iso_rejects_anything_but_a_real_yyyy_mm_dd_date(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2020-02-29", date(2020, 2, 29), id="leap day"),
        pytest.param("2019-02-03", date(2019, 2, 3), id="ordinary date"),
        pytest.param("1900-12-31", date(1900, 12, 31), id="1900"),
    ],
)
def test_parse_iso_accepts_real_yyyy_mm_dd_dates(text: str, expected: date) -> None:
    assert parse_iso(text) == expected


# --------------------------------------------------------------------------------------
# Properties (hypothesis): dates 1900-2100, offsets 0..240 months
# --------------------------------------------------------------------------------------

FIRST, LAST = date(1900, 1, 1), date(2100, 12, 31)


@st.composite
def late_in_month(draw: st.DrawFn) -> date:
    """Days 28..31: the only days where the roll-over can happen, drawn often on purpose."""
    year = draw(st.integers(FIRST.year, LAST.year))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(28, calendar.monthrange(year, month)[1]))
    return date(year, month, day)


any_date = st.one_of(st.dates(min_value=FIRST, max_value=LAST), late_in_month())
month_offsets = st.integers(min_value=0, max_value=240)
properties = settings(max_examples=300, deadline=None)


def _target_month_length(start: date, months: int) -> int:
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    return calendar.monthrange(year, month0 + 1)[1]


@properties
@given(start=any_date, months=month_offsets)
def test_add_months_is_relativedelta_when_the_day_exists_and_one_day_later_when_it_does_not(
    start: date, months: int
) -> None:
    clamped = start + relativedelta(months=months)
    if start.day <= _target_month_length(start, months):
        assert add_months(start, months) == clamped
    else:
        assert add_months(start, months) == clamped + timedelta(days=1)
        assert add_months(start, months).day == 1


@properties
@given(start=any_date, months=st.integers(min_value=-240, max_value=0))
def test_add_months_backwards_is_also_relativedelta_or_one_day_later(start: date, months: int) -> None:
    clamped = start + relativedelta(months=months)
    exists = start.day <= _target_month_length(start, months)
    assert add_months(start, months) == (clamped if exists else clamped + timedelta(days=1))


@properties
@given(start=any_date, months=month_offsets)
def test_add_months_result_day_is_the_start_day_or_the_first(start: date, months: int) -> None:
    result = add_months(start, months)
    assert result.day in (start.day, 1)
    # ... and it lands in the target month, or on the 1st of the month after it.
    target = start.year * 12 + start.month - 1 + months
    assert result.year * 12 + result.month - 1 in (target, target + 1)


@properties
@given(first=any_date, second=any_date, months=month_offsets)
def test_add_months_never_reverses_the_order_of_two_dates(first: date, second: date, months: int) -> None:
    earlier, later = sorted((first, second))
    assert add_months(earlier, months) <= add_months(later, months)


@properties
@given(start=any_date, months=month_offsets, grace=st.integers(min_value=0, max_value=60))
def test_grace_days_are_subtracted_after_the_month_roll_over(start: date, months: int, grace: int) -> None:
    assert add(start, months=months, grace_days=grace) == add_months(start, months) - timedelta(days=grace)


@properties
@given(start=any_date, years=st.integers(min_value=0, max_value=20))
def test_a_year_is_twelve_months(start: date, years: int) -> None:
    assert add(start, years=years) == add_months(start, 12 * years)
    assert birthday(start, years) == add_months(start, 12 * years)


@properties
@given(start=any_date, weeks=st.integers(min_value=0, max_value=1044))
def test_a_week_is_seven_days(start: date, weeks: int) -> None:
    assert add(start, weeks=weeks) == start + timedelta(days=7 * weeks)
    assert add(start, weeks=weeks) == add(start, days=7 * weeks)


@properties
@given(
    start=any_date,
    months=month_offsets,
    weeks=st.integers(min_value=0, max_value=52),
    days=st.integers(min_value=-60, max_value=60),
)
def test_weeks_and_days_are_plain_day_counts_added_after_the_months(
    start: date, months: int, weeks: int, days: int
) -> None:
    assert add(start, months=months, weeks=weeks, days=days) == add_months(start, months) + timedelta(
        days=7 * weeks + days
    )
