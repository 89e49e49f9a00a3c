"""The two things a diff compares: a ruleset file, a bundled ruleset, or `NAME@DATE`, the rules
of a ruleset in force on one day.

`NAME@DATE` is the regulator's question "what did the rules say that day": the clauses, rules
and exemptions in force on DATE are kept (each keeps its start, which a `by cohort` grade
counts school years from) and nothing ends, so the rules of two days can be applied to the same
student on the same evaluation date and compared. A ruleset without a date is compared on every
evaluation date both cover, as it is (its versions included).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

import attrs

from .. import ast
from ..api import Ruleset, load
from ..compiler import Compiled, compile_ruleset
from ..dates import parse_iso
from ..errors import UsageError

__all__ = ["Side", "freeze", "open_side"]

_PINNED = re.compile(r"^(?P<name>.+)@(?P<day>\d{4}-\d{2}-\d{2})$")


@attrs.frozen(kw_only=True)
class Side:
    """One side of a diff: its label as the user wrote it, the tree compared, and its compiled
    form. `pinned` is the day whose rules were kept, for `NAME@DATE`."""

    label: str
    tree: ast.Ruleset
    compiled: Compiled
    ruleset: Ruleset = attrs.field(eq=False, repr=False)
    pinned: date | None = None

    @property
    def covers(self) -> tuple[date | None, date | None]:
        """The evaluation dates this side has rules for (None: open)."""
        if self.pinned is not None:
            return (self.pinned, None)
        versions = self.tree.versions
        if not versions:
            return (None, None)
        return (versions[0].in_force.start, versions[-1].in_force.end)


def open_side(spec: str) -> Side:
    """`ct`, `path/to/file.ctr` or `ct@2011-08-01`. A file whose name contains `@` is taken as
    a file when it exists."""
    match = _PINNED.match(spec)
    if match is None or _exists(spec):
        ruleset = load(spec)
        return Side(label=spec, tree=ruleset.ast, compiled=ruleset.compiled, ruleset=ruleset)
    try:
        day = parse_iso(match["day"])
    except ValueError as error:
        raise UsageError(f"{spec}: {error}") from None
    ruleset = load(match["name"])
    versions = ruleset.ast.versions
    if versions and not any(v.in_force.covers(day) for v in versions):
        first, last = versions[0].in_force.start, versions[-1].in_force.end
        raise UsageError(
            f"{spec}: ruleset {ruleset.name} has no version in force on {day}; "
            f"its versions cover {first or 'the beginning'} to {last or 'now'}"
        )
    tree = freeze(ruleset.ast, day)
    return Side(label=spec, tree=tree, compiled=compile_ruleset(tree), ruleset=ruleset, pinned=day)


def _exists(spec: str) -> bool:
    from pathlib import Path

    return Path(spec).exists()


_Item = TypeVar("_Item", ast.Clause, ast.Rule, ast.Exemption)


def _kept(item: _Item, day: date) -> _Item | None:
    """The item if in force on `day`, with its end removed (its start kept); else None."""
    start: date | None = None
    kept: list[Any] = []
    for condition in item.conditions:
        if isinstance(condition, ast.InForce):
            if not condition.covers(day):
                return None
            if condition.start is not None:
                start = condition.start if start is None else max(start, condition.start)
        else:
            kept.append(condition)
    if start is not None:
        kept.append(ast.InForce(start=start))
    return attrs.evolve(item, conditions=tuple(kept))


def _frozen_requirement(requirement: ast.Requirement, day: date) -> ast.Requirement:
    return attrs.evolve(
        requirement,
        clauses=tuple(c for c in (_kept(c, day) for c in requirement.clauses) if c is not None),
        rules=tuple(r for r in (_kept(r, day) for r in requirement.rules) if r is not None),
    )


def freeze(tree: ast.Ruleset, day: date) -> ast.Ruleset:
    """The rules of `tree` in force on `day`, as a ruleset with one set of rules for every later
    date (no versions, nothing ending)."""
    return attrs.evolve(
        tree,
        versions=(),
        base=None,
        requirements=tuple(_frozen_requirement(r, day) for r in tree.requirements),
        exemptions=tuple(e for e in (_kept(e, day) for e in tree.exemptions) if e is not None),
    )
