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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from . import ast, reasons
from .checkers import Facts, GradeIn, Outcome, ResolvedDose, Term, live_conflicts
from .compiler import Compiled, CompiledClause, CompiledExemption, CompiledRequirement, CompiledRule, InForceVersion
from .errors import InputError
from .reasons import outcome_reasons
from .records import Dose, ExemptionRecord, ReadItem, RecordError, Student, students_from
from .results import RequirementResult, Result, Status, worst
from .suggest import did_you_mean

__all__ = ["Evaluator"]

# With rule amounts bounded by `analyze` (at most 150 years), every threshold computed from a
# date in this range stays inside Python's calendar (years 1 to 9999).
EARLIEST_YEAR = 1800
LATEST_YEAR = 9800


class Evaluator:
    """Evaluates students against one compiled ruleset; holds no per-student state."""

    def __init__(self, compiled: Compiled):
        self.compiled = compiled

    # --- facts ------------------------------------------------------------------------------

    def _resolve(self, student: Student) -> list[tuple[Dose, ast.VaccineDecl]]:
        resolved = []
        for dose in student.doses:
            product = self.compiled.product_named(dose.vaccine) if dose.vaccine else None
            if product is None and dose.cvx:
                product = self.compiled.product_coded(dose.cvx)
            if product is None:
                if dose.vaccine:
                    hint = did_you_mean(dose.vaccine, self.compiled.product_names)
                    hint = f" ({hint})" if hint else ""
                    raise InputError(
                        f"unknown vaccine {dose.vaccine!r}{hint}",
                        field=f"{dose.field}.vaccine",
                        record=student.id,
                    )
                raise InputError(
                    f"CVX code {dose.cvx!r} is not a vaccine this ruleset knows",
                    field=f"{dose.field}.cvx",
                    record=student.id,
                )
            resolved.append((dose, product))
        return resolved

    def _check_names(self, student: Student) -> None:
        """Evidence diseases and exemption names must be ones this ruleset knows: a misspelt
        name is an error for the student, never a silently ignored exemption."""
        diseases = self.compiled.antigens
        for item in student.evidence:
            if item.disease and item.disease not in diseases:
                hint = did_you_mean(item.disease, diseases)
                raise InputError(
                    f"unknown disease {item.disease!r}" + (f" ({hint})" if hint else ""),
                    field=f"{item.field}.disease",
                    record=student.id,
                )
        requirements = {r.name for r in self.compiled.requirements}
        for record in student.exemptions:
            for name in record.requirements:
                if name.lower() not in requirements:
                    hint = did_you_mean(name, requirements)
                    raise InputError(
                        f"unknown requirement {name!r}" + (f" ({hint})" if hint else ""),
                        field=f"{record.field}.requirements",
                        record=student.id,
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
                    )

    def facts(self, student: Student, as_of: date) -> Facts:
        self._check_names(student)
        doses = sorted(
            (
                ResolvedDose(
                    date=dose.date,
                    product=product.name.text,
                    label=dose.label,
                    field=dose.field,
                    live=product.live,
                    antigens=frozenset(a.text for a in product.antigens),
                )
                for dose, product in self._resolve(student)
                if dose.date <= as_of
            ),
            key=lambda d: d.date,
        )
        facts = Facts(student=student, as_of=as_of, doses=tuple(doses), live_spacing=self.compiled.live_vaccine_spacing)
        if self.compiled.live_vaccine_spacing:
            facts.live_conflicts.update(live_conflicts(facts.doses))
        return facts

    # --- requirements -----------------------------------------------------------------------

    def requirement(self, requirement: CompiledRequirement, facts: Facts) -> RequirementResult:
        if requirement.by_rules:
            return self._by_rules(requirement, facts)
        as_of = facts.as_of
        in_force = [c for c in requirement.clauses if c.in_force.covers(as_of)]
        applicable = [c for c in in_force if all(cond.holds(facts) for cond in c.conditions)]
        for clause in applicable:
            if clause.deemed:
                return RequirementResult(
                    requirement=requirement.name,
                    status=Status.NOT_REQUIRED,
                    clause=clause.citation.text,
                    reasons=(reasons.deemed(clause.citation, clause.text),),
                )
        alternatives = [c for c in applicable if c.kind is ast.ClauseKind.ALTERNATIVE]
        additional = [c for c in applicable if c.kind is ast.ClauseKind.ADDITIONAL]
        if not additional and not any(c.establishes for c in alternatives):
            return self._not_applicable(requirement, facts)

        outcomes = [(c, self._clause(c, facts)) for c in alternatives]
        also = [(c, self._clause(c, facts)) for c in additional]
        # Cite a clause written for the student's own grade before one reached through a cohort.
        met = sorted(((c, o) for c, o in outcomes if o.met), key=lambda co: not _applies_directly(co[0], facts))
        failed_also = [(c, o) for c, o in also if not o.met]
        if (met or not outcomes) and not failed_also:
            deciding = met[0] if met else also[0]
            lines = list(outcome_reasons(deciding[1], as_of))
            for c, o in also:
                if c is not deciding[0]:
                    lines += [reasons.under(c.citation, r) for r in outcome_reasons(o, as_of, brief=True)]
            return RequirementResult(
                requirement=requirement.name,
                status=Status.COMPLIANT,
                clause=deciding[0].citation.text,
                reasons=tuple(lines),
            )

        exemption = self._exemption(requirement, facts)
        if exemption is not None:
            return exemption

        failing: list[tuple[CompiledClause, Outcome]] = []
        if not met and outcomes:
            failing.append(max(outcomes, key=lambda co: _closeness(co[1], _applies_directly(co[0], facts))))
        failing += failed_also
        lines = []
        for c, o in failing:
            first = c is failing[0][0]
            lines += [r if first else reasons.under(c.citation, r) for r in outcome_reasons(o, as_of)]
        lines += self._unhonoured_exemptions(requirement, facts)
        status = Status.IN_PROGRESS if all(o.can_wait(as_of) for _, o in failing) else Status.NON_COMPLIANT
        in_process = self.compiled.in_process
        certificates = facts.evidence("in_process")
        if status is Status.NON_COMPLIANT and in_process is not None and certificates:
            lines.append(reasons.in_process(certificates[0].date, in_process.citation))
            status = Status.IN_PROGRESS
        next_dates = [o.next_from for _, o in failing if o.next_from is not None]
        return RequirementResult(
            requirement=requirement.name,
            status=status,
            clause=failing[0][0].citation.text,
            reasons=tuple(lines),
            next_due=max(next_dates) if next_dates else None,
        )

    def _by_rules(self, requirement: CompiledRequirement, facts: Facts) -> RequirementResult:
        """First match: the first rule in force whose conditions hold and whose requirement is met."""
        as_of = facts.as_of
        near: list[tuple[CompiledRule, Outcome]] = []
        decided: tuple[CompiledRule, Outcome | None] | None = None
        for rule in requirement.rules:
            if not rule.in_force.covers(as_of) or not all(c.holds(facts) for c in rule.conditions):
                continue
            if not rule.options:
                decided = (rule, None)
                break
            outcome = self._options(rule.options, facts)
            if outcome.met:
                decided = (rule, outcome)
                break
            near.append((rule, outcome))
        clause: str | None
        next_due: date | None = None
        if decided is not None:
            rule, matched = decided
            status = rule.status
            lines = [reasons.rule_decided(rule.name, status.value)]
            if matched is not None:
                lines += outcome_reasons(matched, as_of)
            clause = rule.name
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
        if status in (Status.NON_COMPLIANT, Status.IN_PROGRESS):
            exemption = self._exemption(requirement, facts)
            if exemption is not None:
                return exemption
            lines += self._unhonoured_exemptions(requirement, facts)
        return RequirementResult(
            requirement=requirement.name, status=status, clause=clause, reasons=tuple(lines), next_due=next_due
        )

    def _options(self, options: tuple[Term, ...], facts: Facts) -> Outcome:
        """The first option met, else the one that came closest."""
        outcomes = [option.evaluate(facts) for option in options]
        for outcome in outcomes:
            if outcome.met:
                return outcome
        return max(outcomes, key=lambda o: _closeness(o, True))

    def _clause(self, clause: CompiledClause, facts: Facts) -> Outcome:
        return self._options(clause.options, facts)

    def _not_applicable(self, requirement: CompiledRequirement, facts: Facts) -> RequirementResult:
        """`not_required`, and from when the requirement will apply if only age, or a clause
        not yet in force, keeps it off."""
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
        return RequirementResult(
            requirement=requirement.name,
            status=Status.NOT_REQUIRED,
            clause=requirement.citation.text if requirement.citation else None,
            reasons=tuple(lines),
        )

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

    def _exemption(self, requirement: CompiledRequirement, facts: Facts) -> RequirementResult | None:
        for declaration in self.compiled.exemptions:
            citation = declaration.citation.text if declaration.citation else None
            if declaration.kind is ast.ExemptionKind.STATUTORY:
                if self._declaration_holds(declaration, requirement, facts, None):
                    line = reasons.statutory_exemption(declaration.citation, declaration.text)
                    return RequirementResult(
                        requirement=requirement.name, status=Status.EXEMPT, clause=citation, reasons=(line,)
                    )
                continue
            for record in facts.student.exemptions:
                if record.type != declaration.kind.value or not self._usable(record, requirement, facts.as_of):
                    continue
                if self._declaration_holds(declaration, requirement, facts, record.on_file_since):
                    line = reasons.exemption_honoured(
                        record.type, record.on_file_since, record.until, declaration.citation
                    )
                    return RequirementResult(
                        requirement=requirement.name, status=Status.EXEMPT, clause=citation, reasons=(line,)
                    )
        return None

    def _unhonoured_exemptions(self, requirement: CompiledRequirement, facts: Facts) -> list[str]:
        """Why an exemption in the record does not count: ended, or no provision in force honours it."""
        lines = []
        for record in facts.student.exemptions:
            if record.type == "medical":
                if not self._covers(record, requirement):
                    continue
                if record.until is not None and record.until < facts.as_of:
                    lines.append(reasons.exemption_ended(record.until))
                    continue
            provisions = [
                (d.citation, d.text)
                for d in self.compiled.exemptions
                if d.kind.value == record.type and d.in_force.covers(facts.as_of) and d.text
            ]
            lines.append(reasons.exemption_not_honoured(record.type, record.on_file_since, facts.as_of, provisions))
        return lines

    # --- students ---------------------------------------------------------------------------

    def evaluate_student(self, student: Student, as_of: date, version: InForceVersion | None = None) -> Result:
        version = version or self.compiled.version_on(as_of)
        try:
            if student.birth_date > as_of:
                raise InputError(
                    f"birth_date {student.birth_date} is after the evaluation date {as_of}", field="birth_date"
                )
            if not EARLIEST_YEAR <= student.birth_date.year <= as_of.year <= LATEST_YEAR:
                raise InputError(
                    f"dates must fall between the years {EARLIEST_YEAR} and {LATEST_YEAR}", field="birth_date"
                )
            facts = self.facts(student, as_of)
            results = {r.name: self.requirement(r, facts) for r in self.compiled.requirements}
        except InputError as error:
            problem = RecordError(id=student.id, message=str(error), field=error.field)
            return self.error_result(student.id, as_of, [problem.describe()], version)

        return Result(
            id=student.id,
            as_of=as_of,
            ruleset_name=self.compiled.name,
            ruleset_version=version.id,
            ruleset_amends=version.amends,
            status=worst([r.status for r in results.values()]),
            requirements=results,
        )

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


def _applies_directly(clause: CompiledClause, facts: Facts) -> bool:
    """The clause names the student's grade itself (not only through a cohort)."""
    return all(facts.student.grade in c.grades for c in clause.conditions if isinstance(c, GradeIn))
