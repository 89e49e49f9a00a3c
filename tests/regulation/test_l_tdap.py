"""Grade 7 Tdap (cited provisionally as § 10-204a-2a(l)).

The seed stops at (k). The grade 7 Tdap requirement from 2011-08-01 is corroborated but its
wording and letter are not verified (connecticut.md § 2.2, readings A-18 and A-21). The text
quoted below is the working reconstruction the ruleset carries, marked provisional:

    "On or after August 1, 2011, an individual enrolled in seventh grade shall be considered
    adequately protected against tetanus, diphtheria and pertussis if that individual was
    immunized with one (1) dose of tetanus, diphtheria and acellular pertussis (Tdap) vaccine.
    [wording reconstructed; provisional]"

Reading A-18: one Tdap dose, given at 7 years or older, counts; Td alone does not. Reading A-13:
the grade 7 cohorts of 2011-12 onward carry the requirement into later grades.
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import birthday

from .conftest import ONE_DAY, evaluate, student

L = "10-204a-2a(l)"

G7_BIRTH = date(2011, 6, 15)  # grade 7 in 2024-25
LEAP_BIRTH = date(2012, 2, 29)  # grade 7 in 2024-25; 7th birthday 2019-03-01


def test_l_meets_tdap_on_seventh_birthday(ct, snapshot):
    """Grade 7 Tdap (provisional): "... an individual enrolled in seventh grade shall be considered
    adequately protected against tetanus, diphtheria and pertussis if that individual was
    immunized with one (1) dose of tetanus, diphtheria and acellular pertussis (Tdap) vaccine."

    Case: grade 7, one Tdap exactly on the 7th birthday (A-18: Tdap at 7 or older counts):
    compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("Tdap", birthday(G7_BIRTH, 7))]), "tdap")
    assert r.status.value == "compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_tdap_one_day_before_seventh_birthday(ct, snapshot):
    """Grade 7 Tdap (provisional): "... immunized with one (1) dose of tetanus, diphtheria and
    acellular pertussis (Tdap) vaccine."

    Case: grade 7, the only Tdap one day before the 7th birthday: it does not count (A-18);
    non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("Tdap", birthday(G7_BIRTH, 7) - ONE_DAY)]), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_td_is_not_tdap(ct, snapshot):
    """Grade 7 Tdap (provisional): "... immunized with one (1) dose of tetanus, diphtheria and
    acellular pertussis (Tdap) vaccine."

    Case: grade 7 with a Td (no pertussis) at 11 and no Tdap: one Tdap dose short (A-18: Td alone
    does not count); non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("Td", birthday(G7_BIRTH, 11))]), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_no_dose(ct, snapshot):
    """Grade 7 Tdap (provisional): "... immunized with one (1) dose of tetanus, diphtheria and
    acellular pertussis (Tdap) vaccine."

    Case: grade 7 with no tetanus-containing dose after infancy: non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7"), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_dtap_at_eight_is_not_tdap(ct, snapshot):
    """Grade 7 Tdap (provisional): "... one (1) dose of tetanus, diphtheria and acellular pertussis
    (Tdap) vaccine."

    Case: grade 7 whose adolescent-age dose was DTaP (pediatric formulation) at 8: not Tdap
    (A-18 names Tdap; the vendor's acceptance of DTaP, discrepancy D5, is not followed):
    non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("DTaP", birthday(G7_BIRTH, 8))]), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_leap_day_birth_tdap_on_march_1(ct, snapshot):
    """Grade 7 Tdap (provisional), A-18: Tdap given at 7 years or older counts.

    Case: grade 7 born 2012-02-29; the 7th birthday in 2019 is 2019-03-01 (reading A-03). Tdap
    on 2019-03-01: compliant.
    """
    assert birthday(LEAP_BIRTH, 7) == date(2019, 3, 1)
    r = evaluate(ct, student(LEAP_BIRTH, "7", [("Tdap", date(2019, 3, 1))]), "tdap")
    assert r.status.value == "compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_leap_day_birth_tdap_on_february_28(ct, snapshot):
    """Grade 7 Tdap (provisional), A-18: Tdap given at 7 years or older counts.

    Case: grade 7 born 2012-02-29, Tdap on 2019-02-28, one day before the 7th birthday
    (2019-03-01): non_compliant.
    """
    r = evaluate(ct, student(LEAP_BIRTH, "7", [("Tdap", date(2019, 2, 28))]), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_grade_6_not_required(ct, snapshot):
    """Grade 7 Tdap (provisional): "... an individual enrolled in seventh grade ..."

    Case: grade 6 with no Tdap: not_required.
    """
    r = evaluate(ct, student(date(2012, 9, 1), "6"), "tdap")
    assert r.status.value == "not_required"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_grade_10_follows_grade_7_cohort(ct, snapshot):
    """Grade 7 Tdap (provisional): "On or after August 1, 2011, an individual enrolled in seventh
    grade ..."

    Case: grade 10 in 2024-25 (grade 7 in 2021-22) with no Tdap: by the cohort roll-up (A-13) the
    requirement applies; non_compliant.
    """
    r = evaluate(ct, student(date(2008, 11, 1), "10"), "tdap")
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_not_in_force_on_july_31_2011(ct, snapshot):
    """Grade 7 Tdap (provisional): "On or after August 1, 2011, an individual enrolled in seventh
    grade ..."

    Case: grade 7 with no Tdap evaluated 2011-07-31, one day before the requirement: not_required.
    """
    r = evaluate(ct, student(date(1999, 3, 1), "7"), "tdap", as_of=date(2011, 7, 31))
    assert r.status.value == "not_required"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_in_force_on_august_1_2011(ct, snapshot):
    """Grade 7 Tdap (provisional): "On or after August 1, 2011, an individual enrolled in seventh
    grade shall be considered adequately protected ... if that individual was immunized with one
    (1) dose of ... (Tdap) vaccine."

    Case: the same student on 2011-08-01 with no Tdap: non_compliant.
    """
    r = evaluate(ct, student(date(1999, 3, 1), "7"), "tdap", as_of=date(2011, 8, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == L
    assert r.to_dict() == snapshot


def test_l_grade_8_in_2011_was_grade_7_before_august_2011(ct, snapshot):
    """Grade 7 Tdap (provisional): "On or after August 1, 2011, an individual enrolled in seventh
    grade ..."

    Case: grade 8 on 2011-09-01 (grade 7 in 2010-11, before the requirement): outside the
    cohorts (A-13); not_required.
    """
    r = evaluate(ct, student(date(1998, 3, 1), "8"), "tdap", as_of=date(2011, 9, 1))
    assert r.status.value == "not_required"
    assert r.clause == L
    assert r.to_dict() == snapshot
