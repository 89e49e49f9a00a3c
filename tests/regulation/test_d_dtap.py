"""§ 10-204a-2a(d) Diphtheria, Tetanus, Pertussis.

(d)(1) four doses from 18 to 83 months of age; (d)(2) for kindergarten and above, a dose on or
after the fourth birthday; (d)(3) three tetanus-diphtheria doses from 84 months of age.
Readings: A-07 ((d)(1) for 18-83 months, (d)(3) for 84 months and older, (d)(2) in addition for
K and above) and A-08 (DT/Td carry no pertussis, so they count toward (d)(1)/(d)(2) only once
the child has passed the sixth birthday, when Conn. Gen. Stat. § 10-204a exempts pertussis).

Seed text (001_efcc850ad678f7dc.txt), verbatim heading: "(d) Diphtheria, Tetanus, Pertussis".
"""

from __future__ import annotations

from datetime import date

from ctrules.dates import add, add_months, birthday

from .conftest import ONE_DAY, evaluate, student

D = "10-204a-2a(d)"
D1 = "10-204a-2a(d)(1)"
D2 = "10-204a-2a(d)(2)"
D3 = "10-204a-2a(d)(3)"

PK_BIRTH = date(2021, 1, 15)  # PK, aged 43 months on AS_OF
K_BIRTH = date(2019, 5, 10)  # K, aged 63 months on AS_OF


def _primary(birth: date, vaccine: str = "DTaP") -> list[tuple[str, date]]:
    """Four doses at the minimum spacing: 2 months of age, +4 weeks, +4 weeks, +6 months."""
    d1 = add_months(birth, 2)
    d2 = add(d1, weeks=4)
    d3 = add(d2, weeks=4)
    d4 = add_months(d3, 6)
    return [(vaccine, d1), (vaccine, d2), (vaccine, d3), (vaccine, d4)]


# --- (d)(1) ------------------------------------------------------------------------------------


def test_d1_meets_four_doses_at_minimum_intervals(ct, snapshot):
    """(d)(1) "An individual eighteen to eighty-three (18-83) months of age shall be considered
    adequately protected against diphtheria, tetanus and pertussis if such individual was
    immunized with a minimum of four (4) doses of diphtheria, tetanus, and pertussis containing
    vaccine, three (3) doses given at a minimum of four (4) week intervals followed by a fourth
    dose at least six (6) months after the third."

    Case: PK aged 43 months, DTaP at 2 months, +4 weeks, +4 weeks, +6 months exactly.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", _primary(PK_BIRTH)), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_fourth_dose_one_day_short_of_six_months(ct, snapshot):
    """(d)(1) "... three (3) doses given at a minimum of four (4) week intervals followed by a
    fourth dose at least six (6) months after the third."

    Case: PK aged 43 months, the fourth DTaP one day before 6 months after the third: not
    counted; non_compliant.
    """
    doses = _primary(PK_BIRTH)
    doses[3] = ("DTaP", doses[3][1] - ONE_DAY)
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_third_dose_27_days_after_second(ct, snapshot):
    """(d)(1) "... three (3) doses given at a minimum of four (4) week intervals ..."

    Case: PK aged 43 months, the third DTaP 27 days after the second: not counted; the fourth
    then counts as the third, and a fourth valid dose is missing: non_compliant.
    """
    doses = _primary(PK_BIRTH)
    doses[2] = ("DTaP", add(doses[1][1], days=27))
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_three_doses_only(ct, snapshot):
    """(d)(1) "... immunized with a minimum of four (4) doses of diphtheria, tetanus, and
    pertussis containing vaccine ..."

    Case: PK aged 43 months with three valid DTaP doses: one dose short; non_compliant.
    """
    r = evaluate(ct, student(PK_BIRTH, "PK", _primary(PK_BIRTH)[:3]), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_dt_is_not_pertussis_containing_before_sixth_birthday(ct, snapshot):
    """(d)(1) "... a minimum of four (4) doses of diphtheria, tetanus, and pertussis containing
    vaccine ..."

    Case: PK aged 43 months, three DTaP and a fourth dose of pediatric DT (no pertussis): under
    reading A-08 the DT dose does not count before the sixth birthday; one qualifying dose
    short, non_compliant.
    """
    doses = _primary(PK_BIRTH)
    doses[3] = ("DT", doses[3][1])
    r = evaluate(ct, student(PK_BIRTH, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_month_end_fourth_dose_on_december_1_counts(ct, snapshot):
    """(d)(1) "... followed by a fourth dose at least six (6) months after the third."

    Case: third dose 2021-05-31; six months later (2021-11-31) does not exist and rolls to
    2021-12-01 (reading A-02). Fourth dose on 2021-12-01: compliant.
    """
    birth = date(2021, 1, 31)
    assert add_months(date(2021, 5, 31), 6) == date(2021, 12, 1)
    doses = [
        ("DTaP", date(2021, 3, 31)),
        ("DTaP", date(2021, 4, 28)),
        ("DTaP", date(2021, 5, 31)),
        ("DTaP", date(2021, 12, 1)),
    ]
    r = evaluate(ct, student(birth, "PK", doses), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_month_end_fourth_dose_on_november_30_is_early(ct, snapshot):
    """(d)(1) "... followed by a fourth dose at least six (6) months after the third."

    Case: as above with the fourth dose on 2021-11-30, one day before 2021-12-01: not counted
    (a clamp-to-month-end reading would accept it); non_compliant.
    """
    birth = date(2021, 1, 31)
    doses = [
        ("DTaP", date(2021, 3, 31)),
        ("DTaP", date(2021, 4, 28)),
        ("DTaP", date(2021, 5, 31)),
        ("DTaP", date(2021, 11, 30)),
    ]
    r = evaluate(ct, student(birth, "PK", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_one_day_before_18_months_not_required(ct, snapshot):
    """(d)(1) "An individual eighteen to eighty-three (18-83) months of age shall be considered
    adequately protected ..."

    Case: P3 born 2023-03-01 with three DTaP doses, evaluated 2024-08-31, one day short of 18
    months: not_required (reading A-15), by the ruleset's `not required` clause for ages below 18
    months; the reasons say (d)(1) applies from 2024-09-01.
    """
    birth = date(2023, 3, 1)
    r = evaluate(ct, student(birth, "P3", _primary(birth)[:3]), "dtap", as_of=date(2024, 8, 31))
    assert r.status.value == "not_required"
    assert r.clause == D1
    assert "§ 10-204a-2a(d)(1) applies from 2024-09-01" in r.reasons
    assert r.to_dict() == snapshot


def test_d1_at_18_months_with_three_doses(ct, snapshot):
    """(d)(1) "An individual eighteen to eighty-three (18-83) months of age shall be considered
    adequately protected ... if such individual was immunized with a minimum of four (4) doses
    ..."

    Case: the same child on 2024-09-01, exactly 18 months: three doses, the fourth could have
    counted since six months after the third; non_compliant.
    """
    birth = date(2023, 3, 1)
    r = evaluate(ct, student(birth, "P3", _primary(birth)[:3]), "dtap", as_of=date(2024, 9, 1))
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_dt_counts_once_past_sixth_birthday(ct, snapshot):
    """(d)(1) "An individual eighteen to eighty-three (18-83) months of age shall be considered
    adequately protected against diphtheria, tetanus and pertussis if such individual was
    immunized with a minimum of four (4) doses ..."; Conn. Gen. Stat. § 10-204a(a)(6): "in the
    case of pertussis, has passed his or her sixth birthday".

    Case: born 2018-05-10, three infant DTaP and a DT on the fourth birthday, evaluated on the
    sixth birthday (72 months, grade K): pertussis is exempt, the four tetanus-diphtheria doses
    suffice for (d)(1) and the DT on the fourth birthday for (d)(2): compliant (reading A-08).
    """
    birth = date(2018, 5, 10)
    doses = [*_primary(birth)[:3], ("DT", birthday(birth, 4))]
    r = evaluate(ct, student(birth, "K", doses), "dtap", as_of=birthday(birth, 6))
    assert r.status.value == "compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d1_dt_does_not_count_one_day_before_sixth_birthday(ct, snapshot):
    """(d)(1) "... a minimum of four (4) doses of diphtheria, tetanus, and pertussis containing
    vaccine ..."

    Case: the same student one day before the sixth birthday (71 months): the DT dose is not
    pertussis-containing, so only three doses count toward (d)(1) and none on or after the
    fourth birthday toward (d)(2): non_compliant, citing (d)(1).
    """
    birth = date(2018, 5, 10)
    doses = [*_primary(birth)[:3], ("DT", birthday(birth, 4))]
    r = evaluate(ct, student(birth, "K", doses), "dtap", as_of=birthday(birth, 6) - ONE_DAY)
    assert r.status.value == "non_compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


# --- (d)(2) ------------------------------------------------------------------------------------


def test_d2_meets_fifth_dose_on_fourth_birthday(ct, snapshot):
    """(d)(2) "For individuals enrolled in grades kindergarten and above, at least one (1) dose of
    diphtheria, tetanus and pertussis containing vaccine must have been given on or after the
    fourth birthday."

    Case: K aged 63 months, four infant DTaP meeting (d)(1) and a fifth exactly on the fourth
    birthday: compliant; the status rests on (d)(1), with (d)(2) also met.
    """
    doses = [*_primary(K_BIRTH), ("DTaP", birthday(K_BIRTH, 4))]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d2_fifth_dose_one_day_before_fourth_birthday(ct, snapshot):
    """(d)(2) "... at least one (1) dose of diphtheria, tetanus and pertussis containing vaccine
    must have been given on or after the fourth birthday."

    Case: K aged 63 months, the fifth DTaP one day before the fourth birthday: (d)(1) met, (d)(2)
    not; non_compliant, citing (d)(2).
    """
    doses = [*_primary(K_BIRTH), ("DTaP", birthday(K_BIRTH, 4) - ONE_DAY)]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D2
    assert r.to_dict() == snapshot


def test_d2_infant_doses_only(ct, snapshot):
    """(d)(2) "For individuals enrolled in grades kindergarten and above, at least one (1) dose of
    diphtheria, tetanus and pertussis containing vaccine must have been given on or after the
    fourth birthday."

    Case: K aged 63 months with only the four infant doses: one dose short; non_compliant,
    citing (d)(2).
    """
    r = evaluate(ct, student(K_BIRTH, "K", _primary(K_BIRTH)), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D2
    assert r.to_dict() == snapshot


def test_d2_dt_after_fourth_birthday_before_sixth(ct, snapshot):
    """(d)(2) "... at least one (1) dose of diphtheria, tetanus and pertussis containing vaccine
    must have been given on or after the fourth birthday."

    Case: K aged 63 months, four infant DTaP and a DT (no pertussis) on the fourth birthday: before
    the sixth birthday pertussis is not exempt (reading A-08), so the DT does not satisfy (d)(2):
    one qualifying dose short, non_compliant, citing (d)(2).
    """
    doses = [*_primary(K_BIRTH), ("DT", birthday(K_BIRTH, 4))]
    r = evaluate(ct, student(K_BIRTH, "K", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D2
    assert r.to_dict() == snapshot


# --- (d)(3) ------------------------------------------------------------------------------------

LEAP_BIRTH = date(2016, 2, 29)  # grade 3 on AS_OF; 7th birthday (84 months) 2023-03-01


def _td_series(start: date) -> list[tuple[str, date]]:
    """Td, +4 weeks, +6 months: the minimum spacing of (d)(3)."""
    d2 = add(start, weeks=4)
    return [("Td", start), ("Td", d2), ("Td", add_months(d2, 6))]


def test_d3_meets_three_td_at_minimum_intervals(ct, snapshot):
    """(d)(3) "An individual eighty-four (84) months of age or older shall be considered adequately
    protected if such individual was immunized with a minimum of two (2) doses of tetanus,
    diphtheria toxoid at a minimum of four (4) week intervals, followed by a third dose of
    tetanus, diphtheria toxoid at least six (6) months after the second dose."

    Case: grade 3 born 2016-02-29, started at 7 (2023-03-01, reading A-03): Td, +4 weeks,
    +6 months. (d)(2) is met by the Td doses after the fourth birthday (pertussis exempt past
    the sixth birthday, reading A-08): compliant under (d)(3).
    """
    assert birthday(LEAP_BIRTH, 7) == date(2023, 3, 1)
    r = evaluate(ct, student(LEAP_BIRTH, "3", _td_series(date(2023, 3, 1))), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == D3
    assert r.to_dict() == snapshot


def test_d3_third_dose_one_day_short_of_six_months(ct, snapshot):
    """(d)(3) "... followed by a third dose of tetanus, diphtheria toxoid at least six (6) months
    after the second dose."

    Case: as above, the third Td one day before six months after the second: not counted;
    non_compliant.
    """
    doses = _td_series(date(2023, 3, 1))
    doses[2] = ("Td", doses[2][1] - ONE_DAY)
    r = evaluate(ct, student(LEAP_BIRTH, "3", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D3
    assert r.to_dict() == snapshot


def test_d3_second_dose_27_days_after_first(ct, snapshot):
    """(d)(3) "... a minimum of two (2) doses of tetanus, diphtheria toxoid at a minimum of four
    (4) week intervals ..."

    Case: as above, the second Td 27 days after the first (not counted), the third seven months
    after the first (it fills position 2): two valid doses; non_compliant.
    """
    start = date(2023, 3, 1)
    doses = [("Td", start), ("Td", add(start, days=27)), ("Td", add_months(start, 7))]
    r = evaluate(ct, student(LEAP_BIRTH, "3", doses), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D3
    assert r.to_dict() == snapshot


def test_d3_two_td_only(ct, snapshot):
    """(d)(3) "... a minimum of two (2) doses of tetanus, diphtheria toxoid at a minimum of four
    (4) week intervals, followed by a third dose ..."

    Case: grade 3 born 2016-02-29 with two Td doses (2023), one dose short: non_compliant.
    """
    r = evaluate(ct, student(LEAP_BIRTH, "3", _td_series(date(2023, 3, 1))[:2]), "dtap")
    assert r.status.value == "non_compliant"
    assert r.clause == D3
    assert r.to_dict() == snapshot


def test_d3_childhood_dtap_series_counts(ct, snapshot):
    """(d)(3) "An individual eighty-four (84) months of age or older shall be considered adequately
    protected if such individual was immunized with a minimum of two (2) doses of tetanus,
    diphtheria toxoid ..."

    Case: grade 4 (aged 9) with the usual five DTaP doses (four infant, one at 4 years): DTaP
    contains tetanus-diphtheria toxoid (reading A-07), so (d)(3) and (d)(2) are met: compliant.
    """
    birth = date(2015, 6, 1)
    doses = [*_primary(birth), ("DTaP", birthday(birth, 4))]
    r = evaluate(ct, student(birth, "4", doses), "dtap")
    assert r.status.value == "compliant"
    assert r.clause == D3
    assert r.to_dict() == snapshot


def test_d3_one_day_before_84_months_three_td_are_not_enough(ct, snapshot):
    """(d)(1) "An individual eighteen to eighty-three (18-83) months of age ... a minimum of four
    (4) doses ..." and (d)(3) "An individual eighty-four (84) months of age or older ..."

    Case: born 2016-02-29, three Td doses from the sixth birthday (2022-03-01), evaluated
    2023-02-28: 84 months is 2023-03-01 (reading A-03), so the child is still 83 months and
    (d)(1) asks four doses, the fourth at least six months after the third (2022-09-29), i.e.
    not before 2023-03-29. The series cannot yet be completed: in_progress, citing (d)(1).
    """
    r = evaluate(ct, student(LEAP_BIRTH, "1", _td_series(date(2022, 3, 1))), "dtap", as_of=date(2023, 2, 28))
    assert r.status.value == "in_progress"
    assert r.clause == D1
    assert r.to_dict() == snapshot


def test_d3_at_84_months_three_td_suffice(ct, snapshot):
    """(d)(3) "An individual eighty-four (84) months of age or older shall be considered adequately
    protected if such individual was immunized with a minimum of two (2) doses of tetanus,
    diphtheria toxoid at a minimum of four (4) week intervals, followed by a third dose of
    tetanus, diphtheria toxoid at least six (6) months after the second dose."

    Case: the same child on 2023-03-01 (84 months): compliant under (d)(3).
    """
    r = evaluate(ct, student(LEAP_BIRTH, "1", _td_series(date(2022, 3, 1))), "dtap", as_of=date(2023, 3, 1))
    assert r.status.value == "compliant"
    assert r.clause == D3
    assert r.to_dict() == snapshot
