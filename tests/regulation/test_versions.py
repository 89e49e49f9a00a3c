"""Versions over time: the rules in force on the evaluation date decide, and results name them.

`ct` has four versions (`ctrules rulesets`): 2000-08-01 (reconstructed in part, reading A-22),
2011-08-01 (the regulation amended effective August 1, 2011), 2021-04-28 (Public Act 21-6) and
2022-09-01 (the end of Public Act 21-6's grace for preschool religious exemptions). Each test
evaluates one student the day before and the day a version takes effect, asserts both statuses,
clauses and version ids, and snapshots the pair.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import ctrules
from ctrules.dates import add, birthday

from .conftest import religious, student

DAY_BEFORE_2011 = date(2011, 7, 31)
FROM_2011 = date(2011, 8, 1)


def _pair(ruleset: ctrules.Ruleset, record: dict[str, Any], requirement: str, *days: date) -> list[dict[str, Any]]:
    """The requirement's result on each day, with the version that decided it."""
    out = []
    for day in days:
        result = ruleset.evaluate(record, as_of=day)
        assert result.status.value != "error", result.errors
        out.append(
            {"as_of": day.isoformat(), "ruleset": result.to_dict()["ruleset"]}
            | result.requirements[requirement].to_dict()
        )
    return out


def _summary(pair: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    return [(p["ruleset"]["version"], p["status"], p["clause"]) for p in pair]


# --- August 1, 2011 ----------------------------------------------------------------------------


def test_2011_second_measles_dose_for_grades_1_to_6(ct, snapshot):
    """(a)(2) "on or after August 1, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against measles by use of two (2) doses ..."

    Case: grade 3, one MMR on the first birthday. On 2011-07-31 the reconstructed rule of the
    2000 version (one measles dose in grades 1 to 6, provisional) is met; on 2011-08-01 (a)(2)
    asks for a second dose.
    """
    birth = date(2003, 3, 1)
    pair = _pair(ct, student(birth, "3", [("MMR", birthday(birth, 1))]), "measles", DAY_BEFORE_2011, FROM_2011)
    assert _summary(pair) == [
        ("2000-08-01", "compliant", "10-204a-2a(a)"),
        ("2011-08-01", "non_compliant", "10-204a-2a(a)(2)"),
    ]
    assert pair == snapshot


def test_2011_second_mumps_dose_in_kindergarten(ct, snapshot):
    """(e)(2) "on or after August I, 2011, is enrolled in kindergarten through grade 12 and was
    immunized against mumps by use of two (2) doses ..."

    Case: K, one MMR on the first birthday: one mumps dose was enough before (reconstructed
    (e), provisional), two are needed from 2011-08-01.
    """
    birth = date(2006, 3, 1)
    pair = _pair(ct, student(birth, "K", [("MMR", birthday(birth, 1))]), "mumps", DAY_BEFORE_2011, FROM_2011)
    assert _summary(pair) == [
        ("2000-08-01", "compliant", "10-204a-2a(e)"),
        ("2011-08-01", "non_compliant", "10-204a-2a(e)(2)"),
    ]
    assert pair == snapshot


@pytest.mark.parametrize(
    "requirement, clause, grade, birth, after",
    [
        ("hepatitis_a", "10-204a-2a(i)(1)", "PK", date(2008, 1, 1), "non_compliant"),
        ("pneumococcal", "10-204a-2a(j)(1)", "PK", date(2008, 1, 1), "non_compliant"),
        ("influenza", "10-204a-2a(k)", "PK", date(2008, 1, 1), "in_progress"),
        ("tdap", "10-204a-2a(l)", "7", date(1999, 1, 1), "non_compliant"),
        ("meningococcal", "10-204a-2a(m)", "7", date(1999, 1, 1), "non_compliant"),
    ],
)
def test_2011_new_requirements_apply_from_august_1(ct, snapshot, requirement, clause, grade, birth, after):
    """The 2011 amendment's new requirements: hepatitis A (i)(1) and pneumococcal (j)(1) for
    preschool and kindergarten children born on or after January 1, 2007; influenza (k) for
    preschool children of 24 to 59 months ("On or after August 1, 2011"); grade 7 Tdap (l) and
    meningococcal (m) (provisional text).

    Case: a student with no doses: not required on 2011-07-31 (the reasons say from when the
    clause applies), required on 2011-08-01 (influenza: in progress, since the dose is due by
    December 31).
    """
    pair = _pair(ct, student(birth, grade), requirement, DAY_BEFORE_2011, FROM_2011)
    assert [p["status"] for p in pair] == ["not_required", after]
    assert pair[1]["clause"] == clause
    assert f"§ {clause} applies from 2011-08-01" in pair[0]["reasons"]
    assert pair == snapshot


def test_2011_varicella_one_dose_becomes_two_in_kindergarten(ct, snapshot):
    """(h)(2) "on or before July 31, 2011, is enrolled in kindergarten through grade 12 and was
    immunized with one (I) dose ..." and (h)(3) "on or after August 1, 2011, is enrolled in
    kindergarten and was immunized ... by use of two (2) doses ... given at least three (3)
    months apart".

    Case: K, one varicella dose on the first birthday.
    """
    birth = date(2006, 3, 1)
    pair = _pair(ct, student(birth, "K", [("VAR", birthday(birth, 1))]), "varicella", DAY_BEFORE_2011, FROM_2011)
    assert _summary(pair) == [
        ("2000-08-01", "compliant", "10-204a-2a(h)(2)"),
        ("2011-08-01", "non_compliant", "10-204a-2a(h)(3)"),
    ]
    assert pair == snapshot


def test_2011_varicella_outside_the_cohorts_is_no_longer_required(ct, snapshot):
    """(h)(2) ends on July 31, 2011 (reading A-10: the evaluation date); (h)(3) and (h)(4)
    name kindergarten and grade 7 (and their cohorts, A-13).

    Case: grade 3 with one varicella dose: compliant under (h)(2), then not required (the
    literal consequence documented under A-10).
    """
    birth = date(2003, 3, 1)
    pair = _pair(ct, student(birth, "3", [("VAR", birthday(birth, 1))]), "varicella", DAY_BEFORE_2011, FROM_2011)
    assert _summary(pair) == [
        ("2000-08-01", "compliant", "10-204a-2a(h)(2)"),
        ("2011-08-01", "not_required", "10-204a-2a(h)"),
    ]
    assert pair == snapshot


# --- Public Act 21-6, April 28, 2021 -----------------------------------------------------------


def test_2021_religious_exemption_for_a_student_entering_k12_after_the_repeal(ct, snapshot):
    """Conn. Gen. Stat. § 10-204a(a)(3) as amended by Public Act 21-6, effective April 28, 2021:
    a religious statement is honoured only for a child enrolled in K-12 on or before that day.

    Case: grade 5, no measles dose, a religious statement on file since 2020-01-01, first
    enrolled in a Connecticut K-12 school on 2021-04-29 (`k12_entry_date`). On 2021-04-27 the
    exemption of before the Act is honoured; on 2021-04-28 and 2021-04-29 it is not.
    """
    record = student(date(2010, 6, 1), "5", exemptions=[religious(date(2020, 1, 1))], k12_entry_date=date(2021, 4, 29))
    pair = _pair(ct, record, "measles", date(2021, 4, 27), date(2021, 4, 28), date(2021, 4, 29))
    assert _summary(pair) == [
        ("2011-08-01", "exempt", "10-204a(a)(3)"),
        ("2021-04-28", "non_compliant", "10-204a-2a(a)(2)"),
        ("2021-04-28", "non_compliant", "10-204a-2a(a)(2)"),
    ]
    assert pair == snapshot


def test_2021_grandfathered_religious_exemption_is_honoured_on_both_sides(ct, snapshot):
    """Public Act 21-6: a statement presented before April 28, 2021, for a child enrolled in
    K-12 on or before that day, continues to be honoured.

    Case: grade 5 since kindergarten in 2016, statement on file since 2019-09-01: exempt on
    2021-04-27 (before the Act) and on 2021-04-29 (grandfathered), under different provisions.
    """
    record = student(date(2010, 6, 1), "5", exemptions=[religious(date(2019, 9, 1))])
    pair = _pair(ct, record, "measles", date(2021, 4, 27), date(2021, 4, 29))
    assert _summary(pair) == [
        ("2011-08-01", "exempt", "10-204a(a)(3)"),
        ("2021-04-28", "exempt", "10-204a(a)(3)"),
    ]
    assert pair == snapshot


def test_2022_preschool_religious_exemption_ends_on_september_1(ct, snapshot):
    """Public Act 21-6: a child enrolled in preschool who, prior to April 28, 2021, was exempt
    on religious grounds shall comply not later than September 1, 2022.

    Case: PK, no measles dose, statement on file since 2020-09-01: exempt on 2022-08-31
    (version 2021-04-28), non-compliant on 2022-09-01 (version 2022-09-01).
    """
    record = student(date(2018, 10, 1), "PK", exemptions=[religious(date(2020, 9, 1))])
    pair = _pair(ct, record, "measles", date(2022, 8, 31), date(2022, 9, 1))
    assert _summary(pair) == [
        ("2021-04-28", "exempt", "10-204a(a)(3)"),
        ("2022-09-01", "non_compliant", "10-204a-2a(a)(1)"),
    ]
    assert pair == snapshot


# --- the edges of time -------------------------------------------------------------------------


def test_an_evaluation_date_before_the_first_version_is_an_error_not_a_guess(ct):
    record = student(date(1995, 1, 1), "K")
    with pytest.raises(ctrules.VersionError, match=r"no version in force on 2000-07-31; its versions cover 2000-08-01"):
        ct.evaluate(record, as_of=date(2000, 7, 31))
    with pytest.raises(ctrules.VersionError):
        ct.evaluate_many([record], as_of=date(2000, 7, 31))  # raised at once, not on iteration
    assert ct.evaluate(record, as_of=date(2000, 8, 1)).to_dict()["ruleset"] == {"name": "ct", "version": "2000-08-01"}


def test_the_dph_profile_starts_with_the_2023_chart_and_names_the_ct_version_it_amends():
    dph = ctrules.load("ct-dph")
    record = student(date(2018, 3, 1), "K")
    with pytest.raises(ctrules.VersionError, match="ct-dph has no version in force on 2023-06-30"):
        dph.evaluate(record, as_of=date(2023, 6, 30))
    assert dph.evaluate(record, as_of=date(2023, 7, 1)).to_dict()["ruleset"] == {
        "name": "ct-dph",
        "version": "2023-24",
        "amends": {"name": "ct", "version": "2022-09-01"},
    }


@pytest.mark.parametrize(
    "gap, ct_status, dph_status",
    [(23, "non_compliant", "non_compliant"), (24, "non_compliant", "compliant"), (28, "compliant", "compliant")],
)
def test_the_dph_profile_counts_a_dose_up_to_4_days_early(ct, gap, ct_status, dph_status):
    """DPH chart: "All recorded doses should meet the age and interval standards of the ACIP
    child and adolescent schedule" (ACIP: a dose up to 4 days before a minimum interval
    counts). (a)(2) says "at least twenty-eight (28) days apart": 24 days counts under `ct-dph`,
    23 does not; `ct` needs 28."""
    birth = date(2018, 3, 1)
    first = birthday(birth, 1)
    record = student(birth, "K", [("MMR", first), ("MMR", add(first, days=gap))])
    as_of = date(2023, 9, 1)
    assert ct.evaluate(record, as_of=as_of).requirements["measles"].status.value == ct_status
    assert ctrules.load("ct-dph").evaluate(record, as_of=as_of).requirements["measles"].status.value == dph_status


def test_the_dph_profile_does_not_count_a_live_vaccine_given_within_28_days_of_another(ct):
    """DPH chart: "Two live vaccines not administered on the same day must be separated by at
    least 28 days; if less than 28 days, the second dose is invalid." No grace applies to it.

    Case: K; MMR on the first birthday, varicella 27 days later, then MMR and varicella
    second doses in time: the early varicella dose does not count under `ct-dph`."""
    birth = date(2018, 3, 1)
    first = birthday(birth, 1)
    doses = [("MMR", first), ("VAR", add(first, days=27)), ("MMR", add(first, months=6)), ("VAR", add(first, months=9))]
    record = student(birth, "K", doses)
    as_of = date(2023, 9, 1)
    assert ct.evaluate(record, as_of=as_of).requirements["varicella"].status.value == "compliant"
    dph = ctrules.load("ct-dph").evaluate(record, as_of=as_of).requirements["varicella"]
    assert dph.status.value == "non_compliant"
    assert any("27 days after the live vaccine MMR" in line for line in dph.reasons)


def test_the_dph_profile_dates_the_next_live_dose_28_days_after_another_live_vaccine():
    """With live spacing on, a measles dose given 7 days after a varicella dose does not count,
    and the next one counts from 28 days after the varicella dose (2024-09-22), so the student,
    who can still complete the series, is in progress. (The measles group also holds MMRV; a
    varicella dose is still a different vaccine from an MMR.)"""
    record = student(
        date(2018, 10, 15), "K", [("MMR", date(2019, 10, 20)), ("VAR", date(2024, 8, 25)), ("MMR", date(2024, 9, 1))]
    )
    measles = ctrules.load("ct-dph").evaluate(record, as_of=date(2024, 9, 1)).requirements["measles"]
    assert measles.status.value == "in_progress"
    assert measles.reasons[-1].endswith("a dose on or after 2024-09-22 would count")
