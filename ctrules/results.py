"""Evaluation results and their JSON shape (contract section 4). Nothing else serialises them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

__all__ = ["RequirementResult", "Result", "Status", "worst"]


class Status(enum.Enum):
    COMPLIANT = "compliant"
    IN_PROGRESS = "in_progress"
    NON_COMPLIANT = "non_compliant"
    NOT_REQUIRED = "not_required"
    EXEMPT = "exempt"
    ERROR = "error"


# Overall status is the worst requirement status (contract section 4).
_SEVERITY = {
    Status.NOT_REQUIRED: 0,
    Status.COMPLIANT: 1,
    Status.EXEMPT: 2,
    Status.IN_PROGRESS: 3,
    Status.NON_COMPLIANT: 4,
    Status.ERROR: 5,
}


_VALUE = {status: status.value for status in Status}
"""`status.value`, looked up in a dict: `to_dict` runs once per student and requirement."""


def worst(statuses: list[Status]) -> Status:
    return max(statuses, key=_SEVERITY.__getitem__, default=Status.NOT_REQUIRED)


@attrs.frozen(kw_only=True)
class RequirementResult:
    """One requirement's status, the clause that decided it, and reasons a nurse can act on."""

    requirement: str
    status: Status
    clause: str | None
    reasons: tuple[str, ...]
    next_due: date | None = None
    """The earliest date a further dose would count, where one is missing."""
    exemption: str | None = None
    """For `exempt`: the kind of exemption honoured (medical, religious or statutory)."""

    def __reduce__(self) -> tuple[Any, ...]:
        # `--jobs` sends every result back to the parent: pickled as a call with the fields as
        # plain values, a result takes about half the work to pickle and unpickle as through
        # attrs' `__getstate__`/`__setstate__` (measured in instructions; docs/performance.md).
        fields = (self.requirement, self.status.value, self.clause, self.reasons, self.next_due, self.exemption)
        return _requirement_result, fields

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "status": _VALUE[self.status],
            "clause": self.clause,
            "reasons": list(self.reasons),
        }


@attrs.frozen(kw_only=True)
class Result:
    """One student's evaluation on one date under one ruleset."""

    id: str
    as_of: date
    ruleset_name: str
    ruleset_version: str
    status: Status
    ruleset_amends: tuple[str, str] | None = None
    """For an amendment: the (name, version) of the ruleset it amends, as in force that day."""
    requirements: Mapping[str, RequirementResult] = attrs.field(factory=dict)
    errors: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # As RequirementResult.__reduce__.
        fields = (
            self.id,
            self.as_of,
            self.ruleset_name,
            self.ruleset_version,
            self.status.value,
            self.ruleset_amends,
            dict(self.requirements),
            self.errors,
        )
        return _result, fields

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "as_of": self.as_of.isoformat(),
            "ruleset": self._ruleset(),
            "status": _VALUE[self.status],
            "requirements": [r.to_dict() for r in self.requirements.values()],
        }
        if self.status is Status.ERROR:
            data["errors"] = list(self.errors)
        return data

    def _ruleset(self) -> dict[str, Any]:
        """`{"name", "version"}`: the version in force on `as_of`; an amendment adds `amends`."""
        ruleset: dict[str, Any] = {"name": self.ruleset_name, "version": self.ruleset_version}
        if self.ruleset_amends is not None:
            ruleset["amends"] = {"name": self.ruleset_amends[0], "version": self.ruleset_amends[1]}
        return ruleset


_STATUS = {status.value: status for status in Status}


def _requirement_result(
    requirement: str,
    status: str,
    clause: str | None,
    reasons: tuple[str, ...],
    next_due: date | None,
    exemption: str | None,
) -> RequirementResult:
    """A `RequirementResult` unpickled."""
    return RequirementResult(
        requirement=requirement,
        status=_STATUS[status],
        clause=clause,
        reasons=reasons,
        next_due=next_due,
        exemption=exemption,
    )


def _result(
    student_id: str,
    as_of: date,
    ruleset_name: str,
    ruleset_version: str,
    status: str,
    ruleset_amends: tuple[str, str] | None,
    requirements: dict[str, RequirementResult],
    errors: tuple[str, ...],
) -> Result:
    """A `Result` unpickled."""
    return Result(
        id=student_id,
        as_of=as_of,
        ruleset_name=ruleset_name,
        ruleset_version=ruleset_version,
        status=_STATUS[status],
        ruleset_amends=ruleset_amends,
        requirements=requirements,
        errors=errors,
    )
