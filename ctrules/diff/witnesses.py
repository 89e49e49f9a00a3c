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

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import attrs

from .. import ast
from ..compiler import Compiled
from ..dates import Unit, add_quantity, school_year_start
from ..grades import GRADE_ORDER, grade_rank
from .sides import Side

__all__ = ["Candidate", "candidates", "grade_classes", "requirement_items", "sample_dates"]

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


def _walk(options: Iterable[object]) -> Iterator[object]:
    for option in options:
        if isinstance(option, ast.AllOf):
            yield from _walk(option.parts)
        else:
            yield option


def _terms(items: Iterable[ast.Clause | ast.Rule]) -> list[object]:
    found: list[object] = []
    for item in items:
        if isinstance(item.body, ast.AnyOf):
            for term in _walk(item.body.options):
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
    days = {default: True}
    for edges, every in ((exempting, False), (own, True)):
        for edge in edges:
            for day in (edge - timedelta(days=1), edge):
                days[day] = days.get(day, False) or every
    return sorted((d, every) for d, every in days.items() if (low is None or d >= low) and (high is None or d <= high))


# --- grades and birth dates ------------------------------------------------------------------


def _grade_conditions(sides: Iterable[Side], name: str) -> list[ast.GradeCondition]:
    found: list[ast.GradeCondition] = []
    for side in sides:
        items: list[Any] = [*requirement_items(side.tree, name), *side.tree.exemptions]
        for item in items:
            found += [c for c in item.conditions if isinstance(c, ast.GradeCondition) and c not in found]
    return found


def grade_classes(conditions: list[ast.GradeCondition]) -> dict[str, tuple[str, ...]]:
    """The sets of grades every condition treats alike, each under its first grade."""
    classes: dict[tuple[bool, ...], list[str]] = {}
    for grade in GRADE_ORDER:
        rank = grade_rank(grade)
        signature = tuple(
            grade in c.grades or (c.by_cohort and rank > max(grade_rank(g) for g in c.grades)) for c in conditions
        )
        classes.setdefault(signature, []).append(grade)
    return {members[0]: tuple(members) for members in classes.values()}


def _usual_months(grade: str) -> tuple[int, int]:
    """The ages (months) at which a student is usually in the grade: preschool from birth to
    five, kindergarten four to six, grade n at n+4 to n+7."""
    rank = grade_rank(grade)
    if rank < 0:
        return (0, 71)
    return (12 * (rank + 4), 12 * (rank + 8) - 1)


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


def _births(
    grade: str, as_of: date, ages: list[tuple[int, Unit]], cutoffs: list[date]
) -> tuple[list[date], list[date]]:
    """(every sample birth date, the few that get the full set of dose histories)."""
    low, high = _usual_months(grade)
    oldest = _back(as_of, high, Unit.MONTHS)
    youngest = _back(as_of, max(low, 1), Unit.MONTHS)
    middle = _back(as_of, (low + high) // 2, Unit.MONTHS)
    main = [d for d in (middle, oldest) if d is not None]
    days = {d for d in (oldest, youngest, middle) if d is not None}
    for amount, unit in ages:
        edge = _back(as_of, amount, unit)
        if edge is not None:
            days |= {edge - timedelta(days=1), edge, edge + timedelta(days=1)}
    for cutoff in cutoffs:
        days |= {cutoff - timedelta(days=1), cutoff, cutoff + timedelta(days=1)}
    if oldest is not None and youngest is not None:
        days = {d for d in days if oldest <= d <= youngest or d in main}
    births = sorted((d for d in days if _FAR_PAST <= d <= as_of), reverse=True)
    return births, [d for d in main if d in births]


# --- dose schedules --------------------------------------------------------------------------


def _grace(written: int | None, default: int) -> int:
    return default if written is None else written


def _slots(position: ast.Position, count: int) -> range:
    match position.kind:
        case ast.PositionKind.FIRST:
            return range(1, 2)
        case ast.PositionKind.LAST:
            return range(count, count + 1)
        case ast.PositionKind.NTH:
            return range(position.index, position.index + 1)
    return range(1, count + 1)


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

    def __init__(self, series: ast.Series, birth: date, as_of: date, default_grace: int):
        self.series = series
        self.birth = birth
        self.as_of = as_of
        self.default_grace = default_grace

    def earliest(self, slot: int, doses: list[date]) -> date:
        """The first date dose `slot` may be given after `doses` (the earlier ones)."""
        day = self.birth
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


def _group_products(compiled: Compiled, tree: ast.Ruleset, group: str) -> list[ast.VaccineDecl]:
    """The declared products of a group, by membership or antigen, in declaration order."""
    groups = {g.name.text: g for g in tree.groups}
    found: list[ast.VaccineDecl] = []
    pending = [group]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        decl = groups.get(name)
        if decl is None:
            product = compiled.product_named(name, table=False)
            if product is not None and product not in found:
                found.append(product)
            continue
        pending += [m.text for m in decl.members]
        wanted = {a.text for a in decl.containing}
        found += [v for v in tree.vaccines if wanted & {a.text for a in v.antigens} and v not in found]
    return found


def _dose(product: ast.VaccineDecl, day: date) -> dict[str, str]:
    """A dose written so that both rulesets can read it: by CVX code when the product has one."""
    if product.cvx:
        return {"cvx": product.cvx[0], "date": day.isoformat()}
    return {"vaccine": product.name.text, "date": day.isoformat()}


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
        self.products: dict[int, list[ast.VaccineDecl]] = {}
        self.standing_for: tuple[str, ...] = ()

    def products_of(self, series: ast.Series, side: Side) -> list[ast.VaccineDecl]:
        """The group's products on this side, then those the other side's group of the same
        name adds (a membership change is tried with the product it adds or drops)."""
        key = id(series)
        if key not in self.products:
            found = _group_products(side.compiled, side.tree, series.group.text)
            for other in self.sides:
                if other is not side:
                    names = {p.name.text for p in found}
                    found += [
                        p
                        for p in _group_products(other.compiled, other.tree, series.group.text)
                        if p.name.text not in names
                    ]
            self.products[key] = found
        return self.products[key]

    def grades(self) -> dict[str, tuple[str, ...]]:
        return grade_classes(_grade_conditions(self.sides, self.name))

    def run(self, days: list[tuple[date, bool]]) -> Iterator[Candidate]:
        ages = list(dict.fromkeys(_age_thresholds([*self.items, *self.exemptions])))
        cutoffs = list(dict.fromkeys(_birth_cutoffs([*self.items, *self.exemptions])))
        grades = self.grades()
        # The simplest histories for every student first, the detailed ones after.
        plain: list[Candidate] = []
        detailed: list[Candidate] = []
        for as_of, every in days:
            for grade in grades:
                self.standing_for = grades[grade]
                births, main = _births(grade, as_of, ages, cutoffs)
                for birth in births:
                    for record, what in self._evidence(birth, as_of, exemptions_only=not every):
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
        for candidate in sorted(plain, key=_simplicity) + sorted(detailed, key=_simplicity):
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
        for series, grace, side in self.series:
            products = self.products_of(series, side)
            if products:
                schedule = _Schedule(series, birth, as_of, grace)
                yield series, products, schedule, schedule.plan([], series.count)

    def _simple(self, birth: date, as_of: date) -> Iterator[tuple[list[dict[str, str]], str]]:
        yield [], "no doses"
        for series, products, _, full in self._plans(birth, as_of):
            group = series.group.text
            for upto in range(1, series.count + 1):
                yield (
                    [_dose(products[0], d) for d in full[:upto]],
                    f"{upto} of {series.count} doses of {group}, each as early as allowed",
                )
        for season in self.seasons:
            yield from self._season_histories(season, birth, as_of, first_only=True)

    def _detailed(self, birth: date, as_of: date) -> Iterator[tuple[list[dict[str, str]], str]]:
        every = [(s, g) for s, g, _ in self.series]
        for series, products, schedule, full in self._plans(birth, as_of):
            group = series.group.text
            extra = schedule.plan(full, series.count + 1)
            yield [_dose(products[0], d) for d in extra], f"{series.count + 1} doses of {group}"
            for product in products[1:8]:
                yield [_dose(product, d) for d in full], f"{series.count} doses of {product.name.text}"
            if any(side.tree.live_vaccine_spacing for side in self.sides) and products[0].live:
                yield from self._live_conflicts(products[0], full)
            for slot in range(1, series.count + 1):
                before = full[: slot - 1]
                for edge in schedule.edges(slot, before, every):
                    if before and edge.day <= before[-1]:
                        continue
                    moved = schedule.plan([*before, edge.day], series.count)
                    yield (
                        [_dose(products[0], d) for d in moved],
                        f"{series.count} doses of {group}, dose {slot} on {edge.day} ({edge.why})",
                    )
        for season in self.seasons:
            yield from self._season_histories(season, birth, as_of, first_only=False)

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
        side = next(s for s in self.sides if any(t == season for t in _terms(requirement_items(s.tree, self.name))))
        products = _group_products(side.compiled, side.tree, season.group.text)
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
        _ = school_year_start  # the season is the window, not the school year

    def _evidence(self, birth: date, as_of: date, exemptions_only: bool) -> Iterator[tuple[dict[str, Any], str]]:
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
        for since in sorted(d for d in on_file if birth <= d <= as_of):
            yield (
                {"exemptions": [{"type": "religious", "on_file_since": since.isoformat()}]},
                (f"a religious exemption on file since {since}"),
            )
            for entry in sorted(d for d in entries if birth < d <= as_of):
                yield (
                    {
                        "k12_entry_date": entry.isoformat(),
                        "exemptions": [{"type": "religious", "on_file_since": since.isoformat()}],
                    },
                    f"a religious exemption on file since {since}, in K-12 since {entry}",
                )


def _simplicity(candidate: Candidate) -> tuple[int, int, int, str, str]:
    record = candidate.record
    others = len(record.get("evidence", ())) + len(record.get("exemptions", ())) + ("k12_entry_date" in record)
    return (
        len(record["doses"]),
        others,
        grade_rank(record["grade"]),
        candidate.as_of.isoformat(),
        record["birth_date"],
    )


def candidates(name: str, old: Side, new: Side, days: list[tuple[date, bool]]) -> Iterator[Candidate]:
    """Students for requirement `name`, simplest first, each once."""
    return _Builder(name, old, new).run(days)
