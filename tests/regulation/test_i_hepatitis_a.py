"""§ 10-204a-2a(i) Hepatitis A: (i)(1) born on or after 2007-01-01, preschool or kindergarten
from 2011-08-01, two doses six months apart from the first birthday; (i)(2) laboratory-confirmed
protection.

Readings: A-02 (month-end roll-over), A-13 (the preschool/kindergarten scope follows the cohorts),
A-14 (the birth date governs).

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (i) Hepatitis A. An individual shall be considered adequately protected against hepatitis A
    if that individual:
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, lab, student

I = "10-204a-2a(i)"  # noqa: E741 - the regulation's letter
I1 = "10-204a-2a(i)(1)"
I2 = "10-204a-2a(i)(2)"

K_BIRTH = date(2019, 5, 10)  # K, aged 5 on AS_OF


def test_i1_meets_two_doses_six_months_apart(ct, snapshot):
    """(i)(1) "was born on or after January 1, 2007, is enrolled in preschool or kindergarten on or
    after August I, 2011, and was immunized with at least two (2) doses of hepatitis A virus
    vaccine given at least six (6) months apart, the first dose given on or after that
    individual's first birthday; or"

    Case: K, HepA on the first birthday and exactly six calendar months later: compliant.
    """
    first = birthday(K_BIRTH, 1)
    r = evaluate(ct, student(K_BIRTH, "K", [("HepA", first), ("HepA", add_months(first, 6))]), "hepatitis_a")
    assert r.status.value == "compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_second_dose_one_day_short_of_six_months(ct, snapshot):
    """(i)(1) "... at least two (2) doses of hepatitis A virus vaccine given at least six (6)
    months apart ..."

    Case: K, the second HepA one day before six months after the first: not counted;
    non_compliant.
    """
    first = birthday(K_BIRTH, 1)
    doses = [("HepA", first), ("HepA", add_months(first, 6) - ONE_DAY)]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_first_dose_one_day_before_first_birthday(ct, snapshot):
    """(i)(1) "... the first dose given on or after that individual's first birthday; or"

    Case: K, HepA one day before the first birthday (not counted) and six months after the
    birthday: one valid dose; non_compliant.
    """
    first = birthday(K_BIRTH, 1)
    doses = [("HepA", first - ONE_DAY), ("HepA", add_months(first, 6))]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_one_dose_only(ct, snapshot):
    """(i)(1) "... immunized with at least two (2) doses of hepatitis A virus vaccine ..."

    Case: K with one HepA on the first birthday: one dose short; non_compliant.
    """
    r = evaluate(ct, student(K_BIRTH, "K", [("HepA", birthday(K_BIRTH, 1))]), "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_month_end_august_31_plus_six_months_is_march_1(ct, snapshot):
    """(i)(1) "... given at least six (6) months apart ..."

    Case: K born 2019-08-31, first HepA on the first birthday 2020-08-31; six months later
    (2021-02-31) does not exist and rolls to 2021-03-01 (reading A-02). Second dose 2021-03-01:
    compliant.
    """
    birth = date(2019, 8, 31)
    assert add_months(date(2020, 8, 31), 6) == date(2021, 3, 1)
    doses = [("HepA", date(2020, 8, 31)), ("HepA", date(2021, 3, 1))]
    r = evaluate(ct, student(birth, "K", doses), "hepatitis_a")
    assert r.status.value == "compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_month_end_second_dose_on_february_28(ct, snapshot):
    """(i)(1) "... given at least six (6) months apart ..."

    Case: as above, second HepA on 2021-02-28, one day before 2021-03-01 (a clamp-to-month-end
    reading would accept it): not counted; non_compliant.
    """
    birth = date(2019, 8, 31)
    doses = [("HepA", date(2020, 8, 31)), ("HepA", date(2021, 2, 28))]
    r = evaluate(ct, student(birth, "K", doses), "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_born_january_1_2007_is_covered(ct, snapshot):
    """(i)(1) "was born on or after January 1, 2007, is enrolled in preschool or kindergarten on or
    after August I, 2011, ..."

    Case: grade 12 in 2024-25 born 2007-01-01 (kindergarten in 2012-13, so in the cohort, reading
    A-13) with no HepA: non_compliant.
    """
    r = evaluate(ct, student(date(2007, 1, 1), "12"), "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_born_december_31_2006_is_not_covered(ct, snapshot):
    """(i)(1) "was born on or after January 1, 2007, ..."

    Case: grade 12 in 2024-25 born 2006-12-31, one day before the cutoff, with no HepA: the birth
    date governs (reading A-14): not_required, by the ruleset's `not required` clause for those
    born before 2007-01-01.
    """
    r = evaluate(ct, student(date(2006, 12, 31), "12"), "hepatitis_a")
    assert r.status.value == "not_required"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i1_second_dose_not_yet_possible_is_in_progress(ct, snapshot):
    """(i)(1) "... at least two (2) doses of hepatitis A virus vaccine given at least six (6)
    months apart ..."

    Case: P3 with one HepA three months before AS_OF: the second cannot count before six months
    after the first; the series cannot yet be completed: in_progress (reading A-15, Hep A).
    """
    birth = date(2021, 6, 1)
    first = add_months(AS_OF, -3)
    r = evaluate(ct, student(birth, "P3", [("HepA", first)]), "hepatitis_a")
    assert r.status.value == "in_progress"
    assert r.clause == I1
    assert r.to_dict() == snapshot


# --- (i)(2) ------------------------------------------------------------------------------------


def test_i2_meets_lab_confirmed_protection(ct, snapshot):
    """(i)(2) "has had protection against hepatitis A confirmed in writing by a physician,
    physician assistant or advanced practice registered nurse based on specific blood testing by
    a certified laboratory."

    Case: K with one HepA and a laboratory confirmation of hepatitis A immunity: compliant.
    """
    record = student(K_BIRTH, "K", [("HepA", birthday(K_BIRTH, 1))], evidence=[lab("hepatitis_a", date(2024, 2, 1))])
    r = evaluate(ct, record, "hepatitis_a")
    assert r.status.value == "compliant"
    assert r.clause == I2
    assert r.to_dict() == snapshot


def test_i2_confirmation_dated_one_day_after_evaluation(ct, snapshot):
    """(i)(2) "has had protection against hepatitis A confirmed in writing ..."

    Case: as above, confirmation dated the day after AS_OF: not yet on file; one dose short of
    (i)(1): non_compliant.
    """
    record = student(K_BIRTH, "K", [("HepA", birthday(K_BIRTH, 1))], evidence=[lab("hepatitis_a", AS_OF + ONE_DAY)])
    r = evaluate(ct, record, "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot


def test_i2_hepatitis_b_titer_is_not_hepatitis_a_protection(ct, snapshot):
    """(i)(2) "has had protection against hepatitis A confirmed in writing by a physician,
    physician assistant or advanced practice registered nurse based on specific blood testing by
    a certified laboratory."

    Case: K with one HepA and a hepatitis B (not A) laboratory confirmation: non_compliant.
    """
    record = student(K_BIRTH, "K", [("HepA", birthday(K_BIRTH, 1))], evidence=[lab("hepatitis_b", date(2024, 2, 1))])
    r = evaluate(ct, record, "hepatitis_a")
    assert r.status.value == "non_compliant"
    assert r.clause == I1
    assert r.to_dict() == snapshot
