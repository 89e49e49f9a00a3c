"""The checked AST into compiled requirements: checkers with every name resolved.

The only module that knows both the AST and the checkers. It runs once per ruleset; it does
no I/O and evaluates nothing, it resolves groups to product sets, expands `first`/`last`/`each`
into per-position rules, and applies the ruleset's default grace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs

from . import ast, cvx
from .checkers import (
    AgeIs,
    AgeRule,
    AllOfChecker,
    Condition,
    DateIs,
    EvidenceChecker,
    GradeIn,
    IntervalRule,
    NoDosesChecker,
    RecencyRule,
    SeasonChecker,
    SeriesChecker,
    SlotRules,
    Term,
)
from .dates import school_year_start
from .errors import VersionError
from .grades import grade_rank
from .results import Status

__all__ = [
    "CompiledClause",
    "CompiledExemption",
    "CompiledRequirement",
    "CompiledRule",
    "InForceVersion",
    "Compiled",
    "compile_ruleset",
    "dose_slots",
    "group_products",
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
    not_required: bool = False
    """`not required`: the ruleset says on purpose that nothing is required here."""
    establishes: bool = attrs.field(init=False, eq=False, repr=False)
    """Whether this clause makes the requirement apply (dose rules do; lab evidence does not)."""

    @establishes.default
    def _establishes(self) -> bool:
        return self.deemed or any(not isinstance(o, EvidenceChecker) for o in self.options)


RULE_STATUS = {
    ast.RuleStatus.COMPLIANT: Status.COMPLIANT,
    ast.RuleStatus.IN_PROGRESS: Status.IN_PROGRESS,
    ast.RuleStatus.NON_COMPLIANT: Status.NON_COMPLIANT,
    ast.RuleStatus.NO_REQUIREMENT: Status.NOT_REQUIRED,
    ast.RuleStatus.NOT_REQUIRED: Status.NOT_REQUIRED,
}


@attrs.frozen(kw_only=True)
class CompiledRule:
    """An ordered status rule: decides `status` when in force, its conditions hold and (if it
    has options) one of them is met."""

    name: str
    status: Status
    citation: ast.Citation | None
    text: str
    in_force: ast.InForce
    conditions: tuple[Condition, ...]
    options: tuple[Term, ...]
    node: ast.Rule = attrs.field(eq=False, repr=False)


@attrs.frozen(kw_only=True)
class CompiledRequirement:
    name: str
    title: str
    citation: ast.Citation | None
    antigens: frozenset[str]
    clauses: tuple[CompiledClause, ...]
    rules: tuple[CompiledRule, ...] = ()
    otherwise: Status | None = None
    """For rules: the status when none decides (None: no rules, or non-compliant)."""

    @property
    def by_rules(self) -> bool:
        return bool(self.rules)


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
class InForceVersion:
    """The version of a ruleset (and, for an amendment, of the ruleset it amends) in force on a date."""

    id: str
    amends: tuple[str, str] | None = None
    """(name, version id) of the amended ruleset's version in force, for an amendment."""


def _version_on(versions: tuple[ast.Version, ...], day: date) -> ast.Version | None:
    return next((v for v in versions if v.in_force.covers(day)), None)


def _coverage(versions: tuple[ast.Version, ...]) -> str:
    if not versions:
        return "every date"
    start, end = versions[0].in_force.start, versions[-1].in_force.end
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"{start} onwards"
    return f"up to {end}" if end else "every date"


@attrs.frozen(kw_only=True)
class Compiled:
    name: str
    title: str
    versions: tuple[ast.Version, ...]
    base_name: str | None
    base_versions: tuple[ast.Version, ...]
    """For an amendment: the amended ruleset's name and versions."""
    live_vaccine_spacing: bool
    products_by_name: dict[str, ast.VaccineDecl]
    products_by_cvx: dict[str, ast.VaccineDecl]
    antigens: frozenset[str]
    """Every antigen (disease) some declared vaccine contains."""
    requirements: tuple[CompiledRequirement, ...]
    exemptions: tuple[CompiledExemption, ...]
    in_process: ast.InProcess | None

    @property
    def version(self) -> str:
        """The latest version's id."""
        return self.versions[-1].id if self.versions else ""

    def version_on(self, day: date) -> InForceVersion:
        """The version in force on `day`; a date outside every version is an error, not a guess."""
        own = _version_on(self.versions, day) if self.versions else None
        if self.versions and own is None:
            raise VersionError(
                f"ruleset {self.name} has no version in force on {day}; its versions cover {_coverage(self.versions)}"
            )
        amends = None
        if self.base_name is not None:
            base = _version_on(self.base_versions, day) if self.base_versions else None
            if self.base_versions and base is None:
                raise VersionError(
                    f"ruleset {self.name} amends {self.base_name}, which has no version in force on {day}; "
                    f"its versions cover {_coverage(self.base_versions)}"
                )
            amends = (self.base_name, base.id if base else "")
        return InForceVersion(id=own.id if own else "", amends=amends)

    def product_named(self, name: str, *, table: bool = True) -> ast.VaccineDecl | None:
        """A product by name, in any case: a declared one; else (with `table`) the product of the
        CDC CVX code whose CDC short description this is: the declared product with that code,
        or the code's implicit product (`cvx.implicit_product`). None for a name neither knows,
        and for a code no dose can count (nonvaccine, Pending, Never Active, no antigens)."""
        found = self.products_by_name.get(name.lower())
        if found is None and table:
            entry = cvx.named(name)
            if entry is not None:
                return self.product_coded(entry.code)
        return found

    def product_coded(self, code: str, *, table: bool = True) -> ast.VaccineDecl | None:
        """A product by CVX code (`03` and `3` are the same code): the declared product with that
        code, which always wins; else (with `table`) the code's implicit product from the CDC
        table, if a dose of it can count."""
        key = cvx.normalize(code)
        found = self.products_by_cvx.get(key)
        if found is None and table:
            entry = cvx.lookup(key)
            if entry is not None and entry.problem is None:
                return cvx.implicit_product(key)
        return found

    def product(self, name_or_cvx: str) -> ast.VaccineDecl | None:
        """A declared product by name or CVX code (exemptions name only what the ruleset declares)."""
        return self.product_named(name_or_cvx, table=False) or self.product_coded(name_or_cvx, table=False)

    @property
    def product_names(self) -> list[str]:
        return [p.name.text for p in self.products_by_name.values()]


def group_products(ruleset: ast.Ruleset) -> dict[str, frozenset[str]]:
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


def _implicit_products(ruleset: ast.Ruleset) -> dict[str, frozenset[str]]:
    """The undeclared CDC CVX codes whose doses can count, as implicit product names (`CVX 146`),
    with their antigens."""
    declared = {cvx.normalize(code) for v in ruleset.vaccines for code in v.cvx}
    return {
        cvx.implicit_name(entry.code): entry.antigens
        for entry in cvx.table()
        if entry.problem is None and cvx.normalize(entry.code) not in declared
    }


def _group_implicit(ruleset: ast.Ruleset, implicit: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Every group name (lower case) to the implicit products it takes: only a `vaccines
    containing …` part of a group takes them (a code counts when its table antigens include all
    the listed ones); a listed member (`= PCV7, PCV13`) is a declared product and never does."""
    groups = {g.name.text.lower(): g for g in ruleset.groups}
    resolved: dict[str, frozenset[str]] = {}

    def resolve(name: str, seen: tuple[str, ...]) -> frozenset[str]:
        if name in resolved:
            return resolved[name]
        group = groups.get(name)
        if group is None or name in seen:
            return frozenset()
        members: set[str] = set()
        if group.containing:
            wanted = {a.text for a in group.containing}
            members |= {product for product, antigens in implicit.items() if wanted <= antigens}
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


def dose_slots(position: ast.Position, count: int) -> range:
    """The places in a series of `count` doses that a position names (`first`, `last`, `each`,
    `dose 3`); none for `latest dose`, which is the student's most recent dose, counted or not."""
    match position.kind:
        case ast.PositionKind.FIRST:
            return range(1, 2)
        case ast.PositionKind.LAST:
            return range(count, count + 1)
        case ast.PositionKind.NTH:
            return range(position.index, position.index + 1) if 1 <= position.index <= count else range(0)
        case ast.PositionKind.LATEST:
            return range(0)
        case _:
            return range(1, count + 1)


class _Compiler:
    def __init__(self, ruleset: ast.Ruleset):
        self.ruleset = ruleset
        self.products = group_products(ruleset)
        self.implicit = _implicit_products(ruleset)
        self.implicit_by_group = _group_implicit(ruleset, self.implicit)
        self.titles = _titles(ruleset)
        self.default_grace = ruleset.default_grace or 0
        self.live = {v.name.text: v.live for v in ruleset.vaccines}
        self.antigens = {v.name.text: frozenset(a.text for a in v.antigens) for v in ruleset.vaccines}
        self.slots: dict[tuple[SlotRules, ...], tuple[SlotRules, ...]] = {}

    def interned(self, slots: tuple[SlotRules, ...]) -> tuple[SlotRules, ...]:
        """One object for equal rules: series sharing it share their counts (SeriesChecker.evaluate)."""
        return self.slots.setdefault(slots, slots)

    def grace(self, written: int | None, comparator: ast.Comparator) -> int:
        """A rule's own grace when stated (even 0), on whatever it is written on; else the
        ruleset's default, which (like ACIP's 4-day grace period) relaxes only minimum ages and
        intervals, never a maximum such as "before the 13th birthday"."""
        if written is not None:
            return written
        return self.default_grace if comparator in (ast.Comparator.GE, ast.Comparator.GT) else 0

    def _shared_antigens(self, products: frozenset[str]) -> frozenset[str]:
        """The antigens every product of a group contains ({measles} for a group of MMR and
        MMRV): a live dose sharing one is the same vaccine, for live spacing. (The union would
        make a varicella dose "the same" as an MMR for a group that also holds MMRV.)"""
        sets = [self.antigens.get(p, frozenset()) for p in products]
        return frozenset.intersection(*sets) if sets else frozenset()

    def _against(self, antigens: frozenset[str]) -> frozenset[str]:
        """Products containing any of these antigens."""
        declared = frozenset(v.name.text for v in self.ruleset.vaccines if antigens & {a.text for a in v.antigens})
        return declared | frozenset(name for name, contains in self.implicit.items() if antigens & contains)

    def series(self, series: ast.Series, antigens: frozenset[str] = frozenset()) -> SeriesChecker:
        ages: list[list[AgeRule]] = [[] for _ in range(series.count)]
        intervals: list[list[IntervalRule]] = [[] for _ in range(series.count)]
        recency: list[list[RecencyRule]] = [[] for _ in range(series.count)]
        latest: list[RecencyRule] = []
        for constraint in series.constraints:
            match constraint:
                case ast.DoseTiming(position=position, bounds=bounds):
                    slots = dose_slots(position, series.count)
                    for bound in bounds:
                        age_rule = AgeRule(
                            comparator=bound.comparator,
                            quantity=bound.quantity,
                            grace_days=self.grace(bound.grace_days, bound.comparator),
                            as_birthday=bound.as_birthday,
                            grace_word=bound.grace_word,
                        )
                        for slot in slots:
                            ages[slot - 1].append(age_rule)
                case ast.Apart(comparator=comparator, quantity=quantity, grace_days=grace, grace_word=word):
                    rule = IntervalRule(
                        comparator=comparator,
                        quantity=quantity,
                        grace_days=self.grace(grace, comparator),
                        reference=None,
                        grace_word=word,
                    )
                    for slot in range(2, series.count + 1):
                        intervals[slot - 1].append(rule)
                case ast.DoseAfter(
                    dose=dose,
                    comparator=comparator,
                    quantity=quantity,
                    reference=ref,
                    grace_days=grace,
                    grace_word=word,
                ):
                    if 1 <= dose <= series.count:
                        intervals[dose - 1].append(
                            IntervalRule(
                                comparator=comparator,
                                quantity=quantity,
                                grace_days=self.grace(grace, comparator),
                                reference=ref,
                                grace_word=word,
                            )
                        )
                case ast.Recency(
                    position=position, comparator=comparator, quantity=quantity, grace_days=grace, grace_word=word
                ):
                    # The default grace is for dose validity, not for how recent a dose is: only a written one.
                    recency_rule = RecencyRule(
                        comparator=comparator, quantity=quantity, grace_days=grace or 0, grace_word=word
                    )
                    if position.kind is ast.PositionKind.LATEST:
                        latest.append(recency_rule)
                    for slot in dose_slots(position, series.count):
                        recency[slot - 1].append(recency_rule)
        key = series.group.text.lower()
        return SeriesChecker(
            count=series.count,
            group=key,
            group_title=self.titles.get(key, series.group.text),
            products=self.products.get(key, frozenset()),
            slots=self.interned(
                tuple(
                    SlotRules(ages=tuple(a), intervals=tuple(i), recency=tuple(r))
                    for a, i, r in zip(ages, intervals, recency, strict=True)
                )
            ),
            related_products=self._against(antigens)
            - self.products.get(key, frozenset())
            - self.implicit_by_group.get(key, frozenset()),
            implicit_products=self.implicit_by_group.get(key, frozenset()),
            latest=tuple(latest),
            live=any(self.live.get(p, False) for p in self.products.get(key, frozenset())),
            antigens=self._shared_antigens(self.products.get(key, frozenset())),
        )

    def season(self, series: ast.SeasonalSeries) -> SeasonChecker:
        key = series.group.text.lower()
        apart = series.first_season_apart
        return SeasonChecker(
            count=series.count,
            group=key,
            group_title=self.titles.get(key, series.group.text),
            products=self.products.get(key, frozenset()),
            implicit_products=self.implicit_by_group.get(key, frozenset()),
            window_start=series.window_start,
            window_end=series.window_end,
            first_season_count=series.first_season_count,
            first_season_apart=None
            if apart is None
            else IntervalRule(
                comparator=apart.comparator,
                quantity=apart.quantity,
                grace_days=self.grace(apart.grace_days, apart.comparator),
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
                        # The default (ACIP) grace is for doses, not for the age at an illness.
                        grace_days=at_age.grace_days or 0,
                        as_birthday=at_age.as_birthday,
                    )
                return EvidenceChecker(kind="disease_history", disease=disease.text, at_age=rule)
            case ast.ZosterHistory():
                return EvidenceChecker(kind="zoster_history")
            case ast.NoDoses(group=group):
                key = group.text.lower()
                title = self.titles.get(key, group.text)
                return NoDosesChecker(
                    group=key,
                    group_title=title,
                    products=self.products.get(key, frozenset()),
                    implicit_products=self.implicit_by_group.get(key, frozenset()),
                )
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
            not_required=isinstance(clause.body, ast.NotRequired),
        )

    def rule(self, rule: ast.Rule, antigens: frozenset[str]) -> CompiledRule:
        in_force = _in_force(rule.conditions)
        return CompiledRule(
            name=rule.name,
            status=RULE_STATUS[rule.status],
            citation=rule.citation,
            text=rule.text,
            in_force=in_force,
            conditions=tuple(_conditions(rule.conditions, in_force.start)),
            options=tuple(self.term(o, antigens) for o in rule.body.options) if rule.body else (),
            node=rule,
        )

    def requirement(self, requirement: ast.Requirement) -> CompiledRequirement:
        """A requirement; one that `follows` another is decided by that one's clauses or rules."""
        decided_by = requirement
        if requirement.follows is not None:
            by_name = {r.name.text: r for r in self.ruleset.requirements}
            decided_by = by_name[requirement.follows.text]
        antigens = frozenset(a.text for a in (requirement.antigens or decided_by.antigens))
        otherwise = decided_by.otherwise
        return CompiledRequirement(
            name=requirement.name.text,
            title=requirement.title,
            citation=requirement.citation or decided_by.citation,
            antigens=antigens,
            clauses=tuple(self.clause(c, antigens) for c in decided_by.clauses),
            rules=tuple(self.rule(r, antigens) for r in decided_by.rules),
            otherwise=RULE_STATUS[otherwise.status] if otherwise else None,
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
    by_cvx = {cvx.normalize(code): v for v in ruleset.vaccines for code in v.cvx}
    base = ruleset.base
    return Compiled(
        name=ruleset.name.text if ruleset.name else "",
        title=ruleset.title,
        versions=ruleset.versions,
        base_name=base.name.text if base is not None and base.name else None,
        base_versions=base.versions if base is not None else (),
        live_vaccine_spacing=bool(ruleset.live_vaccine_spacing),
        products_by_name={v.name.text.lower(): v for v in ruleset.vaccines},
        products_by_cvx=by_cvx,
        antigens=frozenset(a.text for v in ruleset.vaccines for a in v.antigens),
        requirements=tuple(compiler.requirement(r) for r in ruleset.requirements),
        exemptions=tuple(compiler.exemption(e) for e in ruleset.exemptions),
        in_process=ruleset.in_process[0] if ruleset.in_process else None,
    )
