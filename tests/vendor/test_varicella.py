"""Infinite Campus, "Varicella": four rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "Varicella or Measles-Mumps-Rubella-Varicella (MMRV) vaccine" (VAR, MMRV). "At
least 19 months old" holds from the 19-month date; "age 0-18 months" up to the day before it.

Seed text (002_6dfd16146714b4ef.txt), section "Varicella".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

REQUIREMENTS = ("varicella",)

TWO_K12 = "2 doses K-12"
TWO = "2 doses"
AGES_0_18_MONTHS = "Ages 0-18 months"
ONE_19_MONTHS = "1 dose ages 19 months and older"

RULES = (TWO_K12, TWO, AGES_0_18_MONTHS, ONE_19_MONTHS)

G8_BIRTH = date(2010, 3, 15)  # grade 8, 13 on 2023-03-15
K_BIRTH = date(2018, 5, 10)  # K on AS_OF
PK_BIRTH = date(2019, 6, 20)  # PK on AS_OF
DAY_AFTER_13TH = birthday(G8_BIRTH, 13) + ONE_DAY  # 2023-03-16
DAY_AFTER_1ST = birthday(K_BIRTH, 1) + ONE_DAY  # 2019-05-11


def _born_months_before(months: int) -> date:
    """The birth date at which a child is exactly `months` old on AS_OF (AS_OF is a 1st)."""
    return add_months(AS_OF, -months)


# --- "2 doses K-12" -----------------------------------------------------------------------------


def test_2_doses_k12_meets_at_minimums(ic, snapshot):
    """Rule "2 doses K-12 Compliant": "the student is in state grade: 07, 08, 09, 10, 11, 12, the student
    receives two doses of the Varicella or Measles-Mumps-Rubella-Varicella (MMRV) vaccine, and the
    difference between the second dose and the previous is greater than 28 days with a 0 (zero) day
    tolerance the difference between the first dose and the student's birthdate is greater than 156
    months with a 0 (zero) day tolerance,"

    Case: grade 8, VAR the day after the 13th birthday and 29 days later: compliant by "2 doses
    K-12".
    """
    doses = [("VAR", DAY_AFTER_13TH), ("VAR", add(DAY_AFTER_13TH, days=29))]
    r = evaluate(ic, student(G8_BIRTH, "8", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == TWO_K12
    assert r.to_dict() == snapshot


def test_2_doses_k12_first_dose_on_13th_birthday(ic, snapshot):
    """Rule "2 doses K-12": "... greater than 156 months with a 0 (zero) day tolerance" (NOTE D13: a dose
    on the 13th birthday fails); "1 dose ages 19 months and older" has no grade (NOTE D13).

    Case: grade 8, VAR on the 13th birthday and 30 days later: only the second counts for "2 doses
    K-12", and "2 doses" wants 3 months between them; compliant by "1 dose ages 19 months and
    older".
    """
    doses = [("VAR", birthday(G8_BIRTH, 13)), ("VAR", add(DAY_AFTER_13TH, days=29))]
    r = evaluate(ic, student(G8_BIRTH, "8", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_k12_second_dose_28_days_after_first(ic, snapshot):
    """Rule "2 doses K-12": "the difference between the second dose and the previous is greater than 28
    days with a 0 (zero) day tolerance".

    Case: grade 8, VAR the day after the 13th birthday and exactly 28 days later: the second does
    not count; compliant by "1 dose ages 19 months and older" (NOTE D13).
    """
    doses = [("VAR", DAY_AFTER_13TH), ("VAR", add(DAY_AFTER_13TH, days=28))]
    r = evaluate(ic, student(G8_BIRTH, "8", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_d13_grade_7_one_dose_is_compliant(ic, snapshot):
    """NOTE (D13): "no grade condition, so one dose makes a kindergarten or grade 7 student
    compliant; the regulation's (h)(3) and (h)(4) require two." "2 doses K-12": "the student
    receives two doses".

    Case: grade 7 (born 2010-03-15) with one VAR the day after the 13th birthday: compliant by "1
    dose ages 19 months and older".
    """
    r = evaluate(ic, student(G8_BIRTH, "7", [("VAR", DAY_AFTER_13TH)]), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_d13_2_doses_k12_does_not_apply_in_grade_6(ic, snapshot):
    """NOTE (D13): "named K-12 but limited to grades 7-12". "2 doses K-12": "the student is in state
    grade: 07, 08, 09, 10, 11, 12".

    Case: grade 6 (held back, born 2010-03-15) with VAR the day after the 13th birthday and 29 days
    later: "2 doses K-12" does not apply and "2 doses" wants 3 months; compliant by "1 dose ages 19
    months and older".
    """
    doses = [("VAR", DAY_AFTER_13TH), ("VAR", add(DAY_AFTER_13TH, days=29))]
    r = evaluate(ic, student(G8_BIRTH, "6", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


# --- "2 doses" ----------------------------------------------------------------------------------


def test_2_doses_meets_at_minimums(ic, snapshot):
    """Rule "2 doses Compliant": "the student receives two doses of the Varicella or
    Measles-Mumps-Rubella-Varicella (MMRV) vaccine, and the difference between the second dose and
    the previous is greater than 3 months with a 0 (zero) day tolerance, and the difference between
    the first dose and the student's birthdate is greater than 12 months with a 0 (zero) day
    tolerance."

    Case: K, VAR the day after the 1st birthday, MMRV 3 months and 1 day later: compliant by "2
    doses".
    """
    doses = [("VAR", DAY_AFTER_1ST), ("MMRV", add_months(DAY_AFTER_1ST, 3) + ONE_DAY)]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_meets_in_grade_7_with_childhood_doses(ic, snapshot):
    """Rule "2 doses K-12" wants the first dose after 156 months; "2 doses" has no grade.

    Case: grade 7 (born 2011-04-20) with VAR at 13 months and at 4 years: "2 doses K-12" is not
    met; compliant by "2 doses".
    """
    birth = date(2011, 4, 20)
    doses = [("VAR", add_months(birth, 13)), ("VAR", birthday(birth, 4))]
    r = evaluate(ic, student(birth, "7", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_first_dose_on_1st_birthday(ic, snapshot):
    """Rule "2 doses": "the difference between the first dose and the student's birthdate is greater than
    12 months with a 0 (zero) day tolerance."

    Case: K, VAR on the 1st birthday and again on 2019-08-12: the first does not count, the second
    counts as dose 1; compliant by "1 dose ages 19 months and older" (NOTE D13).
    """
    doses = [("VAR", birthday(K_BIRTH, 1)), ("VAR", add_months(DAY_AFTER_1ST, 3) + ONE_DAY)]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_second_dose_exactly_3_months_after_first(ic, snapshot):
    """Rule "2 doses": "the difference between the second dose and the previous is greater than 3 months
    with a 0 (zero) day tolerance".

    Case: K, VAR the day after the 1st birthday and exactly 3 months later: the second does not
    count; compliant by "1 dose ages 19 months and older".
    """
    doses = [("VAR", DAY_AFTER_1ST), ("VAR", add_months(DAY_AFTER_1ST, 3))]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_d13_kindergarten_one_dose_is_compliant(ic, snapshot):
    """NOTE (D13): "one dose makes a kindergarten or grade 7 student compliant". "2 doses": "the
    student receives two doses".

    Case: K with one VAR the day after the 1st birthday: compliant by "1 dose ages 19 months and
    older".
    """
    r = evaluate(ic, student(K_BIRTH, "K", [("VAR", DAY_AFTER_1ST)]), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_tried_before_ages_0_18_months(ic, snapshot):
    """Rule "2 doses" (no age condition) is listed before "Ages 0-18 months No Requirement" (V-01).

    Case: P3 born 2022-02-02 (19 months on the day after AS_OF) with VAR the day after the 1st
    birthday and 3 months and 1 day later: compliant by "2 doses".
    """
    birth = _born_months_before(19) + ONE_DAY
    first = birthday(birth, 1) + ONE_DAY
    doses = [("VAR", first), ("VAR", add_months(first, 3) + ONE_DAY)]
    r = evaluate(ic, student(birth, "P3", doses), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "Ages 0-18 months" -------------------------------------------------------------------------


def test_ages_0_18_months_last_day(ic, snapshot):
    """Rule "Ages 0-18 months No Requirement": "Students age 0-18 months old are not required to receive
    any doses of the Varicella or Measles-Mumps-Rubella-Varicella (MMRV) vaccine." (NOTE D13.)

    Case: P3 born 2022-02-02 (19 months on the day after AS_OF), no dose: not_required by "Ages
    0-18 months".
    """
    r = evaluate(ic, student(_born_months_before(19) + ONE_DAY, "P3"), "varicella")
    assert r.status.value == "not_required"
    assert r.clause == AGES_0_18_MONTHS
    assert r.to_dict() == snapshot


def test_ages_0_18_months_ends_at_19_months(ic, snapshot):
    """Rule "Ages 0-18 months": "Students age 0-18 months old ..."; "1 dose ages 19 months and older":
    "at least 19 months old".

    Case: P3 born 2022-02-01, exactly 19 months old, no dose: non_compliant, "2 doses" closest
    (first of the equally close rules).
    """
    r = evaluate(ic, student(_born_months_before(19), "P3"), "varicella")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "1 dose ages 19 months and older" ----------------------------------------------------------


def test_1_dose_19_months_meets_preschool(ic, snapshot):
    """Rule "1 dose ages 19 months and older Compliant": "the student is at least 19 months old, the
    student receives one dose of the Varicella or Measles-Mumps-Rubella-Varicella (MMRV) vaccine,
    and the difference between the first dose and the student's birthdate is greater than 12 months
    with a 0 (zero) day tolerance."

    Case: PK with one VAR the day after the 1st birthday: compliant by "1 dose ages 19 months and
    older".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("VAR", birthday(PK_BIRTH, 1) + ONE_DAY)]), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_19_months_dose_on_1st_birthday(ic, snapshot):
    """Rule "1 dose ages 19 months and older": "... greater than 12 months with a 0 (zero) day tolerance."

    Case: PK with one VAR on the 1st birthday: not counted; non_compliant, "2 doses" closest (first
    of the equally close rules).
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("VAR", birthday(PK_BIRTH, 1))]), "varicella")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_1_dose_19_months_at_exactly_19_months(ic, snapshot):
    """Rule "1 dose ages 19 months and older": "the student is at least 19 months old".

    Case: P3 born 2022-02-01, exactly 19 months old, VAR the day after the 1st birthday: compliant
    by "1 dose ages 19 months and older".
    """
    birth = _born_months_before(19)
    r = evaluate(ic, student(birth, "P3", [("VAR", birthday(birth, 1) + ONE_DAY)]), "varicella")
    assert r.status.value == "compliant"
    assert r.clause == ONE_19_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_19_months_one_day_before_19_months(ic, snapshot):
    """Rule "1 dose ages 19 months and older": "at least 19 months old"; "Ages 0-18 months".

    Case: P3 born 2022-02-02, VAR the day after the 1st birthday: not_required by "Ages 0-18
    months".
    """
    birth = _born_months_before(19) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", [("VAR", birthday(birth, 1) + ONE_DAY)]), "varicella")
    assert r.status.value == "not_required"
    assert r.clause == AGES_0_18_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_19_months_no_dose(ic, snapshot):
    """Rule "1 dose ages 19 months and older": "the student receives one dose ...".

    Case: K with no varicella-containing dose: non_compliant, "2 doses" closest (first of the
    equally close rules).
    """
    r = evaluate(ic, student(K_BIRTH, "K"), "varicella")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot
