"""`ctrules diff`: the structural changes, the effect of each on students, and (with a roster)
who moves. The stages are `sides` (what is compared), `structure` (what changed), `witnesses`
and `effects` (which students it changes), `population` (a real roster), `report` (output).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from ..errors import UsageError
from ..records import ReadItem
from .effects import Effect, requirement_effect
from .population import Impact, population_impact
from .sides import Side, open_side
from .structure import Change, structural_changes

__all__ = ["SCHEMA_VERSION", "Diff", "compare", "diff"]

SCHEMA_VERSION = 1
"""Of the JSON output (docs/diff.md); raised when a field changes meaning or goes away."""


@attrs.frozen(kw_only=True)
class Diff:
    old: Side
    new: Side
    as_of: date
    """The evaluation date witnesses default to (and the roster is evaluated on)."""
    changes: tuple[Change, ...]
    effects: dict[str, Effect]
    """By requirement, for every requirement a behavioural change can move."""
    population: Impact | None = None

    @property
    def behavioural_difference(self) -> bool:
        """Some student was found whose status differs (a witness, or a roster student), or a
        search for one was cut short (so no difference cannot be claimed)."""
        found = any(e.differing or e.classification == "unsettled" for e in self.effects.values())
        return found or (self.population is not None and self.population.students_moved > 0)

    def effect_of(self, change: Change) -> str:
        """`wording` for a change that cannot move a result; else the effect of the
        requirements it can move, together (tightening, loosening, mixed or none)."""
        if not change.behavioural:
            return "wording"
        found = {self.effects[r].classification for r in change.requirements if r in self.effects}
        found.discard("none")
        if not found:
            return "none"
        if len(found) > 1:
            found -= {"neutral", "unsettled"}
        if len(found) > 1 or "mixed" in found:
            return "mixed"
        return found.pop()

    def to_dict(self) -> dict[str, Any]:
        from .report import diff_to_dict

        return diff_to_dict(self)


def _common_dates(old: Side, new: Side) -> tuple[date | None, date | None]:
    low = max((d for d in (old.covers[0], new.covers[0]) if d is not None), default=None)
    high = min((d for d in (old.covers[1], new.covers[1]) if d is not None), default=None)
    if low is not None and high is not None and low > high:
        raise UsageError(
            f"{old.label} and {new.label} cover no evaluation date in common "
            f"({old.label}: {_span(old)}; {new.label}: {_span(new)})"
        )
    return low, high


def _span(side: Side) -> str:
    start, end = side.covers
    return f"{start or 'the beginning'} to {end or 'now'}"


def _default_as_of(old: Side, new: Side, as_of: date | None, today: date) -> date:
    low, high = _common_dates(old, new)
    if as_of is not None:
        if (low is not None and as_of < low) or (high is not None and as_of > high):
            raise UsageError(
                f"--as-of {as_of}: the two rulesets both have rules only from {low or '…'} to {high or '…'}"
            )
        return as_of
    pins = [d for d in (old.pinned, new.pinned) if d is not None]
    day = max(pins) if pins else today
    if high is not None and day > high:
        day = high
    if low is not None and day < low:
        day = low
    return day


def compare(
    old: Side,
    new: Side,
    *,
    as_of: date | None = None,
    population: Iterable[ReadItem] | None = None,
    today: date | None = None,
) -> Diff:
    """Compare two opened sides. Students are tried on `as_of` (default: the later pinned
    date, else today within the dates both cover) and on the day before and the day each rule
    of a changed requirement, or an exemption, starts or stops; a roster is evaluated on
    `as_of`."""
    changes = structural_changes(old.tree, new.tree)
    default = _default_as_of(old, new, as_of, today or date.today())
    moved = dict.fromkeys(r for c in changes if c.behavioural for r in c.requirements)
    for side in (old, new):  # a requirement that `follows` a changed one moves with it
        for requirement in side.tree.requirements:
            if requirement.follows is not None and requirement.follows.text in moved:
                moved.setdefault(requirement.name.text)
    effects = {name: requirement_effect(name, old, new, default) for name in moved}
    impact = population_impact(old, new, population, default) if population is not None else None
    return Diff(old=old, new=new, as_of=default, changes=tuple(changes), effects=effects, population=impact)


def diff(
    old: str,
    new: str,
    *,
    as_of: date | None = None,
    population: Iterable[ReadItem] | None = None,
    today: date | None = None,
) -> Diff:
    """Compare two rulesets named as on the command line: a `.ctr` path, a bundled name, or
    `NAME@YYYY-MM-DD` (the rules in force that day)."""
    return compare(open_side(old), open_side(new), as_of=as_of, population=population, today=today)
