"""Static analysis over the students a ruleset will meet: the mistakes a drafter makes that no
name check can see. Each finding comes with a witness (a grade, an age, a date) that shows it.

- gaps (CTR320): an age or grade, within the grades a requirement names, where no clause
  applies and the ruleset does not say `not required` there;
- repeated or masked rules (CTR322): a clause that repeats an earlier one, or an ordered status
  rule that can never decide because an earlier rule always matches first;
- impossible clauses (CTR323): dose rules no history can meet (an empty window for a dose, or
  a series that cannot be complete while the clause still applies), rules that apply to no
  student;
- suspicious amounts (CTR324, CTR325): the same number with two units in one requirement (28
  days here, 28 months there), a grace period as long as the interval it relaxes.

It runs on a ruleset whose names resolve (after `analyze`'s other checks), compiles it, and
tries each requirement's conditions on sample students: for each version (or the dates on which
rules change), each grade the requirement names, and the ages at which its conditions can
change (every age threshold, and the ends of the ages usual for the grade). Conditions are
constant between those ages, so the samples stand for every student.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import attrs

from . import ast
from .checkers import AgeIs, DateIs, Facts, GradeIn, ResolvedDose, SeriesChecker
from .compiler import Compiled, CompiledClause, CompiledRequirement, CompiledRule, compile_ruleset
from .dates import Unit, add_quantity, age_parts
from .diagnostics import Diagnostic, Severity
from .grades import GRADE_ORDER, grade_rank, usual_age_months
from .records import Student

__all__ = ["COVERAGE_CHECKS", "check_gaps", "check_impossible", "check_masked", "check_units"]

_MONTHS_PER_UNIT = {Unit.YEARS: 12.0, Unit.MONTHS: 1.0, Unit.WEEKS: 7 / 30.4375, Unit.DAYS: 1 / 30.4375}


def _months(quantity: ast.Quantity) -> float:
    return quantity.amount * _MONTHS_PER_UNIT[quantity.unit]


def _birth(as_of: date, months: int) -> date | None:
    """A birth date `months` whole months before `as_of` (a day or three more where the month
    is short); None off the calendar."""
    total = as_of.year * 12 + as_of.month - 1 - months
    try:
        return date(total // 12, total % 12 + 1, min(as_of.day, 28))
    except ValueError:
        return None


def _shift(day: date, days: int) -> date | None:
    """`day` moved by `days`, or None off the calendar (rules may say `until 9999-12-31`)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _months_between(birth: date, as_of: date) -> int:
    years, months, _ = age_parts(birth, as_of)
    return 12 * years + months


def _facts(grade: str, birth: date, as_of: date) -> Facts:
    return Facts(student=Student(id="witness", birth_date=birth, grade=grade), as_of=as_of, doses=())


def _sample_dates(compiled: Compiled, requirement: CompiledRequirement) -> list[tuple[date, str]]:
    """(date, label) for each period in which the requirement's rules do not change."""
    if compiled.versions:
        days = [
            (v.in_force.start or _shift(v.in_force.end or date(2024, 9, 2), -1), f'version "{v.id}"')
            for v in compiled.versions
        ]
        return [(day, label) for day, label in days if day is not None]
    items: list[CompiledClause | CompiledRule] = [*requirement.clauses, *requirement.rules]
    starts = {c.in_force.start for c in items if c.in_force.start} | {
        _shift(c.in_force.end, 1) for c in items if c.in_force.end
    }
    return [(day, f"from {day}") for day in sorted(d for d in starts if d is not None)] or [(date(2024, 9, 1), "")]


def _covers_grade(condition: GradeIn, grade: str) -> bool:
    """A grade named, or reached through a cohort (`grade 7 by cohort` means grades 7 and up,
    whatever the year: which cohorts have arrived is not a gap)."""
    if grade in condition.grades:
        return True
    return condition.cohort_rank is not None and grade_rank(grade) > condition.cohort_rank


def _named_grades(items: list[CompiledClause]) -> list[str]:
    """The grades a requirement's clauses name (all grades if one clause names none)."""
    named: set[str] = set()
    for item in items:
        grade_conditions = [c for c in item.conditions if isinstance(c, GradeIn)]
        if not grade_conditions:
            return list(GRADE_ORDER)
        named |= {g for g in GRADE_ORDER if all(_covers_grade(c, g) for c in grade_conditions)}
    return [g for g in GRADE_ORDER if g in named]


def _applies(conditions: tuple[object, ...], facts: Facts) -> bool:
    for condition in conditions:
        if isinstance(condition, GradeIn):
            if not _covers_grade(condition, facts.student.grade):
                return False
        elif isinstance(condition, (AgeIs, DateIs)) and not condition.holds(facts):
            return False
    return True


def _edge(as_of: date, quantity: ast.Quantity) -> date | None:
    """The birth date of a student who reaches `quantity` of age exactly on `as_of` (to a day or
    so for months and years, whose lengths vary: the caller samples the days around it too)."""
    if quantity.unit in (Unit.DAYS, Unit.WEEKS):
        return _shift(as_of, -quantity.amount * (7 if quantity.unit is Unit.WEEKS else 1))
    return _birth(as_of, quantity.amount * (12 if quantity.unit is Unit.YEARS else 1))


def _sample_births(items: list[CompiledClause] | list[CompiledRule], grade: str, as_of: date) -> list[date]:
    """Birth dates, youngest first, within the grade's usual ages: both ends, and the days
    around every age threshold and birth-date condition. Conditions are constant between
    neighbouring samples, so every kind of student of that grade is among them."""
    low, high = usual_age_months(grade)
    youngest, oldest_month = _birth(as_of, low), _birth(as_of, high + 1)
    if youngest is None or oldest_month is None:
        return []
    oldest = _shift(oldest_month, 1) or oldest_month
    edges: set[date | None] = {youngest, oldest}
    for item in items:
        for condition in item.conditions:
            edge = None
            if isinstance(condition, AgeIs):
                edge = _edge(as_of, condition.quantity)
            elif isinstance(condition, DateIs) and condition.subject is ast.DateSubject.BIRTH:
                edge = condition.on
            if edge is not None:
                edges |= {_shift(edge, -1), edge, _shift(edge, 1)}
    return sorted((d for d in edges if d is not None and oldest <= d <= youngest), reverse=True)


def _safe_facts(grade: str, birth: date, as_of: date) -> Facts | None:
    """Facts for a sample student, or None where an age threshold would leave the calendar."""
    facts = _facts(grade, birth, as_of)
    try:
        for age in (0, 200):
            facts.age_date(ast.Quantity(amount=age, unit=Unit.YEARS))
    except (OverflowError, ValueError):
        return None
    return facts


@attrs.frozen
class _Region:
    grade: str
    youngest: date
    oldest: date
    as_of: date

    def __str__(self) -> str:
        low, high = _months_between(self.youngest, self.as_of), _months_between(self.oldest, self.as_of)
        ages = (f"{low} month" if low == 1 else f"{low} months") if low == high else f"{low} to {high} months"
        return f"grade {self.grade} aged {ages}"


def _regions(requirement: CompiledRequirement, as_of: date) -> list[_Region]:
    """Grades and ages, within the grades the requirement names, where no clause applies."""
    items = [c for c in requirement.clauses if c.in_force.covers(as_of)]
    deciding = [c for c in items if c.establishes or c.deemed or c.not_required]
    regions: list[_Region] = []
    for grade in _named_grades(items) if items else list(GRADE_ORDER):
        previous_gap = False
        for birth in _sample_births(items, grade, as_of):
            facts = _safe_facts(grade, birth, as_of)
            if facts is None or any(_applies(c.conditions, facts) for c in deciding):
                previous_gap = False
                continue
            if previous_gap:
                regions[-1] = attrs.evolve(regions[-1], oldest=birth)
            else:
                regions.append(_Region(grade, birth, birth, as_of))
            previous_gap = True
    return regions


def _in_lifetime(requirement: CompiledRequirement, day: date) -> bool:
    """Within the dates some clause with dose rules is in force (before the first starts, or
    after the last ends, the requirement does not exist yet, or any more). A requirement with
    no clause at all is a gap everywhere."""
    if not requirement.clauses:
        return True
    return any(c.in_force.covers(day) for c in requirement.clauses if c.establishes and not c.deemed)


def check_gaps(ruleset: ast.Ruleset, compiled: Compiled) -> Iterator[Diagnostic]:
    nodes = {r.name.text: r for r in ruleset.requirements}
    for requirement in compiled.requirements:
        node = nodes.get(requirement.name)
        if node is None or node.follows is not None or requirement.by_rules:
            continue
        found: dict[tuple[str, ...], list[tuple[date, str]]] = {}
        for day, label in _sample_dates(compiled, requirement):
            if not _in_lifetime(requirement, day):
                continue
            regions = _regions(requirement, day)
            if regions:
                found.setdefault(tuple(str(r) for r in regions), []).append((day, label))
        for described, where in found.items():
            day, _ = where[0]
            first = _regions(requirement, day)[0]
            born = first.youngest
            labels = ", ".join(label for _, label in where if label)
            places = "; ".join(described[:3]) + ("; …" if len(described) > 3 else "")
            yield Diagnostic(
                code="CTR320",
                message=f"no clause of {requirement.name} applies to {places}",
                span=node.name.span,
                severity=Severity.WARNING,
                label=f"e.g. a student in grade {first.grade} born {born}, evaluated on {day}"
                + (f" ({labels})" if labels else ""),
                help="add a clause for these students, or say on purpose that nothing is required: "
                "`clause § … when age < 18 months not required`",
                context=f"requirement {requirement.name}",
            )


def _repeats(a: ast.Clause | ast.Rule, b: ast.Clause | ast.Rule) -> bool:
    if isinstance(a, ast.Clause) and isinstance(b, ast.Clause):
        return a.kind is b.kind and a.conditions == b.conditions and a.body == b.body
    if isinstance(a, ast.Rule) and isinstance(b, ast.Rule):
        return a.status is b.status and a.conditions == b.conditions and a.body == b.body
    return False


def _label(item: ast.Clause | ast.Rule) -> str:
    return f'rule "{item.name}"' if isinstance(item, ast.Rule) else f"{item.kind.value} {item.citation}"


def check_masked(ruleset: ast.Ruleset, compiled: Compiled) -> Iterator[Diagnostic]:
    """A clause that repeats an earlier one; a status rule an earlier rule always pre-empts."""
    for node in ruleset.requirements:
        items: list[ast.Clause | ast.Rule] = [*node.clauses, *node.rules]
        for n, later in enumerate(items):
            earlier = next((e for e in items[:n] if _repeats(e, later)), None)
            if earlier is not None:
                yield Diagnostic(
                    code="CTR322",
                    message=f"{_label(later)} repeats {_label(earlier)}",
                    span=later.span,
                    severity=Severity.WARNING,
                    label="same conditions and the same requirement",
                    help="remove one, or change the conditions so each says something of its own",
                    context=f"requirement {node.name.text}",
                )
    for requirement in compiled.requirements:
        rules = list(requirement.rules)
        for n, rule in enumerate(rules):
            witness = _masking(requirement, rules[:n], rule, compiled)
            if witness is None:
                continue
            first, facts = witness
            if _repeats(first.node, rule.node):
                continue  # reported above as a repeat
            yield Diagnostic(
                code="CTR322",
                message=f'rule "{rule.name}" can never decide: rule "{first.name}" comes first and always matches',
                span=rule.node.span,
                severity=Severity.WARNING,
                label=f"e.g. a grade {facts.student.grade} student born {facts.birth}, on {facts.as_of}",
                help="if the order matters, move this rule above the other; otherwise remove it",
                context=f"requirement {requirement.name}",
            )


def _masking(
    requirement: CompiledRequirement, earlier: list[CompiledRule], rule: CompiledRule, compiled: Compiled
) -> tuple[CompiledRule, Facts] | None:
    """An earlier rule that matches wherever `rule` applies, and a student who shows it."""
    candidates = [e for e in earlier if not e.options or e.node.body == rule.node.body]
    if not candidates:
        return None
    points: list[Facts] = []
    for day, _ in _sample_dates(compiled, requirement):
        if not rule.in_force.covers(day):
            continue
        for grade in GRADE_ORDER:
            for birth in _sample_births([*earlier, rule], grade, day):
                facts = _safe_facts(grade, birth, day)
                if facts is not None and _conditions_hold(rule, facts):
                    points.append(facts)
    if not points:
        return None
    for candidate in candidates:
        if all(candidate.in_force.covers(f.as_of) and _conditions_hold(candidate, f) for f in points):
            return candidate, points[0]
    return None


def _conditions_hold(item: CompiledRule | CompiledClause, facts: Facts) -> bool:
    return all(c.holds(facts) for c in item.conditions)


_WITNESS_BIRTH = date(2000, 1, 15)


def _series_window_problem(series: SeriesChecker, max_age: date | None) -> str | None:
    """Why no history can meet the series, or None: a dose whose window is empty, or a series
    that cannot be complete before the student is too old for the clause."""
    facts = _facts("K", _WITNESS_BIRTH, date(9000, 1, 1))
    counted: list[ResolvedDose] = []
    for slot in range(1, series.count + 1):
        earliest, latest = series._window(slot, counted, facts)
        if latest is not None and latest < earliest:
            return (
                f"dose {slot} would have to be given on or after {earliest} and on or before {latest} "
                f"(for a child born {_WITNESS_BIRTH})"
            )
        counted.append(ResolvedDose(date=earliest, product="", label="", field="", live=False))
    if max_age is not None and counted and counted[-1].date > max_age:
        return (
            f"a child born {_WITNESS_BIRTH} can complete the series on {counted[-1].date} at the earliest, "
            f"but the clause stops applying after {max_age}"
        )
    return None


def _max_evaluation_date(conditions: tuple[object, ...]) -> date | None:
    """The last evaluation date on which age conditions let the clause apply (witness birth)."""
    last: date | None = None
    for condition in conditions:
        if isinstance(condition, AgeIs) and condition.comparator in (ast.Comparator.LT, ast.Comparator.LE):
            threshold = add_quantity(_WITNESS_BIRTH, condition.quantity.amount, condition.quantity.unit, 0)
            if condition.comparator is ast.Comparator.LT:
                threshold -= timedelta(days=1)
            last = threshold if last is None else min(last, threshold)
    return last


def check_impossible(ruleset: ast.Ruleset, compiled: Compiled) -> Iterator[Diagnostic]:
    """Dose rules no history can meet while the clause applies; rules that apply to nobody."""
    nodes = {r.name.text: r for r in ruleset.requirements}
    for requirement in compiled.requirements:
        if requirement.name in nodes and nodes[requirement.name].follows is not None:
            continue
        items: list[CompiledClause | CompiledRule] = [*requirement.clauses, *requirement.rules]
        for item in items:
            max_age = _max_evaluation_date(item.conditions)
            for option in item.options:
                for series in _series_in(option):
                    problem = _series_window_problem(series, max_age)
                    if problem is not None:
                        yield Diagnostic(
                            code="CTR323",
                            message=f"no immunization history can meet {_label(item.node)}",
                            span=item.node.span,
                            label=problem,
                            help="check the ages and intervals against the regulation's text",
                            context=f"requirement {requirement.name}",
                        )
        for rule in requirement.rules:
            if not _applies_to_anyone(requirement, rule, compiled):
                yield Diagnostic(
                    code="CTR323",
                    message=f'rule "{rule.name}" applies to no student',
                    span=rule.node.span,
                    severity=Severity.WARNING,
                    label="no grade, age and date makes all its conditions hold",
                    help="check its grades, ages and dates",
                    context=f"requirement {requirement.name}",
                )


def _series_in(option: object) -> Iterator[SeriesChecker]:
    if isinstance(option, SeriesChecker):
        yield option
    for part in getattr(option, "parts", ()):
        yield from _series_in(part)


def _applies_to_anyone(requirement: CompiledRequirement, rule: CompiledRule, compiled: Compiled) -> bool:
    for day, _ in _sample_dates(compiled, requirement):
        if not rule.in_force.covers(day):
            continue
        for grade in GRADE_ORDER:
            for birth in _sample_births([rule], grade, day):
                facts = _safe_facts(grade, birth, day)
                if facts is not None and _conditions_hold(rule, facts):
                    return True
    return False


def _quantities(
    node: ast.Clause | ast.Rule,
) -> Iterator[tuple[ast.Quantity, int | None, str, ast.Comparator]]:
    """Each interval or age quantity in a clause: its written grace, what it is, its comparator."""
    body = node.body
    if not isinstance(body, ast.AnyOf):
        return
    stack: list[object] = list(body.options)
    while stack:
        term = stack.pop(0)
        if isinstance(term, ast.AllOf):
            stack[:0] = list(term.parts)
        if not isinstance(term, ast.Series):
            continue
        for constraint in term.constraints:
            if isinstance(constraint, (ast.Apart, ast.DoseAfter)):
                yield constraint.quantity, constraint.grace_days, "interval", constraint.comparator
            elif isinstance(constraint, ast.DoseTiming):
                for bound in constraint.bounds:
                    if not bound.as_birthday:
                        yield bound.quantity, bound.grace_days, "age", bound.comparator


_DAYS = {Unit.DAYS: 1.0, Unit.WEEKS: 7.0, Unit.MONTHS: 30.4375, Unit.YEARS: 365.25}


def check_units(ruleset: ast.Ruleset, compiled: Compiled) -> Iterator[Diagnostic]:
    """The same number with different units in one requirement (28 days and 28 months), and a
    grace period as long as the interval it relaxes."""
    for node in ruleset.requirements:
        items: list[ast.Clause | ast.Rule] = [*node.clauses, *node.rules]
        # Ages and intervals are compared separately: "6 weeks of age" and "6 months apart"
        # are both usual in one schedule.
        seen: dict[tuple[str, int], dict[Unit, tuple[ast.Quantity, ast.Clause | ast.Rule]]] = {}
        for item in items:
            for quantity, written, kind, comparator in _quantities(item):
                seen.setdefault((kind, quantity.amount), {}).setdefault(quantity.unit, (quantity, item))
                minimum = comparator in (ast.Comparator.GE, ast.Comparator.GT)
                grace = written if written is not None else (ruleset.default_grace or 0) if minimum else 0
                if grace and grace >= quantity.amount * _DAYS[quantity.unit]:
                    yield Diagnostic(
                        code="CTR325",
                        message=f"a grace of {grace} days is as long as the {quantity} it relaxes",
                        span=quantity.span,
                        severity=Severity.WARNING,
                        label="with this grace any dose counts",
                        help="check the grace period and the amount",
                        context=f"{_label(item)} in requirement {node.name.text}",
                    )
        for (_, amount), units in seen.items():
            if len(units) < 2 or amount < 2:
                continue
            # The unit used for this number in the fewest places is the likely slip: report the
            # larger unit (28 months where 28 days is meant is the common mistake).
            ordered = sorted(units, key=lambda u: _DAYS[u])
            usual, odd = ordered[0], ordered[-1]
            quantity, item = units[odd]
            _, other = units[usual]
            yield Diagnostic(
                code="CTR324",
                message=f"{quantity} here, but {amount} {usual.value} in {_label(other)}",
                span=quantity.span,
                severity=Severity.WARNING,
                label=f"did you mean {amount} {usual.value}?",
                help="the same number with two units in one requirement is often a slip; check the regulation",
                context=f"{_label(item)} in requirement {node.name.text}",
            )


COVERAGE_CHECKS = (check_gaps, check_masked, check_impossible, check_units)


def coverage(ruleset: ast.Ruleset) -> list[Diagnostic]:
    """Every finding of the checks above (the ruleset's names must resolve)."""
    compiled = compile_ruleset(ruleset)
    return [d for check in COVERAGE_CHECKS for d in check(ruleset, compiled)]
