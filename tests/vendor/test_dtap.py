"""Infinite Campus, "DTaP": seven rules, tried in order (V-01), then non-compliant (V-05).

Vendor group: "DT, Td, Tdap, or DTaP-DTP vaccine" (any vaccine containing diphtheria and
tetanus). Ages such as "at least 7 months, but no older than 17 months old" run from the 7-month
date up to the day before the 18-month date.

Seed text (002_6dfd16146714b4ef.txt), section "DTaP".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

REQUIREMENTS = ("dtap",)

THREE_K12 = "3 doses K-12"
FOUR_K12 = "4 doses K-12"
FOUR = "4 doses"
THREE = "3 doses"
TWO = "2 doses"
ONE = "1 dose"
NO_REQUIREMENT = "No Requirement"

RULES = (THREE_K12, FOUR_K12, FOUR, THREE, TWO, ONE, NO_REQUIREMENT)

G8_BIRTH = date(2010, 3, 15)  # grade 8, aged 13 on AS_OF: a series started at 7
K_BIRTH = date(2018, 5, 10)  # K, aged 63 months on AS_OF
PK_BIRTH = date(2019, 6, 20)  # PK, aged 50 months on AS_OF


def _born_months_before(months: int) -> date:
    """The birth date at which a child is exactly `months` old on AS_OF (AS_OF is a 1st)."""
    return add_months(AS_OF, -months)


def _catch_up(first: date) -> list[tuple[str, date]]:
    """Three doses at the vendor's minimum spacing: +29 days, then 6 months and 1 day."""
    second = add(first, days=29)
    third = add_months(second, 6) + ONE_DAY
    return [("Td", first), ("Td", second), ("Tdap", third)]


def _infant(birth: date) -> list[tuple[str, date]]:
    """Four DTaP: 2 months of age, +29 days, +29 days, then 6 months and 1 day after the third."""
    d1 = add_months(birth, 2)
    d2 = add(d1, days=29)
    d3 = add(d2, days=29)
    return [("DTaP", d1), ("DTaP", d2), ("DTaP", d3), ("DTaP", add_months(d3, 6) + ONE_DAY)]


def _k_series(birth: date = K_BIRTH) -> list[tuple[str, date]]:
    """Three infant DTaP 29 days apart, the fourth on the day after the 4th birthday."""
    doses = _infant(birth)
    doses[3] = ("DTaP", birthday(birth, 4) + ONE_DAY)
    return doses


# --- "3 doses K-12" -----------------------------------------------------------------------------


def test_3_doses_k12_meets_at_minimums(ic, snapshot):
    """Rule "3 doses K-12 Compliant": "the student is in state grade: KH ... 12, the student receives
    three doses of the DT, Td, Tdap, or DTaP-DTP vaccine, the difference between the first dose and
    the student's birthdate is greater than 84 months with a 0 (zero) day tolerance, the difference
    between the second dose and the previous is greater than 28 days ..., and the difference
    between the third dose and the previous is greater than 6 months ..."

    Case: grade 8, Td the day after the 7th birthday, Td 29 days later, Tdap 6 months and 1 day
    after that: compliant by "3 doses K-12".
    """
    r = evaluate(ic, student(G8_BIRTH, "8", _catch_up(birthday(G8_BIRTH, 7) + ONE_DAY)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == THREE_K12
    assert r.to_dict() == snapshot


def test_3_doses_k12_first_dose_on_7th_birthday(ic, snapshot):
    """Rule "3 doses K-12": "the difference between the first dose and the student's birthdate is
    greater than 84 months with a 0 (zero) day tolerance" (NOTE D1).

    Case: as above with the first Td on the 7th birthday itself (exactly 84 months): not counted
    as dose 1, so only two doses count. No other rule is met (the 4-dose rules count three of
    four): non_compliant, citing the closest rule, "4 doses K-12".
    """
    r = evaluate(ic, student(G8_BIRTH, "8", _catch_up(birthday(G8_BIRTH, 7))), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_3_doses_k12_second_dose_28_days_after_first(ic, snapshot):
    """Rule "3 doses K-12": "the difference between the second dose and the previous is greater than 28
    days with a 0 (zero) day tolerance" (NOTE D1).

    Case: grade 8, first Td the day after the 7th birthday, the second exactly 28 days later: not
    counted; the third counts as dose 2 and dose 3 is missing: non_compliant, "3 doses K-12"
    closest.
    """
    doses = _catch_up(birthday(G8_BIRTH, 7) + ONE_DAY)
    doses[1] = ("Td", add(doses[0][1], days=28))
    r = evaluate(ic, student(G8_BIRTH, "8", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_K12
    assert r.to_dict() == snapshot


def test_3_doses_k12_third_dose_exactly_6_months_after_second(ic, snapshot):
    """Rule "3 doses K-12": "the difference between the third dose and the previous is greater than 6
    months with a 0 (zero) day tolerance" (NOTE D1).

    Case: grade 8, the third dose exactly 6 months after the second: not counted; two of three
    count for "3 doses K-12", three of four for "4 doses K-12", which is cited as closest;
    non_compliant.
    """
    doses = _catch_up(birthday(G8_BIRTH, 7) + ONE_DAY)
    doses[2] = ("Tdap", add_months(doses[1][1], 6))
    r = evaluate(ic, student(G8_BIRTH, "8", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_3_doses_k12_two_doses_only(ic, snapshot):
    """Rule "3 doses K-12": "the student receives three doses of the DT, Td, Tdap, or DTaP-DTP vaccine".

    Case: grade 8 with the first two catch-up doses only: one dose short; non_compliant, "3 doses
    K-12" closest.
    """
    r = evaluate(ic, student(G8_BIRTH, "8", _catch_up(birthday(G8_BIRTH, 7) + ONE_DAY)[:2]), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE_K12
    assert r.to_dict() == snapshot


# --- "4 doses K-12" -----------------------------------------------------------------------------


def test_4_doses_k12_meets_last_dose_day_after_4th_birthday(ic, snapshot):
    """Rule "4 doses K-12 Compliant": "... the student receives four doses of the DT, Td, Tdap, or
    DTaP-DTP vaccine, the difference between the last dose and the student's birthdate is greater
    than 48 months with a 0 (zero) day tolerance, the difference between the second dose and the
    previous is greater than 28 days ..., the difference between the third dose and the previous is
    greater than 28 days ..., and the difference between the fourth dose and the previous is
    greater than 6 months ..."

    Case: K, DTaP at 2 months, +29 days, +29 days, the fourth the day after the 4th birthday:
    compliant by "4 doses K-12".
    """
    r = evaluate(ic, student(K_BIRTH, "K", _k_series()), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_4_doses_k12_meets_with_vendor_grade_code_kf(ic, snapshot):
    """Rule "4 doses K-12": "the student is in state grade: KH: Kindergarten, Half Day, KE: Kindergarten,
    Extended Day, KF: Kindergarten, Full Day, 01, ..."

    Case: as above with the record's grade written "KF" and the doses as DT, DTP, DTaP and Td
    (all "DT, Td, Tdap, or DTaP-DTP vaccine"): compliant by "4 doses K-12".
    """
    doses = [(vaccine, given) for vaccine, (_, given) in zip(("DT", "DTP", "DTaP", "Td"), _k_series(), strict=True)]
    r = evaluate(ic, student(K_BIRTH, "KF", doses), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_4_doses_k12_meets_fourth_dose_6_months_and_a_day_after_third(ic, snapshot):
    """Rule "4 doses K-12": "the difference between the fourth dose and the previous is greater than 6
    months with a 0 (zero) day tolerance".

    Case: K, third dose 2021-11-11, fourth 2022-05-12 (6 months and 1 day later, after the 4th
    birthday 2022-05-10): compliant by "4 doses K-12".
    """
    d3 = date(2021, 11, 11)
    doses = [("DTaP", add(d3, days=-58)), ("DTaP", add(d3, days=-29)), ("DTaP", d3), ("DTaP", date(2022, 5, 12))]
    assert add_months(d3, 6) == date(2022, 5, 11)
    r = evaluate(ic, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_4_doses_k12_fourth_dose_exactly_6_months_after_third(ic, snapshot):
    """Rule "4 doses K-12": "the difference between the fourth dose and the previous is greater than 6
    months with a 0 (zero) day tolerance".

    Case: as above with the fourth dose on 2022-05-11, exactly 6 months after the third: not
    counted by either 4-dose rule; non_compliant, "4 doses K-12" closest.
    """
    d3 = date(2021, 11, 11)
    doses = [("DTaP", add(d3, days=-58)), ("DTaP", add(d3, days=-29)), ("DTaP", d3), ("DTaP", add_months(d3, 6))]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_4_doses_k12_second_dose_28_days_after_first(ic, snapshot):
    """Rule "4 doses K-12": "the difference between the second dose and the previous is greater than 28
    days with a 0 (zero) day tolerance".

    Case: K, the second DTaP exactly 28 days after the first: not counted; three of four count;
    non_compliant, "4 doses K-12" closest.
    """
    doses = _k_series()
    doses[1] = ("DTaP", add(doses[0][1], days=28))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_4_doses_k12_third_dose_28_days_after_second(ic, snapshot):
    """Rule "4 doses K-12": "the difference between the third dose and the previous is greater than 28
    days with a 0 (zero) day tolerance".

    Case: K, the third DTaP exactly 28 days after the second: not counted; non_compliant, "4 doses
    K-12" closest.
    """
    doses = _k_series()
    doses[2] = ("DTaP", add(doses[1][1], days=28))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


def test_4_doses_k12_last_dose_on_4th_birthday_falls_to_4_doses(ic, snapshot):
    """Rule "4 doses K-12": "the difference between the last dose and the student's birthdate is greater
    than 48 months with a 0 (zero) day tolerance" (NOTE D2); "4 doses Compliant" has no grade and
    no age for the last dose (NOTE D3).

    Case: K with the fourth DTaP on the 4th birthday itself: "4 doses K-12" is not met, and the
    next rule, "4 doses", is: compliant by "4 doses".
    """
    doses = _k_series()
    doses[3] = ("DTaP", birthday(K_BIRTH, 4))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_k12_three_doses_only(ic, snapshot):
    """Rule "4 doses K-12": "the student receives four doses of the DT, Td, Tdap, or DTaP-DTP vaccine".

    Case: K with three DTaP, the last the day after the 4th birthday: one dose short of both 4-dose
    rules; non_compliant, "4 doses K-12" closest.
    """
    doses = _k_series()
    del doses[2]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR_K12
    assert r.to_dict() == snapshot


# --- "4 doses" ----------------------------------------------------------------------------------


def test_4_doses_meets_preschool_at_minimums(ic, snapshot):
    """Rule "4 doses Compliant": "the student is at least 18 months old, the student receives four doses
    of the DT, Td, Tdap, or DTaP-DTP vaccine, the difference between the second dose and the
    previous is greater than 28 days ..., the difference between the third dose and the previous is
    greater than 28 days ..., and the difference between the fourth dose and the previous is
    greater than 6 months with a 0 (zero) day tolerance."

    Case: PK aged 50 months, DTaP at 2 months, +29 days, +29 days, +6 months and 1 day: compliant
    by "4 doses".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", _infant(PK_BIRTH)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_fourth_dose_exactly_6_months_after_third(ic, snapshot):
    """Rule "4 doses": "the difference between the fourth dose and the previous is greater than 6 months
    with a 0 (zero) day tolerance".

    Case: PK, the fourth DTaP exactly 6 months after the third: not counted; non_compliant, "4
    doses" closest.
    """
    doses = _infant(PK_BIRTH)
    doses[3] = ("DTaP", add_months(doses[2][1], 6))
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_second_dose_28_days_after_first(ic, snapshot):
    """Rule "4 doses": "the difference between the second dose and the previous is greater than 28 days
    with a 0 (zero) day tolerance".

    Case: PK, the second DTaP exactly 28 days after the first: not counted; the later doses move
    up and the fourth position is empty; non_compliant, "4 doses" closest.
    """
    doses = _infant(PK_BIRTH)
    doses[1] = ("DTaP", add(doses[0][1], days=28))
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_third_dose_28_days_after_second(ic, snapshot):
    """Rule "4 doses": "the difference between the third dose and the previous is greater than 28 days
    with a 0 (zero) day tolerance".

    Case: PK, the third DTaP exactly 28 days after the second: not counted; non_compliant, "4
    doses" closest.
    """
    doses = _infant(PK_BIRTH)
    doses[2] = ("DTaP", add(doses[1][1], days=28))
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_three_doses_only(ic, snapshot):
    """Rule "4 doses": "the student receives four doses of the DT, Td, Tdap, or DTaP-DTP vaccine".

    Case: PK aged 50 months with three DTaP: one dose short; non_compliant, "4 doses" closest.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", _infant(PK_BIRTH)[:3]), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_at_exactly_18_months(ic, snapshot):
    """Rule "4 doses": "the student is at least 18 months old".

    Case: P3 born 2022-03-01, exactly 18 months old on AS_OF, with four DTaP at the minimum
    spacing: compliant by "4 doses".
    """
    birth = _born_months_before(18)
    assert add_months(birth, 18) == AS_OF
    r = evaluate(ic, student(birth, "P3", _infant(birth)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_4_doses_one_day_before_18_months_falls_to_3_doses(ic, snapshot):
    """Rule "4 doses": "the student is at least 18 months old"; "3 doses Compliant": "the student is at
    least 7 months, but no older than 17 months old, and the student receives three doses".

    Case: P3 born 2022-03-02 (18 months on the day after AS_OF) with the same four doses: "4
    doses" does not apply yet; "3 doses" does and is met: compliant by "3 doses".
    """
    birth = _born_months_before(18) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _infant(_born_months_before(18))), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_d3_k12_student_with_four_doses_none_after_4th_birthday(ic, snapshot):
    """NOTE (D3): "4 doses Compliant" has "no grade and no upper age, and [is] tried after the K-12
    rules: a K-12 student with four doses, none after the 4th birthday, is compliant here." (The
    regulation's (d)(2) requires a dose on or after the 4th birthday for K and above.)

    Case: grade 3 (born 2015-02-03) with four infant DTaP, the last at 13 months: "4 doses K-12"
    fails on the last dose's age; compliant by "4 doses".
    """
    birth = date(2015, 2, 3)
    r = evaluate(ic, student(birth, "3", _infant(birth)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


# --- "3 doses" ----------------------------------------------------------------------------------


def _doses(birth: date, *months: int) -> list[tuple[str, date]]:
    return [("DTaP", add_months(birth, m)) for m in months]


def test_3_doses_meets_at_12_months(ic, snapshot):
    """Rule "3 doses Compliant": "the student is at least 7 months, but no older than 17 months old, and
    the student receives three doses of the DT, Td, Tdap, or DTaP-DTP vaccine." (NOTE D4: a partial
    infant series is called compliant.)

    Case: P3 aged exactly 12 months with DTaP at 2, 4 and 6 months: compliant by "3 doses".
    """
    birth = _born_months_before(12)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 4, 6)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_at_exactly_18_months_no_longer_applies(ic, snapshot):
    """Rule "3 doses": "... no older than 17 months old ..."; "4 doses": "at least 18 months old".

    Case: P3 exactly 18 months old on AS_OF with three DTaP (2, 4, 6 months): "3 doses" no longer
    applies and "4 doses" is one dose short; non_compliant, "4 doses" closest.
    """
    birth = _born_months_before(18)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 4, 6)), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == FOUR
    assert r.to_dict() == snapshot


def test_3_doses_last_day_of_17_months(ic, snapshot):
    """Rule "3 doses": "... no older than 17 months old ...".

    Case: P3 born 2022-03-02, 18 months old on the day after AS_OF, with three DTaP: compliant by
    "3 doses".
    """
    birth = _born_months_before(18) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 4, 6)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_at_exactly_7_months(ic, snapshot):
    """Rule "3 doses": "the student is at least 7 months ...".

    Case: born 2023-02-01, exactly 7 months old on AS_OF, with DTaP at 2, 3 and 4 months:
    compliant by "3 doses".
    """
    birth = _born_months_before(7)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 3, 4)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_3_doses_one_day_before_7_months_falls_to_2_doses(ic, snapshot):
    """Rule "3 doses": "the student is at least 7 months ..."; "2 doses Compliant": "at least 5 months,
    but no older than 6 months old, and ... two doses".

    Case: born 2023-02-02 (7 months on the day after AS_OF) with three DTaP: compliant by "2
    doses".
    """
    birth = _born_months_before(7) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 3, 4)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_3_doses_two_doses_only(ic, snapshot):
    """Rule "3 doses": "the student receives three doses of the DT, Td, Tdap, or DTaP-DTP vaccine".

    Case: P3 aged 12 months with DTaP at 2 and 4 months: one dose short; non_compliant, "3 doses"
    closest.
    """
    birth = _born_months_before(12)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 4)), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


# --- "2 doses" ----------------------------------------------------------------------------------


def test_2_doses_meets_at_6_months(ic, snapshot):
    """Rule "2 doses Compliant": "the student is at least 5 months, but no older than 6 months old, and
    the student receives two doses of the DT, Td, Tdap, or DTaP-DTP vaccine."

    Case: exactly 6 months old with DTaP at 2 and 4 months: compliant by "2 doses".
    """
    birth = _born_months_before(6)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 4)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_at_exactly_7_months_no_longer_applies(ic, snapshot):
    """Rule "2 doses": "... no older than 6 months old ..."; "3 doses": "at least 7 months".

    Case: exactly 7 months old with DTaP at 2 and 4 months: "3 doses" applies and is one short;
    non_compliant, "3 doses" closest.
    """
    birth = _born_months_before(7)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 4)), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == THREE
    assert r.to_dict() == snapshot


def test_2_doses_at_exactly_5_months(ic, snapshot):
    """Rule "2 doses": "the student is at least 5 months ...".

    Case: born 2023-04-01, exactly 5 months old, DTaP at 2 and 3 months: compliant by "2 doses".
    """
    birth = _born_months_before(5)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 3)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_one_day_before_5_months_falls_to_1_dose(ic, snapshot):
    """Rule "2 doses": "the student is at least 5 months ..."; "1 dose Compliant": "at least 3 months,
    but no older than 4 months old, and ... one dose".

    Case: born 2023-04-02 (5 months on the day after AS_OF), DTaP at 2 and 3 months: compliant
    by "1 dose".
    """
    birth = _born_months_before(5) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2, 3)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


def test_2_doses_one_dose_only(ic, snapshot):
    """Rule "2 doses": "the student receives two doses of the DT, Td, Tdap, or DTaP-DTP vaccine".

    Case: exactly 6 months old with one DTaP at 2 months: non_compliant, "2 doses" closest.
    """
    birth = _born_months_before(6)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2)), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


# --- "1 dose" -----------------------------------------------------------------------------------


def test_1_dose_meets_at_4_months(ic, snapshot):
    """Rule "1 dose Compliant": "the student is at least 3 months, but no older than 4 months old, and
    the student receives one dose of the DT, Td, Tdap, or DTaP-DTP vaccine."

    Case: exactly 4 months old with one DTaP at 2 months: compliant by "1 dose".
    """
    birth = _born_months_before(4)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


def test_1_dose_at_exactly_5_months_no_longer_applies(ic, snapshot):
    """Rule "1 dose": "... no older than 4 months old"; "2 doses": "at least 5 months".

    Case: exactly 5 months old with one DTaP: "2 doses" applies and is one short; non_compliant,
    "2 doses" closest.
    """
    birth = _born_months_before(5)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2)), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_1_dose_at_exactly_3_months(ic, snapshot):
    """Rule "1 dose": "the student is at least 3 months ...".

    Case: born 2023-06-01, exactly 3 months old, one DTaP at 2 months: compliant by "1 dose".
    """
    birth = _born_months_before(3)
    r = evaluate(ic, student(birth, "P3", _doses(birth, 2)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


def test_1_dose_no_dose(ic, snapshot):
    """Rule "1 dose": "the student receives one dose of the DT, Td, Tdap, or DTaP-DTP vaccine".

    Case: exactly 4 months old with no dose: non_compliant, "1 dose" closest.
    """
    r = evaluate(ic, student(_born_months_before(4), "P3"), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE
    assert r.to_dict() == snapshot


# --- "No Requirement" ---------------------------------------------------------------------------


def test_no_requirement_last_day_of_2_months(ic, snapshot):
    """Rule "No Requirement": "Students age 0-2 months old are not required to receive any doses of the
    DT, Td, Tdap, or DTaP-DTP vaccine."

    Case: born 2023-06-02 (3 months old on the day after AS_OF), no dose: not_required by "No
    Requirement".
    """
    r = evaluate(ic, student(_born_months_before(3) + ONE_DAY, "P3"), "dtap")
    assert r.status.value == "not_required"
    assert r.clause == NO_REQUIREMENT
    assert r.to_dict() == snapshot


def test_no_requirement_ends_at_3_months(ic, snapshot):
    """Rule "No Requirement": "Students age 0-2 months old ..."; "1 dose": "at least 3 months".

    Case: born 2023-06-01, exactly 3 months old, no dose: "1 dose" applies and is not met;
    non_compliant, "1 dose" closest.
    """
    r = evaluate(ic, student(_born_months_before(3), "P3"), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE
    assert r.to_dict() == snapshot
