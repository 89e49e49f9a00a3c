"""Shared helpers for the regulation snapshot tests (Regs. Conn. State Agencies § 10-204a-2a).

Each module pins one subsection of the regulation. A test builds one student with `student(...)`
(the contract's record, shared/spec/contract.md § 2), evaluates it at a fixed date with the
bundled `ct` ruleset, asserts the status and clause derived from the regulation text, and
compares the requirement's result with a syrupy snapshot.

Boundary dates are computed with `ctrules.dates` (CDSi rules: a date that does not exist moves to
the first of the next month; a Feb 29 birthday falls on Mar 1 in common years), so a "one day
early" dose is exactly one day before the threshold the regulation names.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest

import ctrules
from ctrules.results import RequirementResult

AS_OF = date(2024, 9, 1)
"""The default evaluation date: the first day of school year 2024-25."""

ONE_DAY = timedelta(days=1)

__all__ = [
    "AS_OF",
    "ONE_DAY",
    "evaluate",
    "history",
    "in_process",
    "lab",
    "medical",
    "religious",
    "student",
    "zoster",
]


def _iso(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else value


def student(
    birth: date,
    grade: str,
    doses: Iterable[tuple[str, date]] = (),
    evidence: Iterable[dict[str, Any]] = (),
    exemptions: Iterable[dict[str, Any]] = (),
    *,
    id: str = "stu-test",  # noqa: A002 - the contract's field name
    k12_entry_date: date | None = None,
) -> dict[str, Any]:
    """A student record in the contract's JSON shape.

    `doses` are `(vaccine name, date)` pairs; `evidence` and `exemptions` are dicts as built by
    `lab`, `history`, `zoster`, `in_process`, `medical` and `religious`.
    """
    record: dict[str, Any] = {
        "id": id,
        "birth_date": birth.isoformat(),
        "grade": grade,
        "doses": [{"vaccine": vaccine, "date": given.isoformat()} for vaccine, given in doses],
        "evidence": list(evidence),
        "exemptions": list(exemptions),
    }
    if k12_entry_date is not None:
        record["k12_entry_date"] = k12_entry_date.isoformat()
    return record


def lab(disease: str, on: date) -> dict[str, Any]:
    """Laboratory-confirmed protection, confirmed in writing (the (a)(3), (b)(3) ... clauses)."""
    return {"type": "lab_immunity", "disease": disease, "date": on.isoformat()}


def history(disease: str, on: date) -> dict[str, Any]:
    """A physician's statement of disease history (or, for measles, mumps and rubella, a
    certificate of a confirmed case)."""
    return {"type": "disease_history", "disease": disease, "date": on.isoformat()}


def zoster(on: date | None = None) -> dict[str, Any]:
    """A physician's signed and dated statement of a history of herpes zoster."""
    item: dict[str, Any] = {"type": "zoster_history"}
    if on is not None:
        item["date"] = on.isoformat()
    return item


def in_process(on: date) -> dict[str, Any]:
    """A certificate that initial immunizations were given and more are in process."""
    return {"type": "in_process", "date": on.isoformat()}


def medical(
    vaccines: Iterable[str] = (), *, requirements: Iterable[str] = (), until: date | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "medical"}
    if vaccines:
        item["vaccines"] = list(vaccines)
    if requirements:
        item["requirements"] = list(requirements)
    if until is not None:
        item["until"] = until.isoformat()
    return item


def religious(on_file_since: date) -> dict[str, Any]:
    return {"type": "religious", "on_file_since": on_file_since.isoformat()}


def evaluate(
    ruleset: ctrules.Ruleset, record: dict[str, Any], requirement: str, as_of: date = AS_OF
) -> RequirementResult:
    """Evaluate `record` on `as_of` and return the one requirement's result.

    Fails loudly if the record could not be evaluated, so an input mistake in a test never
    passes as a status."""
    result = ruleset.evaluate(record, as_of=as_of)
    assert result.status.value != "error", result.errors
    return result.requirements[requirement]


@pytest.fixture(scope="session")
def ct() -> ctrules.Ruleset:
    """The bundled Connecticut ruleset, loaded once for the session."""
    return ctrules.load("ct")
