"""§ 10-204a-2a(k) Influenza: preschool, 24 to 59 months of age, one dose every year between
August 1 and December 31; two doses 28 days apart for a first-time recipient.

Reading A-16: evaluated between August 1 and December 31 with no dose yet this season, the dose
is still due (in_progress) until December 31; a first-time recipient's second dose need not fall
in the window. "Not more than fifty-nine (59) months" means younger than 60 months.
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months

from .conftest import ONE_DAY, evaluate, student

K_CLAUSE = "10-204a-2a(k)"

PK_BIRTH = date(2021, 3, 15)  # PK, 40-46 months during the 2024-25 season
PRIOR = ("Flu", date(2023, 10, 2))  # last season's dose: not a first-time recipient
AFTER_SEASON = date(2025, 1, 15)


def test_k_meets_one_dose_on_august_1(ct, snapshot):
    """(k) "On or after August 1, 2011, an individual enrolled in preschool shall be considered
    adequately protected against flu if that individual is not less than twenty-four (24) months
    and not more than fifty-nine (59) months of age and annually has received one (1) dose of flu
    vaccine between August 1st and December 31st except that individuals receiving flu vaccine
    for the first time must be given a second dose at least twenty-eight (28) days after the
    first dose."

    Case: PK aged 3, vaccinated last season, this season's dose on 2024-08-01 (the window's first
    day, inclusive); evaluated 2025-01-15: compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR, ("Flu", date(2024, 8, 1))]), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_meets_one_dose_on_december_31(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st ..."

    Case: PK aged 3, vaccinated last season, this season's dose on 2024-12-31 (the window's last
    day, inclusive); evaluated 2025-01-15: compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR, ("Flu", date(2024, 12, 31))]), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_dose_on_july_31_is_one_day_early(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st ..."

    Case: PK aged 3, vaccinated last season, this season's only dose on 2024-07-31, one day
    before the window; evaluated 2025-01-15, after the window closed: non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR, ("Flu", date(2024, 7, 31))]), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_dose_on_january_1_is_one_day_late(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st ..."

    Case: PK aged 3, vaccinated last season, this season's only dose on 2025-01-01, one day after
    the window; evaluated 2025-01-15: non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR, ("Flu", date(2025, 1, 1))]), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_no_dose_this_season_after_december_31(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st ..."

    Case: PK aged 3, vaccinated last season only, evaluated 2025-01-15: one dose short for this
    season; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR]), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_no_dose_yet_on_december_31_is_in_progress(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st ..."

    Case: PK aged 3, vaccinated last season only, evaluated on 2024-12-31: the dose is still due
    that day (reading A-16): in_progress.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR]), "influenza", as_of=date(2024, 12, 31))
    assert r.status.value == "in_progress"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_no_dose_yet_on_january_1_is_non_compliant(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st ..."

    Case: the same child on 2025-01-01, one day after the window closed: non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [PRIOR]), "influenza", as_of=date(2025, 1, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_meets_first_time_two_doses_28_days_apart(ct, snapshot):
    """(k) "... except that individuals receiving flu vaccine for the first time must be given a
    second dose at least twenty-eight (28) days after the first dose."

    Case: PK aged 3 never vaccinated before, flu on 2024-09-15 and exactly 28 days later
    (2024-10-13); evaluated 2025-01-15: compliant.
    """
    first = date(2024, 9, 15)
    r = evaluate(
        ct, student(PK_BIRTH, "PK", [("Flu", first), ("Flu", add(first, days=28))]), "influenza", as_of=AFTER_SEASON
    )
    assert r.status.value == "compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_first_time_second_dose_27_days_after_first(ct, snapshot):
    """(k) "... individuals receiving flu vaccine for the first time must be given a second dose at
    least twenty-eight (28) days after the first dose."

    Case: first-time recipient, second dose 27 days after the first (not counted); evaluated
    2025-01-15: non_compliant (a valid second dose could be given now: it need not fall in the
    window, reading A-16, but it is overdue).
    """
    first = date(2024, 9, 15)
    r = evaluate(
        ct, student(PK_BIRTH, "PK", [("Flu", first), ("Flu", add(first, days=27))]), "influenza", as_of=AFTER_SEASON
    )
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_first_time_one_dose_only(ct, snapshot):
    """(k) "... individuals receiving flu vaccine for the first time must be given a second dose at
    least twenty-eight (28) days after the first dose."

    Case: first-time recipient with one dose (2024-09-15), evaluated 2025-01-15: one dose short;
    non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("Flu", date(2024, 9, 15))]), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_first_time_second_dose_not_yet_possible_is_in_progress(ct, snapshot):
    """(k) "... must be given a second dose at least twenty-eight (28) days after the first dose."

    Case: first-time recipient, one dose on 2024-09-15, evaluated 2024-10-01: the second dose
    cannot count before 2024-10-13: in_progress.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("Flu", date(2024, 9, 15))]), "influenza", as_of=date(2024, 10, 1))
    assert r.status.value == "in_progress"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_first_time_second_dose_in_january_counts(ct, snapshot):
    """(k) "... annually has received one (1) dose of flu vaccine between August 1st and December
    31st except that individuals receiving flu vaccine for the first time must be given a second
    dose at least twenty-eight (28) days after the first dose."

    Case: first-time recipient, first dose 2024-12-10 (in the window), second 2025-01-07 (28 days
    later, after the window): the second dose need not fall in the window (reading A-16):
    compliant on 2025-01-15.
    """
    doses = [("Flu", date(2024, 12, 10)), ("Flu", date(2025, 1, 7))]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_one_day_before_24_months_not_required(ct, snapshot):
    """(k) "... if that individual is not less than twenty-four (24) months and not more than
    fifty-nine (59) months of age ..."

    Case: P3 born 2022-10-01, no flu dose, evaluated 2024-09-30, one day short of 24 months:
    not_required, citing the requirement.
    """
    birth = date(2022, 10, 1)
    r = evaluate(ct, student(birth, "P3"), "influenza", as_of=add_months(birth, 24) - ONE_DAY)
    assert r.status.value == "not_required"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_at_24_months_in_season_no_dose_is_in_progress(ct, snapshot):
    """(k) "... not less than twenty-four (24) months ... and annually has received one (1) dose of
    flu vaccine between August 1st and December 31st ..."

    Case: the same child on 2024-10-01, exactly 24 months, never vaccinated: the requirement now
    applies and the dose is due by December 31 (reading A-16): in_progress.
    """
    birth = date(2022, 10, 1)
    assert add_months(birth, 24) == date(2024, 10, 1)
    r = evaluate(ct, student(birth, "P3"), "influenza", as_of=date(2024, 10, 1))
    assert r.status.value == "in_progress"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_leap_day_birth_last_day_of_59_months(ct, snapshot):
    """(k) "... not more than fifty-nine (59) months of age ..."

    Case: PK born 2020-02-29; 60 months is 2025-03-01 (2025-02-29 does not exist, reading A-02).
    On 2025-02-28 the child is still 59 months; vaccinated in 2023 but not in the 2024 season:
    non_compliant.
    """
    birth = date(2020, 2, 29)
    assert add_months(birth, 60) == date(2025, 3, 1)
    r = evaluate(ct, student(birth, "PK", [PRIOR]), "influenza", as_of=date(2025, 2, 28))
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_leap_day_birth_at_60_months_not_required(ct, snapshot):
    """(k) "... not more than fifty-nine (59) months of age ..."

    Case: the same child on 2025-03-01, 60 months: not_required.
    """
    r = evaluate(ct, student(date(2020, 2, 29), "PK", [PRIOR]), "influenza", as_of=date(2025, 3, 1))
    assert r.status.value == "not_required"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_kindergartner_not_required(ct, snapshot):
    """(k) "On or after August 1, 2011, an individual enrolled in preschool ..."

    Case: K aged 4 (48 months) with no flu dose on 2024-10-01: not enrolled in preschool;
    not_required.
    """
    r = evaluate(ct, student(date(2020, 9, 1), "K"), "influenza", as_of=date(2024, 10, 1))
    assert r.status.value == "not_required"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_not_in_force_on_july_31_2011(ct, snapshot):
    """(k) "On or after August 1, 2011, an individual enrolled in preschool ..."

    Case: PK aged 3 with no flu dose evaluated 2011-07-31, one day before (k) is in force:
    not_required.
    """
    r = evaluate(ct, student(date(2008, 3, 1), "PK"), "influenza", as_of=date(2011, 7, 31))
    assert r.status.value == "not_required"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_in_force_on_august_1_2011(ct, snapshot):
    """(k) "On or after August 1, 2011, an individual enrolled in preschool shall be considered
    adequately protected against flu if ... annually has received one (1) dose of flu vaccine
    between August 1st and December 31st ..."

    Case: the same child on 2011-08-01: the requirement applies, the dose is due by 2011-12-31
    (reading A-16): in_progress.
    """
    r = evaluate(ct, student(date(2008, 3, 1), "PK"), "influenza", as_of=date(2011, 8, 1))
    assert r.status.value == "in_progress"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot


def test_k_turned_24_months_after_the_window(ct, snapshot):
    """(k) "... if that individual is not less than twenty-four (24) months and not more than
    fifty-nine (59) months of age and annually has received one (1) dose of flu vaccine between
    August 1st and December 31st ..."

    Case: P3 born 2023-01-01, 24 months on 2025-01-01, the day after the 2024 window closed; no
    flu dose; evaluated 2025-01-15. Read literally, the child is now in the age range and has not
    received a dose between August 1 and December 31: non_compliant. (No reading in the table
    covers a child who enters the age range after the window; see the report.)
    """
    birth = date(2023, 1, 1)
    assert add_months(birth, 24) == date(2025, 1, 1)
    r = evaluate(ct, student(birth, "P3"), "influenza", as_of=AFTER_SEASON)
    assert r.status.value == "non_compliant"
    assert r.clause == K_CLAUSE
    assert r.to_dict() == snapshot
