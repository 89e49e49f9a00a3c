"""Shared helpers for the vendor snapshot tests (`infinite-campus-ct`).

Each module pins one section of the Infinite Campus article "Immunization Rules (Connecticut)
[.2311 - .2331]" (seed 002_6dfd16146714b4ef.txt), rule by rule. A test builds one student with
`student(...)`, evaluates it with `evaluate(...)` (by default on 2023-09-01, version "2023-24"),
asserts the status and the deciding rule (`clause` is the rule's name, or when no rule decides,
the name of the closest compliant rule tried, or None), and compares the requirement's result
with a syrupy snapshot.

Readings (ruleset header, V-01..V-06): rules are tried in order and the first whose conditions
hold and whose requirement is met decides; "greater than N" is strict and "with a T day
tolerance" moves the limit T days the lenient way (so "greater than 28 days with a 4 day
tolerance" accepts 25 days, not 24); months are calendar months (a day the month lacks rolls to
the 1st of the next month); with no explicit "Default" rule, no match is non-compliant.

Each module names its requirement(s) in `REQUIREMENTS` and the rules it pins in `RULES` (in the
ruleset's order); `test_ruleset.py` checks both against the ruleset and against the asserts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest

import ctrules
from ctrules.results import RequirementResult, Result

AS_OF = date(2023, 9, 1)
"""The default evaluation date: in the ruleset's version "2023-24"."""

ONE_DAY = timedelta(days=1)

__all__ = ["AS_OF", "ONE_DAY", "evaluate", "evaluate_all", "medical", "religious", "student"]


def student(
    birth: date,
    grade: str,
    doses: Iterable[tuple[str, date]] = (),
    exemptions: Iterable[dict[str, Any]] = (),
    *,
    id: str = "stu-vendor",  # noqa: A002 - the contract's field name
) -> dict[str, Any]:
    """A student record in the contract's JSON shape; `doses` are `(vaccine name, date)` pairs."""
    return {
        "id": id,
        "birth_date": birth.isoformat(),
        "grade": grade,
        "doses": [{"vaccine": vaccine, "date": given.isoformat()} for vaccine, given in doses],
        "evidence": [],
        "exemptions": list(exemptions),
    }


def medical(
    vaccines: Iterable[str] = (), *, requirements: Iterable[str] = (), until: date | None = None
) -> dict[str, Any]:
    """A medical waiver naming vaccines or requirement ids, optionally ending on `until`."""
    item: dict[str, Any] = {"type": "medical"}
    if vaccines:
        item["vaccines"] = list(vaccines)
    if requirements:
        item["requirements"] = list(requirements)
    if until is not None:
        item["until"] = until.isoformat()
    return item


def religious(on_file_since: date) -> dict[str, Any]:
    """A conscientious/religious objection waiver on file since `on_file_since`."""
    return {"type": "religious", "on_file_since": on_file_since.isoformat()}


def evaluate_all(ruleset: ctrules.Ruleset, record: dict[str, Any], as_of: date = AS_OF) -> Result:
    """The whole result for `record` on `as_of`; fails loudly if the record could not be evaluated."""
    result = ruleset.evaluate(record, as_of=as_of)
    assert result.status.value != "error", result.errors
    return result


def evaluate(
    ruleset: ctrules.Ruleset, record: dict[str, Any], requirement: str, as_of: date = AS_OF
) -> RequirementResult:
    """Evaluate `record` on `as_of` and return the one requirement's result."""
    return evaluate_all(ruleset, record, as_of).requirements[requirement]


@pytest.fixture(scope="session")
def ic() -> ctrules.Ruleset:
    """The bundled Infinite Campus vendor ruleset, loaded once for the session."""
    return ctrules.load("infinite-campus-ct")
