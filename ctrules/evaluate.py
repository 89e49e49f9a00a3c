"""Run a compiled ruleset over students: facts once per student, then each requirement's
clauses, combined into one status per requirement and overall.

How a requirement is decided, on the evaluation date:
1. a `deemed protected` clause that applies gives `not_required`;
2. if no clause with dose rules applies (nor an `also` clause), the requirement does not
   apply: `not_required`;
3. compliant when an applicable alternative clause is met and every applicable `also`
   clause is met too;
4. otherwise `exempt` if an exemption is honoured; otherwise `in_progress` when the missing
   dose cannot count yet (or is not yet due), or a certificate of immunizations in process
   is on file; otherwise `non_compliant`, citing the clause that came closest.

A requirement written as ordered status `rule`s (as vendors write them) is decided by the
first rule in force whose conditions hold and whose requirement is met, with the status that
rule names; when none decides, by its `otherwise` status (non-compliant if unstated). An
honoured exemption still turns a non-compliant or in-progress status into `exempt`.

Every evaluation runs under the ruleset version in force on its date (`Compiled.version_on`).

`Evaluator.trace` runs the same evaluation and keeps, beside each result, a `Decision`: every
clause or rule tried, with its conditions and outcomes, and the exemptions looked at. `explain`
reads these, so an explanation is the evaluation itself, never a second reading of the rules.
(`evaluate` does not trace: it keeps only what the result needs, and stays as fast.)
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import partial
from typing import Any, NamedTuple

import attrs

from . import ast, cvx, reasons
from .checkers import Condition, Facts, GradeIn, Outcome, ResolvedDose, Term, live_conflicts
from .compiler import Compiled, CompiledClause, CompiledExemption, CompiledRequirement, CompiledRule, InForceVersion
from .errors import InputError
from .reasons import outcome_reasons
from .records import Dose, Evidence, ExemptionRecord, ReadItem, RecordError, Student, students_from
from .results import RequirementResult, Result, Status, worst
from .suggest import did_you_mean

__all__ = ["Basis", "Decision", "Evaluator", "ExemptionTrial", "Traced", "Trial"]

_BY_DATE = operator.attrgetter("date")
_resolved = partial(tuple.__new__, ResolvedDose)
"""`ResolvedDose(*fields)` without the named tuple's `__new__` in Python: built for every dose."""

# With rule amounts bounded by `analyze` (at most 150 years), every threshold computed from a
# date in this range stays inside Python's calendar (years 1 to 9999).
EARLIEST_YEAR = 1800
LATEST_YEAR = 9800


class Basis(enum.Enum):
    """What settled a requirement's status."""

    DEEMED = "deemed"
    """A `deemed protected` (or `not required`) clause applies."""
    NOT_APPLICABLE = "not_applicable"
    """No clause that makes the requirement apply does."""
    MET = "met"
    """An applicable alternative is met, and every applicable `also` clause."""
    EXEMPT = "exempt"
    """Not met, but an exemption is honoured."""
    UNMET = "unmet"
    """Not met: the result cites the clause that came closest."""
    RULE = "rule"
    """A status rule matched (the first in force whose conditions hold and that is met)."""
    OTHERWISE = "otherwise"
    """No status rule matched: the requirement's default status."""


@attrs.frozen(kw_only=True)
class Trial:
    """One clause or status rule as evaluation tried it: whether it was in force, each
    condition and whether it held, and each option's outcome (none when not needed)."""

    clause: CompiledClause | None = None
    rule: CompiledRule | None = None
    in_force: bool
    conditions: tuple[tuple[Condition, bool], ...] = ()
    options: tuple[Outcome, ...] = ()
    outcome: Outcome | None = None
    """The option met, else the one that came closest: what the status was decided on."""
    reached: bool = True
    """False for a status rule after the one that decided (rules stop at the first match)."""

    @property
    def applies(self) -> bool:
        return self.in_force and all(held for _, held in self.conditions)


@attrs.frozen(kw_only=True)
class ExemptionTrial:
    """An exemption evaluation looked at for an unmet requirement: honoured (under which
    provision), ended, or not honoured (and which provisions were in force)."""

    record: ExemptionRecord | None
    """The student's exemption; None for a statutory exemption, which needs none."""
    declaration: CompiledExemption | None = None
    honoured: bool = False
    ended: date | None = None
    provisions: tuple[CompiledExemption, ...] = ()


@attrs.frozen(kw_only=True)
class Decision:
    """How a requirement's status was reached, kept beside its result for `explain`."""

    requirement: CompiledRequirement
    basis: Basis
    trials: tuple[Trial, ...]
    """Every clause (or status rule) in the order written."""
    deciding: tuple[Trial, ...] = ()
    """What the result cites first (the clause met, the closest, the rule matched), then the
    `also` clauses that held with it or failed."""
    exemptions: tuple[ExemptionTrial, ...] = ()
    """The exemption honoured, or those that were not (only looked at when not met)."""
    in_process: Evidence | None = None
    """The certificate of immunizations in process that made an unmet requirement in progress."""
    applies_from: tuple[date, CompiledClause] | None = None
    """For a requirement that does not apply yet: from when, and under which clause."""
    toward: Trial | None = None
    """When a status rule short of compliant matched: the compliant rule tried before it that
    came closest, whose outcome says what the student still needs."""


@attrs.frozen(kw_only=True)
class Traced:
    """One student's result with the facts and decisions behind it (`Evaluator.trace`)."""

    result: Result
    facts: Facts | None
    """None for a record that could not be evaluated."""
    decisions: Mapping[str, Decision] = attrs.field(factory=dict)


Looked = tuple[bool, bool, tuple[tuple[Condition, bool], ...]]
"""Whether a clause or rule is in force, whether it applies (in force, every condition holds),
and, when tracing, each condition with whether it held."""


def _looked_at(in_force: ast.InForce, conditions: tuple[Condition, ...], facts: Facts) -> Looked:
    """A clause's or rule's dates and conditions on the evaluation date. Conditions are tested
    only when in force; all of them only when tracing (otherwise up to the first that fails)."""
    if not in_force.covers(facts.as_of):
        return False, False, ()
    if not facts.trace:
        return True, all(c.holds(facts) for c in conditions), ()
    held = tuple((c, c.holds(facts)) for c in conditions)
    return True, all(h for _, h in held), held


def _find(trials: tuple[Trial, ...], item: CompiledClause | CompiledRule) -> Trial:
    return next(t for t in trials if t.clause is item or t.rule is item)


class Evaluator:
    """Evaluates students against one compiled ruleset; holds no per-student state (only what
    depends on the ruleset alone, or on the evaluation date, computed once)."""

    def __init__(self, compiled: Compiled):
        self.compiled = compiled
        self._requirement_names = frozenset(r.name for r in compiled.requirements)
        self._products: dict[tuple[str, str], tuple[str, bool, frozenset[str]]] = {}
        """(vaccine, cvx) as a dose writes them to its product's name, whether it is live and its
        antigens (a roster names few products, over and over)."""
        self._plans: dict[tuple[str, date, str], ClausePlan] = {}
        """(requirement, evaluation date, grade) to the clauses that can apply that day in that grade."""

    def _plan(self, requirement: CompiledRequirement, facts: Facts) -> ClausePlan:
        """The requirement's clauses in force on the evaluation date whose grade conditions hold
        for the student's grade: the same for every student of that grade that day."""
        key = (requirement.name, facts.as_of, facts.student.grade)
        found = self._plans.get(key)
        if found is None:
            found = ClausePlan.of(requirement, facts)
            if len(self._plans) < 4096:  # an API caller may try many dates: keep the cache bounded
                self._plans[key] = found
        return found

    # --- facts ------------------------------------------------------------------------------

    def _product(self, dose: Dose, student: Student) -> tuple[str, bool, frozenset[str]]:
        """A dose's product as facts keep it (its name, whether it is live, its antigens), looked
        up once per way of writing it; `InputError` for a product this ruleset does not know."""
        key = (dose.vaccine, dose.cvx)
        found = self._products.get(key)
        if found is None:
            product = self.compiled.product_named(dose.vaccine) if dose.vaccine else None
            if product is None and dose.cvx:
                product = self.compiled.product_coded(dose.cvx)
            if product is None:
                raise self._unknown_product(dose, student)
            found = (product.name.text, product.live, frozenset(a.text for a in product.antigens))
            if len(self._products) < 4096:  # names come from input: keep the cache bounded
                self._products[key] = found
        return found

    def _unknown_product(self, dose: Dose, student: Student) -> InputError:
        # Only the wording is decided here; which products exist is Compiled.product_*.
        if dose.vaccine and not dose.cvx:
            entry = cvx.named(dose.vaccine)
            if entry is not None:
                message = f"vaccine {dose.vaccine!r} is CDC CVX code {entry.code}, which {entry.problem}"
            else:
                hint = did_you_mean(dose.vaccine, self.compiled.product_names)
                message = f"unknown vaccine {dose.vaccine!r}" + (f" ({hint})" if hint else "")
            return InputError(message, field=f"{dose.field}.vaccine", record=student.id, code="CTR404")
        if cvx.lookup(dose.cvx) is None:
            message = f"CVX code {dose.cvx!r} is not a vaccine this ruleset knows, and {cvx.problem(dose.cvx)}"
        else:
            message = f"CVX code {dose.cvx!r} {cvx.problem(dose.cvx)}"
        return InputError(message, field=f"{dose.field}.cvx", record=student.id, code="CTR404")

    def _check_names(self, student: Student) -> None:
        """Evidence diseases and exemption names must be ones this ruleset knows: a misspelt
        name is an error for the student, never a silently ignored exemption."""
        if not student.evidence and not student.exemptions:
            return
        diseases = self.compiled.antigens
        for item in student.evidence:
            if item.disease and item.disease not in diseases:
                hint = did_you_mean(item.disease, diseases)
                raise InputError(
                    f"unknown disease {item.disease!r}" + (f" ({hint})" if hint else ""),
                    field=f"{item.field}.disease",
                    record=student.id,
                    code="CTR406",
                )
        requirements = self._requirement_names
        for record in student.exemptions:
            for name in record.requirements:
                if name.lower() not in requirements:
                    hint = did_you_mean(name, requirements)
                    raise InputError(
                        f"unknown requirement {name!r}" + (f" ({hint})" if hint else ""),
                        field=f"{record.field}.requirements",
                        record=student.id,
                        code="CTR406",
                    )
            for name in record.vaccines:
                lowered = name.lower()
                known = self.compiled.product(name) is not None or lowered in requirements or lowered in diseases
                if not known:
                    hint = did_you_mean(name, [*self.compiled.product_names, *requirements])
                    raise InputError(
                        f"unknown vaccine {name!r}" + (f" ({hint})" if hint else ""),
                        field=f"{record.field}.vaccines",
                        record=student.id,
                        code="CTR406",
                    )

    def facts(self, student: Student, as_of: date, trace: bool = False) -> Facts:
        self._check_names(student)
        known = self._products
        doses = []
        # Every dose's product is checked, even a dose after the evaluation date (an unknown
        # product is an error for the record whatever its date).
        for dose in student.doses:
            given, vaccine, code, field = dose
            product = known.get((vaccine, code)) or self._product(dose, student)
            if given <= as_of:
                name, live, antigens = product
                label = vaccine or f"CVX {code}"  # Dose.label
                doses.append(_resolved((given, name, label, field, live, antigens)))
        doses.sort(key=_BY_DATE)
        facts = Facts(
            student=student,
            as_of=as_of,
            doses=tuple(doses),
            live_spacing=self.compiled.live_vaccine_spacing,
            trace=trace,
        )
        if self.compiled.live_vaccine_spacing:
            facts.live_conflicts.update(live_conflicts(facts.doses))
        return facts

    # --- requirements -----------------------------------------------------------------------

    def requirement(self, requirement: CompiledRequirement, facts: Facts) -> RequirementResult:
        return self.decide(requirement, facts)[0]

    def decide(self, requirement: CompiledRequirement, facts: Facts) -> tuple[RequirementResult, Decision | None]:
        """A requirement's result, and (when `facts.trace`) how it was reached."""
        if requirement.by_rules:
            return self._by_rules(requirement, facts)
        as_of = facts.as_of
        looked: list[Looked] = []
        plan = self._plan(requirement, facts)
        if facts.trace:
            looked = [_looked_at(c.in_force, c.conditions, facts) for c in requirement.clauses]
            applicable = Applicable.of([c for c, seen in zip(requirement.clauses, looked, strict=True) if seen[1]])
        else:
            applicable = plan.applicable(facts)
        tried: dict[int, tuple[Outcome, tuple[Outcome, ...]]] = {}

        def decision(basis: Basis, deciding: list[CompiledClause], **more: Any) -> Decision | None:
            if not facts.trace:
                return None
            trials = tuple(
                Trial(
                    clause=c,
                    in_force=on,
                    conditions=held,
                    outcome=tried[id(c)][0] if id(c) in tried else None,
                    options=tried[id(c)][1] if id(c) in tried else (),
                )
                for c, (on, _, held) in zip(requirement.clauses, looked, strict=True)
            )
            chosen = tuple(_find(trials, c) for c in deciding)
            return Decision(requirement=requirement, basis=basis, trials=trials, deciding=chosen, **more)

        clause = applicable.settles
        if clause is not None and clause.not_required:
            result, start = self._not_applicable(requirement, facts, declared=clause)
            return result, decision(Basis.DEEMED, [clause], applies_from=start)
        if clause is not None:  # deemed protected
            line = reasons.deemed(clause.citation, clause.text)
            result = RequirementResult(
                requirement=requirement.name,
                status=Status.NOT_REQUIRED,
                clause=clause.citation.text,
                reasons=(line,),
            )
            return result, decision(Basis.DEEMED, [clause])
        alternatives, additional = applicable.alternatives, applicable.additional
        if not applicable.establishes:
            result, start = self._not_applicable(requirement, facts)
            return result, decision(Basis.NOT_APPLICABLE, [], applies_from=start)

        for c in additional:
            tried[id(c)] = self._options_tried(c.options, facts)
        also = [(c, tried[id(c)][0]) for c in additional]
        failed_also = [(c, o) for c, o in also if not o.met]
        # The alternative cited when met: the first met that is written for the student's own
        # grade, else the first met (reached through a cohort). Unless tracing, the alternatives
        # after the first met for the student's grade cannot change the result: not evaluated.
        outcomes: list[tuple[CompiledClause, Outcome]] = []
        met: tuple[CompiledClause, Outcome] | None = None
        met_directly = False
        for c in alternatives:
            tried[id(c)] = self._options_tried(c.options, facts)
            outcome = tried[id(c)][0]
            outcomes.append((c, outcome))
            if outcome.met and not met_directly:
                direct = id(c) in plan.direct
                if direct or met is None:
                    met, met_directly = (c, outcome), direct
                if direct and not facts.trace:
                    break
        if (met or not alternatives) and not failed_also:
            deciding = met if met else also[0]
            lines = list(outcome_reasons(deciding[1], as_of))
            for c, o in also:
                if c is not deciding[0]:
                    lines += [reasons.under(c.citation, r) for r in outcome_reasons(o, as_of, brief=True)]
            result = RequirementResult(
                requirement=requirement.name,
                status=Status.COMPLIANT,
                clause=deciding[0].citation.text,
                reasons=tuple(lines),
            )
            if not facts.trace:
                return result, None
            return result, decision(Basis.MET, [deciding[0], *(c for c, _ in also if c is not deciding[0])])

        failing: list[tuple[CompiledClause, Outcome]] = []
        if not met and outcomes:  # no alternative is met: each was evaluated
            failing.append(max(outcomes, key=lambda co: _closeness(co[1], id(co[0]) in plan.direct)))
        failing += failed_also

        exemption = self._exemption(requirement, facts)
        if exemption is not None:
            return exemption[0], decision(Basis.EXEMPT, [c for c, _ in failing], exemptions=(exemption[1],))

        lines = []
        for c, o in failing:
            first = c is failing[0][0]
            lines += [r if first else reasons.under(c.citation, r) for r in outcome_reasons(o, as_of)]
        unhonoured = self._unhonoured(requirement, facts)
        lines += self._unhonoured_lines(unhonoured, as_of)
        status = Status.IN_PROGRESS if all(o.can_wait(as_of) for _, o in failing) else Status.NON_COMPLIANT
        in_process = self.compiled.in_process
        certificates = facts.evidence("in_process")
        certificate = None
        if status is Status.NON_COMPLIANT and in_process is not None and certificates:
            lines.append(reasons.in_process(certificates[0].date, in_process.citation))
            status = Status.IN_PROGRESS
            certificate = certificates[0]
        next_dates = [o.next_from for _, o in failing if o.next_from is not None]
        result = RequirementResult(
            requirement=requirement.name,
            status=status,
            clause=failing[0][0].citation.text,
            reasons=tuple(lines),
            next_due=max(next_dates) if next_dates else None,
        )
        chosen = [c for c, _ in failing]
        return result, decision(Basis.UNMET, chosen, exemptions=tuple(unhonoured), in_process=certificate)

    def _by_rules(self, requirement: CompiledRequirement, facts: Facts) -> tuple[RequirementResult, Decision | None]:
        """First match: the first rule in force whose conditions hold and whose requirement is met."""
        as_of = facts.as_of
        near: list[tuple[CompiledRule, Outcome]] = []
        decided: tuple[CompiledRule, Outcome | None] | None = None
        trials: list[Trial] = []
        for rule in requirement.rules:
            if decided is not None:
                if not facts.trace:
                    break
                trials.append(Trial(rule=rule, in_force=rule.in_force.covers(as_of), reached=False))
                continue
            on, applies, held = _looked_at(rule.in_force, rule.conditions, facts)
            if not applies or not rule.options:
                trials.append(Trial(rule=rule, in_force=on, conditions=held))
                if applies:
                    decided = (rule, None)
                continue
            outcome, options = self._options_tried(rule.options, facts)
            trials.append(Trial(rule=rule, in_force=on, conditions=held, outcome=outcome, options=options))
            if outcome.met:
                decided = (rule, outcome)
                continue
            near.append((rule, outcome))
        clause: str | None
        next_due: date | None = None
        cited: CompiledRule | None
        if decided is not None:
            rule, matched = decided
            status = rule.status
            lines = [reasons.rule_decided(rule.name, status.value)]
            if matched is not None:
                lines += outcome_reasons(matched, as_of)
            clause = rule.name
            cited = rule
        else:
            status = requirement.otherwise or Status.NON_COMPLIANT
            lines = [reasons.no_rule_decided(status.value)]
            # What the nearest rule that would have made the student compliant still needs.
            hopeful = [(r, o) for r, o in near if r.status is Status.COMPLIANT] or near
            closest = max(hopeful, key=lambda ro: _closeness(ro[1], True)) if hopeful else None
            if closest is not None:
                lines += [reasons.under_rule(closest[0].name, r) for r in outcome_reasons(closest[1], as_of)]
            # Only a status that asks for action cites the rule that came closest.
            wanting = status in (Status.NON_COMPLIANT, Status.IN_PROGRESS)
            clause = closest[0].name if closest and wanting else None
            next_due = closest[1].next_from if closest and wanting else None
            cited = closest[0] if closest else None
        basis = Basis.RULE if decided is not None else Basis.OTHERWISE
        exemptions: tuple[ExemptionTrial, ...] = ()
        result: RequirementResult | None = None
        if status in (Status.NON_COMPLIANT, Status.IN_PROGRESS):
            exemption = self._exemption(requirement, facts)
            if exemption is not None:
                result, basis, exemptions = exemption[0], Basis.EXEMPT, (exemption[1],)
            else:
                unhonoured = self._unhonoured(requirement, facts)
                lines += self._unhonoured_lines(unhonoured, as_of)
                exemptions = tuple(unhonoured)
        if result is None:
            result = RequirementResult(
                requirement=requirement.name, status=status, clause=clause, reasons=tuple(lines), next_due=next_due
            )
        if not facts.trace:
            return result, None
        done = tuple(trials)
        # A matched rule short of compliant: which compliant rule came closest, for `explain`.
        wants = decided is not None and status in (Status.NON_COMPLIANT, Status.IN_PROGRESS)
        compliant_near = [(r, o) for r, o in near if r.status is Status.COMPLIANT]
        toward = max(compliant_near, key=lambda ro: _closeness(ro[1], True))[0] if compliant_near and wants else None
        decision = Decision(
            requirement=requirement,
            basis=basis,
            trials=done,
            deciding=(_find(done, cited),) if cited is not None else (),
            toward=_find(done, toward) if toward is not None else None,
            exemptions=exemptions,
        )
        return result, decision

    def _options_tried(self, options: tuple[Term, ...], facts: Facts) -> tuple[Outcome, tuple[Outcome, ...]]:
        """The first option met, else the one that came closest; and every option's outcome
        (unless tracing, only those up to the first met: the later ones cannot change it)."""
        if not facts.trace:
            tried = []
            for option in options:
                outcome = option.evaluate(facts)
                if outcome.met:
                    return outcome, ()
                tried.append(outcome)
            return max(tried, key=lambda o: _closeness(o, True)), ()
        outcomes = tuple(option.evaluate(facts) for option in options)
        for outcome in outcomes:
            if outcome.met:
                return outcome, outcomes
        return max(outcomes, key=lambda o: _closeness(o, True)), outcomes

    def _not_applicable(
        self, requirement: CompiledRequirement, facts: Facts, declared: CompiledClause | None = None
    ) -> tuple[RequirementResult, tuple[date, CompiledClause] | None]:
        """`not_required`, and from when the requirement will apply if only age, or a clause
        not yet in force, keeps it off. `declared`: the `not required` clause that says so."""
        starts: list[tuple[date, CompiledClause]] = []
        for clause in requirement.clauses:
            window = clause.in_force
            if not clause.establishes or (window.end is not None and window.end < facts.as_of):
                continue
            pending = [c.applies_from(facts) for c in clause.conditions if not c.holds(facts)]
            if window.start is not None and window.start > facts.as_of:
                pending.append(window.start)
            dates = [d for d in pending if d is not None]
            if pending and len(dates) == len(pending):
                starts.append((max(dates), clause))
        start = min(starts, key=lambda s: s[0]) if starts else None
        student = facts.student
        lines = reasons.not_applicable(
            facts.as_of, student.grade, student.birth_date, (start[0], start[1].citation) if start else None
        )
        cited = requirement.citation.text if requirement.citation else None
        if declared is not None:
            lines[0] = reasons.declared_not_required(declared.citation, declared.text)
            cited = declared.citation.text
        result = RequirementResult(
            requirement=requirement.name, status=Status.NOT_REQUIRED, clause=cited, reasons=tuple(lines)
        )
        return result, start

    # --- exemptions -------------------------------------------------------------------------

    def _covers(self, record: ExemptionRecord, requirement: CompiledRequirement) -> bool:
        """Whether a medical exemption names this requirement, its disease, or a vaccine against it."""
        if requirement.name in {r.lower() for r in record.requirements}:
            return True
        for name in record.vaccines:
            lowered = name.lower()
            product = self.compiled.product(name)
            if product is not None and requirement.antigens & {a.text for a in product.antigens}:
                return True
            if lowered == requirement.name or lowered in requirement.antigens:
                return True
        return False

    def _declaration_holds(
        self, declaration: CompiledExemption, requirement: CompiledRequirement, facts: Facts, on_file: date | None
    ) -> bool:
        if not declaration.in_force.covers(facts.as_of):
            return False
        if declaration.requirements is not None and requirement.name not in declaration.requirements:
            return False
        if not all(c.holds(facts) for c in declaration.conditions):
            return False
        if not all(condition.compare(on_file) for condition in declaration.on_file):
            return False
        if declaration.needs_history:
            histories = {e.disease for e in facts.evidence("disease_history")}
            if not requirement.antigens & histories:
                return False
        return True

    def _usable(self, record: ExemptionRecord, requirement: CompiledRequirement, as_of: date) -> bool:
        """A record that covers this requirement and is current on the evaluation date."""
        if record.type == "medical":
            if not self._covers(record, requirement):
                return False
            if record.until is not None and record.until < as_of:
                return False
        return record.on_file_since is None or record.on_file_since <= as_of

    def _exemption(
        self, requirement: CompiledRequirement, facts: Facts
    ) -> tuple[RequirementResult, ExemptionTrial] | None:
        for declaration in self.compiled.exemptions:
            citation = declaration.citation.text if declaration.citation else None
            if declaration.kind is ast.ExemptionKind.STATUTORY:
                if self._declaration_holds(declaration, requirement, facts, None):
                    line = reasons.statutory_exemption(declaration.citation, declaration.text)
                    result = RequirementResult(
                        requirement=requirement.name,
                        status=Status.EXEMPT,
                        clause=citation,
                        reasons=(line,),
                        exemption=declaration.kind.value,
                    )
                    return result, ExemptionTrial(record=None, declaration=declaration, honoured=True)
                continue
            for record in facts.student.exemptions:
                if record.type != declaration.kind.value or not self._usable(record, requirement, facts.as_of):
                    continue
                if self._declaration_holds(declaration, requirement, facts, record.on_file_since):
                    line = reasons.exemption_honoured(
                        record.type, record.on_file_since, record.until, declaration.citation
                    )
                    result = RequirementResult(
                        requirement=requirement.name,
                        status=Status.EXEMPT,
                        clause=citation,
                        reasons=(line,),
                        exemption=declaration.kind.value,
                    )
                    return result, ExemptionTrial(record=record, declaration=declaration, honoured=True)
        return None

    def _unhonoured(self, requirement: CompiledRequirement, facts: Facts) -> list[ExemptionTrial]:
        """Why an exemption in the record does not count: ended, or no provision in force honours it."""
        trials = []
        for record in facts.student.exemptions:
            if record.type == "medical":
                if not self._covers(record, requirement):
                    continue
                if record.until is not None and record.until < facts.as_of:
                    trials.append(ExemptionTrial(record=record, ended=record.until))
                    continue
            provisions = tuple(
                d
                for d in self.compiled.exemptions
                if d.kind.value == record.type and d.in_force.covers(facts.as_of) and d.text
            )
            trials.append(ExemptionTrial(record=record, provisions=provisions))
        return trials

    @staticmethod
    def _unhonoured_lines(trials: list[ExemptionTrial], as_of: date) -> list[str]:
        lines = []
        for trial in trials:
            assert trial.record is not None
            if trial.ended is not None:
                lines.append(reasons.exemption_ended(trial.ended))
            else:
                provisions = [(d.citation, d.text) for d in trial.provisions]
                lines.append(
                    reasons.exemption_not_honoured(trial.record.type, trial.record.on_file_since, as_of, provisions)
                )
        return lines

    # --- students ---------------------------------------------------------------------------

    def evaluate_student(self, student: Student, as_of: date, version: InForceVersion | None = None) -> Result:
        return self._run(student, as_of, version, trace=False).result

    def trace(self, student: Student, as_of: date, version: InForceVersion | None = None) -> Traced:
        """Evaluate one student as `evaluate_student` does, keeping the facts and each
        requirement's `Decision` (for `explain`)."""
        return self._run(student, as_of, version, trace=True)

    def _run(self, student: Student, as_of: date, version: InForceVersion | None, trace: bool) -> Traced:
        version = version or self.compiled.version_on(as_of)
        try:
            if student.birth_date > as_of:
                raise InputError(
                    f"birth_date {student.birth_date} is after the evaluation date {as_of}",
                    field="birth_date",
                    code="CTR403",
                )
            if not EARLIEST_YEAR <= student.birth_date.year <= as_of.year <= LATEST_YEAR:
                raise InputError(
                    f"dates must fall between the years {EARLIEST_YEAR} and {LATEST_YEAR}",
                    field="birth_date",
                    code="CTR403",
                )
            facts = self.facts(student, as_of, trace=trace)
            decided = {r.name: self.decide(r, facts) for r in self.compiled.requirements}
        except InputError as error:
            problem = RecordError(id=student.id, message=str(error), field=error.field, code=error.code)
            return Traced(result=self.error_result(student.id, as_of, [problem.describe()], version), facts=None)

        results = {name: result for name, (result, _) in decided.items()}
        result = Result(
            id=student.id,
            as_of=as_of,
            ruleset_name=self.compiled.name,
            ruleset_version=version.id,
            ruleset_amends=version.amends,
            status=worst([r.status for r in results.values()]),
            requirements=results,
        )
        decisions = {name: d for name, (_, d) in decided.items() if d is not None}
        return Traced(result=result, facts=facts, decisions=decisions)

    def error_result(
        self, student_id: str, as_of: date, errors: list[str], version: InForceVersion | None = None
    ) -> Result:
        version = version or self.compiled.version_on(as_of)
        return Result(
            id=student_id,
            as_of=as_of,
            ruleset_name=self.compiled.name,
            ruleset_version=version.id,
            ruleset_amends=version.amends,
            status=Status.ERROR,
            errors=tuple(errors),
        )

    def evaluate_item(self, item: ReadItem, as_of: date, version: InForceVersion | None = None) -> Result:
        if isinstance(item, RecordError):
            return self.error_result(item.id, as_of, [item.describe()], version)
        return self.evaluate_student(item, as_of, version)

    def evaluate_many(
        self, students: Iterable[Mapping[str, Any] | Student | ReadItem], as_of: date
    ) -> Iterator[Result]:
        """One result per input, in input order; unreadable records become error results.
        Raises `VersionError` at once (not on first iteration) when no version is in force."""
        version = self.compiled.version_on(as_of)
        return (self.evaluate_item(item, as_of, version) for item in students_from(students))


def _closeness(outcome: Outcome, direct: bool) -> tuple[bool, float, int, bool]:
    """How close an unmet alternative came, to pick the one to report (and whose timing decides
    `in_progress`): dose rules before other evidence, then the most doses counted, then the one
    whose next dose can count soonest, then a clause written for the student's own grade."""
    soonest = -(outcome.next_from or date.max).toordinal()
    return (outcome.doses_based, outcome.progress, soonest, direct)


class Applicable(NamedTuple):
    """The clauses that apply to a student, sorted as `decide` reads them."""

    settles: CompiledClause | None
    """The first `not required` or `deemed protected` clause, which settles the requirement."""
    alternatives: tuple[CompiledClause, ...]
    additional: tuple[CompiledClause, ...]
    """The `also` clauses."""
    establishes: bool
    """Whether the requirement applies: an `also` clause does, or an alternative that establishes it."""

    @classmethod
    def of(cls, clauses: list[CompiledClause]) -> Applicable:
        settles = next((c for c in clauses if c.not_required or c.deemed), None)
        alternatives = tuple(c for c in clauses if c.kind is ast.ClauseKind.ALTERNATIVE)
        additional = tuple(c for c in clauses if c.kind is ast.ClauseKind.ADDITIONAL)
        establishes = bool(additional) or any(c.establishes for c in alternatives)
        return cls(settles, alternatives, additional, establishes)


@attrs.frozen
class ClausePlan:
    """What of a requirement's clauses depends only on the evaluation date and the student's
    grade, worked out once for each (requirement, date, grade) instead of for every student."""

    clauses: tuple[tuple[CompiledClause, tuple[Condition, ...]], ...]
    """The clauses in force whose grade conditions hold, in order, each with the conditions
    still to test per student (ages, dates)."""
    direct: frozenset[int]
    """The ids of those clauses that name the student's grade itself (not only through a
    cohort): a met one is cited before one reached through a cohort."""
    fixed: Applicable | None
    """What applies, when no clause has a condition left to test per student."""

    def applicable(self, facts: Facts) -> Applicable:
        if self.fixed is not None:
            return self.fixed
        return Applicable.of([c for c, rest in self.clauses if all(d.holds(facts) for d in rest)])

    @classmethod
    def of(cls, requirement: CompiledRequirement, facts: Facts) -> ClausePlan:
        # A grade condition depends on the grade and the evaluation date alone (GradeIn.holds).
        grade = facts.student.grade
        clauses = []
        direct = set()
        for clause in requirement.clauses:
            if not clause.in_force.covers(facts.as_of):
                continue
            by_grade = [c for c in clause.conditions if isinstance(c, GradeIn)]
            if not all(c.holds(facts) for c in by_grade):
                continue
            clauses.append((clause, tuple(c for c in clause.conditions if not isinstance(c, GradeIn))))
            if all(grade in c.grades for c in by_grade):
                direct.add(id(clause))
        fixed = None if any(rest for _, rest in clauses) else Applicable.of([c for c, _ in clauses])
        return cls(clauses=tuple(clauses), direct=frozenset(direct), fixed=fixed)
