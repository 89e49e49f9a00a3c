"""The checked AST into compiled requirements: checkers with every name resolved.

The only module that knows both the AST and the checkers. It runs once per ruleset; it does
no I/O and evaluates nothing, it resolves groups to product sets, expands `first`/`last`/`each`
into per-position rules, and applies the ruleset's default grace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs

from . import ast
from .checkers import (
    AgeIs,
    AgeRule,
    AllOfChecker,
    Condition,
    DateIs,
    EvidenceChecker,
    GradeIn,
    IntervalRule,
    SeasonChecker,
    SeriesChecker,
    SlotRules,
    Term,
)
from .dates import school_year_start
from .grades import grade_rank

__all__ = [
    "CompiledClause",
    "CompiledExemption",
    "CompiledRequirement",
    "Compiled",
    "compile_ruleset",
]


@attrs.frozen(kw_only=True)
class CompiledClause:
    kind: ast.ClauseKind
    citation: ast.Citation
    text: str
    in_force: ast.InForce
    conditions: tuple[Condition, ...]
    deemed: bool
    options: tuple[Term, ...]
    node: ast.Clause = attrs.field(eq=False, repr=False)

    @property
    def establishes(self) -> bool:
        """Whether this clause makes the requirement apply (dose rules do; lab evidence does not)."""
        return self.deemed or any(not isinstance(o, EvidenceChecker) for o in self.options)


@attrs.frozen(kw_only=True)
class CompiledRequirement:
    name: str
    title: str
    citation: ast.Citation | None
    antigens: frozenset[str]
    clauses: tuple[CompiledClause, ...]


@attrs.frozen(kw_only=True)
class CompiledExemption:
    kind: ast.ExemptionKind
    citation: ast.Citation | None
    text: str
    requirements: frozenset[str] | None
    in_force: ast.InForce
    conditions: tuple[Condition, ...]
    on_file: tuple[DateIs, ...]
    """Conditions on when the student's exemption statement was presented."""
    needs_history: bool


@attrs.frozen(kw_only=True)
class Compiled:
    name: str
    title: str
    version: str
    live_vaccine_spacing: bool
    products_by_name: dict[str, ast.VaccineDecl]
    products_by_cvx: dict[str, ast.VaccineDecl]
    antigens: frozenset[str]
    """Every antigen (disease) some declared vaccine contains."""
    requirements: tuple[CompiledRequirement, ...]
    exemptions: tuple[CompiledExemption, ...]
    in_process: ast.InProcess | None

    def product_named(self, name: str) -> ast.VaccineDecl | None:
        """A declared product by its name, in any case."""
        return self.products_by_name.get(name.lower())

    def product_coded(self, cvx: str) -> ast.VaccineDecl | None:
        """A declared product by CVX code; `03` and `3` are the same code."""
        return self.products_by_cvx.get(cvx.strip().lstrip("0") or "0")

    def product(self, name_or_cvx: str) -> ast.VaccineDecl | None:
        return self.product_named(name_or_cvx) or self.product_coded(name_or_cvx)

    @property
    def product_names(self) -> list[str]:
        return [p.name.text for p in self.products_by_name.values()]


def _group_products(ruleset: ast.Ruleset) -> dict[str, frozenset[str]]:
    """Every vaccine and group name (lower case) to the set of product names it stands for."""
    vaccines = {v.name.text.lower(): v for v in ruleset.vaccines}
    groups = {g.name.text.lower(): g for g in ruleset.groups}
    resolved: dict[str, frozenset[str]] = {name: frozenset({v.name.text}) for name, v in vaccines.items()}

    def resolve(name: str, seen: tuple[str, ...]) -> frozenset[str]:
        if name in resolved:
            return resolved[name]
        group = groups.get(name)
        if group is None or name in seen:
            return frozenset()
        members: set[str] = set()
        if group.containing:
            wanted = {a.text for a in group.containing}
            members |= {v.name.text for v in ruleset.vaccines if wanted <= {a.text for a in v.antigens}}
        for member in group.members:
            members |= resolve(member.text.lower(), (*seen, name))
        resolved[name] = frozenset(members)
        return resolved[name]

    for name in groups:
        resolve(name, ())
    return resolved


def _titles(ruleset: ast.Ruleset) -> dict[str, str]:
    """How reasons name a group: its description (`live attenuated measles vaccine`), else its name."""
    titles = {g.name.text.lower(): g.description or g.name.text for g in ruleset.groups}
    titles.update({v.name.text.lower(): v.name.text for v in ruleset.vaccines})
    return titles


def _conditions(conditions: tuple[object, ...], in_force_start: date | None) -> Iterator[Condition]:
    for condition in conditions:
        match condition:
            case ast.GradeCondition(grades=grades, by_cohort=by_cohort):
                top = max(grade_rank(g) for g in grades)
                yield GradeIn(
                    grades=frozenset(grades),
                    cohort_rank=top if by_cohort else None,
                    cohort_since=school_year_start(in_force_start) if by_cohort and in_force_start else None,
                )
            case ast.AgeBetween(low=low, high=high, unit=unit):
                yield AgeIs(comparator=ast.Comparator.GE, quantity=ast.Quantity(amount=low, unit=unit))
                yield AgeIs(comparator=ast.Comparator.LT, quantity=ast.Quantity(amount=high + 1, unit=unit))
            case ast.AgeCompare(comparator=comparator, quantity=quantity):
                yield AgeIs(comparator=comparator, quantity=quantity)
            case ast.DateCondition(subject=subject, comparator=comparator, on=on) if (
                subject is not ast.DateSubject.ON_FILE
            ):
                yield DateIs(subject=subject, comparator=comparator.as_comparator(), on=on)


def _in_force(conditions: tuple[object, ...]) -> ast.InForce:
    """The dates a clause is in force: every `from`/`until` it states, intersected."""
    start: date | None = None
    end: date | None = None
    for condition in conditions:
        if isinstance(condition, ast.InForce):
            if condition.start is not None:
                start = condition.start if start is None else max(start, condition.start)
            if condition.end is not None:
                end = condition.end if end is None else min(end, condition.end)
    return ast.InForce(start=start, end=end)


class _Compiler:
    def __init__(self, ruleset: ast.Ruleset):
        self.ruleset = ruleset
        self.products = _group_products(ruleset)
        self.titles = _titles(ruleset)
        self.default_grace = ruleset.default_grace or 0

    def grace(self, written: int | None) -> int:
        """A rule's own grace when stated (even 0), else the ruleset's default."""
        return self.default_grace if written is None else written

    def _against(self, antigens: frozenset[str]) -> frozenset[str]:
        """Products containing any of these antigens."""
        return frozenset(v.name.text for v in self.ruleset.vaccines if antigens & {a.text for a in v.antigens})

    def series(self, series: ast.Series, antigens: frozenset[str] = frozenset()) -> SeriesChecker:
        ages: list[list[AgeRule]] = [[] for _ in range(series.count)]
        intervals: list[list[IntervalRule]] = [[] for _ in range(series.count)]
        for constraint in series.constraints:
            match constraint:
                case ast.DoseTiming(position=position, bounds=bounds):
                    slots = self._slots(position, series.count)
                    for bound in bounds:
                        age_rule = AgeRule(
                            comparator=bound.comparator,
                            quantity=bound.quantity,
                            grace_days=self.grace(bound.grace_days),
                            as_birthday=bound.as_birthday,
                        )
                        for slot in slots:
                            ages[slot - 1].append(age_rule)
                case ast.Apart(comparator=comparator, quantity=quantity, grace_days=grace):
                    rule = IntervalRule(
                        comparator=comparator, quantity=quantity, grace_days=self.grace(grace), reference=None
                    )
                    for slot in range(2, series.count + 1):
                        intervals[slot - 1].append(rule)
                case ast.DoseAfter(
                    dose=dose, comparator=comparator, quantity=quantity, reference=ref, grace_days=grace
                ):
                    if 1 <= dose <= series.count:
                        intervals[dose - 1].append(
                            IntervalRule(
                                comparator=comparator, quantity=quantity, grace_days=self.grace(grace), reference=ref
                            )
                        )
        key = series.group.text.lower()
        return SeriesChecker(
            count=series.count,
            group=key,
            group_title=self.titles.get(key, series.group.text),
            products=self.products.get(key, frozenset()),
            slots=tuple(SlotRules(ages=tuple(a), intervals=tuple(i)) for a, i in zip(ages, intervals, strict=True)),
            related_products=self._against(antigens) - self.products.get(key, frozenset()),
        )

    @staticmethod
    def _slots(position: ast.Position, count: int) -> range:
        match position.kind:
            case ast.PositionKind.FIRST:
                return range(1, 2)
            case ast.PositionKind.LAST:
                return range(count, count + 1)
            case ast.PositionKind.NTH:
                return range(position.index, position.index + 1) if 1 <= position.index <= count else range(0)
            case _:
                return range(1, count + 1)

    def season(self, series: ast.SeasonalSeries) -> SeasonChecker:
        key = series.group.text.lower()
        apart = series.first_season_apart
        return SeasonChecker(
            count=series.count,
            group=key,
            group_title=self.titles.get(key, series.group.text),
            products=self.products.get(key, frozenset()),
            window_start=series.window_start,
            window_end=series.window_end,
            first_season_count=series.first_season_count,
            first_season_apart=None
            if apart is None
            else IntervalRule(
                comparator=apart.comparator,
                quantity=apart.quantity,
                grace_days=self.grace(apart.grace_days),
                reference=None,
            ),
        )

    def term(self, term: ast.Evidence, antigens: frozenset[str]) -> Term:
        match term:
            case ast.Series():
                return self.series(term, antigens)
            case ast.SeasonalSeries():
                return self.season(term)
            case ast.LabImmunity(disease=disease):
                return EvidenceChecker(kind="lab_immunity", disease=disease.text)
            case ast.DiseaseHistory(disease=disease, at_age=at_age):
                rule = None
                if at_age is not None:
                    rule = AgeRule(
                        comparator=at_age.comparator,
                        quantity=at_age.quantity,
                        grace_days=self.grace(at_age.grace_days),
                        as_birthday=at_age.as_birthday,
                    )
                return EvidenceChecker(kind="disease_history", disease=disease.text, at_age=rule)
            case ast.ZosterHistory():
                return EvidenceChecker(kind="zoster_history")
            case ast.AllOf(parts=parts):
                return AllOfChecker(parts=tuple(self.term(p, antigens) for p in parts))
        raise TypeError(f"not a requirement term: {term!r}")

    def clause(self, clause: ast.Clause, antigens: frozenset[str]) -> CompiledClause:
        in_force = _in_force(clause.conditions)
        deemed = isinstance(clause.body, ast.DeemedProtected)
        options: tuple[Term, ...] = ()
        if isinstance(clause.body, ast.AnyOf):
            options = tuple(self.term(o, antigens) for o in clause.body.options)
        return CompiledClause(
            kind=clause.kind,
            citation=clause.citation,
            text=clause.text,
            in_force=in_force,
            conditions=tuple(_conditions(clause.conditions, in_force.start)),
            deemed=deemed,
            options=options,
            node=clause,
        )

    def requirement(self, requirement: ast.Requirement) -> CompiledRequirement:
        antigens = frozenset(a.text for a in requirement.antigens)
        return CompiledRequirement(
            name=requirement.name.text,
            title=requirement.title,
            citation=requirement.citation,
            antigens=antigens,
            clauses=tuple(self.clause(c, antigens) for c in requirement.clauses),
        )

    def exemption(self, exemption: ast.Exemption) -> CompiledExemption:
        in_force = _in_force(exemption.conditions)
        return CompiledExemption(
            kind=exemption.kind,
            citation=exemption.citation,
            text=exemption.text,
            requirements=frozenset(r.text for r in exemption.requirements) or None,
            in_force=in_force,
            conditions=tuple(_conditions(exemption.conditions, in_force.start)),
            on_file=tuple(
                DateIs(subject=c.subject, comparator=c.comparator.as_comparator(), on=c.on)
                for c in exemption.conditions
                if isinstance(c, ast.DateCondition) and c.subject is ast.DateSubject.ON_FILE
            ),
            needs_history=any(isinstance(c, ast.HistoryOfTheDisease) for c in exemption.conditions),
        )


def compile_ruleset(ruleset: ast.Ruleset) -> Compiled:
    """Compile an analysed ruleset (names must already resolve; see `analyze`)."""
    compiler = _Compiler(ruleset)
    by_cvx = {code: v for v in ruleset.vaccines for code in v.cvx}
    return Compiled(
        name=ruleset.name.text if ruleset.name else "",
        title=ruleset.title,
        version=ruleset.version,
        live_vaccine_spacing=ruleset.live_vaccine_spacing,
        products_by_name={v.name.text.lower(): v for v in ruleset.vaccines},
        products_by_cvx=by_cvx,
        antigens=frozenset(a.text for v in ruleset.vaccines for a in v.antigens),
        requirements=tuple(compiler.requirement(r) for r in ruleset.requirements),
        exemptions=tuple(compiler.exemption(e) for e in ruleset.exemptions),
        in_process=ruleset.in_process[0] if ruleset.in_process else None,
    )
