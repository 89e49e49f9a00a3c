"""Infinite Campus, "Pneumococcal": six rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "Pneumococcal PPV or PCV vaccine" (any vaccine containing pneumococcal antigen,
PPSV23 included: NOTE D15). "Greater than 12 months with a 4 day tolerance" accepts a dose from 3
days before the 1st birthday.

Seed text (002_6dfd16146714b4ef.txt), section "Pneumococcal".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

REQUIREMENTS = ("pneumococcal",)

AGES_0_2_MONTHS = "Ages 0-2 months"
NO_REQUIREMENT = "No Requirement"
ONE_3_4_MONTHS = "1 dose Ages 3-4 months"
TWO_5_6_MONTHS = "2 doses Ages 5 months - 6 months"
TWO_7_15_MONTHS = "2 doses Ages 7 months - 15 months"
ONE_AFTER_1ST = "1 dose after 1st birthday for children less than 5"

RULES = (AGES_0_2_MONTHS, NO_REQUIREMENT, ONE_3_4_MONTHS, TWO_5_6_MONTHS, TWO_7_15_MONTHS, ONE_AFTER_1ST)

PK_BIRTH = date(2019, 6, 20)  # PK, aged 50 months on AS_OF
G7_BIRTH = date(2011, 4, 20)  # grade 7 on AS_OF


def _born_months_before(months: int) -> date:
    """The birth date at which a child is exactly `months` old on AS_OF (AS_OF is a 1st)."""
    return add_months(AS_OF, -months)


def _pcv(birth: date, *months: int) -> list[tuple[str, date]]:
    return [("PCV13", add_months(birth, m)) for m in months]


# --- "Ages 0-2 months" --------------------------------------------------------------------------


def test_ages_0_2_months_last_day(ic, snapshot):
    """Rule "Ages 0-2 months No Requirement": "Students age 0-2 months old are not required to receive any
    doses of the Pneumococcal PPV or PCV vaccine."

    Case: born 2023-06-02 (3 months on the day after AS_OF), no dose: not_required by "Ages 0-2
    months".
    """
    r = evaluate(ic, student(_born_months_before(3) + ONE_DAY, "P3"), "pneumococcal")
    assert r.status.value == "not_required"
    assert r.clause == AGES_0_2_MONTHS
    assert r.to_dict() == snapshot


def test_ages_0_2_months_ends_at_3_months(ic, snapshot):
    """Rule "Ages 0-2 months": "Students age 0-2 months old ..."; "1 dose Ages 3-4 months".

    Case: born 2023-06-01, exactly 3 months old, no dose: non_compliant, "1 dose Ages 3-4 months"
    closest.
    """
    r = evaluate(ic, student(_born_months_before(3), "P3"), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


# --- "No Requirement" ---------------------------------------------------------------------------


def test_no_requirement_kindergarten_at_exactly_60_months(ic, snapshot):
    """Rule "No Requirement": "Students age 60 months (5 years) old or older in state grade: KH:
    Kindergarten, Half Day, KE: Kindergarten, Extended Day, KF: Kindergarten, Full Day, 01, 02, 03,
    04, 05, 06, 08, 09, 10, 11, 12, are not required to receive any doses of the Pneumococcal PPV or
    PCV vaccine."

    Case: K born 2018-09-01, exactly 60 months old, no dose: not_required by "No Requirement".
    """
    r = evaluate(ic, student(_born_months_before(60), "K"), "pneumococcal")
    assert r.status.value == "not_required"
    assert r.clause == NO_REQUIREMENT
    assert r.to_dict() == snapshot


def test_no_requirement_kindergarten_one_day_before_60_months(ic, snapshot):
    """Rule "No Requirement": "Students age 60 months (5 years) old or older ...".

    Case: K born 2018-09-02 (60 months on the day after AS_OF), no dose: only "1 dose after 1st
    birthday for children less than 5" applies; non_compliant, citing it.
    """
    r = evaluate(ic, student(_born_months_before(60) + ONE_DAY, "K"), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_no_requirement_grade_6(ic, snapshot):
    """Rule "No Requirement": "... 04, 05, 06, 08, ...".

    Case: grade 6 (born 2012-04-20), no dose: not_required by "No Requirement".
    """
    r = evaluate(ic, student(date(2012, 4, 20), "6"), "pneumococcal")
    assert r.status.value == "not_required"
    assert r.clause == NO_REQUIREMENT
    assert r.to_dict() == snapshot


def test_d15_grade_7_is_omitted(ic, snapshot):
    """NOTE (D15): "the grade list omits 07, so a grade 7 student without a dose after the 1st
    birthday is non-compliant". "No Requirement": "... 05, 06, 08, 09, ...".

    Case: grade 7, aged 12, with PCV13 at 2, 4 and 6 months only: non_compliant, "1 dose after 1st
    birthday for children less than 5" closest.
    """
    r = evaluate(ic, student(G7_BIRTH, "7", _pcv(G7_BIRTH, 2, 4, 6)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_no_requirement_grade_8(ic, snapshot):
    """Rule "No Requirement": "... 06, 08, 09, 10, 11, 12".

    Case: grade 8 (born 2010-03-15), no dose: not_required by "No Requirement".
    """
    r = evaluate(ic, student(date(2010, 3, 15), "8"), "pneumococcal")
    assert r.status.value == "not_required"
    assert r.clause == NO_REQUIREMENT
    assert r.to_dict() == snapshot


def test_d15_prekindergarten_aged_5_is_not_covered(ic, snapshot):
    """NOTE (D15): "P3/PK students of 5 or older are not covered either." "No Requirement" names
    grades KH-12 only.

    Case: PK born 2018-08-01 (aged 61 months), no dose: non_compliant, "1 dose after 1st birthday
    for children less than 5" closest.
    """
    r = evaluate(ic, student(date(2018, 8, 1), "PK"), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


# --- "1 dose Ages 3-4 months" -------------------------------------------------------------------


def test_1_dose_3_4_months_meets(ic, snapshot):
    """Rule "1 dose Ages 3-4 months Compliant": "the student is at least 3 months, but no older than 4
    months old, and the student receives one dose of the Pneumococcal PPV or PCVvaccine."

    Case: exactly 4 months old with PCV13 at 2 months: compliant by "1 dose Ages 3-4 months".
    """
    birth = _born_months_before(4)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_3_4_months_at_exactly_3_months(ic, snapshot):
    """Rule "1 dose Ages 3-4 months": "the student is at least 3 months".

    Case: born 2023-06-01, exactly 3 months old, PCV13 at 2 months: compliant by "1 dose Ages 3-4
    months".
    """
    birth = _born_months_before(3)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_3_4_months_last_day_of_4_months(ic, snapshot):
    """Rule "1 dose Ages 3-4 months": "... no older than 4 months old".

    Case: born 2023-04-02 (5 months on the day after AS_OF), PCV13 at 2 months: compliant by "1 dose
    Ages 3-4 months".
    """
    birth = _born_months_before(5) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_3_4_months_no_dose(ic, snapshot):
    """Rule "1 dose Ages 3-4 months": "the student receives one dose".

    Case: exactly 4 months old with no dose: non_compliant, "1 dose Ages 3-4 months" closest.
    """
    r = evaluate(ic, student(_born_months_before(4), "P3"), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


# --- "2 doses Ages 5 months - 6 months" ---------------------------------------------------------


def test_2_doses_5_6_months_meets(ic, snapshot):
    """Rule "2 doses Ages 5 months - 6 months Compliant": "the student is at least 5 months, but no older
    than 6 months old, and the student receives two doses of the Pneumococcal PPV or PCV vaccine."

    Case: exactly 6 months old with PCV13 at 2 and 4 months: compliant by "2 doses Ages 5 months - 6
    months".
    """
    birth = _born_months_before(6)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2, 4)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == TWO_5_6_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_6_months_at_exactly_5_months_with_one_dose(ic, snapshot):
    """Rule "2 doses Ages 5 months - 6 months": "at least 5 months ... two doses"; "1 dose Ages 3-4
    months": "no older than 4 months old".

    Case: born 2023-04-01, exactly 5 months old, PCV13 at 2 months only: non_compliant, "2 doses
    Ages 5 months - 6 months" closest.
    """
    birth = _born_months_before(5)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_5_6_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_6_months_last_day_of_6_months(ic, snapshot):
    """Rule "2 doses Ages 5 months - 6 months": "... no older than 6 months old".

    Case: born 2023-02-02 (7 months on the day after AS_OF), PCV13 at 2 and 4 months: compliant by
    "2 doses Ages 5 months - 6 months".
    """
    birth = _born_months_before(7) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2, 4)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == TWO_5_6_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_6_months_one_dose_only(ic, snapshot):
    """Rule "2 doses Ages 5 months - 6 months": "the student receives two doses".

    Case: exactly 6 months old with PCV13 at 2 months only: non_compliant, "2 doses Ages 5 months - 6
    months" closest.
    """
    birth = _born_months_before(6)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_5_6_MONTHS
    assert r.to_dict() == snapshot


# --- "2 doses Ages 7 months - 15 months" --------------------------------------------------------


def test_2_doses_7_15_months_meets_with_three_doses(ic, snapshot):
    """Rule "2 doses Ages 7 months - 15 months Compliant": "the student is at least 7 months, but no older
    than 15 months old, and the student receives three doses of the Pneumococcal PPV or PCV
    vaccine."

    Case: exactly 12 months old with PCV13 at 2, 4 and 6 months: compliant by "2 doses Ages 7 months
    - 15 months".
    """
    birth = _born_months_before(12)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2, 4, 6)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == TWO_7_15_MONTHS
    assert r.to_dict() == snapshot


def test_d15_2_doses_7_15_months_needs_three(ic, snapshot):
    """NOTE (D15): "named "2 doses" but requires three."

    Case: exactly 7 months old (born 2023-02-01) with PCV13 at 2 and 4 months: the "2 doses" rule is
    not met with two doses; non_compliant, "2 doses Ages 7 months - 15 months" closest.
    """
    birth = _born_months_before(7)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2, 4)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_7_15_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_7_15_months_last_day_of_15_months(ic, snapshot):
    """Rule "2 doses Ages 7 months - 15 months": "... no older than 15 months old".

    Case: born 2022-05-02 (16 months on the day after AS_OF), PCV13 at 2, 4 and 6 months: compliant
    by "2 doses Ages 7 months - 15 months".
    """
    birth = _born_months_before(16) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2, 4, 6)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == TWO_7_15_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_7_15_months_at_exactly_16_months(ic, snapshot):
    """Rule "2 doses Ages 7 months - 15 months": "... no older than 15 months old"; "1 dose after 1st
    birthday for children less than 5".

    Case: born 2022-05-01, exactly 16 months old, PCV13 at 2, 4 and 6 months only: no dose after the
    1st birthday; non_compliant, "1 dose after 1st birthday for children less than 5" closest.
    """
    birth = _born_months_before(16)
    r = evaluate(ic, student(birth, "P3", _pcv(birth, 2, 4, 6)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


# --- "1 dose after 1st birthday for children less than 5" ---------------------------------------


def test_1_dose_after_1st_birthday_three_days_before_1st_birthday(ic, snapshot):
    """Rule "1 dose after 1st birthday for children less than 5 Compliant": "the student receives one dose
    of the Pneumococcal PPV or PCV vaccine, and the difference between the dose and the student's
    birthdate is greater than 12 months with a 4 day tolerance." (NOTE D15: the 4-day tolerance is
    not in the regulation.)

    Case: PK with PCV13 at 2, 4, 6 months and 3 days before the 1st birthday: compliant by "1 dose
    after 1st birthday for children less than 5".
    """
    doses = [*_pcv(PK_BIRTH, 2, 4, 6), ("PCV13", add(birthday(PK_BIRTH, 1), days=-3))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_1_dose_after_1st_birthday_four_days_before_1st_birthday(ic, snapshot):
    """Rule "1 dose after 1st birthday for children less than 5": "... greater than 12 months with a 4 day
    tolerance."

    Case: as above with the last PCV13 4 days before the 1st birthday: no dose counts;
    non_compliant, "1 dose after 1st birthday for children less than 5" closest.
    """
    doses = [*_pcv(PK_BIRTH, 2, 4, 6), ("PCV13", add(birthday(PK_BIRTH, 1), days=-4))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_1_dose_after_1st_birthday_no_dose(ic, snapshot):
    """Rule "1 dose after 1st birthday for children less than 5": "the student receives one dose".

    Case: PK with no pneumococcal dose: non_compliant, "1 dose after 1st birthday for children less
    than 5" closest.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK"), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_d15_ppsv23_counts(ic, snapshot):
    """NOTE (D15): "PPV (polysaccharide) counts with PCV; the regulation says conjugate vaccine."

    Case: PK whose only pneumococcal dose is PPSV23 at 2 years: compliant by "1 dose after 1st
    birthday for children less than 5".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("PPSV23", birthday(PK_BIRTH, 2))]), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot


def test_d15_less_than_5_is_not_a_condition(ic, snapshot):
    """NOTE (D15): "the name's "less than 5" is not a condition of the rule".

    Case: grade 7, aged 12, with PCV13 at 15 months: compliant by "1 dose after 1st birthday for
    children less than 5".
    """
    r = evaluate(ic, student(G7_BIRTH, "7", _pcv(G7_BIRTH, 15)), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_AFTER_1ST
    assert r.to_dict() == snapshot
