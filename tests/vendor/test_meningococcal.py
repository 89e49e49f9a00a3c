"""Infinite Campus, "Meningococcal": two rules, tried in order (V-01). The article has an explicit
"Default 7-12 Non-Compliant" rule, so when no rule matches the requirement does not apply (V-05).

Vendor group: "Meningococcal vaccine" (any vaccine containing meningococcal antigen, MenB
included: NOTE D7).

Seed text (002_6dfd16146714b4ef.txt), section "Meningococcal".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add_months, birthday

from .conftest import evaluate, student

REQUIREMENTS = ("meningococcal",)

ONE_DOSE_7_12 = "1 dose grades 7-12"
DEFAULT_7_12 = "Default 7-12"

RULES = (ONE_DOSE_7_12, DEFAULT_7_12)

G7_BIRTH = date(2011, 4, 20)  # grade 7 on AS_OF
G6_BIRTH = date(2012, 4, 20)  # grade 6 on AS_OF


def test_1_dose_grades_7_12_meets(ic, snapshot):
    """Rule "1 dose grades 7-12 Compliant": "the student receives 1 dose of the Meningococcal vaccine, and
    the student is in state grade 07, 08, 09, 10, 11, 12."

    Case: grade 7 with one MenACWY at 11: compliant by "1 dose grades 7-12".
    """
    r = evaluate(ic, student(G7_BIRTH, "7", [("MenACWY", birthday(G7_BIRTH, 11))]), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_7_12
    assert r.to_dict() == snapshot


def test_1_dose_grades_7_12_no_dose_is_default(ic, snapshot):
    """Rule "1 dose grades 7-12": "the student receives 1 dose of the Meningococcal vaccine"; "Default
    7-12 Non- Compliant": "... in State Grades 07, ... 12 and has not received any doses".

    Case: grade 7 with no meningococcal dose: the first rule is not met, the default rule is:
    non_compliant by "Default 7-12".
    """
    r = evaluate(ic, student(G7_BIRTH, "7"), "meningococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == DEFAULT_7_12
    assert r.to_dict() == snapshot


def test_d7_menb_counts(ic, snapshot):
    """NOTE (D7): "any meningococcal vaccine counts (MenB included)"; the article says "1 dose of the
    Meningococcal vaccine".

    Case: grade 9 (born 2009-02-11) whose only meningococcal dose is MenB at 14: compliant by "1
    dose grades 7-12".
    """
    birth = date(2009, 2, 11)
    r = evaluate(ic, student(birth, "9", [("MenB", birthday(birth, 14))]), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_7_12
    assert r.to_dict() == snapshot


def test_d7_dose_at_any_age_counts(ic, snapshot):
    """NOTE (D7): "any meningococcal vaccine counts (MenB included), at any age."

    Case: grade 7 whose only meningococcal dose was a MenACWY at 2 (travel dose): compliant by "1
    dose grades 7-12".
    """
    r = evaluate(ic, student(G7_BIRTH, "7", [("MenACWY", birthday(G7_BIRTH, 2))]), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_7_12
    assert r.to_dict() == snapshot


def test_d7_hib_mency_counts(ic, snapshot):
    """NOTE (D7): "any meningococcal vaccine, MenB (and the Hib-MenCY combination) included; the
    regulation reading is conjugate MenACWY only."

    Case: grade 7 whose only meningococcal-containing doses are infant Hib-MenCY at 2, 4 and 6
    months: compliant by "1 dose grades 7-12".
    """
    doses = [("Hib-MenCY", add_months(G7_BIRTH, m)) for m in (2, 4, 6)]
    r = evaluate(ic, student(G7_BIRTH, "7", doses), "meningococcal")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_7_12
    assert r.to_dict() == snapshot


def test_default_7_12_grade_12(ic, snapshot):
    """Rule "Default 7-12 Non- Compliant": "The student is considered non-compliant if they are in State
    Grades 07, 08, 09, 10, 11, 12 and has not received any doses of the Meningococcal vaccine."

    Case: grade 12 (born 2005-10-02) with no meningococcal dose: non_compliant by "Default 7-12".
    """
    r = evaluate(ic, student(date(2005, 10, 2), "12"), "meningococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == DEFAULT_7_12
    assert r.to_dict() == snapshot


def test_grade_6_matches_no_rule(ic, snapshot):
    """Rule "1 dose grades 7-12" and "Default 7-12" name grades 07-12 only; V-05: with an explicit default
    rule, no match means no requirement.

    Case: grade 6 with no meningococcal dose (the grade below the rules' range): not_required, no
    clause.
    """
    r = evaluate(ic, student(G6_BIRTH, "6"), "meningococcal")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot
