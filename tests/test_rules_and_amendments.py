"""The constructs vendors' rules and amendments need: ordered status rules with `otherwise`,
tolerances on strict comparisons, doses measured back from the evaluation date, `latest dose`,
`no doses`, grade unions, `follows`, and `amends` with its changes."""

from datetime import date

import pytest

import ctrules
from ctrules.dates import add, add_months, birthday

AS_OF = date(2023, 9, 1)
BIRTH = date(2018, 3, 15)

DECLS = """
ruleset v "vendor-style test rules"
vaccine HepB cvx 8 contains hepatitis_b
vaccine Flu cvx 88 contains influenza
vaccine MMR cvx 3 contains measles, mumps and rubella live
group hepb-vaccine = HepB
group flu-vaccine = Flu
group mmr-vaccine = MMR
"""


def student(*doses, grade="K", birth=BIRTH):
    return {
        "id": "s1",
        "birth_date": birth.isoformat(),
        "grade": grade,
        "doses": [{"vaccine": v, "date": d.isoformat()} for v, d in doses],
    }


def decide(text: str, record, requirement: str, as_of: date = AS_OF):
    result = ctrules.compile(DECLS + text).evaluate(record, as_of=as_of)
    assert result.status.value != "error", result.errors
    decided = result.requirements[requirement]
    return decided.status.value, decided.clause


HEPB = """
requirement hepatitis_b "Hep B"
  rule "3 doses" compliant
    requires 3 doses of hepb-vaccine, dose 2 more than 28 days after dose 1 with 0 days tolerance,
      dose 3 more than 56 days after dose 2 with 4 days tolerance
  rule "2 doses" in progress
    requires 2 doses of hepb-vaccine, dose 2 at most 56 days before the evaluation date
  rule "1 dose" in progress
    requires 1 dose of hepb-vaccine, last at most 28 days before the evaluation date
  otherwise non-compliant
"""


@pytest.mark.parametrize(
    "gaps, expected",
    [
        ((29, 57), ("compliant", "3 doses")),
        ((28, 57), ("non_compliant", "3 doses")),  # "greater than 28 days", 0 tolerance: 28 fails
        ((29, 53), ("compliant", "3 doses")),  # more than 56 with 4 days tolerance: 53 counts
        ((29, 52), ("non_compliant", "3 doses")),  # 52 does not
    ],
)
def test_strict_comparisons_and_tolerances(gaps, expected):
    first = date(2023, 1, 2)
    second = add(first, days=gaps[0])
    doses = [("HepB", first), ("HepB", second), ("HepB", add(second, days=gaps[1]))]
    assert decide(HEPB, student(*doses), "hepatitis_b") == expected


@pytest.mark.parametrize("days_ago, expected", [(56, ("in_progress", "2 doses")), (57, ("non_compliant", "3 doses"))])
def test_a_dose_measured_back_from_the_evaluation_date(days_ago, expected):
    """ "the difference between the second dose and the effective date is less than or equal to
    56 days": 56 days before the evaluation date is in progress, 57 is not (the closest
    compliant rule is then cited)."""
    second = add(AS_OF, days=-days_ago)
    doses = [("HepB", add(second, days=-30)), ("HepB", second)]
    assert decide(HEPB, student(*doses), "hepatitis_b") == expected


def test_rules_are_tried_in_order_and_the_first_match_decides():
    """One recent dose matches "1 dose" only; an earlier rule never looks at later ones."""
    assert decide(HEPB, student(("HepB", add(AS_OF, days=-10))), "hepatitis_b") == ("in_progress", "1 dose")
    reordered = HEPB.replace('  rule "1 dose" in progress', '  rule "1 dose" non-compliant')
    assert decide(reordered, student(("HepB", add(AS_OF, days=-10))), "hepatitis_b") == ("non_compliant", "1 dose")


def test_when_no_rule_matches_the_otherwise_status_decides_and_the_reasons_say_what_is_missing():
    result = ctrules.compile(DECLS + HEPB).evaluate(student(("HepB", date(2020, 1, 1))), as_of=AS_OF)
    decided = result.requirements["hepatitis_b"]
    assert (decided.status.value, decided.clause) == ("non_compliant", "3 doses")
    assert decided.reasons[0] == "no rule matched; the requirement's default is non-compliant"
    assert decided.reasons[1].startswith('rule "3 doses": 1 valid dose of hepb-vaccine: 2020-01-01')
    no_requirement = HEPB.replace("otherwise non-compliant", "otherwise no requirement")
    assert decide(no_requirement, student(("HepB", date(2020, 1, 1))), "hepatitis_b")[0] == "not_required"


FLU = """
requirement influenza "Flu"
  rule "No dose current year" non-compliant
    when grades P3 or PK, age 24 to 59 months
    requires 1 dose of flu-vaccine, latest dose at least 11 months before the evaluation date with 0 days tolerance
  rule "2 doses" compliant
    when grades P3 or PK, age 24 to 59 months
    requires 2 doses of flu-vaccine, dose 2 more than 28 days after dose 1,
      latest dose less than 6 months before the evaluation date with 1 day tolerance
  rule "Default" non-compliant
    when grades P3 or PK, age 24 to 59 months
    requires no doses of flu-vaccine
  otherwise no requirement
"""


def test_latest_dose_is_the_most_recent_dose_not_the_first_counted():
    """Two old doses and a recent one: "the last dose" is the recent one, so the child is not
    caught by "No dose current year" (which the first counted dose would have met)."""
    doses = [("Flu", date(2021, 10, 1)), ("Flu", date(2021, 11, 1)), ("Flu", date(2023, 5, 1))]
    assert decide(FLU, student(*doses, grade="PK", birth=date(2019, 9, 1)), "influenza") == ("compliant", "2 doses")
    old = doses[:2]
    assert decide(FLU, student(*old, grade="PK", birth=date(2019, 9, 1)), "influenza") == (
        "non_compliant",
        "No dose current year",
    )


@pytest.mark.parametrize(
    "last, expected",
    [
        (add(add_months(AS_OF, -6), days=1), ("compliant", "2 doses")),
        (add_months(AS_OF, -6), ("compliant", "2 doses")),  # "less than 6 months" + 1 day of tolerance
        (add(add_months(AS_OF, -6), days=-1), ("not_required", None)),  # matches nothing: otherwise
    ],
)
def test_a_tolerance_on_a_maximum_moves_it_later(last, expected):
    doses = [("Flu", date(2021, 10, 1)), ("Flu", date(2021, 11, 1)), ("Flu", last)]
    assert decide(FLU, student(*doses, grade="PK", birth=date(2019, 9, 1)), "influenza") == expected


def test_no_doses_matches_only_a_student_without_any():
    assert decide(FLU, student(grade="PK", birth=date(2019, 9, 1)), "influenza") == ("non_compliant", "Default")
    assert decide(FLU, student(grade="K", birth=date(2019, 9, 1)), "influenza") == ("not_required", None)


def test_grade_unions_and_follows():
    text = """
requirement measles "MMR"
  rule "No Requirement" no requirement when grades K to 6 or 8 to 12
  rule "1 dose" compliant requires 1 dose of mmr-vaccine
  otherwise non-compliant
requirement mumps "MMR (mumps)" follows measles
"""
    for grade, expected in [("6", "not_required"), ("7", "non_compliant"), ("8", "not_required")]:
        record = student(grade=grade, birth=date(2010, 1, 1))
        assert decide(text, record, "measles")[0] == expected
        assert decide(text, record, "mumps")[0] == expected


# --- amendments -------------------------------------------------------------------------------


def amended(text: str) -> ctrules.Ruleset:
    return ctrules.compile('ruleset x "an amendment of ct" amends ct\n  version "2023-24" from 2023-07-01\n' + text)


def clauses(ruleset: ctrules.Ruleset, requirement: str) -> list[str]:
    [compiled] = [r for r in ruleset.compiled.requirements if r.name == requirement]
    return [c.citation.text for c in compiled.clauses]


def test_an_amendment_without_changes_evaluates_like_its_base():
    ct, same = ctrules.load("ct"), amended("")
    record = student(("MMR", birthday(BIRTH, 1)))
    assert same.evaluate(record, as_of=AS_OF).to_dict() | {"ruleset": None} == ct.evaluate(
        record, as_of=AS_OF
    ).to_dict() | {"ruleset": None}
    assert same.requirement_ids == ct.requirement_ids and same.amends == "ct"


def test_amend_requirement_removes_replaces_in_place_and_adds():
    rs = amended(
        """
amend requirement varicella
  remove clause § 10-204a-2a(h)(2)
  replace clause § 10-204a-2a(h)(3) when grade K requires 1 dose of varicella-vaccine
  clause § 19a-7f requires documented history of varicella
"""
    )
    citations = clauses(rs, "varicella")
    assert "10-204a-2a(h)(2)" not in citations
    assert citations.index("10-204a-2a(h)(3)") == clauses(ctrules.load("ct"), "varicella").index("10-204a-2a(h)(3)") - 1
    assert citations[-1] == "19a-7f"
    record = student(("VAR", birthday(BIRTH, 1)))
    assert rs.evaluate(record, as_of=AS_OF).requirements["varicella"].status.value == "compliant"
    assert ctrules.load("ct").evaluate(record, as_of=AS_OF).requirements["varicella"].status.value == "non_compliant"


def test_replace_group():
    rs = amended('replace group pcv-vaccine "PCV13 only" = PCV13\n')
    record = student(("PCV20", date(2021, 1, 1)), grade="PK", birth=date(2020, 1, 1))
    assert rs.evaluate(record, as_of=AS_OF).requirements["pneumococcal"].status.value == "non_compliant"
    assert ctrules.load("ct").evaluate(record, as_of=AS_OF).requirements["pneumococcal"].status.value == "compliant"


def test_remove_requirement_and_the_inherited_claim_to_cover_every_requirement():
    """`ct` says `covers every connecticut requirement`; an amendment inherits the claim, so
    removing one of the contract's requirements is an error (results must list all 13 ids)."""
    with pytest.raises(ctrules.RulesetError) as caught:
        amended("remove requirement influenza\n")
    assert [d.code for d in caught.value.diagnostics] == ["CTR331"]
    assert "lacks influenza" in caught.value.diagnostics[0].message
    rs = amended('replace requirement influenza "Influenza (not required here)"\n')
    record = student(grade="PK", birth=date(2020, 1, 1))
    assert rs.evaluate(record, as_of=AS_OF).requirements["influenza"].status.value == "not_required"


def test_header_settings_of_an_amendment_override_the_base_and_others_are_kept():
    rs = amended("  grace 4 days\n")
    assert rs.ast.default_grace == 4 and rs.ast.live_vaccine_spacing is False
    assert rs.ast.base is not None and rs.ast.base.name.text == "ct"


@pytest.mark.parametrize(
    "text, message",
    [
        ("amend requirement chickenpox\n  remove clause § 1\n", "requirement chickenpox is not in ct"),
        ("replace group no-such-group = MMR\n", "group no-such-group is not in ct"),
        ("remove requirement flu\n", "requirement flu is not in ct"),
    ],
)
def test_changing_what_the_base_does_not_have_is_an_error(text, message):
    with pytest.raises(ctrules.RulesetError) as caught:
        amended(text)
    assert caught.value.diagnostics[0].code == "CTR207" and caught.value.diagnostics[0].message == message


def test_amending_an_unknown_ruleset_or_including_from_one_is_an_error():
    with pytest.raises(ctrules.RulesetError) as caught:
        ctrules.compile("ruleset x amends ctt\n")
    assert caught.value.diagnostics[0].code == "CTR207" and "bundled rulesets: ct" in caught.value.diagnostics[0].help
    with pytest.raises(ctrules.RulesetError) as caught:
        ctrules.compile('ruleset x\ninclude "vaccines.ctr" from nowhere\n')
    assert caught.value.diagnostics[0].code == "CTR206"


def test_a_bundled_include_reads_only_inside_that_ruleset():
    rs = ctrules.compile('ruleset x\ninclude "vaccines.ctr" from ct\n')
    assert rs.compiled.product_named("MMR") is not None
    with pytest.raises(ctrules.RulesetError) as caught:
        ctrules.compile('ruleset x\ninclude "../infinite_campus/ruleset.ctr" from ct\n')
    assert caught.value.diagnostics[0].message == 'cannot include "../infinite_campus/ruleset.ctr"'


def test_replacing_a_clause_with_an_also_clause_is_an_error_not_a_silent_change_of_meaning():
    with pytest.raises(ctrules.RulesetError) as caught:
        amended(
            "amend requirement measles\n  replace also § 10-204a-2a(a)(1)\n    requires 1 dose of measles-vaccine\n"
        )
    [problem] = caught.value.diagnostics
    assert problem.code == "CTR207" and problem.message.endswith("is a clause in ct, not an also clause")
    assert problem.help.startswith("write `replace clause …`")
