"""Static checks on a ruleset's AST: names resolve, nothing is declared twice, dose numbers fit.

Each check is a small function from the AST to diagnostics; `analyze` runs them all and
returns every finding (errors and warnings), so a drafter sees all mistakes at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import attrs

from . import ast
from .dates import Unit
from .diagnostics import Diagnostic, Severity
from .suggest import did_you_mean

__all__ = ["CHECKS", "analyze", "declared_antigens"]


def declared_antigens(ruleset: ast.Ruleset) -> set[str]:
    return {a.text for v in ruleset.vaccines for a in v.antigens}


def _unknown(code: str, what: str, ref: ast.Name, candidates: set[str], context: str = "") -> Diagnostic:
    suggestion = did_you_mean(ref.text, candidates)
    return Diagnostic(
        code=code,
        message=f'unknown {what} "{ref.text}"',
        span=ref.span,
        label=f"no {what} of this name is declared",
        help=suggestion or f"declare it, or use one of: {', '.join(sorted(candidates)[:12])}",
        context=context,
    )


def _context(requirement: ast.Requirement, clause: ast.Clause | None = None) -> str:
    if clause is None:
        return f"requirement {requirement.name.text}"
    return f"{clause.citation} in requirement {requirement.name.text}"


def _evidence_terms(body: ast.AnyOf | ast.DeemedProtected) -> Iterator[ast.Evidence]:
    if isinstance(body, ast.DeemedProtected):
        return
    for option in body.options:
        if isinstance(option, ast.AllOf):
            yield from option.parts
        else:
            yield option


def check_duplicates(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """A vaccine, group, CVX code or requirement declared twice."""
    seen: dict[str, ast.Name] = {}
    declared = [v.name for v in ruleset.vaccines] + [g.name for g in ruleset.groups]
    for name in declared:
        key = name.text.lower()
        if key in seen:
            yield Diagnostic(
                code="CTR203",
                message=f'"{name.text}" is declared twice',
                span=name.span,
                help=f"the first declaration is at {seen[key].span}; rename or remove one",
            )
        else:
            seen[key] = name
    codes: dict[str, ast.VaccineDecl] = {}
    for vaccine in ruleset.vaccines:
        for code in vaccine.cvx:
            if code in codes:
                yield Diagnostic(
                    code="CTR203",
                    message=f"CVX {code} is given to both {codes[code].name.text} and {vaccine.name.text}",
                    span=vaccine.span,
                    help="a CVX code names one product; keep it on one vaccine",
                )
            else:
                codes[code] = vaccine
    names: dict[str, ast.Name] = {}
    for requirement in ruleset.requirements:
        if requirement.name.text in names:
            yield Diagnostic(
                code="CTR203",
                message=f'requirement "{requirement.name.text}" is declared twice',
                span=requirement.name.span,
                help=f"the first is at {names[requirement.name.text].span}",
            )
        names[requirement.name.text] = requirement.name


def check_vaccine_references(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """Every group member and every `N doses of X` names a declared vaccine or group."""
    products = {v.name.text for v in ruleset.vaccines} | {g.name.text for g in ruleset.groups}
    lowered = {p.lower() for p in products}
    antigens = declared_antigens(ruleset)
    for group in ruleset.groups:
        for member in group.members:
            if member.text.lower() not in lowered:
                yield _unknown("CTR201", "vaccine", member, products, f"group {group.name.text}")
        for antigen in group.containing:
            if antigen.text not in antigens:
                yield _unknown("CTR202", "antigen", antigen, antigens, f"group {group.name.text}")
    for requirement in ruleset.requirements:
        for clause in requirement.clauses:
            for term in _evidence_terms(clause.body):
                if isinstance(term, (ast.Series, ast.SeasonalSeries)) and term.group.text.lower() not in lowered:
                    yield _unknown("CTR201", "vaccine", term.group, products, _context(requirement, clause))


def check_disease_references(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """Diseases named in `protects against`, immunity and history evidence are antigens."""
    antigens = declared_antigens(ruleset)
    for requirement in ruleset.requirements:
        for antigen in requirement.antigens:
            if antigen.text not in antigens:
                yield _unknown("CTR202", "antigen", antigen, antigens, _context(requirement))
        for clause in requirement.clauses:
            for term in _evidence_terms(clause.body):
                if isinstance(term, (ast.LabImmunity, ast.DiseaseHistory)) and term.disease.text not in antigens:
                    yield _unknown("CTR202", "disease", term.disease, antigens, _context(requirement, clause))


def check_exemption_references(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    names = {r.name.text for r in ruleset.requirements}
    for exemption in ruleset.exemptions:
        for ref in exemption.requirements:
            if ref.text not in names:
                yield _unknown("CTR204", "requirement", ref, names, f"{exemption.kind.value} exemption")


def check_dose_numbers(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """`dose 4` in a 3-dose series, or `dose 2 … after dose 3`, can never apply."""
    for requirement in ruleset.requirements:
        for clause in requirement.clauses:
            for term in _evidence_terms(clause.body):
                if not isinstance(term, ast.Series):
                    continue
                for constraint in term.constraints:
                    numbers: list[int] = []
                    if isinstance(constraint, ast.DoseAfter):
                        numbers = [constraint.dose, constraint.reference]
                        if constraint.reference >= constraint.dose:
                            yield Diagnostic(
                                code="CTR301",
                                message=f"dose {constraint.dose} cannot be timed after dose {constraint.reference}",
                                span=constraint.span,
                                help="the later dose comes first: `dose 3 at least 8 weeks after dose 2`",
                                context=_context(requirement, clause),
                            )
                    elif isinstance(constraint, ast.DoseTiming) and constraint.position.kind is ast.PositionKind.NTH:
                        numbers = [constraint.position.index]
                    for number in numbers:
                        if not 1 <= number <= term.count:
                            yield Diagnostic(
                                code="CTR301",
                                message=f"dose {number} does not exist in a series of {term.count}",
                                span=constraint.span,
                                help=f"number the doses 1 to {term.count}",
                                context=_context(requirement, clause),
                            )


def _walk(node: object) -> Iterator[object]:
    """Every AST node under `node`, itself included."""
    yield node
    if attrs.has(type(node)):
        for field in attrs.fields(cast(Any, type(node))):  # attrs.has() above: an attrs class
            value = getattr(node, field.name)
            for child in value if isinstance(value, tuple) else (value,):
                if attrs.has(type(child)):
                    yield from _walk(child)


# Beyond these no school rule makes sense, and dates would leave the calendar.
MAX_DAYS = {Unit.DAYS: 150 * 366, Unit.WEEKS: 150 * 53, Unit.MONTHS: 150 * 12, Unit.YEARS: 150}
MAX_DOSES = 50


def check_amounts(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """Dose counts of at least 1, and ages and intervals of at most 150 years."""
    for node in _walk(ruleset):
        if isinstance(node, (ast.Series, ast.SeasonalSeries)) and not 1 <= node.count <= MAX_DOSES:
            yield Diagnostic(
                code="CTR306",
                message=f"a series of {node.count} doses",
                span=node.span,
                help=f"a series has 1 to {MAX_DOSES} doses; to say nothing is required, write `deemed protected`",
            )
        if isinstance(node, ast.Quantity) and node.amount > MAX_DAYS[node.unit]:
            yield Diagnostic(
                code="CTR307",
                message=f"{node} is longer than any age or interval a rule can use",
                span=node.span,
                help="ages and intervals are at most 150 years",
            )
        if isinstance(node, ast.AgeBetween) and node.high > MAX_DAYS[node.unit]:
            yield Diagnostic(
                code="CTR307",
                message=f"age {node.high} {node.unit.value} is longer than any age a rule can use",
                span=node.span,
                help="ages are at most 150 years",
            )


def check_empty_groups(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """A group by antigens that no declared vaccine contains can never be met."""
    for group in ruleset.groups:
        wanted = {a.text for a in group.containing}
        if wanted and not any(wanted <= {a.text for a in v.antigens} for v in ruleset.vaccines):
            yield Diagnostic(
                code="CTR308",
                message=f"no declared vaccine contains {', '.join(sorted(wanted))}",
                span=group.name.span,
                severity=Severity.WARNING,
                help="a rule using this group can never be met; check the antigens or declare the vaccine",
                context=f"group {group.name.text}",
            )


def check_header(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    if ruleset.name is None:
        yield Diagnostic(
            code="CTR305",
            message="the ruleset has no `ruleset NAME` header",
            span=ruleset.span,
            severity=Severity.WARNING,
            help='start the file with `ruleset my-rules "Title"`',
        )


CHECKS: tuple[Callable[[ast.Ruleset], Iterator[Diagnostic]], ...] = (
    check_header,
    check_duplicates,
    check_vaccine_references,
    check_disease_references,
    check_exemption_references,
    check_dose_numbers,
    check_amounts,
    check_empty_groups,
)


def analyze(ruleset: ast.Ruleset) -> list[Diagnostic]:
    """Every finding of every check, errors and warnings."""
    return [d for check in CHECKS for d in check(ruleset)]
