"""Which students a change moves: each changed requirement tried on the students `witnesses`
makes, under both rulesets, and the differences classified.

A student meets a requirement when it is compliant, exempt or not required, fails it when
non-compliant, and is between the two when in progress. A requirement's effect is `tightening`
when some student moves towards failing under the new rules (and none the other way),
`loosening` when some move towards meeting, `mixed` when both, `neutral` when statuses change
but nobody moves between meeting and failing (a newly applied requirement every student
tried already meets: not_required → compliant), `none` when no student tried differs, and
`unsettled` when none differs but the search stopped short (`MAX_TRIED`) or tried nobody. A
record one ruleset cannot read at all (`error`) counts as worse than failing.

Every witness shown was evaluated in full (every requirement, the ruleset's own versions and
exemptions) under both rulesets, and differs there as it did in the search.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from ..errors import InputError
from ..evaluate import Evaluator
from ..grades import GRADE_ORDER
from ..records import Student
from ..results import RequirementResult, Result, Status
from .sides import Side
from .witnesses import Candidate, candidates, sample_dates
from .words import grade_span

__all__ = ["Departure", "Effect", "Witness", "requirement_effect", "severity"]

_ORDER = {
    Status.NOT_REQUIRED: 0,
    Status.COMPLIANT: 0,
    Status.EXEMPT: 0,
    Status.IN_PROGRESS: 1,
    Status.NON_COMPLIANT: 2,
    Status.ERROR: 3,
}
"""How far a status is from meeting the requirement. `error`: the record cannot be evaluated
at all under that ruleset (a vaccine it does not know), worse than failing."""

UNKNOWN_NAME = "CTR406"
"""The record error for a requirement or disease name a ruleset does not know."""

MAX_TRIED = 100_000
"""Students tried per requirement at most (the search stops there and says so)."""


def severity(status: Status) -> int:
    return _ORDER.get(status, -1)


@attrs.frozen(kw_only=True)
class Witness:
    """A student whose status for a requirement differs between the two rulesets, with both
    full results."""

    requirement: str
    record: dict[str, Any] = attrs.field(eq=False)
    as_of: date
    what: str
    old: Result
    new: Result
    verified: bool

    @property
    def old_status(self) -> Status:
        return _status(self.old, self.requirement)

    @property
    def new_status(self) -> Status:
        return _status(self.new, self.requirement)

    def old_requirement(self) -> RequirementResult | None:
        return self.old.requirements.get(self.requirement)

    def new_requirement(self) -> RequirementResult | None:
        return self.new.requirements.get(self.requirement)


def _status(result: Result, requirement: str) -> Status:
    found = result.requirements.get(requirement)
    if found is None:
        return Status.NOT_REQUIRED if result.status is not Status.ERROR else Status.ERROR
    return found.status


@attrs.frozen(kw_only=True)
class Departure:
    """Students whose status for a requirement moves the same way, decided by the same clause
    or rule on each side: one way the new rules depart from the old, with a minimal witness."""

    old_status: Status
    new_status: Status
    old_clause: str | None
    new_clause: str | None
    students: int
    """How many of the students tried move this way."""
    grades: tuple[str, ...]
    witness: Witness

    @property
    def direction(self) -> str:
        return _direction(self.old_status, self.new_status)


@attrs.frozen(kw_only=True)
class Effect:
    """What a requirement's changes do to students."""

    requirement: str
    classification: str
    """tightening, loosening, mixed or none."""
    tried: int
    """Students tried (each on both rulesets)."""
    differing: int
    departures: tuple[Departure, ...] = ()
    exhausted: bool = True
    """False when the search stopped at `MAX_TRIED` students."""
    as_of: tuple[date, ...] = ()
    """The evaluation dates tried."""

    @property
    def grades(self) -> tuple[str, ...]:
        found = {g for d in self.departures for g in d.grades}
        return tuple(g for g in GRADE_ORDER if g in found)

    @property
    def transitions(self) -> tuple[tuple[str, str, int], ...]:
        """(old status, new status, students) for every move seen, most common first."""
        moves: Counter[tuple[str, str]] = Counter()
        for d in self.departures:
            moves[(d.old_status.value, d.new_status.value)] += d.students
        return tuple((a, b, n) for (a, b), n in sorted(moves.items(), key=lambda m: (-m[1], m[0])))

    @property
    def region(self) -> str:
        if not self.differing:
            return ""
        grades = self.grades
        moves = ", ".join(f"{a} → {b}" for a, b, _ in self.transitions)
        return f"grade{'s' if len(grades) > 1 else ''} {grade_span(grades)}: {moves}"


class _Trial:
    """One side's evaluator for the search: a requirement on a student's facts, nothing more."""

    def __init__(self, side: Side, name: str):
        self.side = side
        self.evaluator = Evaluator(side.compiled)
        self.requirement = next((r for r in side.compiled.requirements if r.name == name), None)

    def decide(self, student: Student, as_of: date) -> tuple[Status, str | None]:
        """The requirement's status and deciding clause; `error` when this ruleset cannot read
        the record."""
        try:
            facts = self.evaluator.facts(student, as_of)
        except InputError as error:
            # A record naming a requirement or disease this ruleset lacks (CTR406) says nothing
            # about its rules; one with a vaccine it cannot read (CTR404) is a real move.
            return (Status.ERROR, error.code)
        if self.requirement is None:
            return (Status.NOT_REQUIRED, None)
        result = self.evaluator.requirement(self.requirement, facts)
        return (result.status, result.clause)

    def full(self, student: Student, as_of: date) -> Result:
        return self.evaluator.evaluate_student(student, as_of)


def _clause(decided: tuple[Status, str | None]) -> str | None:
    """The deciding clause (none for a record that could not be evaluated)."""
    return None if decided[0] is Status.ERROR else decided[1]


def _direction(old: Status, new: Status) -> str:
    if severity(new) == severity(old):
        return "neutral"
    return "tightening" if severity(new) > severity(old) else "loosening"


def _classify(directions: Iterable[str], settled: bool = True) -> str:
    found = set(directions)
    if not found:
        return "none" if settled else "unsettled"
    if found == {"neutral"}:
        return "neutral"
    found.discard("neutral")
    return "mixed" if len(found) > 1 else found.pop()


_Key = tuple[Status, Status, "str | None", "str | None"]


def requirement_effect(name: str, old: Side, new: Side, as_of: date) -> Effect:
    """Try requirement `name` under both sides on the students made from their thresholds, on
    `as_of` and on the dates around its rules' (and the exemptions') starts and ends."""
    days = sample_dates(name, old, new, as_of)
    trials = (_Trial(old, name), _Trial(new, name))
    counts: Counter[_Key] = Counter()
    grades: dict[_Key, set[str]] = {}
    first: dict[_Key, list[Candidate]] = {}
    tried = 0
    exhausted = True
    for candidate in candidates(name, old, new, days):
        if tried >= MAX_TRIED:
            exhausted = False
            break
        tried += 1
        student = Student.from_dict({**candidate.record, "id": "witness"})
        before = trials[0].decide(student, candidate.as_of)
        after = trials[1].decide(student, candidate.as_of)
        if before[0] is after[0] or UNKNOWN_NAME in (before[1], after[1]):
            continue
        key = (before[0], after[0], _clause(before), _clause(after))
        counts[key] += 1
        grades.setdefault(key, set()).update(candidate.grades or (student.grade,))
        kept = first.setdefault(key, [])
        if len(kept) < 3:
            kept.append(candidate)
    departures = []
    for key, found in first.items():
        witness = _verified(name, found, trials) or _witness(name, found[0], trials, verified=False)
        departures.append(
            Departure(
                old_status=key[0],
                new_status=key[1],
                old_clause=key[2],
                new_clause=key[3],
                students=counts[key],
                grades=tuple(g for g in GRADE_ORDER if g in grades[key]),
                witness=witness,
            )
        )
    rank = {"tightening": 0, "loosening": 1, "neutral": 2}
    departures.sort(key=lambda d: (rank[d.direction], -d.students, d.old_status.value, d.new_status.value))
    return Effect(
        requirement=name,
        classification=_classify((d.direction for d in departures), settled=exhausted and tried > 0),
        tried=tried,
        differing=sum(counts.values()),
        departures=tuple(departures),
        exhausted=exhausted,
        as_of=tuple(d for d, _ in days),
    )


def _witness(name: str, candidate: Candidate, trials: tuple[_Trial, _Trial], verified: bool) -> Witness:
    student = Student.from_dict({**candidate.record, "id": "witness"})
    return Witness(
        requirement=name,
        record={**candidate.record, "id": "witness"},
        as_of=candidate.as_of,
        what=candidate.what,
        old=trials[0].full(student, candidate.as_of),
        new=trials[1].full(student, candidate.as_of),
        verified=verified,
    )


def _verified(name: str, found: list[Candidate], trials: tuple[_Trial, _Trial]) -> Witness | None:
    """The first candidate whose full evaluations differ for the requirement as in the search."""
    for candidate in found:
        witness = _witness(name, candidate, trials, verified=True)
        if witness.old_status is not witness.new_status:
            return witness
    return None
