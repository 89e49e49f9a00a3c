"""`--population ROSTER`: both rulesets over a real roster, and who moves.

Each record is evaluated under both sides on the same date, in one pass (nothing but the
counts and the ids of students who move is kept). A record that cannot be read, or that one
side cannot evaluate, is counted as an error on that side, never dropped: records in equals
results out on each side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from ..evaluate import Evaluator
from ..grades import GRADE_ORDER
from ..records import ReadItem, RecordError
from ..results import Status
from .sides import Side

__all__ = ["Impact", "Move", "population_impact"]

IDS_KEPT = 50
"""Student ids listed per move at most (the count is always exact)."""

WHOLE_RECORD = "(record)"
"""The requirement a move is counted under when one ruleset cannot evaluate the record at all."""


@attrs.frozen(kw_only=True)
class Move:
    """Students of one grade whose status for one requirement moves from `old` to `new`."""

    requirement: str
    grade: str
    old: str
    new: str
    students: int
    ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Impact:
    as_of: date
    records: int
    errors_old: int
    errors_new: int
    students_moved: int
    """Students with at least one requirement whose status differs."""
    moves: tuple[Move, ...]
    overall: tuple[tuple[str, str, int], ...] = ()
    """(old overall status, new overall status, students) for students whose overall status moved."""
    problems: tuple[str, ...] = ()
    """Each record that could not be evaluated, with why (and on which side, where only one failed)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "records": self.records,
            "errors": {"old": self.errors_old, "new": self.errors_new},
            "students_moved": self.students_moved,
            "overall": [{"old": a, "new": b, "students": n} for a, b, n in self.overall],
            "problems": list(self.problems),
            "moves": [
                {
                    "requirement": m.requirement,
                    "grade": m.grade,
                    "old": m.old,
                    "new": m.new,
                    "students": m.students,
                    "ids": list(m.ids),
                }
                for m in self.moves
            ],
        }


def _grade_key(grade: str) -> int:
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)


def population_impact(old: Side, new: Side, items: Iterable[ReadItem], as_of: date) -> Impact:
    """Evaluate every record under both sides on `as_of`; count who moves, by requirement and grade."""
    evaluators = (Evaluator(old.compiled), Evaluator(new.compiled))
    versions = (old.compiled.version_on(as_of), new.compiled.version_on(as_of))
    counts: Counter[tuple[str, str, str, str]] = Counter()
    ids: dict[tuple[str, str, str, str], list[str]] = {}
    overall: Counter[tuple[str, str]] = Counter()
    problems: list[str] = []
    records = errors_old = errors_new = moved = 0

    def count(key: tuple[str, str, str, str], student_id: str) -> None:
        counts[key] += 1
        kept = ids.setdefault(key, [])
        if len(kept) < IDS_KEPT:
            kept.append(student_id)

    for item in items:
        records += 1
        before = evaluators[0].evaluate_item(item, as_of, versions[0])
        after = evaluators[1].evaluate_item(item, as_of, versions[1])
        errors_old += before.status is Status.ERROR
        errors_new += after.status is Status.ERROR
        grade = "" if isinstance(item, RecordError) else item.grade
        if before.status is not after.status:
            overall[(before.status.value, after.status.value)] += 1
        if before.status is Status.ERROR or after.status is Status.ERROR:
            problems += _problems(before.errors, after.errors, (old.label, new.label))
            if before.status is not after.status:  # readable under one ruleset only: it moves
                count((WHOLE_RECORD, grade, before.status.value, after.status.value), before.id)
                moved += 1
            continue
        any_moved = False
        for name in dict.fromkeys([*before.requirements, *after.requirements]):
            a = before.requirements.get(name)
            b = after.requirements.get(name)
            old_status = a.status.value if a else "not_required"
            new_status = b.status.value if b else "not_required"
            if old_status != new_status:
                any_moved = True
                count((name, grade, old_status, new_status), before.id)
        moved += any_moved
    order = {name: i for i, name in enumerate(r.name for r in (*new.compiled.requirements, *old.compiled.requirements))}
    moves = tuple(
        Move(requirement=r, grade=g, old=a, new=b, students=n, ids=tuple(ids[(r, g, a, b)]))
        for (r, g, a, b), n in sorted(
            counts.items(), key=lambda kv: (order.get(kv[0][0], 99), _grade_key(kv[0][1]), -kv[1])
        )
    )
    return Impact(
        as_of=as_of,
        records=records,
        errors_old=errors_old,
        errors_new=errors_new,
        students_moved=moved,
        moves=moves,
        overall=tuple((a, b, n) for (a, b), n in overall.most_common()),
        problems=tuple(problems),
    )


def _problems(old: tuple[str, ...], new: tuple[str, ...], labels: tuple[str, str]) -> list[str]:
    """A record's errors once when both sides agree, else each with the side it came from."""
    if old == new:
        return list(old)
    return [f"{e} (under {labels[0]})" for e in old] + [f"{e} (under {labels[1]})" for e in new]
