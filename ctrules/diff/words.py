"""Rules back into words: the syntax tree written out in the `.ctr` phrases it came from.

The language mirrors the regulation, so its own canonical phrases are the policy words a diff
should speak ("2 doses of measles-vaccine, first on or after 1st birthday, at least 28 days
apart"). Formatting, comments and spans are gone by this point: two trees that print the same
say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .. import ast
from ..grades import GRADE_ORDER
from ..reasons import ordinal

__all__ = [
    "body_words",
    "clause_label",
    "condition_words",
    "constraint_words",
    "evidence_words",
    "grade_span",
    "grade_words",
    "quantity_words",
]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip


def quantity_words(quantity: ast.Quantity) -> str:
    return str(quantity)


def _grace(days: int | None, word: str) -> str:
    if days is None:
        return ""
    return f" with {days} {'day' if days == 1 else 'days'} {word}"


def grade_span(grades: Iterable[str]) -> str:
    """Grades as the shortest list of runs: `P3 or PK`, `K to 12`, `K to 6 or 8 to 12`."""
    present = set(grades)
    runs: list[list[str]] = []
    for grade in GRADE_ORDER:
        if grade not in present:
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs:
            runs.append([])
        runs[-1].append(grade)
    parts: list[str] = []
    for run in (r for r in runs if r):
        if len(run) == 1:
            parts.append(run[0])
        elif len(run) == 2:
            parts += run
        else:
            parts.append(f"{run[0]} to {run[-1]}")
    return " or ".join(parts)


def grade_words(grades: Iterable[str]) -> str:
    listed = list(grades)
    return ("grade " if len(listed) == 1 else "grades ") + grade_span(listed)


def condition_words(condition: object) -> str:
    match condition:
        case ast.GradeCondition(grades=grades, by_cohort=by_cohort):
            return grade_words(grades) + (" by cohort" if by_cohort else "")
        case ast.AgeBetween(low=low, high=high, unit=unit):
            return f"age {low} to {high} {unit.value}"
        case ast.AgeCompare(comparator=comparator, quantity=quantity):
            return f"age {comparator.value} {quantity_words(quantity)}"
        case ast.DateCondition() as dated:
            return f"{dated.subject.value} {dated.comparator.value} {dated.on}"
        case ast.InForce(start=start, end=end):
            return " ".join(p for p in (f"from {start}" if start else "", f"until {end}" if end else "") if p)
        case ast.HistoryOfTheDisease():
            return "documented history of the disease"
    raise TypeError(f"not a condition: {condition!r}")


def _position(position: ast.Position) -> str:
    if position.kind is ast.PositionKind.NTH:
        return f"dose {position.index}"
    return str(position.kind.value)


def _timing(bound: ast.AgeAt) -> str:
    if bound.as_birthday:
        words = {ast.Comparator.GE: "on or after", ast.Comparator.GT: "after"}
        words |= {ast.Comparator.LE: "on or before", ast.Comparator.LT: "before"}
        return f"{words[bound.comparator]} {ordinal(bound.quantity.amount)} birthday" + _grace(
            bound.grace_days, bound.grace_word
        )
    return f"at age {bound.comparator.value} {quantity_words(bound.quantity)}" + _grace(
        bound.grace_days, bound.grace_word
    )


def constraint_words(constraint: object) -> str:
    match constraint:
        case ast.DoseTiming(position=position, bounds=bounds):
            return f"{_position(position)} " + " and ".join(_timing(b) for b in bounds)
        case ast.Apart(comparator=comparator, quantity=quantity, grace_days=grace, grace_word=word):
            return f"{comparator.words} {quantity_words(quantity)} apart" + _grace(grace, word)
        case ast.DoseAfter(dose=dose, comparator=comparator, quantity=quantity, reference=reference) as after:
            return f"dose {dose} {comparator.words} {quantity_words(quantity)} after dose {reference}" + _grace(
                after.grace_days, after.grace_word
            )
        case ast.Recency(position=position, comparator=comparator, quantity=quantity) as recency:
            return (
                f"{_position(position)} {comparator.words} {quantity_words(quantity)} before the evaluation date"
                + _grace(recency.grace_days, recency.grace_word)
            )
    raise TypeError(f"not a constraint: {constraint!r}")


def _doses(count: int) -> str:
    return f"{count} {'dose' if count == 1 else 'doses'}"


def evidence_words(term: object) -> str:
    match term:
        case ast.Series(count=count, group=group, constraints=constraints):
            return ", ".join([f"{_doses(count)} of {group.text}", *(constraint_words(c) for c in constraints)])
        case ast.SeasonalSeries() as season:
            start = f"{_MONTHS[season.window_start[0] - 1]} {season.window_start[1]}"
            end = f"{_MONTHS[season.window_end[0] - 1]} {season.window_end[1]}"
            words = f"{_doses(season.count)} of {season.group.text} every year between {start} and {end}"
            if season.first_season_count and season.first_season_apart is not None:
                apart = season.first_season_apart
                words += (
                    f", {_doses(season.first_season_count)} {apart.comparator.words} "
                    f"{quantity_words(apart.quantity)} apart in a first season"
                )
            return words
        case ast.LabImmunity(disease=disease):
            return f"laboratory-confirmed immunity to {disease.text}"
        case ast.DiseaseHistory(disease=disease, at_age=at_age):
            return f"documented history of {disease.text}" + (f" {_timing(at_age)}" if at_age else "")
        case ast.ZosterHistory():
            return "documented history of herpes zoster"
        case ast.NoDoses(group=group):
            return f"no doses of {group.text}"
        case ast.AllOf(parts=parts):
            return " as well as ".join(evidence_words(p) for p in parts)
    raise TypeError(f"not evidence: {term!r}")


def body_words(body: ast.AnyOf | ast.DeemedProtected | ast.NotRequired | None) -> str:
    match body:
        case None:
            return "(no requirement of its own)"
        case ast.DeemedProtected():
            return "deemed protected"
        case ast.NotRequired():
            return "not required"
        case ast.AnyOf(options=options):
            return " or ".join(evidence_words(o) for o in options)
    raise TypeError(f"not a clause body: {body!r}")


def when_words(conditions: Sequence[object]) -> str:
    return ", ".join(condition_words(c) for c in conditions)


def clause_label(item: ast.Clause | ast.Rule) -> str:
    """How a change names a clause or rule: `§ 10-204a-2a(a)(2)`, `also § …`, `rule "1 dose"`."""
    if isinstance(item, ast.Rule):
        return f'rule "{item.name}"'
    prefix = "also " if item.kind is ast.ClauseKind.ADDITIONAL else ""
    return f"{prefix}{item.citation}" + (" (provisional)" if item.citation.provisional else "")
