"""§ 10-204a-2a(e) Mumps: (e)(1) preschool, one dose; (e)(2) K-12 from 2011-08-01, two doses;
(e)(3) laboratory-confirmed protection (the text says "rubella": drafting error, reading A-05).

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (e) Mumps. An individual shall be considered adequately protected against mumps if such
    individual:
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, lab, student

E1 = "10-204a-2a(e)(1)"
E2 = "10-204a-2a(e)(2)"
E3 = "10-204a-2a(e)(3)"

PK_BIRTH = date(2021, 1, 31)  # aged 3 on AS_OF
G5_BIRTH = date(2014, 12, 1)  # grade 5, aged 9 on AS_OF


# --- (e)(1) ------------------------------------------------------------------------------------


def test_e1_meets_one_dose_on_first_birthday(ct, snapshot):
    """(e)(1) "is enrolled in preschool and was immunized by use of one (1) dose of live
    attenuated mumps vaccine on or after that individual's First birthday; or"

    Case: PK, one MMR exactly on the first birthday.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("MMR", birthday(PK_BIRTH, 1))]), "mumps")
    assert r.status.value == "compliant"
    assert r.clause == E1
    assert r.to_dict() == snapshot


def test_e1_one_day_before_first_birthday(ct, snapshot):
    """(e)(1) "... one (1) dose of live attenuated mumps vaccine on or after that individual's
    First birthday; or"

    Case: PK, the only dose (single-antigen mumps) one day before the first birthday: not
    counted; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("Mumps", birthday(PK_BIRTH, 1) - ONE_DAY)]), "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E1
    assert r.to_dict() == snapshot


def test_e1_measles_rubella_vaccine_has_no_mumps(ct, snapshot):
    """(e)(1) "is enrolled in preschool and was immunized by use of one (1) dose of live
    attenuated mumps vaccine on or after that individual's First birthday; or"

    Case: PK whose only dose is measles-rubella (MR) vaccine: no mumps-containing dose, one dose
    short; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("MR", birthday(PK_BIRTH, 1))]), "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E1
    assert r.to_dict() == snapshot


# --- (e)(2) ------------------------------------------------------------------------------------


def test_e2_meets_two_doses_28_days_apart(ct, snapshot):
    """(e)(2) "on or after August I, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against mumps by use of two (2) doses of a live attenuated mumps vaccine given at
    least twenty-eight (28) days apart, the first on or after that individual's first birthday;
    or"

    Case: grade 5, rubella-mumps vaccine on the first birthday and MMRV exactly 28 days later
    ("August I" read as August 1).
    """
    first = birthday(G5_BIRTH, 1)
    doses = [("Rubella-Mumps", first), ("MMRV", add(first, days=28))]
    r = evaluate(ct, student(G5_BIRTH, "5", doses), "mumps")
    assert r.status.value == "compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot


def test_e2_second_dose_27_days_after_first(ct, snapshot):
    """(e)(2) "... two (2) doses of a live attenuated mumps vaccine given at least twenty-eight
    (28) days apart ..."

    Case: grade 5, the second MMR 27 days after the first: not counted; non_compliant.
    """
    first = birthday(G5_BIRTH, 4)
    doses = [("MMR", first), ("MMR", add(first, days=27))]
    r = evaluate(ct, student(G5_BIRTH, "5", doses), "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot


def test_e2_first_dose_one_day_before_first_birthday(ct, snapshot):
    """(e)(2) "... the first on or after that individual's first birthday; or"

    Case: grade 5, MMR one day before the first birthday, MMR at 4 years: one valid dose;
    non_compliant.
    """
    doses = [("MMR", birthday(G5_BIRTH, 1) - ONE_DAY), ("MMR", birthday(G5_BIRTH, 4))]
    r = evaluate(ct, student(G5_BIRTH, "5", doses), "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot


def test_e2_one_dose_only(ct, snapshot):
    """(e)(2) "... two (2) doses of a live attenuated mumps vaccine ..."

    Case: grade 5 with one MMR on the first birthday: one dose short; non_compliant.
    """
    r = evaluate(ct, student(G5_BIRTH, "5", [("MMR", birthday(G5_BIRTH, 1))]), "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot


# --- (e)(3) ------------------------------------------------------------------------------------


def test_e3_meets_lab_confirmed_mumps_protection(ct, snapshot):
    """(e)(3) "has had protection against rubella confirmed in writing by a physician, physician
    assistant or advanced practice registered nurse based on specific blood testing by a
    certified laboratory."

    Case: grade 5, no mumps dose, laboratory confirmation of mumps immunity. Reading A-05: the
    word "rubella" in the mumps clause is a drafting error read as "mumps", so this is compliant.
    """
    r = evaluate(ct, student(G5_BIRTH, "5", evidence=[lab("mumps", date(2022, 2, 2))]), "mumps")
    assert r.status.value == "compliant"
    assert r.clause == E3
    assert r.to_dict() == snapshot


def test_e3_rubella_titer_does_not_protect_against_mumps(ct, snapshot):
    """(e)(3) "has had protection against rubella confirmed in writing ..."

    Case: grade 5, one MMR, and a laboratory confirmation of *rubella* immunity. Read literally,
    the drafting error would make this mumps-compliant; under reading A-05 ("mumps") it is not:
    one mumps dose short of (e)(2), non_compliant.
    """
    record = student(G5_BIRTH, "5", [("MMR", birthday(G5_BIRTH, 1))], evidence=[lab("rubella", date(2022, 2, 2))])
    r = evaluate(ct, record, "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot


def test_e3_confirmation_dated_one_day_after_evaluation(ct, snapshot):
    """(e)(3) "has had protection against rubella confirmed in writing ..." (read: mumps, A-05)

    Case: grade 5, no dose, mumps laboratory confirmation dated the day after AS_OF: not yet on
    file; non_compliant, citing (e)(2).
    """
    r = evaluate(ct, student(G5_BIRTH, "5", evidence=[lab("mumps", AS_OF + ONE_DAY)]), "mumps")
    assert r.status.value == "non_compliant"
    assert r.clause == E2
    assert r.to_dict() == snapshot
