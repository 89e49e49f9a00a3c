"""§ 10-204a-2a(j) Pneumococcal disease: (j)(1) born on or after 2007-01-01, preschool or
kindergarten from 2011-08-01, one conjugate dose on or after the first birthday; (j)(2) age 5 or
older.

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (j) Pneumococcal disease. An individual shall be considered adequately protected against
    pneumococcal disease if that individual:
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add_months, birthday

from .conftest import ONE_DAY, evaluate, student

J1 = "10-204a-2a(j)(1)"
J2 = "10-204a-2a(j)(2)"

PK_BIRTH = date(2020, 9, 2)  # PK, one day short of 4 years on AS_OF (well under 5)
LEAP_BIRTH = date(2020, 2, 29)  # PK; 5th birthday 2025-03-01


def _infant_pcv(birth: date) -> list[tuple[str, date]]:
    return [("PCV13", add_months(birth, m)) for m in (2, 4, 6)]


# --- (j)(1) ------------------------------------------------------------------------------------


def test_j1_meets_conjugate_dose_on_first_birthday(ct, snapshot):
    """(j)(1) "was born on or after January 1, 2007, is enrolled in preschool or kindergarten on or
    after August 1, 2011 and was immunized with one dose of pneumococcal conjugate vaccine on or
    after the individual's first birthday; or"

    Case: PK aged 3, infant PCV13 doses and one PCV13 exactly on the first birthday: compliant.
    """
    doses = [*_infant_pcv(PK_BIRTH), ("PCV13", birthday(PK_BIRTH, 1))]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


def test_j1_dose_one_day_before_first_birthday(ct, snapshot):
    """(j)(1) "... one dose of pneumococcal conjugate vaccine on or after the individual's first
    birthday; or"

    Case: PK aged 3, the booster PCV13 one day before the first birthday: no dose on or after it;
    non_compliant.
    """
    doses = [*_infant_pcv(PK_BIRTH), ("PCV13", birthday(PK_BIRTH, 1) - ONE_DAY)]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


def test_j1_infant_doses_only(ct, snapshot):
    """(j)(1) "... was immunized with one dose of pneumococcal conjugate vaccine on or after the
    individual's first birthday; or"

    Case: PK aged 3 with PCV13 at 2, 4 and 6 months only: one dose short; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", _infant_pcv(PK_BIRTH)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


def test_j1_polysaccharide_vaccine_is_not_conjugate(ct, snapshot):
    """(j)(1) "... one dose of pneumococcal conjugate vaccine on or after the individual's first
    birthday; or"

    Case: PK aged 3 whose only dose after the first birthday is PPSV23 (polysaccharide, not
    conjugate): it does not count; non_compliant.
    """
    doses = [*_infant_pcv(PK_BIRTH), ("PPSV23", birthday(PK_BIRTH, 2))]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


def test_j1_pcv20_counts(ct, snapshot):
    """(j)(1) "... one dose of pneumococcal conjugate vaccine on or after the individual's first
    birthday; or"

    Case: K aged 4 with one PCV20 (a conjugate vaccine) at 15 months: compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "K", [("PCV20", add_months(PK_BIRTH, 15))]), "pneumococcal")
    assert r.status.value == "compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


# --- (j)(2) ------------------------------------------------------------------------------------


def test_j2_meets_on_fifth_birthday(ct, snapshot):
    """(j)(2) "is currently age five (5) years or older."

    Case: K born 2019-09-01, evaluated on the fifth birthday 2024-09-01, no pneumococcal dose:
    met by age alone, not_required, citing (j)(2).
    """
    r = evaluate(ct, student(date(2019, 9, 1), "K"), "pneumococcal")
    assert r.status.value == "not_required"
    assert r.clause == J2
    assert r.to_dict() == snapshot


def test_j2_one_day_before_fifth_birthday(ct, snapshot):
    """(j)(2) "is currently age five (5) years or older."

    Case: K born 2019-09-02, one day short of 5 on 2024-09-01, no pneumococcal dose: (j)(1)
    applies and is one dose short; non_compliant, citing (j)(1).
    """
    r = evaluate(ct, student(date(2019, 9, 2), "K"), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


def test_j2_under_five_with_infant_doses_only(ct, snapshot):
    """(j)(2) "is currently age five (5) years or older."

    Case: K born 2019-09-02 (one day short of 5) with the infant PCV13 doses only: one dose short
    of (j)(1); non_compliant.
    """
    birth = date(2019, 9, 2)
    r = evaluate(ct, student(birth, "K", _infant_pcv(birth)), "pneumococcal")
    assert r.status.value == "non_compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot


def test_j2_leap_day_birth_fifth_birthday_is_march_1(ct, snapshot):
    """(j)(2) "is currently age five (5) years or older."

    Case: PK born 2020-02-29, no pneumococcal dose, evaluated 2025-03-01 (the fifth birthday in a
    common year, reading A-03): not_required.
    """
    r = evaluate(ct, student(LEAP_BIRTH, "PK"), "pneumococcal", as_of=date(2025, 3, 1))
    assert r.status.value == "not_required"
    assert r.clause == J2
    assert r.to_dict() == snapshot


def test_j2_leap_day_birth_on_february_28_is_still_four(ct, snapshot):
    """(j)(2) "is currently age five (5) years or older."

    Case: the same child on 2025-02-28, still 4: (j)(1) one dose short; non_compliant.
    """
    r = evaluate(ct, student(LEAP_BIRTH, "PK"), "pneumococcal", as_of=date(2025, 2, 28))
    assert r.status.value == "non_compliant"
    assert r.clause == J1
    assert r.to_dict() == snapshot
