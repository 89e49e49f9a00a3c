"""Infinite Campus, "MMR": six rules, tried in order (V-01), then non-compliant (V-05). Infinite
Campus tracks MMR as one vaccine: the rules decide `measles`, and `mumps` and `rubella` follow it
(V-06).

Vendor groups: "Measles-Mumps Rubella (MMR) or Measles-Mumps-Rubella-Varicella (MMRV) vaccine"
(MMR, MMRV); "Measles vaccine", "Mumps vaccine", "Rubella vaccine" (the single-antigen vaccines
only). "Greater than 12 months with a 0 (zero) day tolerance" excludes a dose on the 1st birthday.

Seed text (002_6dfd16146714b4ef.txt), section "MMR".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, evaluate_all, student

REQUIREMENTS = ("measles", "mumps", "rubella")

TWO_MMR_K12 = "2 MMR K-12"
TWO_M_TWO_M_TWO_R_K12 = "2M2M2R K-12"
ONE_MMR_ONE_M_ONE_M_ONE_R_K12 = "1MMR1M1M1R K-12"
ONE_DOSE_16_MONTHS = "1 dose 16 months"
ONE_M_ONE_M_ONE_R = "1M1M1R"
AGE_0_15_MONTHS = "Age 0-15 months"

RULES = (
    TWO_MMR_K12,
    TWO_M_TWO_M_TWO_R_K12,
    ONE_MMR_ONE_M_ONE_M_ONE_R_K12,
    ONE_DOSE_16_MONTHS,
    ONE_M_ONE_M_ONE_R,
    AGE_0_15_MONTHS,
)

K_BIRTH = date(2018, 5, 10)  # K on AS_OF
PK_BIRTH = date(2019, 6, 20)  # PK on AS_OF
DAY_AFTER_1ST = birthday(K_BIRTH, 1) + ONE_DAY  # 2019-05-11


def _born_months_before(months: int) -> date:
    """The birth date at which a child is exactly `months` old on AS_OF (AS_OF is a 1st)."""
    return add_months(AS_OF, -months)


def _singles(rubella_second: date) -> list[tuple[str, date]]:
    """Measles, Mumps and Rubella the day after the 1st birthday; Measles and Mumps again 29 days
    later; the second Rubella on `rubella_second`."""
    second = add(DAY_AFTER_1ST, days=29)
    return [
        ("Measles", DAY_AFTER_1ST),
        ("Mumps", DAY_AFTER_1ST),
        ("Rubella", DAY_AFTER_1ST),
        ("Measles", second),
        ("Mumps", second),
        ("Rubella", rubella_second),
    ]


# --- "2 MMR K-12" -------------------------------------------------------------------------------


def test_2_mmr_k12_meets_at_minimums(ic, snapshot):
    """Rule "2 MMR K-12 Compliant": "the student is in state grade: KH ... 12, the student receives two
    doses of the Measles-Mumps Rubella (MMR) or Measles-Mumps-Rubella-Varicella (MMRV) vaccine, the
    difference between the first dose and the student's birthdate is greater than 12 months with a
    0 (zero) day tolerance, and the difference between the second dose and the previous is greater
    than 28 days with a 0 (zero) day tolerance."

    Case: K, MMR the day after the 1st birthday, MMRV 29 days later: compliant by "2 MMR K-12".
    """
    doses = [("MMR", DAY_AFTER_1ST), ("MMRV", add(DAY_AFTER_1ST, days=29))]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == TWO_MMR_K12
    assert r.to_dict() == snapshot


def test_2_mmr_k12_first_dose_on_1st_birthday_falls_to_1_dose_16_months(ic, snapshot):
    """Rule "2 MMR K-12": "the difference between the first dose and the student's birthdate is greater
    than 12 months with a 0 (zero) day tolerance" (NOTE D8); "1 dose 16 months" has no grade
    (NOTE D11).

    Case: K, MMR on the 1st birthday and again on 2019-06-09: only the second counts, so "2 MMR
    K-12" is one short; "1 dose 16 months" is met: compliant by "1 dose 16 months".
    """
    doses = [("MMR", birthday(K_BIRTH, 1)), ("MMR", add(DAY_AFTER_1ST, days=29))]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_2_mmr_k12_second_dose_28_days_after_first_falls_to_1_dose_16_months(ic, snapshot):
    """Rule "2 MMR K-12": "the difference between the second dose and the previous is greater than 28 days
    with a 0 (zero) day tolerance" (NOTE D8); "1 dose 16 months" (NOTE D11).

    Case: K, MMR the day after the 1st birthday and again exactly 28 days later: the second does not
    count; compliant by "1 dose 16 months".
    """
    doses = [("MMR", DAY_AFTER_1ST), ("MMR", add(DAY_AFTER_1ST, days=28))]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_d11_k12_student_with_one_mmr_is_compliant(ic, snapshot):
    """NOTE (D11): "with no grade condition this rule also catches K-12 students with one MMR dose
    who failed the K-12 rules above." "2 MMR K-12": "the student receives two doses ...".

    Case: grade 7 (born 2011-04-20) with one MMR at 13 months: compliant by "1 dose 16 months".
    """
    birth = date(2011, 4, 20)
    r = evaluate(ic, student(birth, "7", [("MMR", add_months(birth, 13))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_2_mmr_k12_no_dose(ic, snapshot):
    """Rule "2 MMR K-12": "the student receives two doses ..."; no other rule is met either.

    Case: K with no measles-containing dose: non_compliant, "2 MMR K-12" closest (first of the
    equally close rules).
    """
    r = evaluate(ic, student(K_BIRTH, "K"), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_MMR_K12
    assert r.to_dict() == snapshot


# --- "2M2M2R K-12" ------------------------------------------------------------------------------


def test_2m2m2r_k12_meets_at_minimums(ic, snapshot):
    """Rule "2M2M2R K-12 Compliant": "... the student receives two doses of the Measles vaccine, [first
    dose greater than 12 months, second greater than 28 days after] ..., the student receives two
    doses of the Mumps vaccine, [the same] ..., the student receives two doses of the Rubella
    vaccine, the difference between the first dose and the student's birthdate is greater than 12
    months ..., and the difference between the second dose and the previous is greater than 12
    months with a 0 (zero) day tolerance".

    Case: K with single-antigen Measles, Mumps and Rubella the day after the 1st birthday, Measles
    and Mumps 29 days later, Rubella 12 months and 1 day later: compliant by "2M2M2R K-12".
    """
    doses = _singles(add_months(DAY_AFTER_1ST, 12) + ONE_DAY)
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == TWO_M_TWO_M_TWO_R_K12
    assert r.to_dict() == snapshot


def test_d9_2m2m2r_k12_rubella_second_dose_exactly_12_months(ic, snapshot):
    """NOTE (D9): "the second rubella dose must come more than 12 months after the first; the
    regulation's (b)(2) says 28 days." "2M2M2R K-12": "... greater than 12 months with a 0 (zero)
    day tolerance"; "1MMR1M1M1R K-12" then decides on one Measles dose (NOTE D10).

    Case: as above with the second Rubella exactly 12 months after the first: "2M2M2R K-12" is not
    met; compliant by "1MMR1M1M1R K-12".
    """
    doses = _singles(add_months(DAY_AFTER_1ST, 12))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


def test_d9_2m2m2r_k12_rubella_second_dose_29_days_does_not_meet(ic, snapshot):
    """NOTE (D9): "the second rubella dose must come more than 12 months after the first; the
    regulation's (b)(2) says 28 days."

    Case: K with the second Rubella 29 days after the first, like Measles and Mumps (enough for the
    regulation): "2M2M2R K-12" is not met; compliant by "1MMR1M1M1R K-12" instead.
    """
    doses = _singles(add(DAY_AFTER_1ST, days=29))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


def test_2m2m2r_k12_measles_second_dose_28_days_after_first(ic, snapshot):
    """Rule "2M2M2R K-12": "the difference between the second dose and the previous is greater than 28
    days with a 0 (zero) day tolerance".

    Case: K with the second Measles exactly 28 days after the first (Mumps and Rubella as in the
    meeting case): "2M2M2R K-12" is not met; compliant by "1MMR1M1M1R K-12".
    """
    doses = _singles(add_months(DAY_AFTER_1ST, 12) + ONE_DAY)
    doses[3] = ("Measles", add(DAY_AFTER_1ST, days=28))
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


def test_2m2m2r_k12_one_rubella_dose_only(ic, snapshot):
    """Rule "2M2M2R K-12": "the student receives two doses of the Rubella vaccine".

    Case: K with two Measles, two Mumps and one Rubella: "2M2M2R K-12" is one dose short; compliant
    by "1MMR1M1M1R K-12".
    """
    doses = _singles(add_months(DAY_AFTER_1ST, 12) + ONE_DAY)[:5]
    r = evaluate(ic, student(K_BIRTH, "K", doses), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


# --- "1MMR1M1M1R K-12" --------------------------------------------------------------------------


def test_d10_one_measles_dose_makes_k12_compliant(ic, snapshot):
    """NOTE (D10): "Read literally ..., one single-antigen dose of measles, mumps or rubella makes a
    K-12 student compliant". "1MMR1M1M1R K-12 Compliant": "... the student receives one dose of the
    Measles vaccine, the difference between the first dose and the student's birthdate is greater
    than 12 months with a 0 (zero) day tolerance, OR ..."

    Case: K with one single-antigen Measles the day after the 1st birthday: compliant by
    "1MMR1M1M1R K-12".
    """
    r = evaluate(ic, student(K_BIRTH, "K", [("Measles", DAY_AFTER_1ST)]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


def test_d10_one_rubella_dose_makes_k12_compliant_for_measles(ic, snapshot):
    """NOTE (D10). "1MMR1M1M1R K-12": "... OR the student receives one dose of the Rubella vaccine,
    the difference between the first dose and the student's birthdate is greater than 12 months with
    a 0 (zero) day tolerance, OR ..."

    Case: grade 10 (born 2008-01-30) with one single-antigen Rubella at 13 months and nothing else:
    measles is compliant by "1MMR1M1M1R K-12".
    """
    birth = date(2008, 1, 30)
    r = evaluate(ic, student(birth, "10", [("Rubella", add_months(birth, 13))]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


def test_1mmr1m1m1r_k12_mumps_dose_on_1st_birthday(ic, snapshot):
    """Rule "1MMR1M1M1R K-12": "... the student receives one dose of the Mumps vaccine, the difference
    between the first dose and the student's birthdate is greater than 12 months with a 0 (zero) day
    tolerance ..."

    Case: K whose only dose is a single-antigen Mumps on the 1st birthday itself: it counts for no
    rule; non_compliant, "2 MMR K-12" closest (first of the equally close rules).
    """
    r = evaluate(ic, student(K_BIRTH, "K", [("Mumps", birthday(K_BIRTH, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == TWO_MMR_K12
    assert r.to_dict() == snapshot


def test_1mmr1m1m1r_k12_mumps_dose_day_after_1st_birthday(ic, snapshot):
    """Rule "1MMR1M1M1R K-12": "... OR the student receives one dose of the Mumps vaccine, the difference
    between the first dose and the student's birthdate is greater than 12 months ..."

    Case: K whose only dose is a single-antigen Mumps the day after the 1st birthday: compliant by
    "1MMR1M1M1R K-12".
    """
    r = evaluate(ic, student(K_BIRTH, "K", [("Mumps", DAY_AFTER_1ST)]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert r.to_dict() == snapshot


# --- "1 dose 16 months" -------------------------------------------------------------------------


def test_1_dose_16_months_meets_preschool(ic, snapshot):
    """Rule "1 dose 16 months Compliant": "the student is at least 16 months old, the student receives one
    dose of the Measles-Mumps Rubella (MMR) or Measles-Mumps-Rubella-Varicella (MMRV) vaccine, and
    the difference between the first dose and the student's birthdate is greater than 12 months with
    a 0 (zero) day tolerance."

    Case: PK with one MMR the day after the 1st birthday: compliant by "1 dose 16 months".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("MMR", birthday(PK_BIRTH, 1) + ONE_DAY)]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_16_months_dose_on_1st_birthday(ic, snapshot):
    """Rule "1 dose 16 months": "... greater than 12 months with a 0 (zero) day tolerance." (NOTE D8.)

    Case: PK with one MMR on the 1st birthday: not counted; non_compliant, "1 dose 16 months"
    closest.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("MMR", birthday(PK_BIRTH, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_16_months_at_exactly_16_months(ic, snapshot):
    """Rule "1 dose 16 months": "the student is at least 16 months old".

    Case: P3 born 2022-05-01, exactly 16 months old, MMR the day after the 1st birthday: compliant
    by "1 dose 16 months".
    """
    birth = _born_months_before(16)
    r = evaluate(ic, student(birth, "P3", [("MMR", birthday(birth, 1) + ONE_DAY)]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_16_months_one_day_before_16_months(ic, snapshot):
    """Rule "1 dose 16 months": "the student is at least 16 months old"; "Age 0-15 months No requirement".

    Case: P3 born 2022-05-02 (16 months on the day after AS_OF), MMR the day after the 1st birthday:
    not_required by "Age 0-15 months".
    """
    birth = _born_months_before(16) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", [("MMR", birthday(birth, 1) + ONE_DAY)]), "measles")
    assert r.status.value == "not_required"
    assert r.clause == AGE_0_15_MONTHS
    assert r.to_dict() == snapshot


def test_1_dose_16_months_no_dose(ic, snapshot):
    """Rule "1 dose 16 months": "the student receives one dose of the ... (MMR) or ... (MMRV) vaccine".

    Case: PK with no measles-containing dose: non_compliant, "1 dose 16 months" closest.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK"), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


# --- "1M1M1R" -----------------------------------------------------------------------------------


def test_d11_1m1m1r_one_rubella_dose_meets(ic, snapshot):
    """Rule "1M1M1R Compliant": "the student is at least 16 months old, the student receives one dose of
    the Measles vaccine, ... OR the student receives one dose of the Mumps vaccine, ... OR the
    student receives one dose of the Rubella vaccine, the difference between the first dose and the
    student's birthdate is greater than 12 months with a 0 (zero) day tolerance." (NOTE D11: one
    dose of any one single antigen is enough.)

    Case: PK with one single-antigen Rubella the day after the 1st birthday: compliant by "1M1M1R".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("Rubella", birthday(PK_BIRTH, 1) + ONE_DAY)]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_M_ONE_M_ONE_R
    assert r.to_dict() == snapshot


def test_1m1m1r_dose_on_1st_birthday(ic, snapshot):
    """Rule "1M1M1R": "... greater than 12 months with a 0 (zero) day tolerance."

    Case: PK with one single-antigen Rubella on the 1st birthday: not counted; non_compliant, "1
    dose 16 months" closest (first of the equally close rules).
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("Rubella", birthday(PK_BIRTH, 1))]), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


def test_1m1m1r_at_exactly_16_months(ic, snapshot):
    """Rule "1M1M1R": "the student is at least 16 months old".

    Case: P3 born 2022-05-01, exactly 16 months old, single-antigen Measles the day after the 1st
    birthday: compliant by "1M1M1R".
    """
    birth = _born_months_before(16)
    r = evaluate(ic, student(birth, "P3", [("Measles", birthday(birth, 1) + ONE_DAY)]), "measles")
    assert r.status.value == "compliant"
    assert r.clause == ONE_M_ONE_M_ONE_R
    assert r.to_dict() == snapshot


def test_1m1m1r_one_day_before_16_months(ic, snapshot):
    """Rule "1M1M1R": "the student is at least 16 months old"; "Age 0-15 months".

    Case: P3 born 2022-05-02, single-antigen Measles the day after the 1st birthday: not_required by
    "Age 0-15 months".
    """
    birth = _born_months_before(16) + ONE_DAY
    r = evaluate(ic, student(birth, "P3", [("Measles", birthday(birth, 1) + ONE_DAY)]), "measles")
    assert r.status.value == "not_required"
    assert r.clause == AGE_0_15_MONTHS
    assert r.to_dict() == snapshot


# --- "Age 0-15 months" --------------------------------------------------------------------------


def test_age_0_15_months_last_day(ic, snapshot):
    """Rule "Age 0-15 months No requirement": "Students age 0-15 months old are not required to receive
    any doses of the Measles-Mumps Rubella (MMR) or Measles-Mumps-Rubella-Varicella (MMRV)
    vaccine." (NOTE D11: under the regulation's (a)(1) a preschooler of 12-15 months needs a dose.)

    Case: P3 born 2022-05-02 (16 months on the day after AS_OF) with no dose: not_required by "Age
    0-15 months".
    """
    r = evaluate(ic, student(_born_months_before(16) + ONE_DAY, "P3"), "measles")
    assert r.status.value == "not_required"
    assert r.clause == AGE_0_15_MONTHS
    assert r.to_dict() == snapshot


def test_age_0_15_months_ends_at_16_months(ic, snapshot):
    """Rule "Age 0-15 months": "Students age 0-15 months old ..."; "1 dose 16 months": "at least 16
    months old".

    Case: P3 born 2022-05-01, exactly 16 months old, no dose: non_compliant, "1 dose 16 months"
    closest.
    """
    r = evaluate(ic, student(_born_months_before(16), "P3"), "measles")
    assert r.status.value == "non_compliant"
    assert r.clause == ONE_DOSE_16_MONTHS
    assert r.to_dict() == snapshot


# --- mumps and rubella follow measles (V-06) ----------------------------------------------------


def test_v06_mumps_and_rubella_follow_one_measles_dose(ic, snapshot):
    """V-06: "Infinite Campus tracks MMR as one vaccine: its rules decide measles, and mumps and
    rubella follow them." With NOTE D10, one single-antigen Measles dose decides all three.

    Case: K with one single-antigen Measles the day after the 1st birthday (no mumps or rubella
    vaccine at all): measles, mumps and rubella all compliant by "1MMR1M1M1R K-12".
    """
    result = evaluate_all(ic, student(K_BIRTH, "K", [("Measles", DAY_AFTER_1ST)]))
    for requirement in REQUIREMENTS:
        r = result.requirements[requirement]
        assert r.status.value == "compliant"
        assert r.clause == ONE_MMR_ONE_M_ONE_M_ONE_R_K12
    assert [result.requirements[q].to_dict() for q in REQUIREMENTS] == snapshot


def test_v06_mumps_and_rubella_follow_2_mmr(ic, snapshot):
    """V-06; "2 MMR K-12" (as above).

    Case: K with MMR the day after the 1st birthday and MMRV 29 days later: mumps and rubella
    compliant by "2 MMR K-12", as measles is.
    """
    doses = [("MMR", DAY_AFTER_1ST), ("MMRV", add(DAY_AFTER_1ST, days=29))]
    result = evaluate_all(ic, student(K_BIRTH, "K", doses))
    for requirement in REQUIREMENTS:
        r = result.requirements[requirement]
        assert r.status.value == "compliant"
        assert r.clause == TWO_MMR_K12
    assert [result.requirements[q].to_dict() for q in ("mumps", "rubella")] == snapshot
