"""§ 10-204a-2a(f) Haemophilus influenzae type b: (f)(1) one dose at 12 months or older, before 5
years; (f)(2) age 5 or older; (f)(3) a laboratory-confirmed natural infection at 24 months or
older.

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (f) Hemophilus influenzae Type b (Hib). An individual shall be considered adequately
    protected against Hib invasive disease if such individual:
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add_months, birthday

from .conftest import ONE_DAY, evaluate, history, student

F1 = "10-204a-2a(f)(1)"
F2 = "10-204a-2a(f)(2)"
F3 = "10-204a-2a(f)(3)"

PK_BIRTH = date(2021, 6, 20)  # PK, aged 3 on AS_OF
LEAP_BIRTH = date(2020, 2, 29)  # PK, aged 4 on AS_OF; 5th birthday 2025-03-01


def _infant_hib(birth: date) -> list[tuple[str, date]]:
    """Hib at 2, 4 and 6 months: all before 12 months of age."""
    return [("Hib", add_months(birth, m)) for m in (2, 4, 6)]


# --- (f)(1) ------------------------------------------------------------------------------------


def test_f1_meets_dose_at_exactly_12_months(ct, snapshot):
    """(f)(1) "was immunized before age five (5) years with a single dose of Hib vaccine given at
    age twelve (12) months or older, or"

    Case: PK aged 3, infant Hib doses and one Hib exactly at 12 months of age.
    """
    doses = [*_infant_hib(PK_BIRTH), ("Hib", add_months(PK_BIRTH, 12))]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "hib")
    assert r.status.value == "compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f1_dose_one_day_before_12_months(ct, snapshot):
    """(f)(1) "... a single dose of Hib vaccine given at age twelve (12) months or older, or"

    Case: PK aged 3, the booster one day before 12 months of age: no Hib dose at 12 months or
    older; non_compliant.
    """
    doses = [*_infant_hib(PK_BIRTH), ("Hib", add_months(PK_BIRTH, 12) - ONE_DAY)]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f1_infant_doses_only(ct, snapshot):
    """(f)(1) "was immunized before age five (5) years with a single dose of Hib vaccine given at
    age twelve (12) months or older, or"

    Case: PK aged 3 with three Hib doses at 2, 4 and 6 months and no booster: one dose short;
    non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", _infant_hib(PK_BIRTH)), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f1_combination_vaccine_counts(ct, snapshot):
    """(f)(1) "... a single dose of Hib vaccine given at age twelve (12) months or older, or"

    Case: PK aged 3 whose dose at 15 months was DTaP-IPV/Hib: a combination vaccine counts for
    Hib (contract § 2); compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("DTaP-IPV/Hib", add_months(PK_BIRTH, 15))]), "hib")
    assert r.status.value == "compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f1_leap_day_birth_dose_on_march_1(ct, snapshot):
    """(f)(1) "... a single dose of Hib vaccine given at age twelve (12) months or older, or"

    Case: PK born 2020-02-29; 12 months of age is 2021-03-01 (readings A-02/A-03). Hib on
    2021-03-01: compliant.
    """
    assert add_months(LEAP_BIRTH, 12) == date(2021, 3, 1)
    r = evaluate(ct, student(LEAP_BIRTH, "PK", [("Hib", date(2021, 3, 1))]), "hib")
    assert r.status.value == "compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f1_leap_day_birth_dose_on_february_28(ct, snapshot):
    """(f)(1) "... a single dose of Hib vaccine given at age twelve (12) months or older, or"

    Case: PK born 2020-02-29, Hib on 2021-02-28: one day before 12 months of age; non_compliant.
    """
    r = evaluate(ct, student(LEAP_BIRTH, "PK", [("Hib", date(2021, 2, 28))]), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


# --- (f)(2) ------------------------------------------------------------------------------------


def test_f2_meets_on_fifth_birthday(ct, snapshot):
    """(f)(2) "is currently age five (5) years or older, or"

    Case: K born 2019-09-01, evaluated on the fifth birthday 2024-09-01, with no Hib dose: met
    by age alone, not_required (connecticut.md statuses), citing (f)(2).
    """
    r = evaluate(ct, student(date(2019, 9, 1), "K"), "hib")
    assert r.status.value == "not_required"
    assert r.clause == F2
    assert r.to_dict() == snapshot


def test_f2_one_day_before_fifth_birthday(ct, snapshot):
    """(f)(2) "is currently age five (5) years or older, or"

    Case: K born 2019-09-02, evaluated 2024-09-01, one day short of 5 years, with no Hib dose:
    (f)(2) does not hold and (f)(1) is one dose short; non_compliant, citing (f)(1).
    """
    r = evaluate(ct, student(date(2019, 9, 2), "K"), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f2_under_five_with_infant_doses_only(ct, snapshot):
    """(f)(2) "is currently age five (5) years or older, or"

    Case: K born 2019-09-02 (one day short of 5) with the three infant Hib doses: one booster
    dose short of (f)(1); non_compliant.
    """
    birth = date(2019, 9, 2)
    r = evaluate(ct, student(birth, "K", _infant_hib(birth)), "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f2_leap_day_birth_fifth_birthday_is_march_1(ct, snapshot):
    """(f)(2) "is currently age five (5) years or older, or"

    Case: PK born 2020-02-29 with no Hib dose, evaluated 2025-03-01, the fifth birthday in a
    common year (reading A-03): not_required.
    """
    assert birthday(LEAP_BIRTH, 5) == date(2025, 3, 1)
    r = evaluate(ct, student(LEAP_BIRTH, "PK"), "hib", as_of=date(2025, 3, 1))
    assert r.status.value == "not_required"
    assert r.clause == F2
    assert r.to_dict() == snapshot


def test_f2_leap_day_birth_on_february_28_is_still_four(ct, snapshot):
    """(f)(2) "is currently age five (5) years or older, or"

    Case: the same child on 2025-02-28: still 4 (the fifth birthday is 2025-03-01), no Hib dose:
    non_compliant under (f)(1).
    """
    r = evaluate(ct, student(LEAP_BIRTH, "PK"), "hib", as_of=date(2025, 2, 28))
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


# --- (f)(3) ------------------------------------------------------------------------------------


def test_f3_meets_infection_at_24_months(ct, snapshot):
    """(f)(3) "had a natural laboratory confirmed infection with hemophilus influenzae type b at age
    twenty-four (24) months or older confirmed in writing by a physician, physician assistant or
    advanced practice registered nurse."

    Case: PK aged 3 with infant Hib doses only and a physician-documented Hib infection exactly at
    24 months of age: compliant under (f)(3).
    """
    record = student(PK_BIRTH, "PK", _infant_hib(PK_BIRTH), evidence=[history("hib", add_months(PK_BIRTH, 24))])
    r = evaluate(ct, record, "hib")
    assert r.status.value == "compliant"
    assert r.clause == F3
    assert r.to_dict() == snapshot


def test_f3_infection_one_day_before_24_months(ct, snapshot):
    """(f)(3) "had a natural laboratory confirmed infection with hemophilus influenzae type b at age
    twenty-four (24) months or older ..."

    Case: as above, the infection one day before 24 months of age: (f)(3) is not met, and (f)(1)
    lacks the booster; non_compliant, citing (f)(1).
    """
    record = student(
        PK_BIRTH, "PK", _infant_hib(PK_BIRTH), evidence=[history("hib", add_months(PK_BIRTH, 24) - ONE_DAY)]
    )
    r = evaluate(ct, record, "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot


def test_f3_no_infection_documented_and_infant_doses_only(ct, snapshot):
    """(f)(3) "had a natural laboratory confirmed infection with hemophilus influenzae type b at age
    twenty-four (24) months or older confirmed in writing ..."

    Case: PK aged 3 with infant Hib doses and a documented infection of another disease
    (varicella), none of Hib: one Hib dose short of (f)(1); non_compliant.
    """
    record = student(PK_BIRTH, "PK", _infant_hib(PK_BIRTH), evidence=[history("varicella", add_months(PK_BIRTH, 30))])
    r = evaluate(ct, record, "hib")
    assert r.status.value == "non_compliant"
    assert r.clause == F1
    assert r.to_dict() == snapshot
