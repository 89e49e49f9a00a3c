"""Every broken file in tests/diagnostics/bad/ gets the right code, position and help.

The rendered message (source line, caret, help) of each is a golden snapshot; the code and
position are also asserted here, so a snapshot update cannot silently move them.
"""

import json
from pathlib import Path

import pytest

import ctrules
from ctrules.diagnostics import render

BAD = Path(__file__).parent / "diagnostics" / "bad"

# file -> (code, line, column, words the message or help must contain)
EXPECTED = {
    "misspelt_vaccine.ctr": ("CTR201", 9, 24, 'did you mean "MMR"?'),
    "unknown_group_member.ctr": ("CTR201", 6, 28, "use one of: IPV, MMR"),
    "unknown_disease.ctr": ("CTR202", 8, 47, 'did you mean "measles"?'),
    "missing_unit.ctr": ("CTR101", 8, 54, "days, weeks, months or years"),
    "missing_number.ctr": ("CTR101", 8, 14, '"laboratory-confirmed", "no" or a number'),
    "impossible_date.ctr": ("CTR104", 8, 15, "not a real date"),
    "unknown_grade.ctr": ("CTR104", 8, 22, "grades are P3, PK, K and 1 to 12"),
    "empty_age_range.ctr": ("CTR303", 8, 10, "empty range"),
    "dose_out_of_range.ctr": ("CTR301", 8, 30, "dose 4 does not exist in a series of 3"),
    "duplicate_vaccine.ctr": ("CTR203", 6, 9, "declared twice"),
    "unexpected_character.ctr": ("CTR102", 8, 40, "unexpected character ';'"),
    "unfinished_clause.ctr": ("CTR103", 8, 59, "a birthday such as 1st or 4th"),
    "unknown_exemption_requirement.ctr": ("CTR204", 10, 7, 'did you mean "measles"?'),
    "empty_date_range.ctr": ("CTR302", 8, 10, "empty date range"),
    "grace_in_months.ctr": ("CTR304", 8, 65, "counted in days"),
    "versions_overlap.ctr": ("CTR309", 3, 3, 'start "2021" on 2021-04-29, or end "2011" on 2021-04-27'),
    "version_hole.ctr": ("CTR309", 3, 3, "no version is in force on 2011-07-31"),
    "clauses_and_rules.ctr": ("CTR311", 8, 3, "either clauses or status rules, not both"),
    "amend_missing_clause.ctr": ("CTR207", 5, 17, "ct has: § 10-204a-2a(h)(1), § 10-204a-2a(h)(2)"),
    "titer_not_accepted.ctr": ("CTR313", 8, 42, "accepted only for measles, mumps, rubella"),
    "follows_unknown.ctr": ("CTR204", 8, 41, 'did you mean "measles"?'),
    "several_mistakes.ctr": ("CTR101", 10, 63, 'expected "birthday"'),
    "impossible_clause.ctr": (
        "CTR323",
        6,
        3,
        "dose 1 would have to be given on or after 2013-01-15 and on or before 2012-01-14",
    ),
    "incomplete_ruleset.ctr": ("CTR331", 2, 16, "lacks mumps, rubella, polio"),
}

WARN = Path(__file__).parent / "diagnostics" / "warn"

# file -> (code, line, column, words the message, label or help must contain): files that load,
# with the warning `ctrules check` must give (and no other finding).
WARNINGS = {
    "gap.ctr": ("CTR320", 5, 13, "grade PK aged 0 to 17 months"),
    "masked_rule.ctr": ("CTR322", 10, 3, 'rule "Infants" comes first and always matches'),
    "repeated_clause.ctr": ("CTR322", 12, 3, "repeats clause § 10-204a-2a(a)(2)"),
    "unit_slip.ctr": ("CTR324", 11, 83, "did you mean 28 days?"),
    "long_grace.ctr": ("CTR325", 7, 55, "as long as the 4 days it relaxes"),
    "unused_group.ctr": ("CTR330", 5, 7, 'group "mmrv-only" is never used'),
    "rule_inside_version.ctr": ("CTR310", 8, 26, "add a version whose first day is 2012-07-01"),
}


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in BAD.glob("*.ctr")) == sorted(EXPECTED)
    assert sorted(p.name for p in WARN.glob("*.ctr")) == sorted(WARNINGS)


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warning_file_gets_code_position_and_help(name: str, snapshot):
    from ctrules.loader import check_sources
    from ctrules.source import SourceFile

    _, sources, found = check_sources(SourceFile(f"warn/{name}", (WARN / name).read_text()), None)
    code, line, column, words = WARNINGS[name]
    assert [(d.code, d.severity.value, d.span.line, d.span.column) for d in found] == [(code, "warning", line, column)]
    rendered = render(found, sources, "human")
    assert words in rendered
    assert rendered == snapshot


def _error(name: str) -> ctrules.RulesetError:
    """What `ctrules check` reports as errors for a file (with the analysis over the space of
    students, which loading a ruleset for evaluation skips)."""
    from ctrules.loader import check_sources
    from ctrules.source import SourceFile

    text = (BAD / name).read_text()
    try:
        _, sources, found = check_sources(SourceFile(f"bad/{name}", text), None)
    except ctrules.RulesetError as error:
        return error
    errors = [d for d in found if d.is_error]
    assert errors, f"{name} gives no error"
    return ctrules.RulesetError(errors, sources)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_code_position_and_help(name: str, snapshot):
    error = _error(name)
    code, line, column, words = EXPECTED[name]
    first = error.diagnostics[0]
    assert (first.code, first.span.line, first.span.column) == (code, line, column)
    rendered = error.render("human")
    assert words in rendered
    assert "Traceback" not in rendered
    assert rendered == snapshot


def test_short_format_is_one_line_per_diagnostic_for_editors():
    error = _error("misspelt_vaccine.ctr")
    assert error.render("short") == 'bad/misspelt_vaccine.ctr:9:24: error: unknown vaccine "MMRR" [CTR201]'


def test_json_format_carries_code_and_positions():
    data = json.loads(_error("misspelt_vaccine.ctr").render("json"))
    assert data[0]["code"] == "CTR201"
    assert (data[0]["line"], data[0]["column"], data[0]["end_column"]) == (9, 24, 28)
    assert data[0]["help"] == 'did you mean "MMR"?'


def test_all_name_errors_in_a_file_are_reported_together():
    text = (BAD / "misspelt_vaccine.ctr").read_text() + "\ngroup g = IPVV, MMRR\n"
    with pytest.raises(ctrules.RulesetError) as caught:
        ctrules.compile(text, name="many.ctr")
    assert [d.span.line for d in caught.value.diagnostics] == [11, 11, 9]
    assert render(caught.value.diagnostics, caught.value.sources, "short").splitlines()[0].startswith("many.ctr:9:")


@pytest.mark.parametrize(
    "body, code",
    [
        ("requires 0 doses of MMR", "CTR306"),
        ("requires 100000000 doses of MMR", "CTR306"),
        ("when age >= 99999 years requires 1 dose of MMR", "CTR307"),
        ("requires 1 dose of MMR, on or after 99999th birthday", "CTR307"),
        ("requires 2 doses of MMR, at least 999999999 days apart", "CTR307"),
        ("requires 1 dose of MMR every year between February 29 and March 5", "CTR104"),
    ],
)
def test_rules_that_would_crash_or_hang_evaluation_are_rejected_by_check(body, code):
    """What `check` passes, evaluation can run: no zero-dose series, no dates off the calendar."""
    text = "vaccine MMR cvx 3 contains measles\nrequirement m\n  clause § 1\n    " + body
    with pytest.raises(ctrules.RulesetError) as caught:
        ctrules.compile(text, name="t.ctr")
    first = caught.value.diagnostics[0]
    assert first.code == code and first.span.file == "t.ctr" and first.span.line == 4


def test_a_group_no_vaccine_can_satisfy_is_a_warning():
    text = "ruleset t\nvaccine MMR cvx 3 contains measles\nvaccine VAR cvx 21 contains varicella\n"
    text += "group mv = vaccines containing measles and varicella\n"
    from ctrules.analyze import analyze
    from ctrules.build_ast import build
    from ctrules.parse import parse
    from ctrules.source import SourceFile

    source = SourceFile("t.ctr", text)
    found = analyze(build(parse(source), source))
    assert [d.code for d in found] == ["CTR308", "CTR330"]  # the group is also unused
    warning = found[0]
    assert (warning.code, warning.severity.value, warning.span.line) == ("CTR308", "warning", 4)


def _warnings(text: str) -> list:
    from ctrules.loader import check_sources
    from ctrules.source import SourceFile

    _, _, diagnostics = check_sources(SourceFile("t.ctr", text), None)
    return diagnostics


def test_a_rule_starting_inside_a_version_is_a_warning_naming_the_version():
    """Results name the version that decided; a rule that starts mid-version would make two
    different rule sets share one version id."""
    text = (
        'ruleset t\n  version "a" from 2020-07-01 until 2021-06-30\n  version "b" from 2021-07-01\n'
        "vaccine MMR cvx 3 contains measles\nrequirement m\n  clause § 1\n    when from 2021-01-01\n"
        "    requires 1 dose of MMR\n"
    )
    [warning] = _warnings(text)
    assert (warning.code, warning.severity.value, warning.span.line) == ("CTR310", "warning", 7)
    assert warning.message == 'a rule starts on 2021-01-01, inside version "a"'
    assert not _warnings(text.replace("2021-01-01", "2021-07-01"))


def test_status_rules_without_an_otherwise_are_a_warning():
    text = (
        'ruleset t\nvaccine MMR cvx 3 contains measles\nrequirement m\n  rule "one" compliant requires 1 dose of MMR\n'
    )
    [warning] = _warnings(text)
    assert (warning.code, warning.severity.value) == ("CTR312", "warning")
    assert not _warnings(text + "  otherwise non-compliant\n")


def test_every_syntax_error_in_a_file_is_reported_not_only_the_first():
    """After an error the parser sets aside the clause (or statement) that holds it and goes on;
    a keyword inside quoted text does not count as the start of a clause."""
    error = _error("several_mistakes.ctr")
    assert [(d.code, d.span.line, d.span.column) for d in error.diagnostics] == [
        ("CTR101", 10, 63),
        ("CTR101", 13, 54),
        ("CTR102", 18, 63),
        ("CTR103", 21, 55),
    ]


def test_loading_for_evaluation_skips_the_student_space_analysis():
    """`ctrules check` finds an impossible clause (CTR323); `ctrules.load`/`compile` skip that
    analysis (it is slow, and an impossible clause is only never met), so the ruleset loads."""
    text = (BAD / "impossible_clause.ctr").read_text()
    assert ctrules.compile(text, name="impossible.ctr").requirement_ids == ["varicella"]
    assert [d.code for d in _error("impossible_clause.ctr").diagnostics] == ["CTR323"]


def _codes(text: str) -> list[str]:
    from ctrules.loader import check_sources
    from ctrules.source import SourceFile

    try:
        _, _, found = check_sources(SourceFile("t.ctr", text), None)
    except ctrules.RulesetError as error:
        found = list(error.diagnostics)
    return [d.code for d in found]


HEAD = "ruleset x\nvaccine IPV cvx 10 contains polio\ngroup p = IPV\n"


@pytest.mark.parametrize(
    "body, expected",
    [
        # dates at the ends of the calendar are rules, not crashes
        ("requirement polio\n  clause § 1\n    when until 9999-12-31\n    requires 1 dose of p\n", []),
        ("requirement polio\n  clause § 1\n    when from 0001-01-01\n    requires 1 dose of p\n", []),
        # thresholds in days and weeks are sampled on their own days
        (
            'requirement polio\n  rule "old" compliant\n    when age >= 18 months\n'
            '  rule "young" in progress\n    when age >= 540 days\n  otherwise non-compliant\n',
            ["CTR330"],  # (the group is unused in this example)
        ),
        (
            'requirement polio\n  rule "w" compliant\n    when age >= 6 weeks, age < 8 weeks\n'
            "    requires 1 dose of p\n  otherwise non-compliant\n",
            [],
        ),
        (
            "requirement polio\n  clause § 1\n    when age < 5 weeks\n    not required\n"
            "  clause § 2\n    when age >= 8 weeks\n    requires 1 dose of p\n",
            ["CTR320"],
        ),
        # an age of 6 weeks and an interval of 6 months are not a unit slip
        (
            "requirement polio\n  clause § 1\n    requires 2 doses of p, first at age >= 6 weeks,\n"
            "      dose 2 at least 6 months after dose 1\n",
            [],
        ),
        # a requirement with nothing in it is a gap for everyone
        ('requirement polio "Polio"\n', ["CTR330", "CTR320"]),
        # two `otherwise` lines: one would be ignored
        (
            'requirement polio\n  rule "a" compliant\n    requires 1 dose of p\n'
            "  otherwise non-compliant\n  otherwise compliant\n",
            ["CTR311"],
        ),
    ],
)
def test_student_space_analysis_finds_what_it_should_and_nothing_else(body, expected):
    assert _codes(HEAD + body) == expected


def test_the_header_grace_counts_when_it_is_as_long_as_an_interval():
    text = "ruleset x\n  grace 28 days\nvaccine IPV cvx 10 contains polio\ngroup p = IPV\n"
    text += "requirement polio\n  clause § 1\n    requires 2 doses of p, at least 28 days apart\n"
    assert _codes(text) == ["CTR325"]


def test_a_version_without_a_start_is_named_as_such():
    from ctrules.loader import check_sources
    from ctrules.source import SourceFile

    text = 'ruleset x\n  version "a" from 2020-01-01 until 2020-12-31\n  version "b" until 2022-12-31\n'
    _, _, found = check_sources(SourceFile("t.ctr", text), None)
    assert [d.message for d in found] == ['version "b" has no start date but follows another version']


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_and_a_byte_order_mark_read_the_same(newline):
    text = "\ufeff" + HEAD + "# a comment\nrequirement polio\n  clause § 1\n    requires 1 dose of p\n"
    assert ctrules.compile(text.replace("\n", newline)).requirement_ids == ["polio"]


def test_check_goes_on_after_a_file_that_is_not_utf8(capsys, tmp_path):
    from ctrules.cli import main

    bad = tmp_path / "bad.ctr"
    bad.write_bytes(b"ruleset x \xff\n")
    good = tmp_path / "good.ctr"
    good.write_text(HEAD + "requirement polio\n  clause § 1\n    requires 1 dose of p\n")
    assert main(["check", str(bad), str(good)]) == 1
    err = capsys.readouterr().err
    assert "bad.ctr: not UTF-8 text (byte 10)" in err and "good.ctr: ok (1 requirements)" in err
