"""Build example students from a compiled clause's (or status rule's) own thresholds.

For `2 doses …, first on or after 1st birthday, at least 28 days apart` the generator puts every
dose on the first day it counts (the 1st birthday, then 28 days later): a student who meets the
clause at its boundary. Then, for each date a minimum set, the same student with that dose one
day earlier: a student who misses it by one day. A `deemed protected` clause, or a rule with
conditions only, gets the youngest (or oldest) student its age and birth-date conditions allow,
and one born a day too late (or too early).

Every student is then evaluated with the ruleset and kept only if the engine agrees: the
boundary student is decided by this clause or rule (and by this option of it), the other is not.
So a page never shows a guess: what cannot be built or confirmed is said in
`ClauseExamples.notes` instead. The same students can witness a difference between two rulesets
(evaluate them under both).

Thresholds come from the checkers' own arithmetic (each rule's `Shift`: CDSi date rules, grace
included), so a boundary here is the boundary the engine applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import attrs

from . import ast
from .api import Ruleset
from .checkers import (
    AgeIs,
    AgeRule,
    AllOfChecker,
    Condition,
    DateIs,
    EvidenceChecker,
    Facts,
    GradeIn,
    IntervalRule,
    NoDosesChecker,
    SeasonChecker,
    SeriesChecker,
    Term,
    _earliest,
    _latest,
)
from .compiler import Compiled, CompiledClause, CompiledRequirement, CompiledRule
from .dates import add_months
from .errors import VersionError
from .evaluate import Evaluator
from .grades import GRADE_ORDER, grade_rank
from .reasons import disease_words, ordinal
from .records import Student
from .results import RequirementResult, Status

__all__ = ["REFERENCE_DATE", "ClauseExamples", "ExampleStudent", "choose_as_of", "examples_for", "term_words"]

REFERENCE_DATE = date(2024, 9, 1)
"""Examples are evaluated on this date when the clause or rule is in force then (a school year's
first day); otherwise on September 1 of the last school year in which it is."""

ONE_DAY = timedelta(days=1)
MARGIN = timedelta(days=20)
"""A student's age on the evaluation date is kept this far past a whole month, so that only the
thresholds being shown sit on a boundary."""
MAX_TRIES = 60
"""Students evaluated at most for one example before the generator gives up (and says so)."""


@attrs.frozen(kw_only=True)
class ExampleStudent:
    """One generated student: what it shows, its record, and what the engine said about it."""

    label: str
    """`Meets at the boundary`, `Misses by one day` or `Meets`."""
    detail: str
    """What sits on a boundary, or which date moved."""
    meets: bool
    """Whether the student was built, and confirmed, to be decided by the clause or rule."""
    option: str
    """For a clause or rule with several options (`or`), the one the student follows."""
    as_of: date
    record: dict[str, Any] = attrs.field(eq=False)
    """The student record in the contract's JSON shape (`ctrules evaluate` reads it as is)."""
    why: tuple[str, ...]
    """For each dose, then each evidence item, of `record`: the threshold that set its date."""
    version: str
    result: RequirementResult


@attrs.frozen(kw_only=True)
class ClauseExamples:
    """The examples for one clause or rule, and what could not be built."""

    as_of: date | None
    version: str = ""
    students: tuple[ExampleStudent, ...] = ()
    notes: tuple[str, ...] = ()


# --- the evaluation date ----------------------------------------------------------------------


def _coverage(versions: tuple[ast.Version, ...]) -> tuple[date | None, date | None]:
    if not versions:
        return None, None
    return versions[0].in_force.start, versions[-1].in_force.end


def choose_as_of(compiled: Compiled, in_force: ast.InForce) -> date | None:
    """An evaluation date inside the dates in force and the versions' range (and, for an
    amendment, the amended ruleset's): `REFERENCE_DATE` if it can be, else the last September 1
    that can be, else the first day that can be; None when no day can be."""
    ranges = [(in_force.start, in_force.end), _coverage(compiled.versions)]
    if compiled.base_name is not None:
        ranges.append(_coverage(compiled.base_versions))
    low = max((s for s, _ in ranges if s is not None), default=None)
    high = min((e for _, e in ranges if e is not None), default=None)
    if low is not None and high is not None and low > high:
        return None

    def inside(day: date) -> bool:
        return (low is None or low <= day) and (high is None or day <= high)

    if inside(REFERENCE_DATE):
        return REFERENCE_DATE
    if high is not None:
        september = date(high.year if high >= date(high.year, 9, 1) else high.year - 1, 9, 1)
        return september if inside(september) else (low or high)
    assert low is not None  # an open-ended range that starts after REFERENCE_DATE
    return date(low.year if low <= date(low.year, 9, 1) else low.year + 1, 9, 1)


# --- words ------------------------------------------------------------------------------------


def _grace(days: int, word: str) -> str:
    return f", with {days} day{'' if days == 1 else 's'} of {word}" if days else ""


_DATE_WORDS = {
    ast.Comparator.GE: "on or after",
    ast.Comparator.GT: "after",
    ast.Comparator.LE: "on or before",
    ast.Comparator.LT: "before",
}


def _age_words(rule: AgeRule) -> str:
    """`on or after the 1st birthday`, `at age more than 84 months, with 4 days of tolerance`."""
    if rule.as_birthday:
        text = f"{_DATE_WORDS[rule.comparator]} the {ordinal(rule.quantity.amount)} birthday"
    else:
        text = f"at age {rule.comparator.words} {rule.quantity}"
    return text + _grace(rule.grace_days, rule.grace_word)


def _interval_words(rule: IntervalRule, reference: int) -> str:
    """`at least 28 days after dose 1`."""
    return f"{rule.comparator.words} {rule.quantity} after dose {reference}" + _grace(rule.grace_days, rule.grace_word)


def _condition_words(condition: Condition) -> str:
    """`age at least 5 years`, `born before 2007-01-01`."""
    if isinstance(condition, AgeIs):
        return f"age {condition.comparator.words} {condition.quantity}"
    if isinstance(condition, DateIs):
        return f"{condition.subject.value} {_DATE_WORDS[condition.comparator]} {condition.on}"
    return "grade " + " or ".join(g for g in GRADE_ORDER if g in condition.grades)


def term_words(term: Term) -> str:
    """A short name for one option of a clause: `2 doses of live attenuated varicella vaccine`."""
    match term:
        case SeriesChecker(count=count, group_title=title):
            return f"{count} dose{'' if count == 1 else 's'} of {title}"
        case SeasonChecker(count=count, group_title=title):
            return f"{count} dose{'' if count == 1 else 's'} of {title} every season"
        case EvidenceChecker(kind="lab_immunity", disease=disease):
            return f"laboratory-confirmed immunity to {disease_words(disease)}"
        case EvidenceChecker(kind="disease_history", disease=disease):
            return f"documented history of {disease_words(disease)}"
        case EvidenceChecker():
            return "documented history of herpes zoster"
        case NoDosesChecker(group_title=title):
            return f"no doses of {title}"
        case AllOfChecker(parts=parts):
            return " as well as ".join(term_words(p) for p in parts)
    raise TypeError(f"not a term: {term!r}")


# --- plans: the dated items of one student ----------------------------------------------------


@attrs.frozen(kw_only=True)
class _Item:
    """A dose or an evidence item, and why it falls on its date."""

    kind: str
    """`dose`, or an evidence type (`lab_immunity`, `disease_history`, `zoster_history`)."""
    name: str
    """The vaccine product, or the disease."""
    on: date
    why: str
    bound: bool = False
    """A minimum set the date, so one day earlier breaks it."""
    what: str = ""
    """How a label names it: `dose 2`, `the dose`, `the documented history`."""


class _Unsupported(Exception):
    """A term the generator does not build students for; the message says why."""


@attrs.frozen(kw_only=True)
class _Context:
    compiled: Compiled
    birth: date
    as_of: date
    anchor: date
    """Where a first dose with no minimum goes: the birth date, or later, so that another clause
    that applies to the student is met by the same doses."""
    avoid: frozenset[str] = frozenset()
    """Products of the other options of the clause, used only when the group has no other."""


def _product(checker: SeriesChecker | SeasonChecker, ctx: _Context) -> str:
    """The product a generated dose is of: one the other options do not count, then the one
    with just the antigens the whole group shares (Td for `vaccines containing tetanus and
    diphtheria`), then the first named in the group's description, then the first declared."""
    if not checker.products:
        raise _Unsupported("its vaccine group holds no vaccine this ruleset declares")
    declared = {name: n for n, name in enumerate(p.name.text for p in ctx.compiled.products_by_name.values())}

    def antigens(name: str) -> frozenset[str]:
        product = ctx.compiled.product_named(name)
        return frozenset(a.text for a in product.antigens) if product else frozenset()

    shared = frozenset.intersection(*(antigens(p) for p in checker.products))

    def named_at(name: str) -> int:
        found = re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", checker.group_title)
        return found.start() if found else len(checker.group_title)

    return min(
        checker.products,
        key=lambda p: (p in ctx.avoid, len(antigens(p) ^ shared), named_at(p), declared.get(p, len(declared))),
    )


def _series(checker: SeriesChecker, ctx: _Context) -> list[_Item]:
    """Each dose on the first day it counts, given the ones before; [] when a maximum makes
    that impossible for this birth date."""
    if checker.latest or any(slot.recency for slot in checker.slots):
        raise _Unsupported("it depends on how long before the evaluation date a dose was given")
    product = _product(checker, ctx)
    dates: list[date] = []
    items: list[_Item] = []
    for slot in range(1, checker.count + 1):
        rules = checker.slots[slot - 1]
        free = ctx.anchor if slot == 1 else dates[-1] + ONE_DAY
        minimums: list[tuple[date, str]] = []
        high: date | None = None
        for age in rules.ages:
            threshold = age.offset(ctx.birth)
            low, top = _earliest(age.comparator, threshold), _latest(age.comparator, threshold)
            if low is not None:
                minimums.append((low, _age_words(age)))
            if top is not None:
                high = top if high is None else min(high, top)
        for interval in rules.intervals:
            reference = interval.anchor(slot, len(dates))
            if reference is not None:
                low = _earliest(interval.comparator, interval.shift.apply(dates[reference - 1]))
                if low is not None:
                    minimums.append((low, _interval_words(interval, reference)))
        on = max([free, *(d for d, _ in minimums)])
        if high is not None and on > high:
            return []
        binding = [words for d, words in minimums if d == on]
        if binding:
            why = "; ".join(binding)
        elif slot > 1:
            why = "no minimum: the day after the dose before"
        else:
            why = "no minimum: the birth date" if on == ctx.birth else "no minimum"
        what = "the dose" if checker.count == 1 else f"dose {slot}"
        items.append(_Item(kind="dose", name=product, on=on, why=why, bound=bool(binding), what=what))
        dates.append(on)
    return items


def _evidence(checker: EvidenceChecker, ctx: _Context) -> list[_Item]:
    what = "the laboratory result" if checker.kind == "lab_immunity" else "the documented history"
    on = max(ctx.birth, add_months(ctx.as_of, -12))
    if checker.at_age is not None:
        rule = checker.at_age
        threshold = rule.offset(ctx.birth)
        low = _earliest(rule.comparator, threshold)
        if low is not None:
            return [_Item(kind=checker.kind, name=checker.disease, on=low, why=_age_words(rule), bound=True, what=what)]
        on = min(on, _latest(rule.comparator, threshold) or on)
    return [_Item(kind=checker.kind, name=checker.disease, on=on, why="no minimum: a year before the evaluation date")]


def _season(checker: SeasonChecker, ctx: _Context) -> list[_Item]:
    """A dose last season (so this is not a first season), and this season's on the day it opens."""
    start, _ = checker.window(ctx.as_of)
    product = _product(checker, ctx)
    opens = f"{date(2000, *checker.window_start):%B} {checker.window_start[1]}"
    items = [_Item(kind="dose", name=product, on=start.replace(year=start.year - 1), why="last season's first day")]
    for n in range(checker.count):
        items.append(
            _Item(
                kind="dose",
                name=product,
                on=start + n * ONE_DAY,
                why=f"the first day of the season, {opens}" if n == 0 else "no minimum: the day after the dose before",
                bound=n == 0,
                what="this season's dose",
            )
        )
    return items


def _plan(term: Term, ctx: _Context) -> list[_Item] | None:
    """The items a student needs to meet `term` at its boundary; None when this birth date
    cannot (a maximum age has passed before the minimum)."""
    match term:
        case SeriesChecker():
            return _series(term, ctx) or None
        case EvidenceChecker():
            return _evidence(term, ctx)
        case SeasonChecker():
            return _season(term, ctx)
        case NoDosesChecker():
            return []
        case AllOfChecker(parts=parts):
            items: list[_Item] = []
            for part in parts:
                planned = _plan(part, ctx)
                if planned is None:
                    return None
                if isinstance(part, SeriesChecker):  # which series a `dose 2` is in
                    planned = [attrs.evolve(i, what=f"{i.what} of {part.group_title}") for i in planned]
                items += planned
            return items
    raise TypeError(f"not a term: {term!r}")


def _products(term: Term) -> frozenset[str]:
    match term:
        case SeriesChecker(products=products) | SeasonChecker(products=products) | NoDosesChecker(products=products):
            return products
        case AllOfChecker(parts=parts):
            return frozenset().union(*(_products(p) for p in parts))
    return frozenset()


def _has_free_first_dose(term: Term) -> bool:
    match term:
        case SeriesChecker(slots=slots):
            return not any(a.comparator in (ast.Comparator.GE, ast.Comparator.GT) for a in slots[0].ages)
        case AllOfChecker(parts=parts):
            return any(_has_free_first_dose(p) for p in parts)
    return False


# --- who the student is: grade and birth date -------------------------------------------------


def _facts(birth: date, grade: str, as_of: date) -> Facts:
    return Facts(student=Student(id="example", birth_date=birth, grade=grade), as_of=as_of, doses=())


def _holds(conditions: Sequence[Condition], birth: date, grade: str, as_of: date) -> bool:
    facts = _facts(birth, grade, as_of)
    return all(c.holds(facts) for c in conditions)


def _oldest(as_of: date) -> date:
    return date(max(as_of.year - 120, 1800), 1, 1)


def _birth_range(conditions: Sequence[Condition], as_of: date) -> tuple[date, date] | None:
    """The birth dates the age and birth-date conditions allow, both ends included (found by
    bisection: each holds on one side of a date); None when none do."""
    oldest, youngest = _oldest(as_of), as_of
    for condition in conditions:
        if not isinstance(condition, AgeIs | DateIs):
            continue

        def holds(day: date, condition: Condition = condition) -> bool:
            return condition.holds(_facts(day, "K", as_of))

        at_oldest, at_youngest = holds(oldest), holds(youngest)
        if at_oldest and at_youngest:
            continue
        if not at_oldest and not at_youngest:
            return None
        low, high = oldest.toordinal(), youngest.toordinal()
        if at_oldest:  # holds up to some birth date: find the last
            while low < high:
                mid = (low + high + 1) // 2
                low, high = (mid, high) if holds(date.fromordinal(mid)) else (low, mid - 1)
            youngest = date.fromordinal(low)
        else:  # holds from some birth date on: find the first
            while low < high:
                mid = (low + high) // 2
                low, high = (low, mid) if holds(date.fromordinal(mid)) else (mid + 1, high)
            oldest = date.fromordinal(low)
        if oldest > youngest:
            return None
    return oldest, youngest


def _grades(conditions: Sequence[Condition]) -> list[str]:
    """The grades the conditions allow, in school order."""
    allowed = set(GRADE_ORDER)
    for condition in conditions:
        if isinstance(condition, GradeIn):
            allowed &= condition.grades
    return [g for g in GRADE_ORDER if g in allowed]


def _usual_months(grade: str) -> int:
    """A student's usual age in a grade on a school year's first day: 3 years in P3, 5 in K."""
    return 12 * (5 + grade_rank(grade))


def _contexts(conditions: Sequence[Condition], as_of: date) -> Iterator[tuple[str, date]]:
    """(grade, birth date) pairs that meet the conditions, the usual age for the grade first
    (the lowest grade first), then further from it, a year at a time before month by month."""
    span = _birth_range(conditions, as_of)
    if span is None:
        return
    pairs = []
    for grade in _grades(conditions):
        usual = _usual_months(grade)
        for months in range(0, 19 * 12):
            gap = abs(months - usual)
            pairs.append(((gap % 12 != 0, gap, GRADE_ORDER.index(grade)), grade, months))
    for _, grade, months in sorted(pairs):
        birth = add_months(as_of - MARGIN, -months)
        if span[0] <= birth <= span[1] and _holds(conditions, birth, grade, as_of):
            yield grade, birth


def _anchors(birth: date, as_of: date) -> list[date]:
    """Where a first dose with no minimum may go: the birth date, 2 or 6 months, 1 to 17 years."""
    return [d for d in (add_months(birth, m) for m in (0, 2, 6, *range(12, 18 * 12, 12))) if d <= as_of]


# --- students -------------------------------------------------------------------------------


def _record(grade: str, birth: date, items: Sequence[_Item]) -> tuple[dict[str, Any], tuple[str, ...]]:
    doses = sorted((i for i in items if i.kind == "dose"), key=lambda i: i.on)
    evidence = sorted((i for i in items if i.kind != "dose"), key=lambda i: i.on)
    record: dict[str, Any] = {
        "id": "example",
        "birth_date": birth.isoformat(),
        "grade": grade,
        "doses": [{"vaccine": i.name, "date": i.on.isoformat()} for i in doses],
    }
    if evidence:
        record["evidence"] = [
            {"type": i.kind, **({"disease": i.name} if i.name else {}), "date": i.on.isoformat()} for i in evidence
        ]
    return record, tuple(i.why for i in (*doses, *evidence))


@attrs.frozen(kw_only=True)
class _Evaluated:
    record: dict[str, Any] = attrs.field(eq=False)
    why: tuple[str, ...]
    result: RequirementResult
    version: str
    first_option: int | None
    """The first option of the clause or rule the student meets (the one that decides)."""


class _Builder:
    """Builds and confirms the examples of one clause or rule."""

    def __init__(self, ruleset: Ruleset, requirement: CompiledRequirement, item: CompiledClause | CompiledRule):
        self.ruleset = ruleset
        self.evaluator = Evaluator(ruleset.compiled)
        self.requirement = requirement
        self.item = item
        self.notes: list[str] = []

    def decided(self, result: RequirementResult) -> bool:
        """Whether a result is this clause's or rule's own decision."""
        item = self.item
        if isinstance(item, CompiledRule):
            return result.clause == item.name and result.status is item.status
        if item.deemed or item.not_required:
            return result.clause == item.citation.text and result.status is Status.NOT_REQUIRED
        if item.kind is ast.ClauseKind.ADDITIONAL:  # an `also` clause holds alongside the one that decides
            return result.status is Status.COMPLIANT
        return result.clause == item.citation.text and result.status is Status.COMPLIANT

    def evaluate(self, grade: str, birth: date, items: Sequence[_Item], as_of: date) -> _Evaluated | None:
        if any(not birth <= i.on <= as_of for i in items):
            return None
        record, why = _record(grade, birth, items)
        result = self.ruleset.evaluate(record, as_of=as_of)
        if result.status is Status.ERROR:
            return None
        facts = self.evaluator.facts(Student.from_dict(record), as_of)
        met = [n for n, option in enumerate(self.item.options) if option.evaluate(facts).met]
        return _Evaluated(
            record=record,
            why=why,
            result=result.requirements[self.requirement.name],
            version=result.ruleset_version,
            first_option=met[0] if met else None,
        )

    def student(self, found: _Evaluated, as_of: date, label: str, detail: str, option: str = "") -> ExampleStudent:
        return ExampleStudent(
            label=label,
            detail=detail,
            meets=label != "Misses by one day",
            option=option,
            as_of=as_of,
            record=found.record,
            why=found.why,
            version=found.version,
            result=found.result,
        )

    def companions(self, ctx: _Context, grade: str) -> Iterator[list[_Item]]:
        """For an `also` clause, the doses of an alternative clause that applies to the student
        (an `also` clause holds only together with one); nothing more for other clauses and rules."""
        item = self.item
        if not isinstance(item, CompiledClause) or item.kind is not ast.ClauseKind.ADDITIONAL:
            yield []
            return
        for clause in self.requirement.clauses:
            if (
                clause.kind is not ast.ClauseKind.ALTERNATIVE
                or clause.deemed
                or clause.not_required
                or not clause.in_force.covers(ctx.as_of)
            ):
                continue
            if not _holds(clause.conditions, ctx.birth, grade, ctx.as_of):
                continue
            for option in clause.options:
                try:
                    items = _plan(option, attrs.evolve(ctx, anchor=ctx.birth, avoid=frozenset()))
                except _Unsupported:
                    continue
                if items:
                    yield [attrs.evolve(i, why=f"{i.why} (for {clause.citation})", bound=False) for i in items]

    def option(self, index: int, as_of: date, label: str) -> list[ExampleStudent]:
        """The boundary student for one option and, for each date a minimum set, one a day short."""
        term = self.item.options[index]
        avoid = frozenset().union(*(_products(o) for n, o in enumerate(self.item.options) if n != index))
        tries = 0
        for grade, birth in _contexts(self.item.conditions, as_of):
            for anchor in _anchors(birth, as_of) if _has_free_first_dose(term) else [birth]:
                ctx = _Context(compiled=self.ruleset.compiled, birth=birth, as_of=as_of, anchor=anchor, avoid=avoid)
                items = _plan(term, ctx)
                if items is None:
                    continue
                for extra in self.companions(ctx, grade):
                    tries += 1
                    if tries > MAX_TRIES:
                        return []
                    found = self.evaluate(grade, birth, [*items, *extra], as_of)
                    if found is None or not self.decided(found.result) or found.first_option != index:
                        continue
                    return [self.boundary(term, found, as_of, items, label)] + self.misses(
                        found, items, extra, as_of, label
                    )
        return []

    def boundary(
        self, term: Term, found: _Evaluated, as_of: date, items: Sequence[_Item], label: str
    ) -> ExampleStudent:
        if any(i.bound for i in items):
            detail = (
                "this season's dose on the day the season opens"
                if isinstance(term, SeasonChecker)
                else "each dose (or record) on the first day it counts"
            )
            return self.student(found, as_of, "Meets at the boundary", detail, label)
        if isinstance(term, NoDosesChecker):
            detail = "no doses of the vaccine"
        elif any(i.kind == "dose" for i in items):
            detail = "no minimum age or interval to show: each dose on the first day it can be recorded"
        else:
            detail = "no date to show: any date counts"
        return self.student(found, as_of, "Meets", detail, label)

    def misses(
        self, boundary: _Evaluated, items: Sequence[_Item], extra: Sequence[_Item], as_of: date, label: str
    ) -> list[ExampleStudent]:
        students = []
        birth = date.fromisoformat(boundary.record["birth_date"])
        grade = boundary.record["grade"]
        for n, item in enumerate(items):
            if not item.bound:
                continue
            moved = attrs.evolve(item, on=item.on - ONE_DAY, why=f"one day before it counts ({item.why})")
            found = self.evaluate(grade, birth, [*items[:n], moved, *items[n + 1 :], *extra], as_of)
            if found is None:
                continue
            if self.decided(found.result):
                option = f" ({label})" if label else ""
                self.notes.append(
                    f"With {item.what} one day earlier ({moved.on}) the student still meets it{option}: "
                    "another dose or option takes its place, so that student is not shown."
                )
                continue
            outcome = "this rule does not decide" if isinstance(self.item, CompiledRule) else "this clause is not met"
            detail = f"{item.what} one day before it counts, so {outcome}"
            students.append(self.student(found, as_of, "Misses by one day", detail, label))
        return students

    def conditions_only(self, as_of: date) -> list[ExampleStudent]:
        """A deemed clause or a rule with no `requires`: the youngest (else the oldest) student
        its age and birth-date conditions allow, and one born a day later (else earlier)."""
        conditions = self.item.conditions
        span = _birth_range(conditions, as_of)
        if span is None:
            return []
        oldest, youngest = span
        if youngest < as_of:
            edge, missed, words = youngest, youngest + ONE_DAY, ("youngest", "later")
        elif oldest > _oldest(as_of):
            edge, missed, words = oldest, oldest - ONE_DAY, ("oldest", "earlier")
        else:
            return self.plain(as_of)
        binding = [
            _condition_words(c)
            for c in conditions
            if isinstance(c, AgeIs | DateIs)
            and c.holds(_facts(edge, "K", as_of))
            and not c.holds(_facts(missed, "K", as_of))
        ]
        shown = " and ".join(binding)
        usual = min(GRADE_ORDER, key=lambda g: abs(_usual_months(g) - (as_of - edge).days * 12 // 365))
        for grade in sorted(_grades(conditions), key=lambda g: abs(GRADE_ORDER.index(g) - GRADE_ORDER.index(usual))):
            if not _holds(conditions, edge, grade, as_of):
                continue
            found = self.evaluate(grade, edge, [], as_of)
            if found is None or not self.decided(found.result):
                continue
            students = [
                self.student(found, as_of, "Meets at the boundary", f"the {words[0]} student for whom {shown} holds")
            ]
            missing = self.evaluate(grade, missed, [], as_of)
            if missing is not None and not self.decided(missing.result):
                students.append(
                    self.student(
                        missing, as_of, "Misses by one day", f"born one day {words[1]}: {shown} no longer holds"
                    )
                )
            return students
        return []

    def plain(self, as_of: date) -> list[ExampleStudent]:
        for grade, birth in list(_contexts(self.item.conditions, as_of))[:MAX_TRIES]:
            found = self.evaluate(grade, birth, [], as_of)
            if found is not None and self.decided(found.result):
                return [self.student(found, as_of, "Meets", "no age or birth date to show")]
        return []


def examples_for(
    ruleset: Ruleset, requirement: CompiledRequirement, item: CompiledClause | CompiledRule
) -> ClauseExamples:
    """Example students for one clause or status rule of `requirement`, each confirmed by
    evaluating it with `ruleset`; `notes` says what could not be built, and why."""
    outside = ClauseExamples(as_of=None, notes=("Not in force on any date this ruleset's versions cover.",))
    as_of = choose_as_of(ruleset.compiled, item.in_force)
    if as_of is None:
        return outside
    try:
        version = ruleset.version_on(as_of)
    except VersionError:
        return outside
    builder = _Builder(ruleset, requirement, item)
    students: list[ExampleStudent] = []
    if not item.options:
        students = builder.conditions_only(as_of)
        if not students:
            builder.notes.append("No student meeting its conditions could be confirmed by the evaluation.")
    for index, term in enumerate(item.options):
        label = f"option {index + 1} of {len(item.options)}: {term_words(term)}" if len(item.options) > 1 else ""
        about = f" for {label}" if label else ""
        try:
            built = builder.option(index, as_of, label)
        except _Unsupported as why:
            builder.notes.append(f"No example{about}: {why}.")
            continue
        if not built:
            builder.notes.append(
                f"No example{about}: no student built from its thresholds was confirmed by the evaluation "
                "(an earlier option, clause or rule decides first, or the dates do not fit)."
            )
        students += built
    return ClauseExamples(as_of=as_of, version=version, students=tuple(students), notes=tuple(builder.notes))
