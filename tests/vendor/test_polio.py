"""Infinite Campus, "Polio": five rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "IPV, OPV, or IPV/OPV Polio vaccine" (any vaccine containing polio). "Greater than
28 days with a 4 day tolerance" accepts 25 days, not 24; "greater than 2 months with a 4 day
tolerance" accepts a dose from 3 days before the 2-month date.

Seed text (002_6dfd16146714b4ef.txt), section "Polio".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

REQUIREMENTS = ("polio",)

THREE_K12 = "3 doses K-12"
THREE_18_MONTHS = "3 doses Ages 18 months and older"
TWO_5_17_MONTHS = "2 doses Ages 5 months - 17 months"
ONE_3_4_MONTHS = "1 dose Ages 3 months - 4 months"
AGES_0_2_MONTHS = "0-2 months"

RULES = (THREE_K12, THREE_18_MONTHS, TWO_5_17_MONTHS, ONE_3_4_MONTHS, AGES_0_2_MONTHS)

K_BIRTH = date(2018, 5, 10)  # K on AS_OF
PK_BIRTH = date(2019, 6, 20)  # PK on AS_OF


def _born_months_before(months: int) -> date:
    """The birth date at which a child is exactly `months` old on AS_OF (AS_OF is a 1st)."""
    return add_months(AS_OF, -months)


def _k_series(third: date | None = None) -> list[tuple[str, date]]:
    """K: IPV at 2 months, 29 days later, and `third` (by default the day after the 4th birthday)."""
    if third is None:
        third = birthday(K_BIRTH, 4) + ONE_DAY
    first = add_months(K_BIRTH, 2)
    return [("IPV", first), ("IPV", add(first, days=29)), ("IPV", third)]


def _tolerant(birth: date) -> list[tuple[str, date]]:
    """IPV at 2 months, 25 days later, then 2 months less 3 days later: the 4-day tolerances."""
    first = add_months(birth, 2)
    second = add(first, days=25)
    return [("IPV", first), ("IPV", second), ("IPV", add(second, months=2, days=-3))]


# --- "3 doses K-12" -----------------------------------------------------------------------------


def test_3_doses_k12_meets_last_dose_day_after_4th_birthday(ic, snapshot):
    """Rule "3 doses K-12 Compliant": "the student is in state grade: KH ... 12, the student receives
    three doses of the IPV, OPV, or IPV/OPV Polio vaccine, the difference between the last dose and
    the student's birthdate is greater than 48 months with a 0 (zero) day tolerance, the difference
    between the second dose and the previous is greater than 28 days with a 0 (zero) day tolerance,
    and the difference between the third dose and the previous is greater than 2 months with a 0
    (zero) day tolerance."

    Case: K, IPV at 2 months, 29 days later, and the day after the 4th birthday: compliant by "3
    doses K-12".
    """
    r = evaluate(ic, student(K_BIRTH, "K", _k_series()), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_K12
    assert r.to_dict() == snapshot


def test_3_doses_k12_last_dose_on_4th_birthday_falls_to_18_months_rule(ic, snapshot):
    """Rule "3 doses K-12": "the difference between the last dose and the student's birthdate is greater
    than 48 months with a 0 (zero) day tolerance" (NOTE D14: a last dose on the 4th birthday fails;
    "3 doses Ages 18 months and older" has no grade condition).

    Case: K with the third IPV on the 4th birthday: compliant by "3 doses Ages 18 months and older".
    """
    r = evaluate(ic, student(K_BIRTH, "K", _k_series(birthday(K_BIRTH, 4))), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_k12_second_dose_28_days_after_first(ic, snapshot):
    """Rule "3 doses K-12": "the difference between the second dose and the previous is greater than 28
    days with a 0 (zero) day tolerance" (NOTE D14: "no tolerance here, 4 days in the next rule for
    the same intervals").

    Case: K with the second IPV exactly 28 days after the first: not counted by "3 doses K-12",
    counted by the next rule's 4-day tolerance: compliant by "3 doses Ages 18 months and older".
    """
    doses = _k_series()
    doses[1] = ("IPV", add(doses[0][1], days=28))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_k12_meets_third_dose_2_months_and_a_day_after_second(ic, snapshot):
    """Rule "3 doses K-12": "the difference between the third dose and the previous is greater than 2
    months with a 0 (zero) day tolerance".

    Case: K (late starter) with IPV on 2022-02-10, 2022-03-11 and 2022-05-12 (2 months and 1 day
    after the second, after the 4th birthday 2022-05-10): compliant by "3 doses K-12".
    """
    doses = [("IPV", date(2022, 2, 10)), ("IPV", date(2022, 3, 11)), ("IPV", date(2022, 5, 12))]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_K12
    assert r.to_dict() == snapshot


def test_3_doses_k12_third_dose_exactly_2_months_after_second(ic, snapshot):
    """Rule "3 doses K-12": "... greater than 2 months with a 0 (zero) day tolerance" (NOTE D14).

    Case: as above with the third IPV on 2022-05-11, exactly 2 months after the second: not counted
    by "3 doses K-12"; compliant by "3 doses Ages 18 months and older" (4-day tolerance).
    """
    doses = [("IPV", date(2022, 2, 10)), ("IPV", date(2022, 3, 11)), ("IPV", date(2022, 5, 11))]
    assert add_months(date(2022, 3, 11), 2) == date(2022, 5, 11)
    r = evaluate(ic, student(K_BIRTH, "K", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_k12_two_doses_only(ic, snapshot):
    """Rule "3 doses K-12": "the student receives three doses of the IPV, OPV, or IPV/OPV Polio vaccine".

    Case: K with IPV at 2 months and the day after the 4th birthday only: one dose short of both
    3-dose rules; non_compliant, citing "3 doses Ages 18 months and older" (equally close, and its
    third dose could count sooner).
    """
    doses = _k_series()
    del doses[1]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_d14_k12_student_with_infant_doses_only(ic, snapshot):
    """NOTE (D14): "no grade condition: a K-12 student whose doses all came before the 4th birthday
    is compliant here, though (c)(2) requires one on or after it."

    Case: grade 2 (born 2016-01-12) with IPV at 2, 4 and 6 months: compliant by "3 doses Ages 18
    months and older".
    """
    birth = date(2016, 1, 12)
    doses = [("IPV", add_months(birth, m)) for m in (2, 4, 6)]
    r = evaluate(ic, student(birth, "2", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


# --- "3 doses Ages 18 months and older" ---------------------------------------------------------


def test_3_doses_18_months_meets_at_tolerances(ic, snapshot):
    """Rule "3 doses Ages 18 months and older Compliant": "the student is at least 18 months old, the
    student receives three doses of the IPV, OPV, or IPV/OPV Polio vaccine, the difference between
    the second dose and the previous is greater than 28 days with a 4 day tolerance, and the
    difference between the third dose and the previous is greater than 2 months with a 4 day
    tolerance."

    Case: PK, IPV at 2 months, 25 days later, and 2 months less 3 days after that: compliant by "3
    doses Ages 18 months and older".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", _tolerant(PK_BIRTH)), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_18_months_second_dose_24_days_after_first(ic, snapshot):
    """Rule "3 doses Ages 18 months and older": "... greater than 28 days with a 4 day tolerance".

    Case: PK with the second IPV 24 days after the first: not counted; the third counts as dose 2;
    non_compliant, "3 doses Ages 18 months and older" closest.
    """
    doses = _tolerant(PK_BIRTH)
    doses[1] = ("IPV", add(doses[0][1], days=24))
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_18_months_third_dose_4_days_short_of_2_months(ic, snapshot):
    """Rule "3 doses Ages 18 months and older": "... greater than 2 months with a 4 day tolerance".

    Case: PK with the third IPV 2 months less 4 days after the second: not counted; non_compliant,
    "3 doses Ages 18 months and older" closest.
    """
    doses = _tolerant(PK_BIRTH)
    doses[2] = ("IPV", add(doses[1][1], months=2, days=-4))
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_18_months_two_doses_only(ic, snapshot):
    """Rule "3 doses Ages 18 months and older": "the student receives three doses".

    Case: PK with two IPV: non_compliant, "3 doses Ages 18 months and older" closest.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", _tolerant(PK_BIRTH)[:2]), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_18_months_at_exactly_18_months(ic, snapshot):
    """Rule "3 doses Ages 18 months and older": "the student is at least 18 months old".

    Case: P3 born 2022-03-01, exactly 18 months old, IPV at 2, 3 and 5 months: compliant by "3
    doses Ages 18 months and older".
    """
    birth = _born_months_before(18)
    doses = [("IPV", add_months(birth, m)) for m in (2, 3, 5)]
    r = evaluate(ic, student(birth, "P3", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_3_doses_18_months_one_day_before_18_months(ic, snapshot):
    """Rule "3 doses Ages 18 months and older": "at least 18 months old"; "2 doses Ages 5 months - 17
    months": "at least 5 months, but no older than 17 months old".

    Case: P3 born 2022-03-02 (18 months on the day after AS_OF), IPV at 2, 3 and 5 months:
    compliant by "2 doses Ages 5 months - 17 months".
    """
    birth = _born_months_before(18) + ONE_DAY
    doses = [("IPV", add_months(birth, m)) for m in (2, 3, 5)]
    r = evaluate(ic, student(birth, "P3", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == TWO_5_17_MONTHS
    assert r.to_dict() == snapshot


# --- "2 doses Ages 5 months - 17 months" --------------------------------------------------------


def test_2_doses_5_17_months_meets_at_tolerance(ic, snapshot):
    """Rule "2 doses Ages 5 months - 17 months Compliant": "the student is at least 5 months, but no older
    than 17 months old, the student receives two doses of the IPV, OPV, or IPV/OPV Polio vaccine, and
    the difference between the second dose and the previous is greater than 28 days with a 4 day
    tolerance." (NOTE D14: a partial infant series called compliant.)

    Case: exactly 6 months old, IPV at 2 months and 25 days later: compliant by "2 doses Ages 5
    months - 17 months".
    """
    birth = _born_months_before(6)
    r = evaluate(ic, student(birth, "P3", _tolerant(birth)[:2]), "polio")
    assert r.status.value == "compliant"
    assert r.clause == TWO_5_17_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_17_months_second_dose_24_days_after_first(ic, snapshot):
    """Rule "2 doses Ages 5 months - 17 months": "... greater than 28 days with a 4 day tolerance."

    Case: exactly 6 months old, IPV at 2 months and 24 days later: the second does not count;
    non_compliant, "2 doses Ages 5 months - 17 months" closest.
    """
    birth = _born_months_before(6)
    first = add_months(birth, 2)
    r = evaluate(ic, student(birth, "P3", [("IPV", first), ("IPV", add(first, days=24))]), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_5_17_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_17_months_one_dose_only(ic, snapshot):
    """Rule "2 doses Ages 5 months - 17 months": "the student receives two doses".

    Case: exactly 6 months old with one IPV at 2 months: non_compliant, "2 doses Ages 5 months - 17
    months" closest.
    """
    birth = _born_months_before(6)
    r = evaluate(ic, student(birth, "P3", [("IPV", add_months(birth, 2))]), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_5_17_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_17_months_at_exactly_18_months_no_longer_applies(ic, snapshot):
    """Rule "2 doses Ages 5 months - 17 months": "... no older than 17 months old"; "3 doses Ages 18 months
    and older".

    Case: P3 born 2022-03-01, exactly 18 months old, with two IPV: non_compliant, "3 doses Ages 18
    months and older" closest.
    """
    birth = _born_months_before(18)
    r = evaluate(ic, student(birth, "P3", _tolerant(birth)[:2]), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_18_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_17_months_at_exactly_5_months(ic, snapshot):
    """Rule "2 doses Ages 5 months - 17 months": "the student is at least 5 months".

    Case: born 2023-04-01, exactly 5 months old, IPV at 2 months and 25 days later: compliant by "2
    doses Ages 5 months - 17 months".
    """
    birth = _born_months_before(5)
    r = evaluate(ic, student(birth, "P3", _tolerant(birth)[:2]), "polio")
    assert r.status.value == "compliant"
    assert r.clause == TWO_5_17_MONTHS
    assert r.to_dict() == snapshot


def test_2_doses_5_17_months_one_day_before_5_months(ic, snapshot):
    """Rule "2 doses Ages 5 months - 17 months": "at least 5 months"; "1 dose Ages 3 months - 4 months".

    Case: born 2023-04-02 (5 months on the day after AS_OF), IPV at 2 months and 25 days later:
    compliant by "1 dose Ages 3 months - 4 months".
    """
    birth = _born_months_before(5) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _tolerant(birth)[:2]), "polio")
    assert r.status.value == "compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


# --- "1 dose Ages 3 months - 4 months" ----------------------------------------------------------


def test_1_dose_3_4_months_meets(ic, snapshot):
    """Rule "1 dose Ages 3 months - 4 months Compliant": "the student is at least 3 months, but no older
    than 4 months old, and the student receives one dose of the IPV, OPV, or IPV/OPV Polio vaccine."

    Case: exactly 4 months old with one IPV at 2 months: compliant by "1 dose Ages 3 months - 4
    months".
    """
    birth = _born_months_before(4)
    r = evaluate(ic, student(birth, "P3", [("IPV", add_months(birth, 2))]), "polio")
    assert r.status.value == "compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_3_4_months_at_exactly_3_months(ic, snapshot):
    """Rule "1 dose Ages 3 months - 4 months": "the student is at least 3 months".

    Case: born 2023-06-01, exactly 3 months old, one IPV at 2 months: compliant by "1 dose Ages 3
    months - 4 months".
    """
    birth = _born_months_before(3)
    r = evaluate(ic, student(birth, "P3", [("IPV", add_months(birth, 2))]), "polio")
    assert r.status.value == "compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_3_4_months_at_exactly_5_months_no_longer_applies(ic, snapshot):
    """Rule "1 dose Ages 3 months - 4 months": "... no older than 4 months old"; "2 doses Ages 5 months -
    17 months".

    Case: exactly 5 months old with one IPV: non_compliant, "2 doses Ages 5 months - 17 months"
    closest.
    """
    birth = _born_months_before(5)
    r = evaluate(ic, student(birth, "P3", [("IPV", add_months(birth, 2))]), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_5_17_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_3_4_months_no_dose(ic, snapshot):
    """Rule "1 dose Ages 3 months - 4 months": "the student receives one dose".

    Case: exactly 4 months old with no dose: non_compliant, "1 dose Ages 3 months - 4 months"
    closest.
    """
    r = evaluate(ic, student(_born_months_before(4), "P3"), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot


# --- "0-2 months" -------------------------------------------------------------------------------


def test_0_2_months_last_day(ic, snapshot):
    """Rule "0-2 months No Requirements": "Students age 0-2 months old are not required to receive any
    doses of the Polio vaccine."

    Case: born 2023-06-02 (3 months on the day after AS_OF), no dose: not_required by "0-2 months".
    """
    r = evaluate(ic, student(_born_months_before(3) + ONE_DAY, "P3"), "polio")
    assert r.status.value == "not_required"
    assert r.clause == AGES_0_2_MONTHS
    assert r.to_dict() == snapshot


def test_0_2_months_ends_at_3_months(ic, snapshot):
    """Rule "0-2 months": "Students age 0-2 months old ..."; "1 dose Ages 3 months - 4 months".

    Case: born 2023-06-01, exactly 3 months old, no dose: non_compliant, "1 dose Ages 3 months - 4
    months" closest.
    """
    r = evaluate(ic, student(_born_months_before(3), "P3"), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_3_4_MONTHS
    assert r.to_dict() == snapshot
