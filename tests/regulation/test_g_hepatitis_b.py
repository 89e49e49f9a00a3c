"""§ 10-204a-2a(g) Hepatitis B: (g)(1) preschool through grade 12, three doses with 4-week,
16-week, 8-week and 24-weeks-of-age minimums; (g)(2) laboratory-confirmed protection.

Seed text (001_efcc850ad678f7dc.txt), verbatim:

    (g) Hepatitis B. An individual shall be considered adequately protected against hepatitis B
    if such individual:
"""

from __future__ import annotations

from datetime import date

import pytest

from ctrules.dates import add

from .conftest import AS_OF, ONE_DAY, evaluate, lab, student

G1 = "10-204a-2a(g)(1)"
G2 = "10-204a-2a(g)(2)"

K_BIRTH = date(2019, 5, 10)  # K, aged 5 on AS_OF

# Three schedules, each with exactly one binding minimum for the third dose.
# age-bound: birth, +4 weeks, third at 24 weeks of age (2019-10-25);
# 16-week-bound: third 16 weeks after the first (2019-10-30) beats 24 weeks of age and 8 weeks;
# 8-week-bound: third 8 weeks after the second (2019-11-05) beats the other two.
SCHEDULES = {
    "24_weeks_of_age": (K_BIRTH, add(K_BIRTH, weeks=4), add(K_BIRTH, weeks=24)),
    "16_weeks_after_first": (date(2019, 7, 10), date(2019, 8, 7), add(date(2019, 7, 10), weeks=16)),
    "8_weeks_after_second": (date(2019, 7, 10), date(2019, 9, 10), add(date(2019, 9, 10), weeks=8)),
}


def _doses(dates: tuple[date, date, date]) -> list[tuple[str, date]]:
    return [("HepB", d) for d in dates]


def test_schedules_have_one_binding_minimum():
    """Guard for the fixtures: in each schedule the named minimum is the latest of the three
    minimums of (g)(1) for the third dose, so one day earlier breaks exactly that one."""
    for name, (d1, d2, d3) in SCHEDULES.items():
        minimums = {
            "24_weeks_of_age": add(K_BIRTH, weeks=24),
            "16_weeks_after_first": add(d1, weeks=16),
            "8_weeks_after_second": add(d2, weeks=8),
        }
        assert d3 == minimums[name]
        assert all(other < d3 for key, other in minimums.items() if key != name)
        assert d2 >= add(d1, weeks=4)


@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_g1_meets_third_dose_on_binding_minimum(ct, snapshot, schedule):
    """(g)(1) "is enrolled in preschool through grade 12 and was immunized with three (3) doses of
    hepatitis B vaccine as follows: two (2) doses given at least four (4) weeks apart followed by
    a third dose at least sixteen (16) weeks after the first dose and at least eight (8) weeks
    after the second dose, and the third dose shall be given no earlier than twenty-four (24)
    weeks of age; or"

    Case: K, three HepB doses, the third exactly on the binding minimum (parameter `schedule`:
    24 weeks of age, 16 weeks after the first, or 8 weeks after the second): compliant.
    """
    r = evaluate(ct, student(K_BIRTH, "K", _doses(SCHEDULES[schedule])), "hepatitis_b")
    assert r.status.value == "compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot


@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_g1_third_dose_one_day_before_binding_minimum(ct, snapshot, schedule):
    """(g)(1) "... a third dose at least sixteen (16) weeks after the first dose and at least eight
    (8) weeks after the second dose, and the third dose shall be given no earlier than
    twenty-four (24) weeks of age; or"

    Case: K, as in the meeting case but the third dose one day before the binding minimum (24
    weeks of age, 16 weeks after the first, or 8 weeks after the second): the third dose does not
    count, a valid one could have been given long ago; non_compliant.
    """
    d1, d2, d3 = SCHEDULES[schedule]
    r = evaluate(ct, student(K_BIRTH, "K", _doses((d1, d2, d3 - ONE_DAY))), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot


def test_g1_second_dose_27_days_after_first(ct, snapshot):
    """(g)(1) "... two (2) doses given at least four (4) weeks apart ..."

    Case: K, HepB at birth, 27 days later (not counted), and at 24 weeks of age (it fills
    position 2): two valid doses; non_compliant.
    """
    doses = _doses((K_BIRTH, add(K_BIRTH, days=27), add(K_BIRTH, weeks=24)))
    r = evaluate(ct, student(K_BIRTH, "K", doses), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot


def test_g1_two_doses_only(ct, snapshot):
    """(g)(1) "... was immunized with three (3) doses of hepatitis B vaccine ..."

    Case: K with two valid doses (HepB at birth, DTaP-HepB-IPV at 2 months): one dose short;
    non_compliant.
    """
    doses = [("HepB", K_BIRTH), ("DTaP-HepB-IPV", add(K_BIRTH, weeks=8))]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot


def test_g1_combination_vaccines_count(ct, snapshot):
    """(g)(1) "... was immunized with three (3) doses of hepatitis B vaccine ..."

    Case: grade 12 (the top of "preschool through grade 12") with HepB at birth and two
    DTaP-HepB-IPV doses at 2 and 6 months: combination vaccines count (contract § 2); compliant.
    """
    birth = date(2006, 10, 1)
    doses = [("HepB", birth), ("DTaP-HepB-IPV", add(birth, weeks=8)), ("DTaP-HepB-IPV", add(birth, weeks=26))]
    r = evaluate(ct, student(birth, "12", doses), "hepatitis_b")
    assert r.status.value == "compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot


# --- (g)(2) ------------------------------------------------------------------------------------


def test_g2_meets_lab_confirmed_protection(ct, snapshot):
    """(g)(2) "has had protection against hepatitis B confirmed in writing by a physician,
    physician assistant or advanced practice registered nurse based on specific blood testing by
    a certified laboratory."

    Case: K with two HepB doses and a laboratory confirmation of hepatitis B immunity: compliant
    under (g)(2).
    """
    record = student(
        K_BIRTH, "K", _doses(SCHEDULES["24_weeks_of_age"])[:2], evidence=[lab("hepatitis B", date(2024, 3, 1))]
    )
    r = evaluate(ct, record, "hepatitis_b")
    assert r.status.value == "compliant"
    assert r.clause == G2
    assert r.to_dict() == snapshot


def test_g2_confirmation_dated_one_day_after_evaluation(ct, snapshot):
    """(g)(2) "has had protection against hepatitis B confirmed in writing ..."

    Case: as above, the confirmation dated the day after AS_OF: not yet on file; (g)(1) one dose
    short; non_compliant, citing (g)(1).
    """
    record = student(
        K_BIRTH, "K", _doses(SCHEDULES["24_weeks_of_age"])[:2], evidence=[lab("hepatitis_b", AS_OF + ONE_DAY)]
    )
    r = evaluate(ct, record, "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot


def test_g2_hepatitis_a_titer_is_not_hepatitis_b_protection(ct, snapshot):
    """(g)(2) "has had protection against hepatitis B confirmed in writing by a physician,
    physician assistant or advanced practice registered nurse based on specific blood testing by
    a certified laboratory."

    Case: K with two HepB doses and a laboratory confirmation of hepatitis A (not B) immunity:
    non_compliant, citing (g)(1).
    """
    record = student(
        K_BIRTH, "K", _doses(SCHEDULES["24_weeks_of_age"])[:2], evidence=[lab("hepatitis_a", date(2024, 3, 1))]
    )
    r = evaluate(ct, record, "hepatitis_b")
    assert r.status.value == "non_compliant"
    assert r.clause == G1
    assert r.to_dict() == snapshot
