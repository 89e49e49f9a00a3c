"""Infinite Campus, "Hepatitis B": three rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "Hepatitis B (Hep B) vaccine" (any vaccine containing hepatitis B). "The difference
between the second dose and the effective date is less than or equal to 56 days" is measured from
the dose counted second (V-03): a dose given 56 days before the evaluation date counts, 57 days
does not.

Seed text (002_6dfd16146714b4ef.txt), section "Hepatitis B".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months

from .conftest import AS_OF, evaluate, student

REQUIREMENTS = ("hepatitis_b",)

THREE = "3 doses"
TWO = "2 doses"
ONE = "1 dose"

RULES = (THREE, TWO, ONE)

K_BIRTH = date(2018, 5, 10)  # K on AS_OF


def _hepb(birth: date, *days: int) -> list[tuple[str, date]]:
    """HepB doses given `days` days after birth."""
    return [("HepB", add(birth, days=d)) for d in days]


# --- "3 doses" ----------------------------------------------------------------------------------


def test_3_doses_meets_third_dose_at_169_days_of_age(ic, snapshot):
    """Rule "3 doses Compliant": "the student receives three doses of the Hepatitis B (Hep B) vaccine, the
    difference between the second dose and the previous is greater than 28 days with a 0 (zero) day
    tolerance, the difference between the third dose and the second valid dose is greater than 56
    days ..., the difference between the third dose and the two doses previous is greater than 112
    days ..., and the difference between the third dose and the student's birthdate is greater than
    168 days with a 0 (zero) day tolerance."

    Case: K, HepB at birth, at 29 days and at 169 days of age: compliant by "3 doses".
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 0, 29, 169)), "hepatitis_b")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_third_dose_at_168_days_of_age(ic, snapshot):
    """Rule "3 doses": "the difference between the third dose and the student's birthdate is greater than
    168 days with a 0 (zero) day tolerance" (NOTE D6: the regulation accepts 24 weeks of age).

    Case: K, HepB at birth, 29 days and 168 days: the third does not count; the doses are years
    old, so neither in-progress rule holds: non_compliant, "3 doses" closest.
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 0, 29, 168)), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_second_dose_28_days_after_first(ic, snapshot):
    """Rule "3 doses": "the difference between the second dose and the previous is greater than 28 days
    with a 0 (zero) day tolerance" (NOTE D6).

    Case: K, HepB at birth, 28 days and 169 days: the second does not count, the third counts as
    dose 2; non_compliant, "3 doses" closest.
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 0, 28, 169)), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_meets_third_dose_57_days_after_second(ic, snapshot):
    """Rule "3 doses": "the difference between the third dose and the second valid dose is greater than 56
    days with a 0 (zero) day tolerance".

    Case: K, HepB at 60, 120 and 177 days of age (third 57 days after the second, 117 after the
    first): compliant by "3 doses".
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 60, 120, 177)), "hepatitis_b")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_third_dose_56_days_after_second(ic, snapshot):
    """Rule "3 doses": "the difference between the third dose and the second valid dose is greater than 56
    days with a 0 (zero) day tolerance" (NOTE D6: the regulation accepts 8 weeks).

    Case: K, HepB at 60, 120 and 176 days of age (third exactly 56 days after the second): not
    counted; non_compliant, "3 doses" closest.
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 60, 120, 176)), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_meets_third_dose_113_days_after_first(ic, snapshot):
    """Rule "3 doses": "the difference between the third dose and the two doses previous is greater than
    112 days with a 0 (zero) day tolerance".

    Case: K, HepB at 100, 129 and 213 days of age (third 113 days after the first, 84 after the
    second): compliant by "3 doses".
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 100, 129, 213)), "hepatitis_b")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_third_dose_112_days_after_first(ic, snapshot):
    """Rule "3 doses": "the difference between the third dose and the two doses previous is greater than
    112 days with a 0 (zero) day tolerance" (NOTE D6: the regulation accepts 16 weeks).

    Case: K, HepB at 100, 129 and 212 days of age (third exactly 112 days after the first): not
    counted; non_compliant, "3 doses" closest.
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 100, 129, 212)), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_two_doses_only(ic, snapshot):
    """Rule "3 doses": "the student receives three doses of the Hepatitis B (Hep B) vaccine".

    Case: K with HepB at birth and 29 days only, years ago: non_compliant, "3 doses" closest.
    """
    r = evaluate(ic, student(K_BIRTH, "K", _hepb(K_BIRTH, 0, 29)), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_d6_no_grade_scope_infant_between_doses(ic, snapshot):
    """NOTE (D6): "no grade scope". The rules have no age or grade condition, so an infant on the
    usual schedule (HepB at birth and 1 month, the third due from 6 months) is judged by them too.

    Case: P3 born 2023-01-10 with HepB at birth and on 2023-02-10 (31 days later): both count for
    "3 doses", but the second is more than 56 days old and the first more than 28, so neither
    in-progress rule holds: non_compliant, "3 doses" closest.
    """
    birth = date(2023, 1, 10)
    doses = [("HepB", birth), ("HepB", add_months(birth, 1))]
    r = evaluate(ic, student(birth, "P3", doses), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


# --- "2 doses" ----------------------------------------------------------------------------------


def test_2_doses_meets_second_dose_56_days_before(ic, snapshot):
    """Rule "2 doses In Progress": "the student receives two doses of the Hepatitis B vaccine, and the
    difference between the second dose and the effective date is less than or equal to 56 days with
    a 0 (zero) day tolerance." (NOTE D6: no basis in the regulation.)

    Case: infant born 2023-05-24 with HepB at birth and on 2023-07-07, 56 days before AS_OF:
    in_progress by "2 doses".
    """
    birth = add(AS_OF, days=-100)
    doses = [("HepB", birth), ("HepB", add(AS_OF, days=-56))]
    r = evaluate(ic, student(birth, "P3", doses), "hepatitis_b")
    assert r.status.value == "in_progress"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_second_dose_57_days_before(ic, snapshot):
    """Rule "2 doses In Progress": "... less than or equal to 56 days with a 0 (zero) day tolerance."

    Case: as above with the second dose on 2023-07-06, 57 days before AS_OF: no rule decides;
    non_compliant, citing the only compliant rule, "3 doses".
    """
    birth = add(AS_OF, days=-100)
    doses = [("HepB", birth), ("HepB", add(AS_OF, days=-57))]
    r = evaluate(ic, student(birth, "P3", doses), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_2_doses_one_dose_only(ic, snapshot):
    """Rule "2 doses In Progress": "the student receives two doses of the Hepatitis B vaccine".

    Case: infant born 2023-05-24 with one HepB, 56 days before AS_OF: one dose short of "2 doses",
    and too old for "1 dose" (28 days): non_compliant, "3 doses" closest.
    """
    birth = add(AS_OF, days=-100)
    r = evaluate(ic, student(birth, "P3", [("HepB", add(AS_OF, days=-56))]), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_2_doses_recent_third_dose_too_soon_after_second(ic, snapshot):
    """Rule "2 doses In Progress": "... the difference between the second dose and the effective date is
    less than or equal to 56 days" (V-03, V-04: the second dose counted by the rule).

    Case: K (late starter) with HepB on 2023-03-01, 2023-06-10 and 2023-08-05 (56 days after the
    second, 27 days before AS_OF): "3 doses" fails on the 56-day interval; for "2 doses" the second
    dose (2023-06-10) is 83 days old and is skipped, and 2023-08-05 counts as the second:
    in_progress by "2 doses".
    """
    doses = [("HepB", date(2023, 3, 1)), ("HepB", date(2023, 6, 10)), ("HepB", date(2023, 8, 5))]
    assert add(date(2023, 6, 10), days=56) == date(2023, 8, 5)
    r = evaluate(ic, student(K_BIRTH, "K", doses), "hepatitis_b")
    assert r.status.value == "in_progress"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "1 dose" -----------------------------------------------------------------------------------


def test_1_dose_meets_dose_28_days_before(ic, snapshot):
    """Rule "1 dose In Progress": "the student receives 1 dose of the Hepatitis B vaccine, and the
    difference between the dose and the effective date is less than or equal to 28 days with a 0 day
    tolerance."

    Case: newborn born 2023-08-04 with the birth dose that day, 28 days before AS_OF: in_progress by
    "1 dose".
    """
    birth = add(AS_OF, days=-28)
    r = evaluate(ic, student(birth, "P3", [("HepB", birth)]), "hepatitis_b")
    assert r.status.value == "in_progress"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


def test_1_dose_dose_29_days_before(ic, snapshot):
    """Rule "1 dose In Progress": "... less than or equal to 28 days with a 0 day tolerance."

    Case: newborn born 2023-08-03 with the birth dose that day, 29 days before AS_OF: no rule
    decides; non_compliant, "3 doses" closest.
    """
    birth = add(AS_OF, days=-29)
    r = evaluate(ic, student(birth, "P3", [("HepB", birth)]), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_1_dose_no_dose(ic, snapshot):
    """Rule "1 dose In Progress": "the student receives 1 dose of the Hepatitis B vaccine".

    Case: newborn born 2023-08-04 with no dose: non_compliant, "3 doses" closest.
    """
    r = evaluate(ic, student(add(AS_OF, days=-28), "P3"), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot
