"""§ 10-204a-2a(c) Poliomyelitis: (c)(1) three doses from 18 months of age; (c)(2) for K-12 and
48 months or older, a dose on or after the fourth birthday.

Seed text (001_efcc850ad678f7dc.txt), verbatim heading: "(c) Poliomyelitis".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import AS_OF, ONE_DAY, evaluate, student

C = "10-204a-2a(c)"
C1 = "10-204a-2a(c)(1)"
C2 = "10-204a-2a(c)(2)"

PK_BIRTH = date(2022, 3, 10)  # aged 29 months on AS_OF, not in K-12
K_BIRTH = date(2019, 5, 10)  # K, aged 63 months on AS_OF


def _infant_series(birth: date) -> list[tuple[str, date]]:
    """Three IPV doses at exactly the minimum spacing: 2 months of age, +4 weeks, +2 months."""
    d1 = add_months(birth, 2)
    d2 = add(d1, weeks=4)
    d3 = add_months(d2, 2)
    return [("IPV", d1), ("IPV", d2), ("IPV", d3)]


# --- (c)(1) ------------------------------------------------------------------------------------


def test_c1_meets_three_doses_at_minimum_intervals(ct, snapshot):
    """(c)(1) "An individual eighteen (18) months of age or older shall be considered adequately
    protected against poliomyelitis if that individual has had a minimum of (3) doses of either
    trivalent oral polio vaccine (TOPV) or inactivated polio vaccine (IPV), two (2) doses of
    polio vaccine given at least four (4) weeks apart and a third dose given at least two (2)
    months after the previous dose."

    Case: PK aged 29 months, IPV at 2 months, exactly 4 weeks later, and exactly 2 calendar months
    after that (reading A-04).
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", _infant_series(PK_BIRTH)), "polio")
    assert r.status.value == "compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_third_dose_one_day_short_of_two_months(ct, snapshot):
    """(c)(1) "... two (2) doses of polio vaccine given at least four (4) weeks apart and a third
    dose given at least two (2) months after the previous dose."

    Case: PK aged 29 months; the third IPV one day before 2 months after the second: it does not
    count; the valid third dose could have been given long ago, so non_compliant.
    """
    doses = _infant_series(PK_BIRTH)
    doses[2] = ("IPV", doses[2][1] - ONE_DAY)
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_second_dose_27_days_after_first(ct, snapshot):
    """(c)(1) "... two (2) doses of polio vaccine given at least four (4) weeks apart ..."

    Case: PK aged 29 months; the second IPV 27 days after the first (one day short of 4 weeks)
    does not count, so the third dose fills position 2 and a third valid dose is missing:
    non_compliant.
    """
    d1 = add_months(PK_BIRTH, 2)
    doses = [("IPV", d1), ("IPV", add(d1, days=27)), ("IPV", add_months(add(d1, weeks=4), 2))]
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_two_doses_only(ct, snapshot):
    """(c)(1) "... has had a minimum of (3) doses of either trivalent oral polio vaccine (TOPV) or
    inactivated polio vaccine (IPV) ..."

    Case: PK aged 29 months with two valid doses (OPV then IPV), one dose short: non_compliant.
    """
    doses = _infant_series(PK_BIRTH)[:2]
    doses[0] = ("OPV", doses[0][1])
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_month_end_third_dose_on_march_1_counts(ct, snapshot):
    """(c)(1) "... a third dose given at least two (2) months after the previous dose."

    Case: month-end overflow (reading A-02): the second dose on 2022-12-31; two months later
    (2023-02-31) does not exist and moves to 2023-03-01. A third dose on 2023-03-01 counts.
    """
    birth = date(2022, 9, 15)
    assert add_months(date(2022, 12, 31), 2) == date(2023, 3, 1)
    doses = [("IPV", date(2022, 11, 15)), ("IPV", date(2022, 12, 31)), ("IPV", date(2023, 3, 1))]
    r = evaluate(ct, student(birth, "P3", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_month_end_third_dose_on_february_28_is_early(ct, snapshot):
    """(c)(1) "... a third dose given at least two (2) months after the previous dose."

    Case: as above, but the third dose on 2023-02-28, one day before 2023-03-01 (CDSi roll-over,
    reading A-02; a clamp-to-month-end reading would accept it): not counted; non_compliant.
    """
    birth = date(2022, 9, 15)
    doses = [("IPV", date(2022, 11, 15)), ("IPV", date(2022, 12, 31)), ("IPV", date(2023, 2, 28))]
    r = evaluate(ct, student(birth, "P3", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_one_day_before_18_months_not_required(ct, snapshot):
    """(c)(1) "An individual eighteen (18) months of age or older shall be considered adequately
    protected against poliomyelitis if ..."

    Case: born 2022-08-31; 18 months is 2024-02-31, which rolls to 2024-03-01 (reading A-02).
    On 2024-02-29, one day short of 18 months, with two doses: not_required (reading A-15), by
    the ruleset's `not required` clause for ages below 18 months, and the reasons say that
    (c)(1) applies from 2024-03-01.
    """
    birth = date(2022, 8, 31)
    assert add_months(birth, 18) == date(2024, 3, 1)
    doses = _infant_series(birth)[:2]
    r = evaluate(ct, student(birth, "P3", doses), "polio", as_of=date(2024, 2, 29))
    assert r.status.value == "not_required"
    assert r.clause == C1
    assert "§ 10-204a-2a(c)(1) applies from 2024-03-01" in r.reasons
    assert r.to_dict() == snapshot


def test_c1_at_18_months_with_two_doses(ct, snapshot):
    """(c)(1) "An individual eighteen (18) months of age or older shall be considered adequately
    protected against poliomyelitis if that individual has had a minimum of (3) doses ..."

    Case: the same child on 2024-03-01, exactly 18 months, with two doses given in infancy: the
    third could have counted long ago, so non_compliant.
    """
    birth = date(2022, 8, 31)
    doses = _infant_series(birth)[:2]
    r = evaluate(ct, student(birth, "P3", doses), "polio", as_of=date(2024, 3, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c1_third_dose_not_yet_possible_is_in_progress(ct, snapshot):
    """(c)(1) "... a third dose given at least two (2) months after the previous dose."

    Case: P3 aged 29 months on a catch-up schedule, second dose 17 days before AS_OF: the third
    cannot count until 2 months after the second, so the series cannot yet be completed:
    in_progress.
    """
    d2 = AS_OF - 17 * ONE_DAY
    doses = [("IPV", add(d2, weeks=-6)), ("IPV", d2)]
    r = evaluate(ct, student(PK_BIRTH, "P3", doses), "polio")
    assert r.status.value == "in_progress"
    assert r.clause == C1
    assert r.to_dict() == snapshot


# --- (c)(2) ------------------------------------------------------------------------------------


def test_c2_meets_dose_on_fourth_birthday(ct, snapshot):
    """(c)(2) "For individuals enrolled in grades kindergarten through twelve (12) and at least
    forty-eight (48) months of age, at least one (1) dose of polio vaccine must been given on or
    after the fourth birthday."

    Case: K aged 63 months, three infant doses meeting (c)(1) and a fourth IPV exactly on the
    fourth birthday: compliant; the status rests on (c)(1), with (c)(2) also met.
    """
    doses = [*_infant_series(K_BIRTH), ("IPV", birthday(K_BIRTH, 4))]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "polio")
    assert r.status.value == "compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c2_last_dose_one_day_before_fourth_birthday(ct, snapshot):
    """(c)(2) "... at least one (1) dose of polio vaccine must been given on or after the fourth
    birthday."

    Case: K aged 63 months, the fourth IPV one day before the fourth birthday: (c)(1) is met but
    (c)(2) is not; non_compliant, citing (c)(2).
    """
    doses = [*_infant_series(K_BIRTH), ("IPV", birthday(K_BIRTH, 4) - ONE_DAY)]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C2
    assert r.to_dict() == snapshot


def test_c2_infant_series_only(ct, snapshot):
    """(c)(2) "For individuals enrolled in grades kindergarten through twelve (12) and at least
    forty-eight (48) months of age, at least one (1) dose of polio vaccine must been given on or
    after the fourth birthday."

    Case: K aged 63 months with only the three infant doses: one dose (the one after the fourth
    birthday) short; non_compliant, citing (c)(2).
    """
    r = evaluate(ct, student(K_BIRTH, "K", _infant_series(K_BIRTH)), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C2
    assert r.to_dict() == snapshot


def test_c2_kindergartner_one_day_short_of_48_months(ct, snapshot):
    """(c)(2) "For individuals enrolled in grades kindergarten through twelve (12) and at least
    forty-eight (48) months of age, ..."

    Case: K born 2020-09-02, evaluated 2024-09-01, one day short of 48 months, with the three
    infant doses: (c)(2) does not yet apply; (c)(1) is met: compliant.
    """
    birth = date(2020, 9, 2)
    r = evaluate(ct, student(birth, "K", _infant_series(birth)), "polio")
    assert r.status.value == "compliant"
    assert r.clause == C1
    assert r.to_dict() == snapshot


def test_c2_kindergartner_exactly_48_months(ct, snapshot):
    """(c)(2) "For individuals enrolled in grades kindergarten through twelve (12) and at least
    forty-eight (48) months of age, at least one (1) dose of polio vaccine must been given on or
    after the fourth birthday."

    Case: K born 2020-09-01, evaluated on the fourth birthday 2024-09-01, with the three infant
    doses: (c)(2) applies and no dose is on or after the fourth birthday; a dose today would
    count, so non_compliant.
    """
    birth = date(2020, 9, 1)
    r = evaluate(ct, student(birth, "K", _infant_series(birth)), "polio")
    assert r.status.value == "non_compliant"
    assert r.clause == C2
    assert r.to_dict() == snapshot
