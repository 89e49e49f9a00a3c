"""Infinite Campus, "Tdap": two rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "Tdap or DTaP-DTP vaccine" (any vaccine containing tetanus, diphtheria and
pertussis; Td and DT do not count). "Greater than 84 months with a 4 day tolerance" accepts a dose
given after the date 4 days before the 7th birthday, i.e. from 3 days before it.

Seed text (002_6dfd16146714b4ef.txt), section "Tdap".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import evaluate, student

REQUIREMENTS = ("tdap",)

ONE_DOSE_TDAP = "1 dose Tdap"
PRESCHOOL_GRADE_6 = "Preschool - Grade 6"

RULES = (ONE_DOSE_TDAP, PRESCHOOL_GRADE_6)

G7_BIRTH = date(2011, 4, 20)  # grade 7, aged 12 on AS_OF

INFANT_DTAP = [("DTaP", add_months(G7_BIRTH, m)) for m in (2, 4, 6, 18)]


def test_1_dose_tdap_meets(ic, snapshot):
    """Rule "1 dose Tdap Compliant": "the student is in state grade: 07, 08, 09, 10, 11, 12, the student
    receives one dose of the Tdap or DTaP-DTP vaccine, and the difference between the dose and the
    student's birthdate is greater than 84 months with a 4 day tolerance."

    Case: grade 7 with infant DTaP and a Tdap at 11: compliant by "1 dose Tdap".
    """
    doses = [*INFANT_DTAP, ("Tdap", birthday(G7_BIRTH, 11))]
    r = evaluate(ic, student(G7_BIRTH, "7", doses), "tdap")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_1_dose_tdap_three_days_before_7th_birthday_counts(ic, snapshot):
    """Rule "1 dose Tdap": "... greater than 84 months with a 4 day tolerance." (NOTE D5, D22: DTaP counts,
    and the tolerance reaches before the 7th birthday, although the article's general note says
    "DTaP vaccine is not given on or after the 7th birthday".)

    Case: grade 7 whose only dose after infancy is a DTaP 3 days before the 7th birthday (84 months
    less 3 days: more than 84 months less 4 days): compliant by "1 dose Tdap".
    """
    doses = [*INFANT_DTAP, ("DTaP", add(birthday(G7_BIRTH, 7), days=-3))]
    r = evaluate(ic, student(G7_BIRTH, "7", doses), "tdap")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_1_dose_tdap_four_days_before_7th_birthday_does_not_count(ic, snapshot):
    """Rule "1 dose Tdap": "... greater than 84 months with a 4 day tolerance."

    Case: as above with the DTaP 4 days before the 7th birthday (exactly 84 months less the 4-day
    tolerance, not greater): no dose counts; grade 7 is not in "Preschool - Grade 6": non_compliant,
    "1 dose Tdap" closest.
    """
    doses = [*INFANT_DTAP, ("DTaP", add(birthday(G7_BIRTH, 7), days=-4))]
    r = evaluate(ic, student(G7_BIRTH, "7", doses), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_1_dose_tdap_no_dose_after_infancy(ic, snapshot):
    """Rule "1 dose Tdap": "the student receives one dose of the Tdap or DTaP-DTP vaccine ...".

    Case: grade 7 with the four infant DTaP only: no dose counts; non_compliant, "1 dose Tdap"
    closest.
    """
    r = evaluate(ic, student(G7_BIRTH, "7", INFANT_DTAP), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_1_dose_tdap_td_does_not_count(ic, snapshot):
    """Rule "1 dose Tdap": "the student receives one dose of the Tdap or DTaP-DTP vaccine".

    Case: grade 7 with infant DTaP and a Td (no pertussis) at 11: Td is not "Tdap or DTaP-DTP";
    non_compliant, "1 dose Tdap" closest.
    """
    doses = [*INFANT_DTAP, ("Td", birthday(G7_BIRTH, 11))]
    r = evaluate(ic, student(G7_BIRTH, "7", doses), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_d22_dtap_after_7th_birthday_counts(ic, snapshot):
    """NOTE (D22): the Tdap rule counts DTaP given after the 7th birthday, though the article's note
    says "DTaP vaccine is not given on or after the 7th birthday".

    Case: grade 7 with a DTaP at 8: compliant by "1 dose Tdap".
    """
    doses = [*INFANT_DTAP, ("DTaP", birthday(G7_BIRTH, 8))]
    r = evaluate(ic, student(G7_BIRTH, "7", doses), "tdap")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_d5_grade_12_without_tdap_is_non_compliant(ic, snapshot):
    """NOTE (D5): "Grades 7-12, not grade 7 alone." "1 dose Tdap": "the student is in state grade:
    07, 08, 09, 10, 11, 12".

    Case: grade 12 (born 2005-10-02) with infant DTaP only: non_compliant, "1 dose Tdap" closest.
    """
    birth = date(2005, 10, 2)
    doses = [("DTaP", add_months(birth, m)) for m in (2, 4, 6, 18)]
    r = evaluate(ic, student(birth, "12", doses), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


# --- "Preschool - Grade 6" ----------------------------------------------------------------------


def test_preschool_grade_6_last_grade_inside_grade_6(ic, snapshot):
    """Rule "Preschool - Grade 6 No Requirement": "Students in state grades: P3: 3 year old Pre-K, KH:
    Kindergarten, Half Day, KE: Kindergarten, Extended Day, Full Day, 01, 02, 03, 04, 05, 06, are
    not required to receive any doses of the Tdap or DTaP-DTP vaccine."

    Case: grade 6 (born 2012-04-20) with infant DTaP only: not_required by "Preschool - Grade 6".
    """
    birth = date(2012, 4, 20)
    r = evaluate(ic, student(birth, "6", [("DTaP", add_months(birth, 2))]), "tdap")
    assert r.status.value == "not_required"
    assert r.clause == PRESCHOOL_GRADE_6
    assert r.to_dict() == snapshot


def test_preschool_grade_6_first_grade_outside_grade_7(ic, snapshot):
    """Rule "Preschool - Grade 6": "... 04, 05, 06, are not required ..."; "1 dose Tdap": "07, 08, ...".

    Case: grade 7 with no dose at all: "1 dose Tdap" applies and is not met; non_compliant, "1
    dose Tdap" closest.
    """
    r = evaluate(ic, student(G7_BIRTH, "7"), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_TDAP
    assert r.to_dict() == snapshot


def test_preschool_grade_6_p3(ic, snapshot):
    """Rule "Preschool - Grade 6": "Students in state grades: P3: 3 year old Pre-K, ...".

    Case: P3 aged 3 with no dose: not_required by "Preschool - Grade 6".
    """
    r = evaluate(ic, student(date(2020, 5, 1), "P3"), "tdap")
    assert r.status.value == "not_required"
    assert r.clause == PRESCHOOL_GRADE_6
    assert r.to_dict() == snapshot


def test_preschool_grade_6_kindergarten_half_day(ic, snapshot):
    """Rule "Preschool - Grade 6": "... KH: Kindergarten, Half Day, KE: Kindergarten, Extended Day, Full
    Day, ..." (NOTE D5: "Full Day" is named without its code; the ruleset reads all of K).

    Case: grade written "KH", no dose: not_required by "Preschool - Grade 6".
    """
    r = evaluate(ic, student(date(2018, 5, 10), "KH"), "tdap")
    assert r.status.value == "not_required"
    assert r.clause == PRESCHOOL_GRADE_6
    assert r.to_dict() == snapshot


def test_d5_prekindergarten_matches_no_rule(ic, snapshot):
    """NOTE (D5): "the grade list omits PK (and names "Full Day" without its code), so a PK student
    matches no rule and is non-compliant."

    Case: PK aged 4 with four DTaP: neither rule applies (no compliant rule was tried, so no
    clause); non_compliant.
    """
    birth = date(2019, 6, 20)
    doses = [("DTaP", add_months(birth, m)) for m in (2, 4, 6, 18)]
    r = evaluate(ic, student(birth, "PK", doses), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause is None
    assert r.to_dict() == snapshot
