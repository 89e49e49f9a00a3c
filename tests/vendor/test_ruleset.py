"""The `infinite-campus-ct` ruleset as a whole: its versions, and a check that every rule of every
requirement is pinned by at least one test.

Each section module declares `REQUIREMENTS` (the requirement ids it pins) and `RULES` (their rule
names, in the ruleset's order). The coverage test compares `RULES` with the compiled ruleset and
reads each module's source for `assert r.clause == <rule>` statements inside `test_` functions, so
adding, renaming or reordering a rule without a test that asserts it as the deciding clause fails.
"""

from __future__ import annotations

import ast
import inspect
from datetime import date
from types import ModuleType

import pytest

from . import (
    test_dtap,
    test_hepatitis_a,
    test_hepatitis_b,
    test_hib,
    test_influenza,
    test_meningococcal,
    test_mmr,
    test_pneumococcal,
    test_polio,
    test_tdap,
    test_varicella,
    test_waivers,
)
from .conftest import AS_OF, evaluate_all, student

SECTIONS: tuple[ModuleType, ...] = (
    test_dtap,
    test_tdap,
    test_hepatitis_b,
    test_meningococcal,
    test_mmr,
    test_varicella,
    test_polio,
    test_pneumococcal,
    test_hib,
    test_hepatitis_a,
    test_influenza,
    test_waivers,
)


def _asserted_clauses(module: ModuleType) -> set[str]:
    """Every rule name a `test_` function of `module` asserts as `<result>.clause == <name>`, the
    name written as a string or as a module-level constant."""
    names: set[str] = set()
    tree = ast.parse(inspect.getsource(module))
    for function in tree.body:
        if not (isinstance(function, ast.FunctionDef) and function.name.startswith("test_")):
            continue
        for node in ast.walk(function):
            if not (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare)):
                continue
            compare = node.test
            if not (
                isinstance(compare.left, ast.Attribute)
                and compare.left.attr == "clause"
                and len(compare.ops) == 1
                and isinstance(compare.ops[0], ast.Eq)
            ):
                continue
            right = compare.comparators[0]
            if isinstance(right, ast.Constant) and isinstance(right.value, str):
                names.add(right.value)
            elif isinstance(right, ast.Name) and isinstance(getattr(module, right.id, None), str):
                names.add(getattr(module, right.id))
    return names


def test_version_on_default_date(ic):
    """The ruleset's versions are the school years of the article's dated hepatitis A rules.

    Case: any student evaluated on AS_OF (2023-09-01) is evaluated under version "2023-24".
    """
    result = evaluate_all(ic, student(date(2018, 5, 10), "K"))
    assert result.to_dict()["ruleset"] == {"name": "infinite-campus-ct", "version": "2023-24"}


@pytest.mark.parametrize(
    ("as_of", "version"),
    [
        (date(2020, 7, 1), "2020-21"),
        (date(2021, 6, 30), "2020-21"),
        (date(2021, 7, 1), "2021-22"),
        (date(2022, 7, 1), "2022-23"),
        (date(2023, 6, 30), "2022-23"),
        (AS_OF, "2023-24"),
        (date(2024, 6, 30), "2023-24"),
        (date(2024, 7, 1), "2024-25"),
        (date(2030, 9, 1), "2024-25"),
    ],
)
def test_version_by_school_year(ic, as_of, version):
    """Versions run July 1 to June 30 from 07/01/2020 (the first active start date); "2024-25" has
    no end.

    Case: the version in force on each date.
    """
    assert ic.version_on(as_of) == version


def test_every_requirement_has_a_section_module(ic):
    """Every requirement of the ruleset is pinned by exactly one section module.

    Case: the union of the modules' `REQUIREMENTS` is the ruleset's requirement ids, none twice.
    """
    claimed = [name for module in SECTIONS for name in module.REQUIREMENTS]
    assert sorted(claimed) == sorted(ic.requirement_ids)


def test_section_rules_match_the_ruleset(ic):
    """Each module's `RULES` lists its requirements' rules by exact name, in the ruleset's order
    (`mumps` and `rubella` follow `measles` and carry its rules).

    Case: for every requirement, `RULES` of its module equals the compiled rule names.
    """
    by_name = {r.name: r for r in ic.compiled.requirements}
    for module in SECTIONS:
        for requirement in module.REQUIREMENTS:
            assert tuple(rule.name for rule in by_name[requirement].rules) == module.RULES, module.__name__


def test_every_rule_is_asserted_as_a_clause(ic):
    """Every rule of every requirement is the asserted `clause` of at least one test in the module
    that pins its requirement.

    Case: for each requirement, its rule names minus the clauses its module asserts is empty.
    """
    asserted = {module.__name__: _asserted_clauses(module) for module in SECTIONS}
    missing = {}
    for requirement in ic.compiled.requirements:
        modules = [m for m in SECTIONS if requirement.name in m.REQUIREMENTS]
        assert modules, f"no section module pins {requirement.name}"
        covered = set().union(*(asserted[m.__name__] for m in modules))
        names = {rule.name for rule in requirement.rules}
        assert names, f"{requirement.name} has no rules"
        if names - covered:
            missing[requirement.name] = sorted(names - covered)
    assert missing == {}


def test_coverage_check_sees_asserts():
    """The coverage check itself: it must find the clauses a module asserts, and only those.

    Case: test_hib asserts both its rules; test_waivers asserts rule names of other requirements
    only through string literals, which are collected too.
    """
    assert _asserted_clauses(test_hib) == set(test_hib.RULES)
    assert _asserted_clauses(test_waivers) == {"4 doses K-12", "2 MMR K-12"}
