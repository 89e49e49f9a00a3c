"""The grammar builds without ambiguity and parses every bundled ruleset."""

from pathlib import Path

import lark
import pytest

from ctrules.parse import data_dir, grammar_text, parse
from ctrules.source import SourceFile

RULESET_FILES = sorted(data_dir("rulesets").rglob("*.ctr"))


def test_grammar_builds_in_strict_mode_so_no_ambiguity_creeps_in():
    lark.Lark(grammar_text(), parser="lalr", strict=True, propagate_positions=True, maybe_placeholders=True)


def test_there_are_bundled_rulesets_to_parse():
    assert any(p.parent.name == "ct" for p in RULESET_FILES)


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_every_bundled_ruleset_file_parses(path: Path):
    tree = parse(SourceFile.read(path))
    assert tree.data == "start" and tree.children


@pytest.mark.parametrize(
    "text",
    [
        'ruleset r "t" version "1" live vaccine spacing on grace 4 days',
        "vaccine MMR cvx 3 contains measles, mumps and rubella live",
        "group measles-vaccine = vaccines containing measles",
        "group pcv = PCV13, PCV15 and PCV20",
        "requirement x clause § 1(a) requires 2 doses of g, first on or after 1st birthday, at least 28 days apart",
        "requirement x clause § 1(a) requires 3 doses of g, dose 3 at least 16 weeks after dose 1, dose 3 at age >= 24 weeks",
        "requirement x clause § 1(a) requires 2 doses of g, first on or after 1st birthday and before 13th birthday,"
        " at least 3 months apart or 2 doses of g, first on or after 13th birthday, more than 28 days apart with 4 days grace",
        "requirement x clause § 1(a) when grades K to 12, age 18 to 83 months, born on or after 2007-01-01,"
        " from 2011-08-01 until 2020-06-30 requires laboratory-confirmed immunity to measles",
        "requirement x clause § 1(k) when grade 7 by cohort requires 1 dose of flu every year between"
        " August 1 and December 31, 2 doses at least 28 days apart in a first season",
        "requirement x clause § 1(f)(2) when age >= 5 years deemed protected",
        "requirement x also § 1(f)(3) provisional requires documented history of hib at age >= 24 months"
        " or documented history of herpes zoster",
        "requirement x clause § 1 requires 1 dose of a as well as 1 dose of b",
        'exemption religious § 2(a)(3) says "x" for measles when on file before 2021-04-28,'
        " enrolled in K-12 on or before 2021-04-28",
        "exemption statutory § 2(a)(4) for measles when documented history of the disease",
        'in process § 2(a)(1) says "certificate"',
    ],
)
def test_each_construct_parses(text: str):
    assert parse(SourceFile("t.ctr", text)).children
