"""§ 10-204a-2a(a) Measles: (a)(1) preschool, one dose; (a)(2) K-12 from 2011-08-01, two doses;
(a)(3) laboratory-confirmed protection.

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (a) Measles. An individual shall be considered adequately protected against measles if that
    individual:
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, lab, student

A1 = "10-204a-2a(a)(1)"
A2 = "10-204a-2a(a)(2)"
A3 = "10-204a-2a(a)(3)"

# A preschooler aged 4 on AS_OF, and a kindergartner aged 5.
PK_BIRTH = date(2020, 3, 15)
K_BIRTH = date(2019, 5, 10)


# --- (a)(1) ------------------------------------------------------------------------------------


def test_a1_meets_one_dose_on_first_birthday(ct, snapshot):
    """(a)(1) "is enrolled in preschool and was immunized by use of one (l) dose of live
    attenuated measles vaccine on or after that individual's first birthday; or"

    Case: PK, one MMR given exactly on the first birthday ("on or after" is inclusive).
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("MMR", birthday(PK_BIRTH, 1))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


def test_a1_one_day_before_first_birthday(ct, snapshot):
    """(a)(1) "is enrolled in preschool and was immunized by use of one (l) dose of live
    attenuated measles vaccine on or after that individual's first birthday; or"

    Case: PK, the only MMR given one day before the first birthday: it does not count (no grace,
    reading A-01); a valid dose could have been given long ago, so non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("MMR", birthday(PK_BIRTH, 1) - ONE_DAY)]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


def test_a1_no_dose(ct, snapshot):
    """(a)(1) "is enrolled in preschool and was immunized by use of one (l) dose of live
    attenuated measles vaccine on or after that individual's first birthday; or"

    Case: PK with no measles-containing dose (one dose short of the one required).
    """
    r = evaluate(ct, student(PK_BIRTH, "PK"), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


def test_a1_single_antigen_mumps_vaccine_is_not_measles_vaccine(ct, snapshot):
    """(a)(1) "... one (l) dose of live attenuated measles vaccine on or after that individual's
    first birthday; or"

    Case: PK whose only dose after the first birthday is the single-antigen mumps vaccine: no
    measles vaccine at all, one dose short.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", [("Mumps", birthday(PK_BIRTH, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


def test_a1_leap_day_birth_first_birthday_is_march_1(ct, snapshot):
    """(a)(1) "... one (l) dose of live attenuated measles vaccine on or after that individual's
    first birthday; or"

    Case: PK born 2020-02-29; the first birthday in the common year 2021 is 2021-03-01
    (reading A-03). MMR on 2021-03-01 counts.
    """
    birth = date(2020, 2, 29)
    assert birthday(birth, 1) == date(2021, 3, 1)
    r = evaluate(ct, student(birth, "PK", [("MMR", date(2021, 3, 1))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


def test_a1_leap_day_birth_dose_on_february_28_is_early(ct, snapshot):
    """(a)(1) "... one (l) dose of live attenuated measles vaccine on or after that individual's
    first birthday; or"

    Case: PK born 2020-02-29, MMR on 2021-02-28: one day before the first birthday (2021-03-01,
    reading A-03), so it does not count.
    """
    birth = date(2020, 2, 29)
    r = evaluate(ct, student(birth, "PK", [("MMR", date(2021, 2, 28))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A1
    assert r.to_dict() == snapshot


# --- (a)(2) ------------------------------------------------------------------------------------


def test_a2_meets_two_doses_exactly_28_days_apart(ct, snapshot):
    """(a)(2) "on or after August 1, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against measles by use of two (2) doses of a live attenuated measles vaccine given
    at least twenty-eight (28) days apart, the first on or after that individual's first
    birthday; or"

    Case: K, MMR on the first birthday and MMR exactly 28 days later (both bounds inclusive).
    """
    first = birthday(K_BIRTH, 1)
    r = evaluate(ct, student(K_BIRTH, "K", [("MMR", first), ("MMR", add(first, days=28))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_second_dose_27_days_after_first(ct, snapshot):
    """(a)(2) "... two (2) doses of a live attenuated measles vaccine given at least twenty-eight
    (28) days apart, the first on or after that individual's first birthday; or"

    Case: K, the second MMR 27 days after the first: one day short of the interval, so it does
    not count; non_compliant.
    """
    first = birthday(K_BIRTH, 1)
    r = evaluate(ct, student(K_BIRTH, "K", [("MMR", first), ("MMR", add(first, days=27))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_first_dose_one_day_before_first_birthday(ct, snapshot):
    """(a)(2) "... two (2) doses of a live attenuated measles vaccine given at least twenty-eight
    (28) days apart, the first on or after that individual's first birthday; or"

    Case: K, the first MMR one day before the first birthday (does not count), the second 28 days
    after the birthday: only one valid dose; non_compliant.
    """
    first = birthday(K_BIRTH, 1)
    doses = [("MMR", first - ONE_DAY), ("MMR", add(first, days=28))]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_one_dose_only(ct, snapshot):
    """(a)(2) "on or after August 1, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against measles by use of two (2) doses of a live attenuated measles vaccine ..."

    Case: K with one valid MMR (on the first birthday), years ago: one dose short; the second
    could have counted long ago, so non_compliant (not in_progress).
    """
    r = evaluate(ct, student(K_BIRTH, "K", [("MMR", birthday(K_BIRTH, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_one_dose_second_not_yet_possible_is_in_progress(ct, snapshot):
    """(a)(2) "... two (2) doses ... given at least twenty-eight (28) days apart ..."

    Case: K (catch-up) with one MMR given 10 days before AS_OF: the second dose cannot count
    until 28 days after the first, so the series cannot yet be completed: in_progress
    (connecticut.md, statuses).
    """
    first = AS_OF - 10 * ONE_DAY
    r = evaluate(ct, student(K_BIRTH, "K", [("MMR", first)]), "measles")
    assert r.status.value == "in_progress"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_mmrv_counts_as_measles_vaccine(ct, snapshot):
    """(a)(2) "... two (2) doses of a live attenuated measles vaccine given at least twenty-eight
    (28) days apart, the first on or after that individual's first birthday; or"

    Case: grade 1, two MMRV doses (reading A-06: MMRV counts for measles), 3 months apart.
    """
    birth = date(2018, 5, 10)
    first = birthday(birth, 1)
    r = evaluate(ct, student(birth, "1", [("MMRV", first), ("MMRV", add(first, months=3))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_leap_day_birth_meets(ct, snapshot):
    """(a)(2) "... the first on or after that individual's first birthday; or"

    Case: grade 3 born 2016-02-29; first birthday 2017-03-01 (reading A-03). MMR 2017-03-01
    and 2017-03-29 (28 days): compliant.
    """
    birth = date(2016, 2, 29)
    doses = [("MMR", date(2017, 3, 1)), ("MMR", date(2017, 3, 29))]
    r = evaluate(ct, student(birth, "3", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_leap_day_birth_first_dose_on_february_28(ct, snapshot):
    """(a)(2) "... the first on or after that individual's first birthday; or"

    Case: grade 3 born 2016-02-29; MMR on 2017-02-28 is one day before the first birthday
    (2017-03-01, reading A-03) and does not count; with the second MMR on 2017-03-29 only one
    dose is valid: non_compliant.
    """
    birth = date(2016, 2, 29)
    doses = [("MMR", date(2017, 2, 28)), ("MMR", date(2017, 3, 29))]
    r = evaluate(ct, student(birth, "3", doses), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_in_force_from_august_1_2011(ct, snapshot):
    """(a)(2) "on or after August 1, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against measles by use of two (2) doses ..."

    Case: K with one valid MMR, evaluated on 2011-08-01, the first day (a)(2) is in force: one
    dose short, non_compliant.
    """
    birth = date(2006, 3, 1)
    r = evaluate(ct, student(birth, "K", [("MMR", birthday(birth, 1))]), "measles", as_of=date(2011, 8, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a2_not_in_force_on_july_31_2011(ct, snapshot):
    """(a)(2) "on or after August 1, 2011, is enrolled in kindergarten through grade 12 ..."

    Case: a grade 3 student with one MMR dose, evaluated on 2011-07-31, one day before (a)(2)
    is in force. The `ct` version "2000-08-01" decides, with its reconstructed rule of one
    measles dose in grades 1 to 6 (provisional citation § 10-204a-2a(a), reading A-22):
    compliant. (tests/regulation/test_versions.py evaluates the same student a day later.)
    """
    birth = date(2003, 3, 1)
    r = evaluate(ct, student(birth, "3", [("MMR", birthday(birth, 1))]), "measles", as_of=date(2011, 7, 31))
    assert r.status.value == "compliant"
    assert r.clause == "10-204a-2a(a)"
    assert r.to_dict() == snapshot


# --- (a)(3) ------------------------------------------------------------------------------------


def test_a3_meets_lab_confirmed_protection(ct, snapshot):
    """(a)(3) "has had protection against measles confirmed in writing by a physician, physician
    assistant or advanced practice registered nurse based on specific blood testing by a
    certified laboratory."

    Case: K with no measles dose and a written laboratory confirmation of measles immunity.
    """
    r = evaluate(ct, student(K_BIRTH, "K", evidence=[lab("measles", date(2024, 6, 1))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == A3
    assert r.to_dict() == snapshot


def test_a3_confirmation_dated_one_day_after_evaluation(ct, snapshot):
    """(a)(3) "has had protection against measles confirmed in writing ..."

    Case: K, no dose; the laboratory confirmation is dated the day after AS_OF, so on AS_OF
    protection "has" not yet been confirmed: non_compliant, citing the dose clause (a)(2) that
    came closest (contract § 4).
    """
    r = evaluate(ct, student(K_BIRTH, "K", evidence=[lab("measles", AS_OF + ONE_DAY)]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot


def test_a3_rubella_titer_with_one_mmr_is_not_measles_protection(ct, snapshot):
    """(a)(3) "has had protection against measles confirmed in writing by a physician, physician
    assistant or advanced practice registered nurse based on specific blood testing by a
    certified laboratory."

    Case: K with one valid MMR and a laboratory confirmation for rubella only: no measles
    confirmation and one measles dose short of (a)(2): non_compliant (a)(2).
    """
    record = student(K_BIRTH, "K", [("MMR", birthday(K_BIRTH, 1))], evidence=[lab("rubella", date(2024, 6, 1))])
    r = evaluate(ct, record, "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == A2
    assert r.to_dict() == snapshot
