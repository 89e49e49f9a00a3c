"""How doses are counted and how a requirement's clauses combine, on small rulesets."""

from datetime import date, timedelta

import pytest

import ctrules
from ctrules.dates import add_months, birthday

DECLS = """
ruleset t "test" version "1"
vaccine MMR cvx 3 contains measles, mumps and rubella live
vaccine VAR cvx 21 contains varicella live
vaccine IPV cvx 10 contains polio
vaccine Hib cvx 48 contains hib
vaccine Flu cvx 88 contains influenza
group measles-vaccine "measles vaccine" = vaccines containing measles
group varicella-vaccine = vaccines containing varicella
"""

BIRTH = date(2018, 3, 15)


def student(*doses, grade="K", birth=BIRTH, **extra):
    return {
        "id": "s1",
        "birth_date": birth.isoformat(),
        "grade": grade,
        "doses": [{"vaccine": v, "date": d.isoformat()} for v, d in doses],
        **extra,
    }


def one(text: str, record, as_of=date(2024, 9, 1), requirement="measles"):
    rs = ctrules.compile(DECLS + text)
    return rs.evaluate(record, as_of=as_of).requirements[requirement]


TWO_DOSES = """
requirement measles § 1(a)
  clause § 1(a)(2)
    requires 2 doses of measles-vaccine, first on or after 1st birthday, at least 28 days apart
"""


def test_early_and_too_close_doses_do_not_stop_later_doses_counting():
    """Doses at 11, 13, 13½ and 15 months: the 13- and 15-month doses make the series."""
    doses = [
        add_months(BIRTH, 11),
        add_months(BIRTH, 13),
        add_months(BIRTH, 13) + timedelta(days=15),
        add_months(BIRTH, 15),
    ]
    result = one(TWO_DOSES, student(*[("MMR", d) for d in doses]))
    assert result.status is ctrules.Status.COMPLIANT
    assert result.reasons[0] == f"2 valid doses of measles vaccine: {doses[1]}, {doses[3]}"
    assert (
        f"MMR on {doses[0]} was not counted as dose 1: it was given before the 1st birthday ({birthday(BIRTH, 1)})"
        in result.reasons[1]
    )
    assert (
        f"MMR on {doses[2]} was not counted as dose 2: it was 15 days after dose 1 ({doses[1]}); at least 28 days are required"
        in result.reasons[2]
    )


def test_missing_dose_says_from_when_the_next_would_count():
    first = add_months(BIRTH, 13)
    result = one(TWO_DOSES, student(("MMR", first), ("MMR", first + timedelta(days=20))))
    assert result.status is ctrules.Status.NON_COMPLIANT
    assert result.clause == "1(a)(2)"
    assert (
        result.reasons[-1]
        == f"1 more dose of measles vaccine needed (2 required); a dose on or after {first + timedelta(days=28)} would count"
    )
    assert result.next_due == first + timedelta(days=28)


def test_a_dose_not_yet_countable_makes_the_requirement_in_progress():
    first = date(2024, 8, 20)
    result = one(TWO_DOSES, student(("MMR", first)), as_of=date(2024, 9, 1))
    assert result.status is ctrules.Status.IN_PROGRESS


def test_doses_after_the_evaluation_date_are_ignored():
    doses = [("MMR", add_months(BIRTH, 13)), ("MMR", date(2024, 10, 1))]
    assert one(TWO_DOSES, student(*doses), as_of=date(2024, 9, 1)).status is ctrules.Status.NON_COMPLIANT
    assert one(TWO_DOSES, student(*doses), as_of=date(2024, 10, 1)).status is ctrules.Status.COMPLIANT


def test_two_doses_of_one_group_on_the_same_day_count_once():
    day = add_months(BIRTH, 13)
    result = one(
        TWO_DOSES.replace("at least 28 days apart", "first on or after 1st birthday"),
        student(("MMR", day), ("MMR", day)),
    )
    assert result.status is ctrules.Status.NON_COMPLIANT


@pytest.mark.parametrize(
    "gap, grace, comparator, counted",
    [
        (28, 0, "at least", True),
        (27, 0, "at least", False),
        (24, 4, "at least", True),
        (23, 4, "at least", False),
        (28, 0, "more than", False),
        (29, 0, "more than", True),
        (25, 4, "more than", True),
        (24, 4, "more than", False),
    ],
)
def test_interval_comparators_and_grace(gap, grace, comparator, counted):
    text = TWO_DOSES.replace(
        "at least 28 days apart", f"{comparator} 28 days apart" + (f" with {grace} days grace" if grace else "")
    )
    first = add_months(BIRTH, 13)
    result = one(text, student(("MMR", first), ("MMR", first + timedelta(days=gap))))
    assert (result.status is ctrules.Status.COMPLIANT) is counted


LIVE = """
requirement varicella § 1(h)
  clause § 1(h)(1)
    requires 1 dose of varicella-vaccine, first on or after 1st birthday
"""


@pytest.mark.parametrize(
    "switch, gap, counted", [("off", 20, True), ("on", 20, False), ("on", 28, True), ("on", 0, True)]
)
def test_live_vaccine_spacing_switch(switch, gap, counted):
    """A live vaccine 1-27 days after another live vaccine does not count when the switch is on."""
    text = LIVE.replace("requirement", f"ruleset t2 live vaccine spacing {switch}\nrequirement", 1)
    mmr = add_months(BIRTH, 13)
    rs = ctrules.compile(DECLS.replace('ruleset t "test" version "1"', "") + text)
    result = rs.evaluate(student(("MMR", mmr), ("VAR", mmr + timedelta(days=gap))), as_of=date(2024, 9, 1))
    varicella = result.requirements["varicella"]
    assert (varicella.status is ctrules.Status.COMPLIANT) is counted
    if not counted:
        assert "live vaccines not given on the same day must be at least 28 days apart" in varicella.reasons[0]


COMBINED = """
requirement polio § 1(c)
  clause § 1(c)(1)
    when age >= 18 months
    requires 3 doses of IPV, dose 2 at least 4 weeks after dose 1, dose 3 at least 2 months after dose 2
  also § 1(c)(2)
    when grades K to 12, age >= 48 months
    requires 1 dose of IPV, on or after 4th birthday
"""


def test_an_also_clause_must_hold_as_well():
    infant = [("IPV", add_months(BIRTH, m)) for m in (2, 4, 6)]
    missing = one(COMBINED, student(*infant), requirement="polio")
    assert missing.status is ctrules.Status.NON_COMPLIANT and missing.clause == "1(c)(2)"
    booster = one(COMBINED, student(*infant, ("IPV", birthday(BIRTH, 4))), requirement="polio")
    assert booster.status is ctrules.Status.COMPLIANT and booster.clause == "1(c)(1)"
    preschool = one(COMBINED, student(*infant, grade="PK"), requirement="polio")
    assert preschool.status is ctrules.Status.COMPLIANT


def test_a_requirement_that_does_not_apply_yet_says_from_when():
    result = one(COMBINED, student(grade="PK", birth=date(2024, 1, 10)), requirement="polio")
    assert result.status is ctrules.Status.NOT_REQUIRED
    assert result.reasons[-1] == "§ 1(c)(1) applies from 2025-07-10"


DEEMED = """
requirement hib § 1(f)
  clause § 1(f)(1)
    requires 1 dose of Hib, at age >= 12 months and before 5th birthday
  clause § 1(f)(2)
    when age >= 5 years
    deemed protected
"""


def test_deemed_protected_gives_not_required_from_the_day_it_applies():
    no_doses = student(grade="K")
    assert one(DEEMED, no_doses, as_of=birthday(BIRTH, 5), requirement="hib").status is ctrules.Status.NOT_REQUIRED
    day_before = one(DEEMED, no_doses, as_of=birthday(BIRTH, 5) - timedelta(days=1), requirement="hib")
    assert day_before.status is ctrules.Status.NON_COMPLIANT


COHORT = """
requirement meningococcal § 1(m)
  clause § 1(m)
    when grade 7 by cohort, from 2011-08-01
    requires 1 dose of IPV
"""


@pytest.mark.parametrize(
    "grade, as_of, applies",
    [
        ("7", date(2011, 9, 1), True),  # grade 7 in 2011-12
        ("8", date(2011, 9, 1), False),  # was grade 7 in 2010-11, before the clause
        ("8", date(2012, 9, 1), True),  # grade 7 in 2011-12
        ("12", date(2015, 9, 1), False),  # grade 7 in 2010-11
        ("12", date(2016, 9, 1), True),  # grade 7 in 2011-12
        ("6", date(2024, 9, 1), False),  # not yet in grade 7
        ("7", date(2011, 7, 31), False),  # before the clause is in force
    ],
)
def test_by_cohort_follows_the_grade_7_cohorts_into_later_grades(grade, as_of, applies):
    result = one(COHORT, student(grade=grade, birth=date(2000, 1, 1)), as_of=as_of, requirement="meningococcal")
    assert (result.status is not ctrules.Status.NOT_REQUIRED) is applies


def test_by_cohort_counts_back_from_the_current_grade_whatever_the_k12_entry_date():
    """`k12_entry_date` is the first enrolment in K or a later grade (contract section 2), so a
    student who arrived in grade 5 in 2005 was still in grade 7 in 2007-08, before the clause."""
    record = student(grade="12", birth=date(1994, 10, 1), k12_entry_date="2005-09-01")
    result = one(COHORT, record, as_of=date(2012, 9, 15), requirement="meningococcal")
    assert result.status is ctrules.Status.NOT_REQUIRED


FLU = """
requirement influenza § 1(k)
  clause § 1(k)
    when grades P3 or PK, age 24 to 59 months
    requires 1 dose of Flu every year between August 1 and December 31,
      2 doses at least 28 days apart in a first season
"""


@pytest.mark.parametrize(
    "doses, as_of, expected",
    [
        ([], date(2024, 9, 1), "in_progress"),  # due by December 31
        ([], date(2025, 1, 2), "non_compliant"),  # the season's window has closed
        ([date(2023, 10, 1), date(2024, 10, 1)], date(2024, 11, 1), "compliant"),
        ([date(2023, 10, 1), date(2024, 7, 25)], date(2024, 11, 1), "in_progress"),  # July is before the window
        ([date(2024, 10, 1)], date(2024, 11, 1), "in_progress"),  # first season: 2nd dose still due
        ([date(2024, 10, 1), date(2024, 10, 29)], date(2024, 11, 1), "compliant"),
        ([date(2024, 10, 1), date(2024, 10, 28)], date(2024, 11, 1), "in_progress"),  # 27 days: not counted
        ([date(2024, 12, 20), date(2025, 1, 17)], date(2025, 2, 1), "compliant"),  # 2nd dose may be in January
        ([date(2024, 10, 1)], date(2025, 2, 1), "non_compliant"),
    ],
)
def test_influenza_season(doses, as_of, expected):
    record = student(*[("Flu", d) for d in doses], grade="PK", birth=date(2021, 6, 1))
    assert one(FLU, record, as_of=as_of, requirement="influenza").status.value == expected


def test_overall_status_is_the_worst_requirement_status():
    rs = ctrules.compile(DECLS + TWO_DOSES + DEEMED)
    birth = date(2021, 3, 15)
    result = rs.evaluate(student(("Hib", add_months(birth, 13)), birth=birth, grade="PK"), as_of=date(2024, 9, 1))
    assert [r.status.value for r in result.requirements.values()] == ["non_compliant", "compliant"]
    assert result.status is ctrules.Status.NON_COMPLIANT


def test_result_json_has_exactly_the_contract_fields():
    rs = ctrules.compile(DECLS + TWO_DOSES)
    data = rs.evaluate(student(), as_of=date(2024, 9, 1)).to_dict()
    assert list(data) == ["id", "as_of", "ruleset", "status", "requirements"]
    assert data["ruleset"] == {"name": "t", "version": "1"}
    assert list(data["requirements"][0]) == ["requirement", "status", "clause", "reasons"]


def test_a_bad_record_is_an_error_result_naming_the_student_and_field():
    rs = ctrules.compile(DECLS + TWO_DOSES)
    bad = student(("MMRR", date(2020, 1, 1)))
    result = rs.evaluate(bad, as_of=date(2024, 9, 1))
    assert result.status is ctrules.Status.ERROR
    assert result.errors == (
        "student s1, field doses[0].vaccine: unknown vaccine 'MMRR' (did you mean \"MMR\"?) [CTR404]",
    )
    assert result.to_dict()["errors"] == list(result.errors)


def test_evaluate_many_gives_one_result_per_input_in_order():
    rs = ctrules.compile(DECLS + TWO_DOSES)
    records = [student(), {"id": "bad"}, dict(student(), id="s3")]
    results = list(rs.evaluate_many(records, as_of=date(2024, 9, 1)))
    assert [(r.id, r.status.value) for r in results] == [
        ("s1", "non_compliant"),
        ("bad", "error"),
        ("s3", "non_compliant"),
    ]


@pytest.mark.parametrize(
    "header, rule, gap, counted",
    [
        ("grace 4 days", "", 24, True),  # the ruleset's default grace applies
        ("grace 4 days", " with 0 days grace", 24, False),  # a rule's own 0 days wins over the default
        ("", "", 24, False),
        ("grace 1 week", "", 21, True),
    ],
)
def test_ruleset_default_grace_and_a_rules_own_grace(header, rule, gap, counted):
    text = TWO_DOSES.replace("at least 28 days apart", "at least 28 days apart" + rule)
    rs = ctrules.compile(DECLS.replace('version "1"', f'version "1" {header}') + text)
    first = add_months(BIRTH, 13)
    result = rs.evaluate(student(("MMR", first), ("MMR", first + timedelta(days=gap))), as_of=date(2024, 9, 1))
    assert (result.requirements["measles"].status is ctrules.Status.COMPLIANT) is counted


def test_a_header_grace_in_months_is_an_error():
    with pytest.raises(ctrules.RulesetError) as caught:
        ctrules.compile(DECLS.replace('version "1"', 'version "1" grace 1 month') + TWO_DOSES)
    assert caught.value.diagnostics[0].code == "CTR304"


def test_a_birth_date_after_the_evaluation_date_is_an_error_for_that_student():
    rs = ctrules.compile(DECLS + TWO_DOSES)
    result = rs.evaluate(student(birth=date(2030, 1, 1)), as_of=date(2024, 9, 1))
    assert result.status is ctrules.Status.ERROR and "field birth_date" in result.errors[0]
    far = rs.evaluate(student(birth=date(9999, 12, 1)), as_of=date(9999, 12, 31))
    assert far.status is ctrules.Status.ERROR


def test_as_of_may_be_a_datetime_or_iso_text_but_nothing_else():
    from datetime import datetime

    rs = ctrules.compile(DECLS + TWO_DOSES)
    assert rs.evaluate(student(), as_of=datetime(2024, 9, 1, 8, 30)).as_of == date(2024, 9, 1)
    assert rs.evaluate(student(), as_of="2024-09-01").as_of == date(2024, 9, 1)
    with pytest.raises(TypeError, match="as_of must be a date"):
        rs.evaluate(student(), as_of=20240901)


@pytest.mark.parametrize(
    "extra, field, words",
    [
        (
            {"evidence": [{"type": "lab_immunity", "disease": "measels"}]},
            "evidence[0].disease",
            'did you mean "measles"?',
        ),
        ({"exemptions": [{"type": "medical", "vaccines": ["XYZ"]}]}, "exemptions[0].vaccines", "unknown vaccine 'XYZ'"),
        (
            {"exemptions": [{"type": "medical", "requirements": ["measels"]}]},
            "exemptions[0].requirements",
            'did you mean "measles"?',
        ),
    ],
)
def test_misspelt_names_in_evidence_and_exemptions_are_errors_not_silently_ignored(extra, field, words):
    result = ctrules.load("ct").evaluate(student(**extra), as_of=date(2024, 9, 1))
    assert result.status is ctrules.Status.ERROR
    assert f"field {field}" in result.errors[0] and words in result.errors[0]


def test_non_school_vaccines_in_a_record_are_read_and_count_toward_nothing():
    record = student(("HPV", date(2024, 1, 10)), grade="7", birth=date(2012, 1, 1))
    record["doses"] += [{"cvx": "208", "date": "2023-05-01"}, {"cvx": "116", "date": "2012-03-01"}]
    result = ctrules.load("ct").evaluate(record, as_of=date(2024, 9, 1))
    assert result.status is not ctrules.Status.ERROR


def test_hib_menCY_counts_toward_hib_but_not_meningococcal():
    record = {"id": "h", "birth_date": "2022-01-10", "grade": "PK", "doses": [{"cvx": "148", "date": "2023-02-01"}]}
    result = ctrules.load("ct").evaluate(record, as_of=date(2024, 9, 1))
    assert result.requirements["hib"].status is ctrules.Status.COMPLIANT
