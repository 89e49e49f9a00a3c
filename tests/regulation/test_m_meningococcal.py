"""Grade 7 meningococcal (cited provisionally as § 10-204a-2a(m)).

The seed stops at (k). The grade 7 meningococcal requirement from 2011-08-01 is corroborated but
its wording and letter are not verified (connecticut.md § 2.2, readings A-17 and A-21). The text
quoted below is the working reconstruction the ruleset carries, marked provisional:

    "On or after August 1, 2011, an individual enrolled in seventh grade shall be considered
    adequately protected against meningococcal disease if that individual was immunized with one
    (1) dose of meningococcal conjugate vaccine. [wording reconstructed; provisional]"

Reading A-17: conjugate MenACWY only. Reading A-13: the grade 7 cohorts carry the requirement
into later grades.
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

M = "10-204a-2a(m)"

G7_BIRTH = date(2011, 6, 15)  # grade 7 in 2024-25


def test_m_meets_one_menacwy(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... an individual enrolled in seventh grade shall be
    considered adequately protected against meningococcal disease if that individual was
    immunized with one (1) dose of meningococcal conjugate vaccine."

    Case: grade 7 with one MenACWY at 11: compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("MenACWY", birthday(G7_BIRTH, 11))]), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_meets_dose_on_evaluation_date(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... was immunized with one (1) dose of meningococcal
    conjugate vaccine."

    Case: grade 7 with MenACWY given on AS_OF itself: the dose has been given on the evaluation
    date; compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("MenACWY", AS_OF)]), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_dose_one_day_after_evaluation_date(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... was immunized with one (1) dose of meningococcal
    conjugate vaccine."

    Case: grade 7 whose MenACWY is recorded for the day after AS_OF: on AS_OF it has not been
    given; non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("MenACWY", AS_OF + ONE_DAY)]), "meningococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_no_dose(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... was immunized with one (1) dose of meningococcal
    conjugate vaccine."

    Case: grade 7 with no meningococcal dose: one dose short; non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7"), "meningococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_menb_is_not_conjugate_acwy(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... one (1) dose of meningococcal conjugate vaccine."

    Case: grade 7 with one MenB (serogroup B, not the conjugate ACWY vaccine, reading A-17):
    non_compliant.
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("MenB", birthday(G7_BIRTH, 12))]), "meningococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_polysaccharide_is_not_conjugate(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... one (1) dose of meningococcal conjugate vaccine."

    Case: grade 7 with one MPSV4 (polysaccharide): non_compliant (reading A-17).
    """
    r = evaluate(ct, student(G7_BIRTH, "7", [("MPSV4", birthday(G7_BIRTH, 11))]), "meningococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_grade_6_not_required(ct, snapshot):
    """Grade 7 meningococcal (provisional): "... an individual enrolled in seventh grade ..."

    Case: grade 6 with no dose: not_required.
    """
    r = evaluate(ct, student(date(2012, 9, 1), "6"), "meningococcal")
    assert r.status.value == "not_required"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_grade_12_follows_grade_7_cohort(ct, snapshot):
    """Grade 7 meningococcal (provisional): "On or after August 1, 2011, an individual enrolled in
    seventh grade ..."

    Case: grade 12 in 2024-25 (grade 7 in 2019-20) with one MenACWY at 11: the requirement
    follows the cohort (A-13) and is met; compliant.
    """
    birth = date(2006, 10, 1)
    r = evaluate(ct, student(birth, "12", [("MenACWY", birthday(birth, 11))]), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_not_in_force_on_july_31_2011(ct, snapshot):
    """Grade 7 meningococcal (provisional): "On or after August 1, 2011, an individual enrolled in
    seventh grade ..."

    Case: grade 7 with no dose evaluated 2011-07-31, one day before the requirement: not_required.
    """
    r = evaluate(ct, student(date(1999, 3, 1), "7"), "meningococcal", as_of=date(2011, 7, 31))
    assert r.status.value == "not_required"
    assert r.clause == M
    assert r.to_dict() == snapshot


def test_m_in_force_on_august_1_2011(ct, snapshot):
    """Grade 7 meningococcal (provisional): "On or after August 1, 2011, an individual enrolled in
    seventh grade shall be considered adequately protected against meningococcal disease if that
    individual was immunized with one (1) dose of meningococcal conjugate vaccine."

    Case: the same student on 2011-08-01 with no dose: non_compliant.
    """
    r = evaluate(ct, student(date(1999, 3, 1), "7"), "meningococcal", as_of=date(2011, 8, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == M
    assert r.to_dict() == snapshot
