"""§ 10-204a-2a(b) Rubella: (b)(1) preschool, one dose; (b)(2) K-12 from 2011-08-01, two doses;
(b)(3) laboratory-confirmed protection.

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (b) Rubella. An individual shall be considered adequately protected against rubella, if that
    individual:
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, lab, student

B1 = "10-204a-2a(b)(1)"
B2 = "10-204a-2a(b)(2)"
B3 = "10-204a-2a(b)(3)"

PK_BIRTH = date(2020, 10, 3)  # aged 3 on AS_OF
G2_BIRTH = date(2017, 7, 22)  # grade 2, aged 7 on AS_OF


# --- (b)(1) ------------------------------------------------------------------------------------


def test_b1_meets_single_antigen_rubella_on_first_birthday(ct, snapshot):
    """(b)(1) "is enrolled in preschool and was immunized by use of one (1) dose of live
    attenuated rubella vaccine on or after that individual's first birthday; or"

    Case: PK, one single-antigen rubella vaccine exactly on the first birthday.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("Rubella", birthday(PK_BIRTH, 1))]), "rubella")
    assert r.status.value == "compliant"
    assert r.clause == B1
    assert r.to_dict() == snapshot


def test_b1_one_day_before_first_birthday(ct, snapshot):
    """(b)(1) "... one (1) dose of live attenuated rubella vaccine on or after that individual's
    first birthday; or"

    Case: PK, the only MMR one day before the first birthday: not counted; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "P3", [("MMR", birthday(PK_BIRTH, 1) - ONE_DAY)]), "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B1
    assert r.to_dict() == snapshot


def test_b1_measles_only_vaccine_is_one_rubella_dose_short(ct, snapshot):
    """(b)(1) "is enrolled in preschool and was immunized by use of one (1) dose of live
    attenuated rubella vaccine on or after that individual's first birthday; or"

    Case: PK with one single-antigen measles vaccine after the first birthday and nothing else:
    no rubella-containing dose; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("Measles", birthday(PK_BIRTH, 1))]), "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B1
    assert r.to_dict() == snapshot


# --- (b)(2) ------------------------------------------------------------------------------------


def test_b2_meets_mr_then_mmr_28_days_apart(ct, snapshot):
    """(b)(2) "on or after August 1, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against rubella by use of two (2) doses of a live attenuated rubella vaccine given
    at least twenty-eight (28) days apart, the first on or after that individual's first
    birthday; or"

    Case: grade 2, measles-rubella (MR) on the first birthday, MMR exactly 28 days later: both
    contain live rubella vaccine.
    """
    first = birthday(G2_BIRTH, 1)
    r = evaluate(ct, student(G2_BIRTH, "2", [("MR", first), ("MMR", add(first, days=28))]), "rubella")
    assert r.status.value == "compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot


def test_b2_second_dose_27_days_after_first(ct, snapshot):
    """(b)(2) "... two (2) doses of a live attenuated rubella vaccine given at least twenty-eight
    (28) days apart ..."

    Case: grade 2, the second MMR 27 days after the first: not counted; non_compliant.
    """
    first = add(birthday(G2_BIRTH, 1), months=3)
    doses = [("MMR", first), ("MMR", add(first, days=27))]
    r = evaluate(ct, student(G2_BIRTH, "2", doses), "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot


def test_b2_first_dose_one_day_before_first_birthday(ct, snapshot):
    """(b)(2) "... the first on or after that individual's first birthday; or"

    Case: grade 2, MMR one day before the first birthday and MMR four years later: the early dose
    does not count; one valid dose; non_compliant.
    """
    doses = [("MMR", birthday(G2_BIRTH, 1) - ONE_DAY), ("MMR", birthday(G2_BIRTH, 4))]
    r = evaluate(ct, student(G2_BIRTH, "2", doses), "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot


def test_b2_second_dose_measles_only_is_one_rubella_dose_short(ct, snapshot):
    """(b)(2) "... two (2) doses of a live attenuated rubella vaccine ..."

    Case: grade 2, MMR on the first birthday and a single-antigen measles vaccine at 4 years:
    the second dose has no rubella component; one rubella dose short; non_compliant.
    """
    doses = [("MMR", birthday(G2_BIRTH, 1)), ("Measles", birthday(G2_BIRTH, 4))]
    r = evaluate(ct, student(G2_BIRTH, "2", doses), "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot


# --- (b)(3) ------------------------------------------------------------------------------------


def test_b3_meets_lab_confirmed_protection(ct, snapshot):
    """(b)(3) "has had protection against rubella confirmed in writing by a physician, physician
    assistant or advanced practice registered nurse based on specific blood testing by a
    certified laboratory."

    Case: grade 2 with one MMR and a written laboratory confirmation of rubella immunity.
    """
    record = student(G2_BIRTH, "2", [("MMR", birthday(G2_BIRTH, 1))], evidence=[lab("rubella", date(2023, 1, 5))])
    r = evaluate(ct, record, "rubella")
    assert r.status.value == "compliant"
    assert r.clause == B3
    assert r.to_dict() == snapshot


def test_b3_confirmation_dated_one_day_after_evaluation(ct, snapshot):
    """(b)(3) "has had protection against rubella confirmed in writing ..."

    Case: grade 2 with one MMR; the laboratory confirmation is dated the day after AS_OF, so it
    is not yet on file: non_compliant, citing the closest clause (b)(2).
    """
    record = student(G2_BIRTH, "2", [("MMR", birthday(G2_BIRTH, 1))], evidence=[lab("rubella", AS_OF + ONE_DAY)])
    r = evaluate(ct, record, "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot


def test_b3_measles_titer_is_not_rubella_protection(ct, snapshot):
    """(b)(3) "has had protection against rubella confirmed in writing by a physician, physician
    assistant or advanced practice registered nurse based on specific blood testing by a
    certified laboratory."

    Case: grade 2 with one MMR and a laboratory confirmation for measles only: nothing confirms
    rubella and (b)(2) is one dose short; non_compliant.
    """
    record = student(G2_BIRTH, "2", [("MMR", birthday(G2_BIRTH, 1))], evidence=[lab("measles", date(2023, 1, 5))])
    r = evaluate(ct, record, "rubella")
    assert r.status.value == "non_compliant"
    assert r.clause == B2
    assert r.to_dict() == snapshot
