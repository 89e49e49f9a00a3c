"""What changed between two rulesets, in the rules' own terms.

Requirements are matched by id, clauses by kind and citation, status rules by name, groups and
vaccines by name, exemptions by kind and citation: never by line. Spans are not part of a
node's equality (see `ast`), so layout and comments are never changes; the quoted regulation
text (`says`) and titles are wording, reported but without effect. Clause order and
requirement order have no meaning (an alternative is met or not wherever it stands); the order
of status rules does (the first match decides), so a new order is a change.

Each change names the requirements whose results it can move (`requirements`), which is where
`effects` looks for students it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import attrs

from .. import ast
from ..compiler import group_products as resolve_groups
from ..dates import Unit
from .witnesses import walk_terms
from .words import (
    body_words,
    clause_label,
    condition_words,
    constraint_words,
    evidence_words,
    grade_words,
    when_words,
)

__all__ = ["Change", "structural_changes"]


@attrs.frozen(kw_only=True)
class Change:
    """One change, in policy words.

    `kind`: added, removed, changed, reordered. `subject`: requirement, clause, rule, otherwise,
    group, vaccine, exemption, in process, setting, version. `details`: the parameters that
    moved, `old → new`. `behavioural`: False for wording (quoted text, titles, citations'
    provisional mark, version labels), which cannot change a result."""

    kind: str
    subject: str
    label: str
    summary: str
    details: tuple[str, ...] = ()
    requirement: str | None = None
    requirements: tuple[str, ...] = ()
    """Requirements whose results this change can move."""
    behavioural: bool = True
    old: str = ""
    new: str = ""
    """The item as written before and after, in canonical words ("" where absent)."""


_Node = TypeVar("_Node")


def _pairs(
    old: Sequence[_Node], new: Sequence[_Node], keyed: Callable[[_Node], object]
) -> tuple[list[tuple[_Node, _Node]], list[_Node], list[_Node]]:
    """Match two lists by `keyed(item)`: identical items first, then the rest of each key in
    order. Returns (pairs, removed, added)."""
    left = list(old)
    right = list(new)
    pairs: list[tuple[_Node, _Node]] = []
    for item in list(left):
        twin = next((r for r in right if r == item and keyed(r) == keyed(item)), None)
        if twin is not None:
            pairs.append((item, twin))
            left.remove(item)
            right.remove(twin)
    for item in list(left):
        twin = next((r for r in right if keyed(r) == keyed(item)), None)
        if twin is not None:
            pairs.append((item, twin))
            left.remove(item)
            right.remove(twin)
    return pairs, left, right


def _without_words(node: _Node) -> _Node:
    """The node with its quoted text blanked: what decides results."""
    if attrs.has(type(node)) and hasattr(node, "text"):
        return attrs.evolve(node, text="")  # type: ignore[misc]
    return node


def _unmarked(item: _Node) -> _Node:
    """The clause or rule with its citation's `provisional` mark removed (a mark is wording)."""
    citation = getattr(item, "citation", None)
    if citation is None or not citation.provisional:
        return item
    return attrs.evolve(item, citation=attrs.evolve(citation, provisional=False))  # type: ignore[misc]


def _arrow(old: str, new: str) -> str:
    return f"{old or '(none)'} → {new or '(none)'}"


# --- parts of clauses ------------------------------------------------------------------------


def _condition_kind(condition: object) -> str:
    match condition:
        case ast.GradeCondition():
            return "grades"
        case ast.AgeBetween() | ast.AgeCompare():
            return "age"
        case ast.DateCondition(subject=subject):
            return subject.value
        case ast.InForce():
            return "in force"
    return "condition"


def condition_details(old: Sequence[object], new: Sequence[object]) -> list[str]:
    """`grades K to 12 → grades K to 6`, one line per kind of condition that moved."""
    kinds = dict.fromkeys([_condition_kind(c) for c in (*old, *new)])
    lines = []
    for kind in kinds:
        before = [c for c in old if _condition_kind(c) == kind]
        after = [c for c in new if _condition_kind(c) == kind]
        if before != after:
            lines.append(f"when: {_arrow(when_words(before), when_words(after))}")
    return lines


def _constraint_key(constraint: object) -> tuple[str, str]:
    match constraint:
        case ast.DoseTiming(position=position) | ast.Recency(position=position):
            return (type(constraint).__name__, f"{position.kind.value}{position.index}")
        case ast.DoseAfter(dose=dose, reference=reference):
            return ("DoseAfter", f"{dose}-{reference}")
    return (type(constraint).__name__, "")


_DAYS = {Unit.DAYS: 1, Unit.WEEKS: 7}


def _first_day(comparator: ast.Comparator, quantity: ast.Quantity, grace: int) -> int | None:
    """For a lower bound in days or weeks: the fewest days that meet it, grace counted."""
    if quantity.unit not in _DAYS or comparator not in (ast.Comparator.GE, ast.Comparator.GT):
        return None
    return quantity.amount * _DAYS[quantity.unit] - grace + (comparator is ast.Comparator.GT)


def _interval_region(before: object, after: object, graces: tuple[int, int]) -> str | None:
    """`region: a dose 25 to 27 days after the one before counts now, not before` for an
    interval whose lower bound moved (in days or weeks, where a day count is exact)."""
    bounds = []
    for constraint, default in ((before, graces[0]), (after, graces[1])):
        if not isinstance(constraint, ast.Apart | ast.DoseAfter):
            return None
        grace = default if constraint.grace_days is None else constraint.grace_days
        bounds.append(_first_day(constraint.comparator, constraint.quantity, grace))
    old_first, new_first = bounds
    if old_first is None or new_first is None or old_first == new_first:
        return None
    low, high = sorted((old_first, new_first))
    span = f"{low} days" if high - low == 1 else f"{low} to {high - 1} days"
    if isinstance(after, ast.DoseAfter):
        where = f"dose {after.dose} {span} after dose {after.reference}"
    else:
        where = f"a dose {span} after the one before"
    verdict = "counts now, not before" if new_first < old_first else "counted before, no longer"
    return f"region: {where} {verdict}"


def _series_details(old: ast.Series, new: ast.Series, graces: tuple[int, int] = (0, 0)) -> list[str]:
    lines = []
    if old.count != new.count:
        lines.append(f"doses: {old.count} → {new.count}")
    if old.group != new.group:
        lines.append(f"of: {old.group.text} → {new.group.text}")
    pairs, removed, added = _pairs(old.constraints, new.constraints, _constraint_key)
    for before, after in pairs:
        if before != after:
            lines.append(_arrow(constraint_words(before), constraint_words(after)))
            region = _interval_region(before, after, graces)
            if region:
                lines.append(region)
    lines += [f"dropped: {constraint_words(c)}" for c in removed]
    lines += [f"added: {constraint_words(c)}" for c in added]
    return lines


def _option_details(old: object, new: object, graces: tuple[int, int]) -> list[str]:
    if isinstance(old, ast.Series) and isinstance(new, ast.Series):
        return _series_details(old, new, graces)
    return [_arrow(evidence_words(old), evidence_words(new))]


def body_details(old: object, new: object, graces: tuple[int, int] = (0, 0)) -> list[str]:
    """The parameters that moved between two clause bodies; `graces` are each side's default."""
    if old == new:
        return []
    if isinstance(old, ast.AnyOf) and isinstance(new, ast.AnyOf):
        pairs, removed, added = _pairs(old.options, new.options, _option_key)
        lines = []
        for before, after in pairs:
            lines += _option_details(before, after, graces)
        lines += [f"option dropped: {evidence_words(o)}" for o in removed]
        lines += [f"option added: {evidence_words(o)}" for o in added]
        return lines
    return [f"requires: {_arrow(body_words(old), body_words(new))}"]  # type: ignore[arg-type]


def _option_key(option: object) -> str:
    match option:
        case ast.Series(group=group) | ast.SeasonalSeries(group=group) | ast.NoDoses(group=group):
            return f"{type(option).__name__}:{group.text}"
        case ast.LabImmunity(disease=disease) | ast.DiseaseHistory(disease=disease):
            return f"{type(option).__name__}:{disease.text}"
    return type(option).__name__


# --- clauses and rules -----------------------------------------------------------------------


def _grades_of(item: ast.Clause | ast.Rule) -> str:
    grades = [c for c in item.conditions if isinstance(c, ast.GradeCondition)]
    return ", ".join(grade_words(g.grades) for g in grades) or "all grades"


def item_words(item: ast.Clause | ast.Rule) -> str:
    """A clause or rule on one line: `when …: requires …`."""
    when = when_words(item.conditions)
    if isinstance(item, ast.Rule):
        body = body_words(item.body) if item.body is not None else "nothing more"
        return f"{item.status.value} when {when or 'always'}, requiring {body}"
    return f"when {when or 'always'}: {body_words(item.body)}"


def _item_changes(
    requirement: str, old: ast.Clause | ast.Rule, new: ast.Clause | ast.Rule, graces: tuple[int, int]
) -> Iterator[Change]:
    label = clause_label(new)
    where = f"{label} {requirement}, {_grades_of(new)}"
    if _without_words(_unmarked(old)) == _without_words(_unmarked(new)):
        if old.text != new.text or (
            isinstance(old, ast.Clause) and isinstance(new, ast.Clause) and old.citation != new.citation
        ):
            yield Change(
                kind="changed",
                subject="clause" if isinstance(new, ast.Clause) else "rule",
                label=label,
                requirement=requirement,
                summary=f"{where}: wording only",
                details=(f"says: {_arrow(old.text, new.text)}",) if old.text != new.text else (),
                behavioural=False,
            )
        return
    details = condition_details(old.conditions, new.conditions)
    if isinstance(old, ast.Rule) and isinstance(new, ast.Rule):
        if old.status != new.status:
            details.append(f"status: {old.status.value} → {new.status.value}")
        if old.citation != new.citation:
            details.append(f"cites: {_arrow(str(old.citation or ''), str(new.citation or ''))}")
    if isinstance(old, ast.Clause) and isinstance(new, ast.Clause) and old.citation.text != new.citation.text:
        details.append(f"cites: {old.citation} → {new.citation}")
    details += body_details(old.body, new.body, graces)
    subject = "clause" if isinstance(new, ast.Clause) else "rule"
    yield Change(
        kind="changed",
        subject=subject,
        label=label,
        requirement=requirement,
        requirements=(requirement,),
        summary=where + ": " + "; ".join(details),
        details=tuple(details),
        old=item_words(old),
        new=item_words(new),
    )


def _added_or_removed(kind: str, requirement: str, item: ast.Clause | ast.Rule) -> Change:
    label = clause_label(item)
    return Change(
        kind=kind,
        subject="clause" if isinstance(item, ast.Clause) else "rule",
        label=label,
        requirement=requirement,
        requirements=(requirement,),
        summary=f"{kind}: {label} {requirement}: {item_words(item)}",
        old=item_words(item) if kind == "removed" else "",
        new=item_words(item) if kind == "added" else "",
    )


def _clause_key(clause: ast.Clause) -> tuple[str, str]:
    return (clause.kind.value, clause.citation.text)


def _rule_key(rule: ast.Rule) -> str:
    return rule.name


def _requirement_changes(old: ast.Requirement, new: ast.Requirement, graces: tuple[int, int]) -> Iterator[Change]:
    name = new.name.text
    if (old.title, old.text, old.citation) != (new.title, new.text, new.citation):
        yield Change(
            kind="changed",
            subject="requirement",
            label=name,
            requirement=name,
            summary=f"requirement {name}: wording only (title, citation or quoted text)",
            behavioural=False,
        )
    if old.follows != new.follows or old.antigens != new.antigens:
        details = []
        if old.follows != new.follows:
            details.append(
                f"follows: {_arrow(old.follows.text if old.follows else '', new.follows.text if new.follows else '')}"
            )
        if old.antigens != new.antigens:
            antigens = (", ".join(_names(old.antigens)), ", ".join(_names(new.antigens)))
            details.append(f"protects against: {_arrow(*antigens)}")
        yield Change(
            kind="changed",
            subject="requirement",
            label=name,
            requirement=name,
            requirements=(name,),
            summary=f"requirement {name}: " + "; ".join(details),
            details=tuple(details),
        )
    clause_pairs, removed, added = _pairs(old.clauses, new.clauses, _clause_key)
    for before, after in clause_pairs:
        yield from _item_changes(name, before, after, graces)
    for clause in removed:
        yield _added_or_removed("removed", name, clause)
    for clause in added:
        yield _added_or_removed("added", name, clause)

    rule_pairs, removed_rules, added_rules = _pairs(old.rules, new.rules, _rule_key)
    for old_rule, new_rule in rule_pairs:
        yield from _item_changes(name, old_rule, new_rule, graces)
    for rule in removed_rules:
        yield _added_or_removed("removed", name, rule)
    for rule in added_rules:
        yield _added_or_removed("added", name, rule)
    kept_old = [r.name for r in old.rules if any(r is a for a, _ in rule_pairs)]
    by_old = {id(b): a.name for a, b in rule_pairs}
    kept_new = [by_old[id(r)] for r in new.rules if id(r) in by_old]
    if kept_old != kept_new:
        yield Change(
            kind="reordered",
            subject="rule",
            label=f"rules of {name}",
            requirement=name,
            requirements=(name,),
            summary=f"requirement {name}: status rules in a new order (the first that matches decides): "
            + _arrow(", ".join(f'"{n}"' for n in kept_old), ", ".join(f'"{n}"' for n in kept_new)),
            details=(f"order: {', '.join(kept_old)} → {', '.join(kept_new)}",),
        )
    if old.otherwise != new.otherwise:
        # No `otherwise` means non-compliant (what an unmet requirement is).
        was = old.otherwise.status.value if old.otherwise else "non-compliant"
        now = new.otherwise.status.value if new.otherwise else "non-compliant"
        behavioural = was != now
        yield Change(
            kind="changed",
            subject="otherwise",
            label=f"otherwise of {name}",
            requirement=name,
            requirements=(name,) if behavioural else (),
            summary=f"requirement {name}: when no rule decides: {_arrow(was, now)}"
            if behavioural
            else f"requirement {name}: `otherwise` wording only",
            behavioural=behavioural,
        )


# --- declarations ----------------------------------------------------------------------------


def _names(names: Iterable[ast.Name]) -> list[str]:
    return [n.text for n in names]


def _set_change(what: str, old: Iterable[str], new: Iterable[str]) -> list[str]:
    before, after = set(old), set(new)
    lines = [f"{what}: {x} added" for x in sorted(after - before)]
    lines += [f"{what}: {x} removed" for x in sorted(before - after)]
    return lines


def _named_groups(requirement: ast.Requirement) -> set[str]:
    """The groups and vaccines (lower case) a requirement's dose rules name."""
    names: set[str] = set()
    items: list[ast.Clause | ast.Rule] = [*requirement.clauses, *requirement.rules]
    for item in items:
        if isinstance(item.body, ast.AnyOf):
            names |= {n.lower() for n in _groups_in(item.body.options)}
    return names


def _products_used(tree: ast.Ruleset) -> dict[str, frozenset[str]]:
    """Requirement to the products its dose rules count (through `follows`, nested groups and
    `vaccines containing`, as the compiler resolves them)."""
    resolved = resolve_groups(tree)
    by_name = {r.name.text: r for r in tree.requirements}
    used: dict[str, frozenset[str]] = {}
    for requirement in tree.requirements:
        decider = by_name.get(requirement.follows.text, requirement) if requirement.follows else requirement
        used[requirement.name.text] = frozenset().union(*(resolved.get(g, frozenset()) for g in _named_groups(decider)))
    return used


def _containers(tree: ast.Ruleset, group: str) -> set[str]:
    """The group (lower case) and every group that lists it as a member, however deep."""
    found = {group.lower()}
    while True:
        more = {g.name.text.lower() for g in tree.groups if {m.text.lower() for m in g.members} & found} - found
        if not more:
            return found
        found |= more


def _naming(old: ast.Ruleset, new: ast.Ruleset, group: str) -> tuple[str, ...]:
    """Requirements (of either side) whose rules name the group, or a group holding it, or
    follow one that does."""
    found: list[str] = []
    for tree in (old, new):
        holders = _containers(tree, group)
        direct = [r.name.text for r in tree.requirements if _named_groups(r) & holders]
        found += direct + [r.name.text for r in tree.requirements if r.follows and r.follows.text in direct]
    return tuple(dict.fromkeys(found))


def _requirements_with(used: Iterable[dict[str, frozenset[str]]], products: set[str]) -> tuple[str, ...]:
    """Requirements (of either side) whose dose rules count one of these products."""
    return tuple(dict.fromkeys(r for side in used for r, p in side.items() if p & products))


def _groups_in(options: Iterable[object]) -> Iterator[str]:
    for option in options:
        match option:
            case ast.Series(group=group) | ast.SeasonalSeries(group=group) | ast.NoDoses(group=group):
                yield group.text
            case ast.AllOf(parts=parts):
                yield from _groups_in(parts)


def _declaration_changes(old: ast.Ruleset, new: ast.Ruleset, everyone: tuple[str, ...]) -> Iterator[Change]:
    used = (_products_used(old), _products_used(new))
    old_groups = {g.name.text: g for g in old.groups}
    new_groups = {g.name.text: g for g in new.groups}
    for name in dict.fromkeys([*old_groups, *new_groups]):
        before, after = old_groups.get(name), new_groups.get(name)
        users = _naming(old, new, name)
        if before is None or after is None:
            kind = "added" if before is None else "removed"
            decl = after or before
            assert decl is not None
            what = ", ".join(_names(decl.members)) or "vaccines containing " + ", ".join(_names(decl.containing))
            yield Change(
                kind=kind,
                subject="group",
                label=name,
                requirements=users,
                summary=f"{kind}: vaccine group {name} = {what}",
                behavioural=bool(users),
            )
            continue
        if _without_words(_no_description(before)) == _without_words(_no_description(after)):
            if before.description != after.description:
                yield Change(
                    kind="changed",
                    subject="group",
                    label=name,
                    summary=f"vaccine group {name}: description only",
                    details=(f"description: {_arrow(before.description, after.description)}",),
                    behavioural=False,
                )
            continue
        details = _set_change("member", _names(before.members), _names(after.members))
        details += _set_change("containing", _names(before.containing), _names(after.containing))
        yield Change(
            kind="changed",
            subject="group",
            label=name,
            requirements=users,
            summary=f"vaccine group {name}: " + "; ".join(details),
            details=tuple(details),
        )

    old_vaccines = {v.name.text: v for v in old.vaccines}
    new_vaccines = {v.name.text: v for v in new.vaccines}
    for name in dict.fromkeys([*old_vaccines, *new_vaccines]):
        before_v, after_v = old_vaccines.get(name), new_vaccines.get(name)
        if before_v == after_v:
            continue
        users = _requirements_with(used, {name})
        was_live = before_v is not None and before_v.live
        is_live = after_v is not None and after_v.live
        if was_live != is_live and (old.live_vaccine_spacing or new.live_vaccine_spacing):
            users = everyone  # a live dose (added, removed or newly live) can stop another's counting
        if before_v is None or after_v is None:
            kind = "added" if before_v is None else "removed"
            decl_v = after_v or before_v
            assert decl_v is not None
            codes = f" (CVX {', '.join(decl_v.cvx)})" if decl_v.cvx else ""
            yield Change(
                kind=kind,
                subject="vaccine",
                label=name,
                requirements=users,
                summary=f"{kind}: vaccine {name}{codes}, contains {', '.join(_names(decl_v.antigens))}",
                behavioural=bool(users),
            )
            continue
        details = _set_change("CVX", before_v.cvx, after_v.cvx)
        details += _set_change("antigen", _names(before_v.antigens), _names(after_v.antigens))
        if before_v.live != after_v.live:
            details.append(f"live: {before_v.live} → {after_v.live}")
        behavioural = bool(details)
        if before_v.description != after_v.description:
            details.append(f"description: {_arrow(before_v.description, after_v.description)}")
        yield Change(
            kind="changed",
            subject="vaccine",
            label=name,
            requirements=users if behavioural else (),
            summary=f"vaccine {name}: " + "; ".join(details),
            details=tuple(details),
            behavioural=behavioural,
        )


def _no_description(group: ast.GroupDecl) -> ast.GroupDecl:
    return attrs.evolve(group, description="")


def _exemption_key(exemption: ast.Exemption) -> tuple[str, str]:
    return (exemption.kind.value, exemption.citation.text if exemption.citation else "")


def _exemption_words(exemption: ast.Exemption) -> str:
    words = "for " + (", ".join(_names(exemption.requirements)) if exemption.requirements else "every requirement")
    if exemption.conditions:
        return words + ", when " + ", ".join(condition_words(c) for c in exemption.conditions)
    return words + ", with no further condition"


def _reach(everyone: tuple[str, ...], *exemptions: ast.Exemption) -> tuple[str, ...]:
    """The requirements exemptions can waive: those their `for` lists name, else all."""
    if any(not e.requirements for e in exemptions):
        return everyone
    named = {n.text for e in exemptions for n in e.requirements}
    return tuple(r for r in everyone if r in named)


def _exemption_changes(old: ast.Ruleset, new: ast.Ruleset, everyone: tuple[str, ...]) -> Iterator[Change]:
    pairs, removed, added = _pairs(old.exemptions, new.exemptions, _exemption_key)
    for before, after in pairs:
        if before == after:
            continue
        label = f"{after.kind.value} exemption" + (f" {after.citation}" if after.citation else "")
        if _without_words(before) == _without_words(after):
            yield Change(
                kind="changed", subject="exemption", label=label, summary=f"{label}: wording only", behavioural=False
            )
            continue
        details = condition_details(before.conditions, after.conditions)
        if before.requirements != after.requirements:
            details.append(
                f"for: {_arrow(', '.join(_names(before.requirements)), ', '.join(_names(after.requirements)))}"
            )
        yield Change(
            kind="changed",
            subject="exemption",
            label=label,
            requirements=_reach(everyone, before, after),
            summary=f"{label}: " + "; ".join(details),
            details=tuple(details),
            old=_exemption_words(before),
            new=_exemption_words(after),
        )
    for kind, items in (("removed", removed), ("added", added)):
        for exemption in items:
            label = f"{exemption.kind.value} exemption" + (f" {exemption.citation}" if exemption.citation else "")
            yield Change(
                kind=kind,
                subject="exemption",
                label=label,
                requirements=_reach(everyone, exemption),
                summary=f"{kind}: {label}: {_exemption_words(exemption)}",
            )
    if [_without_words(p) for p in old.in_process] != [_without_words(p) for p in new.in_process]:
        kind = "added" if new.in_process and not old.in_process else "removed" if old.in_process else "changed"
        yield Change(
            kind=kind,
            subject="in process",
            label="in process",
            requirements=everyone,
            summary=f"{kind}: a certificate that immunizations are in process turns non-compliant into in progress",
        )


def _with_titers(trees: Iterable[ast.Ruleset]) -> tuple[str, ...]:
    """Requirements a laboratory confirmation can satisfy (on either side)."""
    found: list[str] = []
    for tree in trees:
        for requirement in tree.requirements:
            items: list[ast.Clause | ast.Rule] = [*requirement.clauses, *requirement.rules]
            for item in items:
                if isinstance(item.body, ast.AnyOf) and any(
                    isinstance(o, ast.LabImmunity) for o in walk_terms(item.body.options)
                ):
                    found.append(requirement.name.text)
    return tuple(dict.fromkeys(found))


def _setting_changes(old: ast.Ruleset, new: ast.Ruleset, everyone: tuple[str, ...]) -> Iterator[Change]:
    settings = [
        ("grace", "default grace (days)", old.default_grace or 0, new.default_grace or 0),
        (
            "live vaccine spacing",
            "live vaccine spacing",
            bool(old.live_vaccine_spacing),
            bool(new.live_vaccine_spacing),
        ),
        (
            "laboratory confirmation",
            "laboratory confirmation only for",
            ", ".join(_names(old.titer_diseases)) if old.titer_diseases is not None else "any disease",
            ", ".join(_names(new.titer_diseases)) if new.titer_diseases is not None else "any disease",
        ),
    ]
    for label, words, before, after in settings:
        if before != after:
            yield Change(
                kind="changed",
                subject="setting",
                label=label,
                requirements=_with_titers((old, new)) if label == "laboratory confirmation" else everyone,
                summary=f"{words}: {before} → {after}",
                details=(f"{words}: {before} → {after}",),
            )
    if [(v.id, v.in_force) for v in old.versions] != [(v.id, v.in_force) for v in new.versions]:
        before_v = ", ".join(v.id for v in old.versions) or "(none)"
        after_v = ", ".join(v.id for v in new.versions) or "(none)"
        yield Change(
            kind="changed",
            subject="version",
            label="versions",
            summary=f"versions: {before_v} → {after_v}",
            behavioural=False,
        )


_CONDITION_ORDER = ("grades", "age", "born", "on file", "enrolled in K-12", "in force", "condition")


def _sorted_conditions(conditions: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(conditions, key=lambda c: (_CONDITION_ORDER.index(_condition_kind(c)), repr(c))))


def _by_text(names: Iterable[ast.Name]) -> tuple[ast.Name, ...]:
    return tuple(sorted(names, key=lambda n: n.text))


def canonical(tree: ast.Ruleset) -> ast.Ruleset:
    """The tree with every list whose order means nothing put in one order: a clause's, rule's
    or exemption's conditions, a group's members, an exemption's requirements, a vaccine's
    antigens and codes. (The order of status rules, of a series' constraints and of a clause's
    options is kept: it is how they read.)"""

    def item(node: Any) -> Any:
        return attrs.evolve(node, conditions=_sorted_conditions(node.conditions))

    return attrs.evolve(
        tree,
        requirements=tuple(
            attrs.evolve(
                r,
                antigens=_by_text(r.antigens),
                clauses=tuple(item(c) for c in r.clauses),
                rules=tuple(item(x) for x in r.rules),
            )
            for r in tree.requirements
        ),
        groups=tuple(
            attrs.evolve(g, members=_by_text(g.members), containing=_by_text(g.containing)) for g in tree.groups
        ),
        vaccines=tuple(attrs.evolve(v, antigens=_by_text(v.antigens), cvx=tuple(sorted(v.cvx))) for v in tree.vaccines),
        exemptions=tuple(attrs.evolve(item(e), requirements=_by_text(e.requirements)) for e in tree.exemptions),
    )


def structural_changes(old: ast.Ruleset, new: ast.Ruleset) -> list[Change]:
    """Every change from `old` to `new`, requirement by requirement (in the new file's order),
    then declarations, exemptions and settings. Lists whose order means nothing are compared
    as sets (`canonical`)."""
    old, new = canonical(old), canonical(new)
    changes: list[Change] = []
    old_requirements = {r.name.text: r for r in old.requirements}
    new_requirements = {r.name.text: r for r in new.requirements}
    everyone = tuple(dict.fromkeys([*new_requirements, *old_requirements]))
    for name in everyone:
        before, after = old_requirements.get(name), new_requirements.get(name)
        if before is not None and after is not None:
            changes += _requirement_changes(before, after, (old.default_grace or 0, new.default_grace or 0))
            continue
        node = after or before
        assert node is not None
        kind = "added" if before is None else "removed"
        label = f"{node.citation} " if node.citation else ""
        items = len(node.clauses) + len(node.rules)
        changes.append(
            Change(
                kind=kind,
                subject="requirement",
                label=name,
                requirement=name,
                requirements=(name,),
                summary=f"{kind}: requirement {label}{name} ({node.title or name}), "
                + (f"{items} clause or rule" if items == 1 else f"{items} clauses or rules"),
            )
        )
    changes += _declaration_changes(old, new, everyone)
    changes += _exemption_changes(old, new, everyone)
    changes += _setting_changes(old, new, everyone)
    return changes
