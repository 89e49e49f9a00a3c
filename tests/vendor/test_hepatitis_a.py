"""Infinite Campus, "Hepatitis A": eight rules, tried in order (V-01), then non-compliant (V-05).

The first four rules are dated ("Active Start Date" to "Active End Date", both days included);
the ruleset's versions are the school years they name, so the version in force changes with the
evaluation date. Vendor group: "Hepatitis A vaccine" (any vaccine containing hepatitis A).

The dated-rule tests follow the cohort born 2007-01-01 (the first birth date "born before
01/01/2007" does not cover; kindergarten 2012-13, grade 9 in 2020-21 ... grade 12 in 2023-24) and
the cohort a year younger, born 2008-01-01, which reaches each grade the year after.

Seed text (002_6dfd16146714b4ef.txt), section "Hepatitis A".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import ctrules
from ctrules import VersionError
from ctrules.dates import add_months, birthday
from ctrules.results import RequirementResult

from .conftest import AS_OF, ONE_DAY, evaluate_all, student

REQUIREMENTS = ("hepatitis_a",)

GRADE_9_12_20_21 = "Grade 9-12 20-21"
GRADE_10_12_21_22 = "Grade 10-12 21-22"
GRADE_11_12_22_23 = "Grade 11-12 22-23"
GRADE_12_23_24 = "Grade 12 23-24"
BORN_BEFORE_2007 = "2 year and older, born before 01/01/2007"
AGES_0_11_MONTHS = "0-11 months"
TWO = "2 doses"
ONE = "1 dose"

RULES = (
    GRADE_9_12_20_21,
    GRADE_10_12_21_22,
    GRADE_11_12_22_23,
    GRADE_12_23_24,
    BORN_BEFORE_2007,
    AGES_0_11_MONTHS,
    TWO,
    ONE,
)

COHORT_2007 = date(2007, 1, 1)
COHORT_2008 = date(2008, 1, 1)
K_BIRTH = date(2018, 5, 10)  # K on AS_OF
DAY_AFTER_1ST = birthday(K_BIRTH, 1) + ONE_DAY  # 2019-05-11


def _hepa(
    ic: ctrules.Ruleset, record: dict[str, Any], as_of: date = AS_OF, version: str = "2023-24"
) -> RequirementResult:
    """The hepatitis A result on `as_of`, after checking the ruleset version in force that day."""
    result = evaluate_all(ic, record, as_of)
    assert result.to_dict()["ruleset"] == {"name": "infinite-campus-ct", "version": version}
    return result.requirements["hepatitis_a"]


# --- "Grade 9-12 20-21" -------------------------------------------------------------------------


def test_grade_9_12_20_21_day_before_start_has_no_version(ic):
    """Rule "Grade 9-12 20-21 No Requirement Active Start Date: 07/01/2020 Active End Date: 06/30/2021":
    the first date the article names; the ruleset has no version before it.

    Case: grade 9, born 2007-01-01, evaluated 2020-06-30: evaluation raises VersionError.
    """
    with pytest.raises(VersionError, match="no version in force on 2020-06-30"):
        ic.evaluate(student(COHORT_2007, "9"), as_of=date(2020, 6, 30))


def test_grade_9_12_20_21_start_date(ic, snapshot):
    """Rule "Grade 9-12 20-21 No Requirement": "Students in state grade(s): 09, 10, 11, 12 are not required
    to receive any doses of the Hepatitis A vaccine." Active Start Date: 07/01/2020.

    Case: grade 9, born 2007-01-01, no dose, evaluated 2020-07-01 (version "2020-21"): not_required
    by "Grade 9-12 20-21".
    """
    r = _hepa(ic, student(COHORT_2007, "9"), date(2020, 7, 1), "2020-21")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_9_12_20_21
    assert r.to_dict() == snapshot


def test_grade_9_12_20_21_end_date(ic, snapshot):
    """Rule "Grade 9-12 20-21 No Requirement": "... 09, 10, 11, 12 ..." Active End Date: 06/30/2021.

    Case: grade 9, born 2007-01-01, no dose, evaluated 2021-06-30 (version "2020-21"): not_required
    by "Grade 9-12 20-21".
    """
    r = _hepa(ic, student(COHORT_2007, "9"), date(2021, 6, 30), "2020-21")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_9_12_20_21
    assert r.to_dict() == snapshot


def test_grade_9_12_20_21_day_after_end_grade_9(ic, snapshot):
    """Rule "Grade 9-12 20-21": Active End Date: 06/30/2021; "Grade 10-12 21-22": "10, 11, 12".

    Case: grade 9, born 2008-01-01 (the next cohort), no dose, evaluated 2021-07-01 (version
    "2021-22"): no dated rule covers grade 9 any more; non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(COHORT_2008, "9"), date(2021, 7, 1), "2021-22")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "Grade 10-12 21-22" ------------------------------------------------------------------------


def test_grade_10_12_21_22_day_before_start(ic, snapshot):
    """Rule "Grade 10-12 21-22 No Requirement Active Start Date: 07/01/2021"; the day before, "Grade 9-12
    20-21" (which also names grade 10) is still active.

    Case: grade 10, born 2007-01-01, no dose, evaluated 2021-06-30 (version "2020-21"):
    not_required by "Grade 9-12 20-21".
    """
    r = _hepa(ic, student(COHORT_2007, "10"), date(2021, 6, 30), "2020-21")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_9_12_20_21
    assert r.to_dict() == snapshot


def test_grade_10_12_21_22_start_date(ic, snapshot):
    """Rule "Grade 10-12 21-22 No Requirement": "Students in state grade(s): 10, 11, 12 are not required
    to receive any doses of the Hepatitis A vaccine." Active Start Date: 07/01/2021.

    Case: grade 10, born 2007-01-01, no dose, evaluated 2021-07-01 (version "2021-22"):
    not_required by "Grade 10-12 21-22".
    """
    r = _hepa(ic, student(COHORT_2007, "10"), date(2021, 7, 1), "2021-22")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_10_12_21_22
    assert r.to_dict() == snapshot


def test_grade_10_12_21_22_end_date(ic, snapshot):
    """Rule "Grade 10-12 21-22 No Requirement": "10, 11, 12" Active End Date: 06/30/2022.

    Case: grade 10, born 2007-01-01, no dose, evaluated 2022-06-30 (version "2021-22"):
    not_required by "Grade 10-12 21-22".
    """
    r = _hepa(ic, student(COHORT_2007, "10"), date(2022, 6, 30), "2021-22")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_10_12_21_22
    assert r.to_dict() == snapshot


def test_grade_10_12_21_22_day_after_end_grade_10(ic, snapshot):
    """Rule "Grade 10-12 21-22": Active End Date: 06/30/2022; "Grade 11-12 22-23": "11, 12".

    Case: grade 10, born 2008-01-01, no dose, evaluated 2022-07-01 (version "2022-23"):
    non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(COHORT_2008, "10"), date(2022, 7, 1), "2022-23")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "Grade 11-12 22-23" ------------------------------------------------------------------------


def test_grade_11_12_22_23_day_before_start(ic, snapshot):
    """Rule "Grade 11-12 22-23 No Requirement Active Start Date: 07/01/2022"; the day before, "Grade 10-12
    21-22" is still active.

    Case: grade 11, born 2007-01-01, no dose, evaluated 2022-06-30 (version "2021-22"):
    not_required by "Grade 10-12 21-22".
    """
    r = _hepa(ic, student(COHORT_2007, "11"), date(2022, 6, 30), "2021-22")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_10_12_21_22
    assert r.to_dict() == snapshot


def test_grade_11_12_22_23_start_date(ic, snapshot):
    """Rule "Grade 11-12 22-23 No Requirement": "Students in state grade(s):11, 12 are not required to
    receive any doses of the Hepatitis A vaccine." Active Start Date: 07/01/2022.

    Case: grade 11, born 2007-01-01, no dose, evaluated 2022-07-01 (version "2022-23"):
    not_required by "Grade 11-12 22-23".
    """
    r = _hepa(ic, student(COHORT_2007, "11"), date(2022, 7, 1), "2022-23")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_11_12_22_23
    assert r.to_dict() == snapshot


def test_grade_11_12_22_23_end_date(ic, snapshot):
    """Rule "Grade 11-12 22-23 No Requirement": "11, 12" Active End Date: 06/30/2023.

    Case: grade 11, born 2007-01-01, no dose, evaluated 2023-06-30 (version "2022-23"):
    not_required by "Grade 11-12 22-23".
    """
    r = _hepa(ic, student(COHORT_2007, "11"), date(2023, 6, 30), "2022-23")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_11_12_22_23
    assert r.to_dict() == snapshot


def test_grade_11_12_22_23_day_after_end_grade_11(ic, snapshot):
    """Rule "Grade 11-12 22-23": Active End Date: 06/30/2023; "Grade 12 23-24": "12".

    Case: grade 11, born 2008-01-01, no dose, evaluated 2023-07-01 (version "2023-24"):
    non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(COHORT_2008, "11"), date(2023, 7, 1), "2023-24")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "Grade 12 23-24" ---------------------------------------------------------------------------


def test_grade_12_23_24_day_before_start(ic, snapshot):
    """Rule "Grade 12 23-24 No Requirement Active Start Date: 07/01/2023"; the day before, "Grade 11-12
    22-23" is still active.

    Case: grade 12, born 2007-01-01, no dose, evaluated 2023-06-30 (version "2022-23"):
    not_required by "Grade 11-12 22-23".
    """
    r = _hepa(ic, student(COHORT_2007, "12"), date(2023, 6, 30), "2022-23")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_11_12_22_23
    assert r.to_dict() == snapshot


def test_grade_12_23_24_start_date(ic, snapshot):
    """Rule "Grade 12 23-24 No Requirement": "Students in state grade(s): 12 are not required to receive
    any doses of the Hepatitis A vaccine." Active Start Date: 07/01/2023.

    Case: grade 12, born 2007-01-01, no dose, evaluated 2023-07-01 (version "2023-24"):
    not_required by "Grade 12 23-24".
    """
    r = _hepa(ic, student(COHORT_2007, "12"), date(2023, 7, 1), "2023-24")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_12_23_24
    assert r.to_dict() == snapshot


def test_grade_12_23_24_end_date(ic, snapshot):
    """Rule "Grade 12 23-24 No Requirement": "12" Active End Date: 06/30/2024.

    Case: grade 12, born 2007-01-01, no dose, evaluated 2024-06-30 (version "2023-24"):
    not_required by "Grade 12 23-24".
    """
    r = _hepa(ic, student(COHORT_2007, "12"), date(2024, 6, 30), "2023-24")
    assert r.status.value == "not_required"
    assert r.clause == GRADE_12_23_24
    assert r.to_dict() == snapshot


def test_grade_12_23_24_day_after_end_grade_12(ic, snapshot):
    """Rule "Grade 12 23-24": Active End Date: 06/30/2024, the last dated rule (version "2024-25": "No
    dated hepatitis A rule is active").

    Case: grade 12, born 2008-01-01, no dose, evaluated 2024-07-01 (version "2024-25"):
    non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(COHORT_2008, "12"), date(2024, 7, 1), "2024-25")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_grade_12_23_24_grade_11_on_default_date(ic, snapshot):
    """Rule "Grade 12 23-24": "Students in state grade(s): 12 ..." (the first grade outside it is 11).

    Case: grade 11, born 2008-01-01, no dose, on AS_OF: non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(COHORT_2008, "11"))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "2 year and older, born before 01/01/2007" -------------------------------------------------


def test_born_before_2007_last_birth_date(ic, snapshot):
    """Rule "2 year and older, born before 01/01/2007 No Requirement Birth End Date: 12/31/2006":
    "Students born before 01/01/2007 and at least 24 months old are not required to receive any
    doses of the Hepatitis A vaccine."

    Case: grade 11 born 2006-12-31, no dose, on AS_OF: not_required by "2 year and older, born before
    01/01/2007".
    """
    r = _hepa(ic, student(date(2006, 12, 31), "11"))
    assert r.status.value == "not_required"
    assert r.clause == BORN_BEFORE_2007
    assert r.to_dict() == snapshot


def test_born_before_2007_first_birth_date_outside(ic, snapshot):
    """Rule "2 year and older, born before 01/01/2007": "Students born before 01/01/2007 ...".

    Case: grade 11 born 2007-01-01, no dose, on AS_OF: non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(COHORT_2007, "11"))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "0-11 months" ------------------------------------------------------------------------------


def test_0_11_months_last_day(ic, snapshot):
    """Rule "0-11 months No Requirements": "Students age 0-11 months old are not required to receive any
    doses of the Hepatitis A vaccine."

    Case: P3 born 2022-09-02 (12 months on the day after AS_OF), no dose: not_required by "0-11
    months".
    """
    r = _hepa(ic, student(add_months(AS_OF, -12) + ONE_DAY, "P3"))
    assert r.status.value == "not_required"
    assert r.clause == AGES_0_11_MONTHS
    assert r.to_dict() == snapshot


def test_0_11_months_ends_at_12_months(ic, snapshot):
    """Rule "0-11 months": "Students age 0-11 months old ...".

    Case: P3 born 2022-09-01, exactly 12 months old, no dose: non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(add_months(AS_OF, -12), "P3"))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "2 doses" ----------------------------------------------------------------------------------


def test_2_doses_meets_at_tolerance(ic, snapshot):
    """Rule "2 doses Compliant": "the student receives two doses of Hepatitis A vaccine, the difference
    between the last dose and the previous is greater than 6 months with a 4 day tolerance, and the
    difference between the first dose and the student's birthdate is greater than 12 months."
    (NOTE D17, D19: the 4-day tolerance is not in the regulation.)

    Case: K, HepA the day after the 1st birthday (2019-05-11) and 6 months less 3 days later
    (2019-11-08): compliant by "2 doses".
    """
    doses = [("HepA", DAY_AFTER_1ST), ("HepA", add_months(DAY_AFTER_1ST, 6) - 3 * ONE_DAY)]
    r = _hepa(ic, student(K_BIRTH, "K", doses))
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_second_dose_4_days_short_of_6_months(ic, snapshot):
    """Rule "2 doses": "... greater than 6 months with a 4 day tolerance".

    Case: K, HepA on 2019-05-11 and 2019-11-07 (6 months less 4 days): the second does not count,
    and the latest dose is years old, so "1 dose" does not hold: non_compliant, "2 doses" closest.
    """
    doses = [("HepA", DAY_AFTER_1ST), ("HepA", add_months(DAY_AFTER_1ST, 6) - 4 * ONE_DAY)]
    r = _hepa(ic, student(K_BIRTH, "K", doses))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_first_dose_on_1st_birthday(ic, snapshot):
    """Rule "2 doses": "the difference between the first dose and the student's birthdate is greater than
    12 months" (no tolerance stated, none applied: NOTE D19).

    Case: K, HepA on the 1st birthday and on 2019-11-08: the first does not count, the second counts
    as dose 1; non_compliant, "2 doses" closest.
    """
    doses = [("HepA", birthday(K_BIRTH, 1)), ("HepA", add_months(DAY_AFTER_1ST, 6) - 3 * ONE_DAY)]
    r = _hepa(ic, student(K_BIRTH, "K", doses))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_one_dose_only(ic, snapshot):
    """Rule "2 doses": "the student receives two doses of Hepatitis A vaccine".

    Case: K with one HepA the day after the 1st birthday: non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(K_BIRTH, "K", [("HepA", DAY_AFTER_1ST)]))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "1 dose" -----------------------------------------------------------------------------------

ONE_DOSE_ON = date(2023, 2, 28)  # 6 months later is 2023-08-28; with the 4-day tolerance, 2023-09-01


def test_1_dose_in_progress_last_day(ic, snapshot):
    """Rule "1 dose In Progress": "the student receives one dose of the Hepatitis A vaccine, and the
    difference between the last dose and the effective date is less than 6 months with a 4 day
    tolerance." (NOTE D17: "in progress" has no basis in the regulation.)

    Case: K with one HepA on 2023-02-28, evaluated 2023-08-31 (6 months and 3 days later):
    in_progress by "1 dose".
    """
    assert add_months(ONE_DOSE_ON, 6) == date(2023, 8, 28)
    r = _hepa(ic, student(K_BIRTH, "K", [("HepA", ONE_DOSE_ON)]), date(2023, 8, 31))
    assert r.status.value == "in_progress"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


def test_1_dose_in_progress_ends(ic, snapshot):
    """Rule "1 dose In Progress": "... less than 6 months with a 4 day tolerance."

    Case: the same student on AS_OF, 2023-09-01 (6 months and 4 days after the dose): non_compliant,
    "2 doses" closest.
    """
    r = _hepa(ic, student(K_BIRTH, "K", [("HepA", ONE_DOSE_ON)]))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_1_dose_measured_from_latest_dose(ic, snapshot):
    """Rule "1 dose In Progress": "the student receives one dose ..., and the difference between the last
    dose and the effective date is less than 6 months with a 4 day tolerance" (V-03: the student's
    most recent dose).

    Case: K with HepA on 2023-03-01 and 2023-08-25 (too soon for "2 doses"): the last dose is 7 days
    old: in_progress by "1 dose".
    """
    doses = [("HepA", date(2023, 3, 1)), ("HepA", date(2023, 8, 25))]
    r = _hepa(ic, student(K_BIRTH, "K", doses))
    assert r.status.value == "in_progress"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


def test_1_dose_no_dose(ic, snapshot):
    """Rule "1 dose In Progress": "the student receives one dose of the Hepatitis A vaccine".

    Case: K with no hepatitis A dose: non_compliant, "2 doses" closest.
    """
    r = _hepa(ic, student(K_BIRTH, "K"))
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot
