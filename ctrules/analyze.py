"""Static checks on a ruleset's AST: names resolve, nothing is declared twice, dose numbers fit.

Each check is a small function from the AST to diagnostics; `analyze` runs them all and
returns every finding (errors and warnings), so a drafter sees all mistakes at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
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


def _context(requirement: ast.Requirement, clause: ast.Clause | ast.Rule | None = None) -> str:
    if clause is None:
        return f"requirement {requirement.name.text}"
    if isinstance(clause, ast.Rule):
        return f'rule "{clause.name}" in requirement {requirement.name.text}'
    return f"{clause.citation} in requirement {requirement.name.text}"


def _items(requirement: ast.Requirement) -> tuple[ast.Clause | ast.Rule, ...]:
    """A requirement's clauses and status rules (one of the two is empty)."""
    return (*requirement.clauses, *requirement.rules)


def _evidence_terms(body: ast.AnyOf | ast.DeemedProtected | ast.NotRequired | None) -> Iterator[ast.Evidence]:
    if body is None or isinstance(body, (ast.DeemedProtected, ast.NotRequired)):
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
        for clause in _items(requirement):
            for term in _evidence_terms(clause.body):
                if (
                    isinstance(term, (ast.Series, ast.SeasonalSeries, ast.NoDoses))
                    and term.group.text.lower() not in lowered
                ):
                    yield _unknown("CTR201", "vaccine", term.group, products, _context(requirement, clause))


def check_disease_references(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """Diseases named in `protects against`, immunity and history evidence are antigens."""
    antigens = declared_antigens(ruleset)
    for requirement in ruleset.requirements:
        for antigen in requirement.antigens:
            if antigen.text not in antigens:
                yield _unknown("CTR202", "antigen", antigen, antigens, _context(requirement))
        for clause in _items(requirement):
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
        for clause in _items(requirement):
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
                    elif (
                        isinstance(constraint, (ast.DoseTiming, ast.Recency))
                        and constraint.position.kind is ast.PositionKind.NTH
                    ):
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


def check_requirement_shapes(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """Clauses (alternatives) or ordered status rules, not both; `follows` names a requirement
    that decides for itself; rules end with an explicit `otherwise`."""
    by_name = {r.name.text: r for r in ruleset.requirements}
    for requirement in ruleset.requirements:
        context = _context(requirement)
        if requirement.clauses and requirement.rules:
            yield Diagnostic(
                code="CTR311",
                message="a requirement has either clauses or status rules, not both",
                span=requirement.rules[0].span,
                help="clauses are alternatives (any one met is enough); rules are tried in order and the first "
                "that matches decides. Write the requirement one way",
                context=context,
            )
        if requirement.otherwise is not None and not requirement.rules:
            yield Diagnostic(
                code="CTR311",
                message="`otherwise` belongs to a requirement written as status rules",
                span=requirement.otherwise.span,
                help="remove it, or write the requirement as `rule` statements",
                context=context,
            )
        if requirement.rules and requirement.otherwise is None and requirement.follows is None:
            yield Diagnostic(
                code="CTR312",
                message="the status when no rule matches is not stated",
                span=requirement.name.span,
                severity=Severity.WARNING,
                label="no `otherwise`",
                help="end the rules with `otherwise non-compliant` (the default) or another status",
                context=context,
            )
        seen: dict[str, ast.Rule] = {}
        for rule in requirement.rules:
            if rule.name in seen:
                yield Diagnostic(
                    code="CTR203",
                    message=f'rule "{rule.name}" is declared twice in this requirement',
                    span=rule.span,
                    help=f"the first is at {seen[rule.name].span}; rule names identify rules in results and diffs",
                    context=context,
                )
            seen[rule.name] = rule
        if requirement.follows is None:
            continue
        target = by_name.get(requirement.follows.text)
        if target is None:
            yield _unknown("CTR204", "requirement", requirement.follows, set(by_name), context)
        elif target.follows is not None or target is requirement:
            yield Diagnostic(
                code="CTR311",
                message=f"{requirement.follows.text} does not decide for itself",
                span=requirement.follows.span,
                help=f"follow the requirement that {requirement.follows.text} follows",
                context=context,
            )
        if requirement.clauses or requirement.rules:
            yield Diagnostic(
                code="CTR311",
                message="a requirement that follows another has no clauses or rules of its own",
                span=requirement.follows.span,
                help="remove `follows`, or move the clauses to the requirement it follows",
                context=context,
            )


def _in_force_dates(ruleset: ast.Ruleset) -> Iterator[tuple[ast.InForce, str]]:
    for requirement in ruleset.requirements:
        for item in _items(requirement):
            for condition in item.conditions:
                if isinstance(condition, ast.InForce):
                    yield condition, _context(requirement, item)
    for exemption in ruleset.exemptions:
        for exemption_condition in exemption.conditions:
            if isinstance(exemption_condition, ast.InForce):
                yield exemption_condition, f"{exemption.kind.value} exemption"


def check_versions(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """Versions in date order, without overlaps or holes, only the last open-ended; and every
    date on which a rule starts or ends inside a version's range is a version boundary (so the
    version a result names identifies the rules that decided it)."""
    versions = ruleset.versions
    ids: set[str] = set()
    for version in versions:
        if version.id in ids:
            yield Diagnostic(
                code="CTR309",
                message=f'version "{version.id}" is declared twice',
                span=version.span,
                help="each version needs its own id",
            )
        ids.add(version.id)
    for earlier, later in zip(versions, versions[1:], strict=False):
        end, start = earlier.in_force.end, later.in_force.start
        if end is None:
            yield Diagnostic(
                code="CTR309",
                message=f'version "{earlier.id}" has no end date but another version follows it',
                span=earlier.span,
                help=f'end it the day before "{later.id}" starts (`until YYYY-MM-DD`)',
            )
        elif start is None:
            yield Diagnostic(
                code="CTR309",
                message=f'version "{later.id}" has no start date but follows another version',
                span=later.span,
                help=f'start it the day after "{earlier.id}" ends: `from {end + timedelta(days=1)}`',
            )
        elif start <= end:
            yield Diagnostic(
                code="CTR309",
                message=f'versions "{earlier.id}" and "{later.id}" overlap: both are in force on {start}',
                span=later.span,
                help=f'start "{later.id}" on {end + timedelta(days=1)}, '
                f'or end "{earlier.id}" on {start - timedelta(days=1)}',
            )
        elif (start - end).days > 1:
            first, last = end + timedelta(days=1), start - timedelta(days=1)
            yield Diagnostic(
                code="CTR309",
                message=f"no version is in force on {first}"
                if first == last
                else f"no version is in force from {first} to {last}",
                span=later.span,
                help=f'start "{later.id}" on {end + timedelta(days=1)}, or add a version for those dates',
            )
    if len(versions) < 2 and not any(v.in_force.start or v.in_force.end for v in versions):
        return
    # An amendment's results also name the version of the ruleset it amends, so the base's
    # boundaries are boundaries too.
    named = versions + (ruleset.base.versions if ruleset.base is not None else ())
    starts = {v.in_force.start for v in named if v.in_force.start}
    ends = {v.in_force.end for v in named if v.in_force.end}
    for in_force, context in _in_force_dates(ruleset):
        for day, boundaries, word, edge in (
            (in_force.start, starts, "starts", "first day"),
            (in_force.end, ends, "ends", "last day"),
        ):
            if day is None or day in boundaries:
                continue
            inside = next((v for v in versions if v.in_force.covers(day)), None)
            if inside is None or (word == "starts" and inside.in_force.start == day):
                continue
            if word == "ends" and inside.in_force.end == day:
                continue
            yield Diagnostic(
                code="CTR310",
                message=f'a rule {word} on {day}, inside version "{inside.id}"',
                span=in_force.span,
                severity=Severity.WARNING,
                help=f"add a version whose {edge} is {day}, so results name the rules they used",
                context=context,
            )


def check_titers(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """`laboratory confirmation only for …`: no clause may accept a titer for another disease."""
    if ruleset.titer_diseases is None:
        return
    allowed = {d.text for d in ruleset.titer_diseases}
    for requirement in ruleset.requirements:
        for item in _items(requirement):
            for term in _evidence_terms(item.body):
                if isinstance(term, ast.LabImmunity) and term.disease.text not in allowed:
                    yield Diagnostic(
                        code="CTR313",
                        message=f"laboratory confirmation is accepted only for {', '.join(sorted(allowed))}",
                        span=term.span,
                        label=f"a titer for {term.disease.text}",
                        help="remove this evidence, or add the disease to `laboratory confirmation only for`",
                        context=_context(requirement, item),
                    )


def check_unused_groups(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """A group no rule, group or exemption uses (groups read from another bundled ruleset's
    files are that ruleset's library, and not reported)."""
    used: set[str] = set()
    for node in _walk(ruleset):
        if isinstance(node, (ast.Series, ast.SeasonalSeries, ast.NoDoses)):
            used.add(node.group.text.lower())
        elif isinstance(node, ast.GroupDecl):
            used |= {m.text.lower() for m in node.members}
    for group in ruleset.groups:
        if group.name.text.lower() in used or group.span.file.startswith("<"):
            continue
        yield Diagnostic(
            code="CTR330",
            message=f'group "{group.name.text}" is never used',
            span=group.name.span,
            severity=Severity.WARNING,
            help="use it in a rule, or remove it",
            context=f"group {group.name.text}",
        )


# The requirement ids a ruleset claiming `covers every NAME requirement` must have (contract § 4).
REQUIREMENT_LISTS = {
    "connecticut": (
        "measles",
        "mumps",
        "rubella",
        "polio",
        "dtap",
        "tdap",
        "hib",
        "hepatitis_b",
        "varicella",
        "hepatitis_a",
        "pneumococcal",
        "influenza",
        "meningococcal",
    )
}


def check_complete(ruleset: ast.Ruleset) -> Iterator[Diagnostic]:
    """`covers every connecticut requirement`: every id of the contract's list is declared."""
    if ruleset.covers is None:
        return
    wanted = REQUIREMENT_LISTS.get(ruleset.covers.text)
    if wanted is None:
        yield _unknown("CTR331", "requirement list", ruleset.covers, set(REQUIREMENT_LISTS))
        return
    have = {r.name.text for r in ruleset.requirements}
    missing = [name for name in wanted if name not in have]
    if missing:
        yield Diagnostic(
            code="CTR331",
            message=f"the ruleset claims every {ruleset.covers.text} requirement but lacks {', '.join(missing)}",
            span=ruleset.covers.span,
            help=f"declare a requirement for each (results must list all {len(wanted)} ids), or remove the claim",
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
    check_requirement_shapes,
    check_versions,
    check_titers,
    check_unused_groups,
    check_complete,
)


def analyze(ruleset: ast.Ruleset, deep: bool = True) -> list[Diagnostic]:
    """Every finding of every check, errors and warnings. The checks over the space of students
    (`coverage`: gaps, masked rules, impossible clauses, unit slips) need names that resolve,
    so they run only when the others found no error; and only when `deep` (`ctrules check`,
    the editor): loading a ruleset to evaluate skips them, as they take far longer than
    compiling and nothing they find makes evaluation unsafe."""
    found = [d for check in CHECKS for d in check(ruleset)]
    if not deep or any(d.is_error for d in found):
        return found
    from .coverage import coverage  # compiles the ruleset; imported here to keep layers one-way

    return found + coverage(ruleset)
