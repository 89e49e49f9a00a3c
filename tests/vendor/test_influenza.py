"""Infinite Campus, "Influenza": three rules, tried in order (V-01). The article has an explicit
"Default ages 24-59 months Non-compliant" rule, so when no rule matches the requirement does not
apply (V-05): `not_required`, and (a status that asks for no action) no rule is cited.

Vendor group: "Influenza vaccine" (any vaccine containing influenza). "The last dose" is the
student's most recent dose (V-03). "Greater than or equal to 11 months with a 0 (zero) day
tolerance" holds from the date 11 months after the last dose; "less than 6 months with a 1 day
tolerance" holds up to the date 6 months after it. Ages "at least 24 months, but no older than 59
months" run from the 24-month date up to the day before the 60-month date.

Seed text (002_6dfd16146714b4ef.txt), section "Influenza".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add_months

from .conftest import AS_OF, ONE_DAY, evaluate, student

REQUIREMENTS = ("influenza",)

NO_DOSE_CURRENT_YEAR = "No dose current year"
TWO = "2 doses"
DEFAULT_24_59_MONTHS = "Default ages 24-59 months"

RULES = (NO_DOSE_CURRENT_YEAR, TWO, DEFAULT_24_59_MONTHS)

PK_BIRTH = date(2020, 1, 15)  # PK, aged 43 months on AS_OF
RECENT = [("Flu", date(2023, 1, 20)), ("Flu", date(2023, 3, 1))]  # 40 days apart; 6 months later is AS_OF


def _born_months_before(months: int) -> date:
    """The birth date at which a child is exactly `months` old on AS_OF (AS_OF is a 1st)."""
    return add_months(AS_OF, -months)


# --- "No dose current year" ---------------------------------------------------------------------


def test_no_dose_current_year_last_dose_exactly_11_months_before(ic, snapshot):
    """Rule "No dose current year Non-compliant": "the student is in state grade: P3: 3 year old Pre-K, PK:
    Prekindergarten, the student is at least 24 months, but no older than 59 months old, the student
    receives one dose of the Influenza vaccine, and the difference between the last dose and
    effective date greater than or equal to 11 months with a 0 (zero) day tolerance." (NOTE D18: no
    August 1 - December 31 window.)

    Case: PK with one Flu dose on 2022-10-01, exactly 11 months before AS_OF: non_compliant by "No
    dose current year".
    """
    assert add_months(date(2022, 10, 1), 11) == AS_OF
    r = evaluate(ic, student(PK_BIRTH, "PK", [("Flu", date(2022, 10, 1))]), "influenza")
    assert r.status.value == "non_compliant"
    assert r.clause == NO_DOSE_CURRENT_YEAR
    assert r.to_dict() == snapshot


def test_d18_last_dose_one_day_short_of_11_months_matches_no_rule(ic, snapshot):
    """Rule "No dose current year": "... greater than or equal to 11 months with a 0 (zero) day
    tolerance." NOTE (D18): "a first-time recipient with one recent dose matches no rule (no
    requirement, V-05)".

    Case: PK with one Flu dose on 2022-10-02 (11 months on the day after AS_OF): not 11 months yet,
    only one dose for "2 doses", and a dose for "Default": no rule decides; not_required, no clause.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", [("Flu", date(2022, 10, 2))]), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_no_dose_current_year_no_dose_is_default(ic, snapshot):
    """Rule "No dose current year": "the student receives one dose of the Influenza vaccine"; "Default ages
    24-59 months": "the student has not received any doses".

    Case: PK with no Flu dose: non_compliant by "Default ages 24-59 months".
    """
    r = evaluate(ic, student(PK_BIRTH, "PK"), "influenza")
    assert r.status.value == "non_compliant"
    assert r.clause == DEFAULT_24_59_MONTHS
    assert r.to_dict() == snapshot


def test_d18_two_doses_last_one_11_months_before(ic, snapshot):
    """NOTE (D18): "'current year' is 11 months since the last dose". "No dose current year": "the
    student receives one dose ... and the difference between the last dose and effective date
    greater than or equal to 11 months".

    Case: PK with Flu on 2022-09-01 and 2022-10-01, the last exactly 11 months before AS_OF:
    non_compliant by "No dose current year".
    """
    doses = [("Flu", date(2022, 9, 1)), ("Flu", date(2022, 10, 1))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "influenza")
    assert r.status.value == "non_compliant"
    assert r.clause == NO_DOSE_CURRENT_YEAR
    assert r.to_dict() == snapshot


# --- "2 doses" ----------------------------------------------------------------------------------


def test_2_doses_last_dose_exactly_6_months_before(ic, snapshot):
    """Rule "2 doses Compliant": "the student is in state grade: P3 ..., PK ..., the student is at least 24
    months, but no older than 59 months old, the student receives two doses of the Influenza
    vaccine, the difference between the second dose and the previous is greater than 28 days with a
    0 (zero) day tolerance, and the difference between the last dose and the effective date is less
    than 6 months with a 1 day tolerance."

    Case: PK with Flu on 2023-01-20 and 2023-03-01, the last exactly 6 months before AS_OF
    (6 months, within the 1-day tolerance): compliant by "2 doses".
    """
    assert add_months(RECENT[1][1], 6) == AS_OF
    r = evaluate(ic, student(PK_BIRTH, "PK", RECENT), "influenza")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_d18_2_doses_6_months_and_a_day_later_matches_no_rule(ic, snapshot):
    """Rule "2 doses": "... less than 6 months with a 1 day tolerance." NOTE (D18): "two lifetime doses and
    a dose in the last 6 months: a child vaccinated in November turns non-compliant in May". Under
    V-05 (an explicit default rule, so no match is no requirement) the child is not compliant any
    more but matches no rule either, until the 11-month rule applies.

    Case: the same child evaluated 2023-09-02, 6 months and 1 day after the last dose: no rule
    decides; not_required, no clause.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", RECENT), "influenza", as_of=AS_OF + ONE_DAY)
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_2_doses_meets_second_dose_29_days_after_first(ic, snapshot):
    """Rule "2 doses": "the difference between the second dose and the previous is greater than 28 days
    with a 0 (zero) day tolerance".

    Case: PK with Flu on 2023-01-31 and 2023-03-01 (29 days later): compliant by "2 doses".
    """
    doses = [("Flu", date(2023, 1, 31)), ("Flu", date(2023, 3, 1))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "influenza")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_second_dose_28_days_after_first(ic, snapshot):
    """Rule "2 doses": "... greater than 28 days with a 0 (zero) day tolerance".

    Case: PK with Flu on 2023-02-01 and 2023-03-01 (exactly 28 days later): the second does not
    count; no rule decides; not_required, no clause.
    """
    doses = [("Flu", date(2023, 2, 1)), ("Flu", date(2023, 3, 1))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_d18_first_time_recipient_with_one_recent_dose(ic, snapshot):
    """NOTE (D18): "a first-time recipient with one recent dose matches no rule (no requirement,
    V-05)". "2 doses": "the student receives two doses of the Influenza vaccine".

    Case: PK with one Flu dose on 2023-03-01: no rule decides; not_required, no clause.
    """
    r = evaluate(ic, student(PK_BIRTH, "PK", RECENT[1:]), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_d18_no_august_to_december_window(ic, snapshot):
    """NOTE (D18): "no August 1 - December 31 window" (the regulation's (k) wants a dose in that
    window each year).

    Case: PK with Flu on 2023-01-10 and 2023-02-20, evaluated 2024-01-15 (no dose since 2023-02-20,
    10 months and 26 days): not 11 months yet and not within 6 months: no rule decides;
    not_required, no clause.
    """
    doses = [("Flu", date(2023, 1, 10)), ("Flu", date(2023, 2, 20))]
    r = evaluate(ic, student(PK_BIRTH, "PK", doses), "influenza", as_of=date(2024, 1, 15))
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_2_doses_at_exactly_24_months(ic, snapshot):
    """Rule "2 doses": "the student is at least 24 months ...".

    Case: P3 born 2021-09-01, exactly 24 months old, Flu on 2023-01-20 and 2023-03-01: compliant by
    "2 doses".
    """
    r = evaluate(ic, student(_born_months_before(24), "P3", RECENT), "influenza")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_one_day_before_24_months(ic, snapshot):
    """Rule "2 doses": "the student is at least 24 months ..." (every influenza rule has this age).

    Case: P3 born 2021-09-02 (24 months on the day after AS_OF), the same doses: no rule applies;
    not_required, no clause.
    """
    r = evaluate(ic, student(_born_months_before(24) + ONE_DAY, "P3", RECENT), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_2_doses_last_day_of_59_months(ic, snapshot):
    """Rule "2 doses": "... but no older than 59 months old".

    Case: PK born 2018-09-02 (60 months on the day after AS_OF), the same doses: compliant by "2
    doses".
    """
    r = evaluate(ic, student(_born_months_before(60) + ONE_DAY, "PK", RECENT), "influenza")
    assert r.status.value == "compliant"
    assert r.clause == TWO
    assert r.to_dict() == snapshot


def test_2_doses_at_exactly_60_months(ic, snapshot):
    """Rule "2 doses": "... but no older than 59 months old".

    Case: PK born 2018-09-01, exactly 60 months old, the same doses: no rule applies; not_required,
    no clause.
    """
    r = evaluate(ic, student(_born_months_before(60), "PK", RECENT), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


# --- "Default ages 24-59 months" ----------------------------------------------------------------


def test_default_24_59_months_at_exactly_24_months(ic, snapshot):
    """Rule "Default ages 24-59 months Non-compliant": "the student is at least 24 months, but no older
    than 59 months old, the student is in state grade(s): P3: 3 year old Pre-K, PK:
    Prekindergarten, and the student has not received any doses of the Influenza vaccine."

    Case: P3 born 2021-09-01, exactly 24 months old, no Flu dose: non_compliant by "Default ages
    24-59 months".
    """
    r = evaluate(ic, student(_born_months_before(24), "P3"), "influenza")
    assert r.status.value == "non_compliant"
    assert r.clause == DEFAULT_24_59_MONTHS
    assert r.to_dict() == snapshot


def test_default_24_59_months_one_day_before_24_months(ic, snapshot):
    """Rule "Default ages 24-59 months": "at least 24 months".

    Case: P3 born 2021-09-02, no Flu dose: no rule applies; not_required, no clause.
    """
    r = evaluate(ic, student(_born_months_before(24) + ONE_DAY, "P3"), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_default_24_59_months_last_day_of_59_months(ic, snapshot):
    """Rule "Default ages 24-59 months": "no older than 59 months old".

    Case: PK born 2018-09-02 (60 months on the day after AS_OF), no Flu dose: non_compliant by
    "Default ages 24-59 months".
    """
    r = evaluate(ic, student(_born_months_before(60) + ONE_DAY, "PK"), "influenza")
    assert r.status.value == "non_compliant"
    assert r.clause == DEFAULT_24_59_MONTHS
    assert r.to_dict() == snapshot


def test_default_24_59_months_at_exactly_60_months(ic, snapshot):
    """Rule "Default ages 24-59 months": "no older than 59 months old".

    Case: PK born 2018-09-01, exactly 60 months old, no Flu dose: not_required, no clause.
    """
    r = evaluate(ic, student(_born_months_before(60), "PK"), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot


def test_default_24_59_months_kindergarten(ic, snapshot):
    """Rule "Default ages 24-59 months": "the student is in state grade(s): P3: 3 year old Pre-K, PK:
    Prekindergarten".

    Case: K aged 59 months (born 2018-09-02) with no Flu dose: no rule applies; not_required, no
    clause.
    """
    r = evaluate(ic, student(_born_months_before(60) + ONE_DAY, "K"), "influenza")
    assert r.status.value == "not_required"
    assert r.clause is None
    assert r.to_dict() == snapshot
