"""Students to try two rulesets on: made from the rulesets' own thresholds, not at random.

A requirement's result can only change where one of its numbers is crossed: an age a
condition names, a birth-date cut-off, the age or interval a dose must reach, a grace period,
the dates a rule is in force. So the students tried are the ones sitting on each side of every
such number, in both rulesets:

- evaluation dates: the day before and the day each rule of the requirement (or an exemption)
  starts or stops, within the dates both rulesets cover;
- grades: one of each set of grades the two rulesets' conditions treat alike;
- birth dates: the day before, on and after every age threshold and birth-date condition, and
  the youngest, middle and oldest ages usual for the grade;
- dose histories: for every dose series of either ruleset, the earliest schedule its rules
  allow, that schedule short of a dose (or one more), and each dose moved to the day before,
  on and after each threshold for its position, with and without the grace; each product of
  the group; the season windows of a seasonal series; laboratory evidence, disease history,
  an in-process certificate, and the exemptions with their on-file and K-12 entry dates around
  each cut-off.

The simplest students come first (fewest doses, no evidence, no exemption), so the first
student found to differ is a minimal witness.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import attrs

from .. import ast
from ..compiler import dose_slots
from ..compiler import group_products as resolve_groups
from ..dates import Unit, add_quantity, school_year_start
from ..grades import GRADE_ORDER, grade_rank, usual_age_months
from .sides import Side

__all__ = ["Candidate", "candidates", "grade_classes", "requirement_items", "sample_dates", "usual_age", "walk_terms"]

_FAR_PAST = date(1990, 1, 1)


@attrs.frozen(kw_only=True)
class Candidate:
    """A student record (the contract's JSON) and the evaluation date it is tried on."""

    record: dict[str, Any] = attrs.field(eq=False)
    as_of: date
    what: str
    """What the history tries, in words ("2 doses, dose 2 27 days after dose 1")."""
    key: str
    grades: tuple[str, ...] = ()
    """The grades this student's grade stands for (every rule treats them alike)."""


def requirement_items(tree: ast.Ruleset, name: str) -> list[ast.Clause | ast.Rule]:
    """The clauses and rules that decide requirement `name` (through `follows`, if it follows)."""
    by_name = {r.name.text: r for r in tree.requirements}
    requirement = by_name.get(name)
    seen: set[str] = set()
    while requirement is not None and requirement.follows is not None and requirement.name.text not in seen:
        seen.add(requirement.name.text)
        requirement = by_name.get(requirement.follows.text)
    if requirement is None:
        return []
    return [*requirement.clauses, *requirement.rules]


def walk_terms(options: Iterable[object]) -> Iterator[object]:
    """The evidence terms of a clause's options, `as well as` parts opened up."""
    for option in options:
        if isinstance(option, ast.AllOf):
            yield from walk_terms(option.parts)
        else:
            yield option


def _all_ofs(items: Iterable[ast.Clause | ast.Rule]) -> list[ast.AllOf]:
    """The `A as well as B` options of these clauses and rules."""
    found: list[ast.AllOf] = []
    for item in items:
        if isinstance(item.body, ast.AnyOf):
            found += [o for o in item.body.options if isinstance(o, ast.AllOf) and o not in found]
    return found


def _terms(items: Iterable[ast.Clause | ast.Rule]) -> list[object]:
    found: list[object] = []
    for item in items:
        if isinstance(item.body, ast.AnyOf):
            for term in walk_terms(item.body.options):
                if term not in found:
                    found.append(term)
    return found


# --- evaluation dates ------------------------------------------------------------------------


def _in_force_edges(conditions: Iterable[object]) -> Iterator[date]:
    for condition in conditions:
        if isinstance(condition, ast.InForce):
            if condition.start:
                yield condition.start
            if condition.end:
                yield condition.end + timedelta(days=1)


def sample_dates(name: str, old: Side, new: Side, default: date) -> list[tuple[date, bool]]:
    """Evaluation dates for requirement `name`, each with whether every kind of student is
    tried on it: `default`, and the day before and the day each of its rules starts or stops
    (every student), or an exemption does (students with an exemption), within the dates both
    sides cover."""
    low = max((d for d in (old.covers[0], new.covers[0]) if d is not None), default=None)
    high = min((d for d in (old.covers[1], new.covers[1]) if d is not None), default=None)
    own: set[date] = set()
    exempting: set[date] = set()
    for side in (old, new):
        for item in requirement_items(side.tree, name):
            own.update(_in_force_edges(item.conditions))
        for exemption in side.tree.exemptions:
            exempting.update(_in_force_edges(exemption.conditions))
    for side in (old, new):  # a flu season's window: the days around its opening and closing
        for term in _terms(requirement_items(side.tree, name)):
            if isinstance(term, ast.SeasonalSeries):
                own.update(_window_edges(term, default))
    days = {default: True}
    for edges, every in ((exempting, False), (own, True)):
        for edge in edges:
            for day in (edge - timedelta(days=1), edge):
                days[day] = days.get(day, False) or every
    return sorted((d, every) for d, every in days.items() if (low is None or d >= low) and (high is None or d <= high))


def _window_edges(season: ast.SeasonalSeries, near: date) -> Iterator[date]:
    """The first day of the window and the day after it closes, this year and last."""
    for year in (near.year - 1, near.year):
        try:
            yield date(year, *season.window_start)
            end_year = year if season.window_end >= season.window_start else year + 1
            yield date(end_year, *season.window_end) + timedelta(days=1)
        except ValueError:
            continue


# --- grades and birth dates ------------------------------------------------------------------


def _grade_conditions(sides: Iterable[Side], name: str) -> list[tuple[ast.GradeCondition, date | None]]:
    """Every grade condition of the requirement and the exemptions, with the date its clause
    starts (a cohort counts school years from it)."""
    found: list[tuple[ast.GradeCondition, date | None]] = []
    for side in sides:
        items: list[Any] = [*requirement_items(side.tree, name), *side.tree.exemptions]
        for item in items:
            starts = [c.start for c in item.conditions if isinstance(c, ast.InForce) and c.start]
            for c in item.conditions:
                if isinstance(c, ast.GradeCondition) and (c, max(starts, default=None)) not in found:
                    found.append((c, max(starts, default=None)))
    return found


def grade_classes(conditions: list[tuple[ast.GradeCondition, date | None]], as_of: date) -> dict[str, tuple[str, ...]]:
    """The sets of grades every condition treats alike on `as_of`, each under its first grade.
    A grade above a cohort's top grade is with those the cohort has reached by then (counting
    one grade a year back from `as_of` to the year its clause started) or with those it has not."""
    classes: dict[tuple[int, ...], list[str]] = {}
    year = school_year_start(as_of)
    for grade in GRADE_ORDER:
        rank = grade_rank(grade)
        signature = []
        for condition, start in conditions:
            top = max(grade_rank(g) for g in condition.grades)
            if grade in condition.grades:
                signature.append(2)
            elif condition.by_cohort and rank > top:
                reached = start is None or year - (rank - top) >= school_year_start(start)
                signature.append(1 if reached else -1)
            else:
                signature.append(0)
        classes.setdefault(tuple(signature), []).append(grade)
    return {members[0]: tuple(members) for members in classes.values()}


def _admits(conditions: Iterable[object], grade: str) -> bool:
    """No grade condition excludes `grade` (one reached through a cohort admits it)."""
    rank = grade_rank(grade)
    return all(
        grade in c.grades or (c.by_cohort and rank > max(grade_rank(g) for g in c.grades))
        for c in conditions
        if isinstance(c, ast.GradeCondition)
    )


def _back(day: date, amount: int, unit: Unit) -> date | None:
    """The birth date of a student who reaches `amount` `unit` of age on `day`."""
    try:
        if unit is Unit.DAYS:
            return day - timedelta(days=amount)
        if unit is Unit.WEEKS:
            return day - timedelta(weeks=amount)
        months = amount * (12 if unit is Unit.YEARS else 1)
        total = day.year * 12 + day.month - 1 - months
        candidate = date(total // 12, total % 12 + 1, min(day.day, 28))
        # Step to the exact birth date whose threshold falls on `day`.
        for _ in range(5):
            reached = add_quantity(candidate, amount, unit)
            if reached == day:
                return candidate
            candidate += timedelta(days=(day - reached).days)
        return candidate
    except (ValueError, OverflowError):
        return None


def _age_thresholds(items: Iterable[Any]) -> Iterator[tuple[int, Unit]]:
    for item in items:
        for condition in item.conditions:
            match condition:
                case ast.AgeCompare(comparator=comparator, quantity=quantity):
                    yield (quantity.amount + (1 if comparator in (ast.Comparator.GT, ast.Comparator.LE) else 0),
                           quantity.unit)  # fmt: skip
                    yield (quantity.amount, quantity.unit)
                case ast.AgeBetween(low=low, high=high, unit=unit):
                    yield (low, unit)
                    yield (high + 1, unit)


def _birth_cutoffs(items: Iterable[Any]) -> Iterator[date]:
    for item in items:
        for condition in item.conditions:
            if isinstance(condition, ast.DateCondition) and condition.subject is ast.DateSubject.BIRTH:
                yield condition.on


def _leap_birth(near: date) -> date:
    """A birth date near `near` whose first year holds a February 29 (September 1 of the year
    before a leap year), so 365 days and the 1st birthday differ for it."""
    year = near.year
    while not calendar.isleap(year + 1):
        year -= 1
    return date(year, 9, 1)


def _births(
    grade: str, as_of: date, ages: list[tuple[int, Unit]], cutoffs: list[date]
) -> tuple[list[date], list[date]]:
    """(every sample birth date, the few that get the full set of dose histories). Ages usual
    for the grade, and the days around every age threshold and birth-date cut-off whatever the
    grade (a rule may name an age no student of the grade usually has)."""
    low, high = usual_age_months(grade)
    oldest = _back(as_of, high, Unit.MONTHS)
    youngest = _back(as_of, max(low, 1), Unit.MONTHS)
    middle = _back(as_of, (low + high) // 2, Unit.MONTHS)
    main = [d for d in (middle, oldest) if d is not None]
    if middle is not None and middle.year > _FAR_PAST.year + 2:
        main.append(_leap_birth(middle))
    days = {d for d in (oldest, youngest, middle, *main) if d is not None}
    for amount, unit in ages:
        edge = _back(as_of, amount, unit)
        if edge is not None:
            days |= {edge - timedelta(days=1), edge, edge + timedelta(days=1)}
    for cutoff in cutoffs:
        days |= {cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1)}
    # One birth inside each window the age thresholds cut the usual ages into, so that every
    # age band a rule opens (`age < 12 months`, `age 7 to 17 months`) gets the detailed histories.
    edges = sorted(e for e in (_back(as_of, a, u) for a, u in ages) if e is not None and oldest and youngest)
    bounds = [oldest, *(e for e in edges if oldest and youngest and oldest < e < youngest), youngest]
    for start, end in zip(bounds, bounds[1:], strict=False):
        if start is not None and end is not None and (end - start).days > 2:
            main.append(start + (end - start) / 2)
    days |= set(main)
    births = sorted((d for d in days if _FAR_PAST <= d <= as_of), reverse=True)
    return births, list(dict.fromkeys(d for d in main if d in births))


# --- dose schedules --------------------------------------------------------------------------


def _grace(written: int | None, default: int) -> int:
    return default if written is None else written


def _slots(position: ast.Position, count: int) -> range:
    """The doses of a schedule a position bounds; for `latest dose`, the last one given."""
    if position.kind is ast.PositionKind.LATEST:
        return range(count, count + 1)
    return dose_slots(position, count)


def _after(start: date, quantity: ast.Quantity, comparator: ast.Comparator, grace: int = 0) -> date | None:
    """The first date accepted by a lower bound `comparator quantity` counted from `start`."""
    try:
        base = add_quantity(start, quantity.amount, quantity.unit, grace)
    except (ValueError, OverflowError):
        return None
    return base + timedelta(days=1) if comparator is ast.Comparator.GT else base


def _before(start: date, quantity: ast.Quantity, comparator: ast.Comparator, grace: int = 0) -> date | None:
    """The last date accepted by an upper bound `comparator quantity` counted from `start`."""
    try:
        base = add_quantity(start, quantity.amount, quantity.unit) + timedelta(days=grace)
    except (ValueError, OverflowError):
        return None
    return base - timedelta(days=1) if comparator is ast.Comparator.LT else base


_LOWER = (ast.Comparator.GE, ast.Comparator.GT)


@attrs.frozen
class _Edge:
    """A date a dose may be moved to, and why."""

    day: date
    why: str


class _Schedule:
    """The earliest dates a series' rules allow, dose by dose, for one student."""

    def __init__(self, series: ast.Series, birth: date, as_of: date, default_grace: int, start: date | None = None):
        self.series = series
        self.birth = birth
        self.as_of = as_of
        self.default_grace = default_grace
        self.start = start or birth
        """The first dose no earlier than this (a late start lets intervals, not ages, decide)."""

    def earliest(self, slot: int, doses: list[date]) -> date:
        """The first date dose `slot` may be given after `doses` (the earlier ones)."""
        day = self.birth if doses else self.start
        count = self.series.count
        for constraint in self.series.constraints:
            match constraint:
                case ast.DoseTiming(position=position, bounds=bounds) if slot in _slots(position, count):
                    for bound in bounds:
                        if bound.comparator in _LOWER:
                            found = _after(self.birth, bound.quantity, bound.comparator)
                            day = max(day, found or day)
                case ast.Apart(comparator=comparator, quantity=quantity) if doses:
                    found = _after(doses[-1], quantity, comparator)
                    day = max(day, found or day)
                case ast.DoseAfter(dose=dose, comparator=comparator, quantity=quantity, reference=reference) if (
                    dose == slot and reference <= len(doses)
                ):
                    found = _after(doses[reference - 1], quantity, comparator)
                    day = max(day, found or day)
                case ast.Recency(position=position, comparator=comparator, quantity=quantity) if (
                    slot in _slots(position, count) and comparator not in _LOWER
                ):
                    back = _back(self.as_of, quantity.amount, quantity.unit)
                    if back is not None:
                        day = max(day, back)
        if doses and day <= doses[-1]:
            day = doses[-1] + timedelta(days=1)
        return day

    def plan(self, doses: list[date], upto: int) -> list[date]:
        planned = list(doses)
        while len(planned) < upto:
            planned.append(self.earliest(len(planned) + 1, planned))
        return planned

    def edges(self, slot: int, doses: list[date], series_list: Iterable[tuple[ast.Series, int]]) -> Iterator[_Edge]:
        """Dates around every threshold, of any series given, that bounds dose `slot`."""
        for series, default_grace in series_list:
            for constraint in series.constraints:
                yield from self._constraint_edges(constraint, series.count, slot, doses, default_grace)

    def _constraint_edges(
        self, constraint: object, count: int, slot: int, doses: list[date], default_grace: int
    ) -> Iterator[_Edge]:
        match constraint:
            case ast.DoseTiming(position=position, bounds=bounds) if slot in _slots(position, count):
                for bound in bounds:
                    grace = _grace(bound.grace_days, default_grace)
                    yield from _around(self.birth, bound.quantity, bound.comparator, grace, "age")
            case ast.Apart(comparator=comparator, quantity=quantity, grace_days=grace_days) if doses:
                grace = _grace(grace_days, default_grace)
                yield from _around(doses[-1], quantity, comparator, grace, f"after dose {len(doses)}")
            case ast.DoseAfter(dose=dose, comparator=comparator, quantity=quantity, reference=reference) as after if (
                dose == slot and reference <= len(doses)
            ):
                grace = _grace(after.grace_days, default_grace)
                yield from _around(doses[reference - 1], quantity, comparator, grace, f"after dose {reference}")
            case ast.Recency(position=position, comparator=comparator, quantity=quantity) as recency if slot in _slots(
                position, count
            ):
                back = _back(self.as_of, quantity.amount, quantity.unit)
                grace = _grace(recency.grace_days, default_grace)
                if back is not None:
                    for shift in {0, grace}:
                        for delta in (-1, 0, 1):
                            yield _Edge(
                                back + timedelta(days=delta - shift if comparator in _LOWER else delta + shift),
                                "before the evaluation date",
                            )


def _around(start: date, quantity: ast.Quantity, comparator: ast.Comparator, grace: int, what: str) -> Iterator[_Edge]:
    """The day before, on and after the first (or last) accepted date, with and without grace."""
    for shift in sorted({0, grace}):
        if comparator in _LOWER:
            edge = _after(start, quantity, comparator, shift)
        else:
            edge = _before(start, quantity, comparator, shift)
        if edge is None:
            continue
        for delta in (-1, 0, 1):
            yield _Edge(edge + timedelta(days=delta), what)


# --- products --------------------------------------------------------------------------------


def _group_products(resolved: dict[str, frozenset[str]], tree: ast.Ruleset, group: str) -> list[ast.VaccineDecl]:
    """The products a group (or a vaccine named directly) stands for, as the compiler resolves
    them (members, nested groups, `vaccines containing` every antigen listed), in declaration
    order."""
    names = resolved.get(group.lower(), frozenset())
    return [v for v in tree.vaccines if v.name.text in names]


def _dose(product: ast.VaccineDecl, day: date, code: str | None = None) -> dict[str, str]:
    """A dose written so that both rulesets can read it: by CVX code when the product has one
    (`code`, to try another of its codes)."""
    if code or product.cvx:
        return {"cvx": code or product.cvx[0], "date": day.isoformat()}
    return {"vaccine": product.name.text, "date": day.isoformat()}


PRODUCTS_TRIED = 12
"""Products of a group each given a full schedule (those the two rulesets disagree on first)."""


# --- the candidates --------------------------------------------------------------------------


class _Builder:
    def __init__(self, name: str, old: Side, new: Side):
        self.name = name
        self.sides = (old, new)
        self.items = [i for s in self.sides for i in requirement_items(s.tree, name)]
        self.exemptions = [e for s in self.sides for e in s.tree.exemptions]
        self.series: list[tuple[ast.Series, int, Side]] = []
        self.seasons: list[ast.SeasonalSeries] = []
        self.diseases: list[str] = []
        self.histories: list[ast.DiseaseHistory] = []
        self.zoster = False
        for side in self.sides:
            for term in _terms(requirement_items(side.tree, name)):
                match term:
                    case ast.Series():
                        entry = (term, side.tree.default_grace or 0, side)
                        if not any(s == term and g == entry[1] for s, g, _ in self.series):
                            self.series.append(entry)
                    case ast.SeasonalSeries():
                        if term not in self.seasons:
                            self.seasons.append(term)
                    case ast.LabImmunity(disease=disease):
                        self.diseases.append(disease.text)
                    case ast.DiseaseHistory(disease=disease):
                        self.diseases.append(disease.text)
                        self.histories.append(term)
                    case ast.ZosterHistory():
                        self.zoster = True
            requirement = next((r for r in side.tree.requirements if r.name.text == name), None)
            if requirement is not None:
                self.diseases += [a.text for a in requirement.antigens]
        self.diseases = list(dict.fromkeys(self.diseases))
        self.resolved = [resolve_groups(side.tree) for side in self.sides]
        self.never: list[str] = [
            t.group.text
            for side in self.sides
            for t in _terms(requirement_items(side.tree, name))
            if isinstance(t, ast.NoDoses)
        ]
        self.products: dict[str, list[ast.VaccineDecl]] = {}
        self.standing_for: tuple[str, ...] = ()
        self.grade_conditions = _grade_conditions(self.sides, name)
        self.all_ofs = [a for side in self.sides for a in _all_ofs(requirement_items(side.tree, name))]

    def products_of(self, group: str) -> list[ast.VaccineDecl]:
        """The products of a group on either side, those only one side counts first (a
        membership change is tried with the product it adds or drops), then the rest."""
        if group not in self.products:
            per_side = [_group_products(r, s.tree, group) for r, s in zip(self.resolved, self.sides, strict=True)]
            names = [{p.name.text for p in found} for found in per_side]
            every = list({p.name.text: p for found in per_side for p in found}.values())
            common = [p for p in every if all(p.name.text in n for n in names)]
            differing = [p for p in every if p not in common]
            self.products[group] = (common[:1] + differing + common[1:]) if common else differing
        return self.products[group]

    def live_anywhere(self, product: ast.VaccineDecl) -> bool:
        """The product is live in either ruleset (a change of the flag is tried both ways)."""
        return any(v.live for side in self.sides for v in side.tree.vaccines if v.name.text == product.name.text)

    def other_codes(self, product: ast.VaccineDecl) -> list[str]:
        """The product's CVX codes beyond its first, on either side (a code one side adds)."""
        codes = [
            c for side in self.sides for v in side.tree.vaccines if v.name.text == product.name.text for c in v.cvx
        ]
        first = product.cvx[0] if product.cvx else None
        return [c for c in dict.fromkeys(codes) if c != first][:4]

    def grades(self, as_of: date) -> dict[str, tuple[str, ...]]:
        return grade_classes(self.grade_conditions, as_of)

    def run(self, days: list[tuple[date, bool]]) -> Iterator[Candidate]:
        # The simplest histories for every student first, the detailed ones after.
        plain: list[Candidate] = []
        detailed: list[Candidate] = []
        for as_of, every in days:
            grades = self.grades(as_of)
            for grade in grades:
                self.standing_for = grades[grade]
                # Only the ages and cut-offs of rules that can apply to this grade.
                pool = [*self.items, *self.exemptions] if every else self.exemptions
                items = [i for i in pool if _admits(i.conditions, grade)]
                ages = list(dict.fromkeys(_age_thresholds(items)))
                cutoffs = list(dict.fromkeys(_birth_cutoffs(items)))
                births, main = _births(grade, as_of, ages, cutoffs)
                for birth in births:
                    for record, what in self._evidence(grade, birth, as_of, exemptions_only=not every):
                        detailed.append(self._candidate(grade, birth, as_of, [], what, record))
                    if not every:
                        continue
                    for doses, what in self._simple(birth, as_of):
                        plain.append(self._candidate(grade, birth, as_of, doses, what))
                if not every:
                    continue
                for birth in main:
                    for doses, what in self._detailed(birth, as_of):
                        detailed.append(self._candidate(grade, birth, as_of, doses, what))
        seen: set[str] = set()
        # Plausible students first; among them the simple histories before the detailed ones.
        tiers = [(0, c) for c in plain] + [(1, c) for c in detailed]
        tiers.sort(key=lambda tc: (_unusual(tc[1]), tc[0], _simplicity(tc[1])))
        for _, candidate in tiers:
            if candidate.key not in seen:
                seen.add(candidate.key)
                yield candidate

    def _candidate(
        self,
        grade: str,
        birth: date,
        as_of: date,
        doses: list[dict[str, str]],
        what: str,
        more: dict[str, Any] | None = None,
    ) -> Candidate:
        given = sorted(
            (d for d in doses if birth.isoformat() <= d["date"] <= as_of.isoformat()), key=lambda d: d["date"]
        )
        record: dict[str, Any] = {"id": "", "birth_date": birth.isoformat(), "grade": grade, "doses": given}
        record.update(more or {})
        key = repr((as_of, sorted(record.items(), key=lambda kv: kv[0])))
        return Candidate(record=record, as_of=as_of, what=what, key=key, grades=self.standing_for)

    def _plans(
        self, birth: date, as_of: date
    ) -> Iterator[tuple[ast.Series, list[ast.VaccineDecl], _Schedule, list[date]]]:
        """Each series with products to give, its schedule for this student, and the earliest
        dates its rules allow."""
        for series, grace, _ in self.series:
            products = self.products_of(series.group.text)
            if products:
                schedule = _Schedule(series, birth, as_of, grace)
                yield series, products, schedule, schedule.plan([], series.count)

    def _companions(self, series: ast.Series, birth: date, as_of: date) -> list[list[dict[str, str]]]:
        """For a series that is one part of `A as well as B`: the other parts' doses, each at
        its earliest full schedule (so the option can be met and this part's edges decide)."""
        found: list[list[dict[str, str]]] = []
        for all_of in self.all_ofs:
            if series not in all_of.parts:
                continue
            doses: list[dict[str, str]] = []
            for part in all_of.parts:
                if isinstance(part, ast.Series) and part != series:
                    products = self.products_of(part.group.text)
                    grace = next((g for s, g, _ in self.series if s == part), 0)
                    if products:
                        plan = _Schedule(part, birth, as_of, grace).plan([], part.count)
                        doses += [_dose(products[0], d) for d in plan]
            if doses and doses not in found:
                found.append(doses)
        return found

    def _with_companions(
        self, series: ast.Series, birth: date, as_of: date, histories: Iterable[tuple[list[dict[str, str]], str]]
    ) -> Iterator[tuple[list[dict[str, str]], str]]:
        """Each history as it is and, where the series is part of an `as well as`, with the other
        parts' doses too."""
        companions = self._companions(series, birth, as_of)
        for doses, what in histories:
            yield doses, what
            for extra in companions:
                yield doses + extra, f"{what}, with the doses the rest of its `as well as` needs"

    def _simple(self, birth: date, as_of: date) -> Iterator[tuple[list[dict[str, str]], str]]:
        yield [], "no doses"
        for group in self.never:
            for product in self.products_of(group)[:1]:
                day = max(birth, as_of - timedelta(days=30))
                yield [_dose(product, day)], f"one dose of {product.name.text} ({group})"
        for series, products, _, full in self._plans(birth, as_of):
            shortened = (
                (
                    [_dose(products[0], d) for d in full[:upto]],
                    f"{upto} of {_doses(series.count)} of {series.group.text}, each as early as allowed",
                )
                for upto in range(1, series.count + 1)
            )
            yield from self._with_companions(series, birth, as_of, shortened)
        for season in self.seasons:
            yield from self._season_histories(season, birth, as_of, first_only=True)

    def _detailed(self, birth: date, as_of: date) -> Iterator[tuple[list[dict[str, str]], str]]:
        for series, products, schedule, full in self._plans(birth, as_of):
            histories = self._series_detailed(series, products, schedule, full, birth, as_of)
            yield from self._with_companions(series, birth, as_of, histories)
        for season in self.seasons:
            yield from self._season_histories(season, birth, as_of, first_only=False)

    def _series_detailed(
        self,
        series: ast.Series,
        products: list[ast.VaccineDecl],
        schedule: _Schedule,
        full: list[date],
        birth: date,
        as_of: date,
    ) -> Iterator[tuple[list[dict[str, str]], str]]:
        group = series.group.text
        extra = schedule.plan(full, series.count + 1)
        yield [_dose(products[0], d) for d in extra], f"{_doses(series.count + 1)} of {group}"
        for product in products[:PRODUCTS_TRIED]:
            if product is not products[0]:
                yield [_dose(product, d) for d in full], f"{_doses(series.count)} of {product.name.text}"
            for code in self.other_codes(product):
                yield [_dose(product, d, code) for d in full], f"{_doses(series.count)} recorded as CVX {code}"
        if any(side.tree.live_vaccine_spacing for side in self.sides) and self.live_anywhere(products[0]):
            yield from self._live_conflicts(products[0], full)
        # The first dose a year after birth too, so that an interval (not an age) is what
        # bounds each later dose: `dose 3 at least 16 weeks after dose 1` is otherwise
        # hidden behind `dose 3 at age >= 24 weeks`.
        every = [(s, g) for s, g, _ in self.series]
        late = _Schedule(series, birth, as_of, schedule.default_grace, start=add_quantity(birth, 1, Unit.YEARS))
        for plan, planned, intervals_only in ((schedule, full, False), (late, late.plan([], series.count), True)):
            for slot in range(1, series.count + 1):
                before = planned[: slot - 1]
                for edge in plan.edges(slot, before, every):
                    if (before and edge.day <= before[-1]) or (intervals_only and not edge.why.startswith("after")):
                        continue
                    moved = plan.plan([*before, edge.day], series.count)
                    yield (
                        [_dose(products[0], d) for d in moved],
                        f"{_doses(series.count)} of {group}, dose {slot} on {edge.day} ({edge.why})",
                    )

    def _live_conflicts(
        self, product: ast.VaccineDecl, doses: list[date]
    ) -> Iterator[tuple[list[dict[str, str]], str]]:
        """The series with another live vaccine (one sharing no antigen) 27 and 28 days before
        its last dose: where live vaccine spacing is on, the last dose counts only at 28."""
        own = {a.text for a in product.antigens}
        other = next(
            (v for side in self.sides for v in side.tree.vaccines if v.live and not own & {a.text for a in v.antigens}),
            None,
        )
        if other is None or not doses:
            return
        for gap in (27, 28):
            given = doses[-1] - timedelta(days=gap)
            record = [_dose(product, d) for d in doses] + [_dose(other, given)]
            yield record, f"{other.name.text} {gap} days before the last dose of {product.name.text}"

    def _season_histories(
        self, season: ast.SeasonalSeries, birth: date, as_of: date, first_only: bool
    ) -> Iterator[tuple[list[dict[str, str]], str]]:
        products = self.products_of(season.group.text)
        if not products:
            return
        year = as_of.year if (as_of.month, as_of.day) >= season.window_start else as_of.year - 1
        try:
            start = date(year, *season.window_start)
            end = date(year if season.window_end >= season.window_start else year + 1, *season.window_end)
        except ValueError:
            return
        product = products[0]
        yield [_dose(product, start)], "one dose on the first day of this season's window"
        if first_only:
            return
        previous = date(start.year - 1, start.month, start.day)
        for day, why in ((start - timedelta(days=1), "the day before the window"), (end, "the window's last day")):
            yield [_dose(product, day)], f"one dose on {why}"
        yield [_dose(product, previous), _dose(product, start)], "a dose last season and one this season"
        if season.first_season_apart is not None:
            apart = season.first_season_apart
            second = _after(start, apart.quantity, apart.comparator)
            if second is not None:
                for delta in (-1, 0):
                    day = second + timedelta(days=delta)
                    yield (
                        [_dose(product, start), _dose(product, day)],
                        f"two doses this season, {(day - start).days} days apart",
                    )

    def _evidence(
        self, grade: str, birth: date, as_of: date, exemptions_only: bool
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """Records with no doses but evidence or an exemption."""
        day = as_of - timedelta(days=1)
        for disease in [] if exemptions_only else self.diseases:
            yield (
                {"evidence": [{"type": "lab_immunity", "disease": disease, "date": day.isoformat()}]},
                (f"laboratory-confirmed immunity to {disease}"),
            )
            yield (
                {"evidence": [{"type": "disease_history", "disease": disease, "date": day.isoformat()}]},
                (f"documented history of {disease}"),
            )
        for history in [] if exemptions_only else self.histories:
            if history.at_age is None:
                continue
            for edge in _around(birth, history.at_age.quantity, history.at_age.comparator, 0, "age"):
                if birth <= edge.day <= as_of:
                    yield (
                        {
                            "evidence": [
                                {
                                    "type": "disease_history",
                                    "disease": history.disease.text,
                                    "date": edge.day.isoformat(),
                                }
                            ]
                        },
                        f"history of {history.disease.text} on {edge.day}",
                    )
        if self.zoster and not exemptions_only:
            yield {"evidence": [{"type": "zoster_history"}]}, "documented history of herpes zoster"
        if not exemptions_only:
            yield (
                {"evidence": [{"type": "in_process", "date": day.isoformat()}]},
                "a certificate of immunizations in process",
            )
        yield {"exemptions": [{"type": "medical", "requirements": [self.name]}]}, "a medical exemption"
        # A medical exemption may name a vaccine or a disease instead: it covers the requirements
        # against a disease the vaccine contains (so a change of `protects against` moves it).
        for disease in [] if exemptions_only else self.diseases:
            yield {"exemptions": [{"type": "medical", "vaccines": [disease]}]}, f"a medical exemption from {disease}"
            against = [v for side in self.sides for v in side.tree.vaccines if disease in {a.text for a in v.antigens}]
            for product in sorted(against, key=lambda v: len(v.antigens))[:1]:
                yield (
                    {"exemptions": [{"type": "medical", "vaccines": [product.name.text]}]},
                    (f"a medical exemption from {product.name.text}"),
                )
        on_file = {as_of - timedelta(days=30)}
        entries: set[date] = set()
        for exemption in self.exemptions:
            for condition in exemption.conditions:
                if isinstance(condition, ast.DateCondition):
                    near = {condition.on - timedelta(days=1), condition.on, condition.on + timedelta(days=1)}
                    if condition.subject is ast.DateSubject.ON_FILE:
                        on_file |= near
                    elif condition.subject is ast.DateSubject.K12_ENTRY:
                        entries |= near
        # Each on-file date alone, and each K-12 entry date with the earliest statement: the
        # conditions are tried one at a time, not in every combination.
        statements = sorted(d for d in on_file if birth <= d <= as_of)
        for since in statements:
            yield (
                {"exemptions": [{"type": "religious", "on_file_since": since.isoformat()}]},
                (f"a religious exemption on file since {since}"),
            )
        for entry in sorted(d for d in entries if birth < d <= as_of and grade_rank(grade) >= 0):
            for since in statements[:1]:
                yield (
                    {
                        "k12_entry_date": entry.isoformat(),
                        "exemptions": [{"type": "religious", "on_file_since": since.isoformat()}],
                    },
                    f"a religious exemption on file since {since}, in K-12 since {entry}",
                )


def _doses(count: int) -> str:
    return f"{count} {'dose' if count == 1 else 'doses'}"


def usual_age(record: dict[str, Any], as_of: date) -> bool:
    """The student's age on `as_of` is one usual for their grade (preschool 0-5 years,
    kindergarten 4-7, grade n n+4 to n+7); a rule's age threshold can put a witness elsewhere."""
    low, high = usual_age_months(record["grade"])
    birth = date.fromisoformat(record["birth_date"])
    oldest, youngest = _back(as_of, high, Unit.MONTHS), _back(as_of, low, Unit.MONTHS)
    return oldest is None or youngest is None or oldest <= birth <= youngest


def _unusual(candidate: Candidate) -> bool:
    return not usual_age(candidate.record, candidate.as_of)


def _simplicity(candidate: Candidate) -> tuple[bool, int, int, int, str, str]:
    """Plausible students first (an age usual for the grade), then fewest doses, then no
    evidence or exemption."""
    record = candidate.record
    others = len(record.get("evidence", ())) + len(record.get("exemptions", ())) + ("k12_entry_date" in record)
    return (
        _unusual(candidate),
        len(record["doses"]),
        others,
        grade_rank(record["grade"]),
        candidate.as_of.isoformat(),
        record["birth_date"],
    )


def candidates(name: str, old: Side, new: Side, days: list[tuple[date, bool]]) -> Iterator[Candidate]:
    """Students for requirement `name`, simplest first, each once."""
    return _Builder(name, old, new).run(days)
