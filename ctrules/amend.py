"""Apply an amendment (`ruleset ct-dph … amends ct`) to the ruleset it amends.

An amendment states only what it changes: header settings, added or replaced declarations,
clauses and rules added, removed (by citation or rule name) or replaced, requirements removed.
The result is one ordinary ruleset AST, checked and compiled like any other, which keeps the
amended ruleset as `base` so results and listings can say what it was built on.
"""

from __future__ import annotations

import attrs

from . import ast
from .diagnostics import Diagnostic

__all__ = ["apply_amendment", "describe_changes"]


def _missing(
    what: str, name: str, where: ast.Name | ast.Citation, base: str, existing: list[str] | None = None
) -> Diagnostic:
    known = f"; {base} has: {', '.join(existing)}" if existing else f"; check the name against {base}"
    return Diagnostic(
        code="CTR207",
        message=f"{what} {name} is not in {base}",
        span=where.span,
        help=f"an amendment can only change what {base} declares{known}",
    )


def _shown(item: ast.Clause | ast.Rule) -> str:
    return f'"{item.name}"' if isinstance(item, ast.Rule) else str(item.citation)


def _key(item: ast.Clause | ast.Rule) -> str:
    return item.name if isinstance(item, ast.Rule) else item.citation.text


def _amend_items(
    items: tuple[ast.Clause | ast.Rule, ...], change: ast.AmendRequirement, base: str, diagnostics: list[Diagnostic]
) -> list[ast.Clause | ast.Rule]:
    """Clauses or rules with removals, replacements (in place, by citation or rule name) and additions."""
    result: list[ast.Clause | ast.Rule] = list(items)
    for removed in change.removed:
        key = removed if isinstance(removed, str) else removed.text
        if not any(_key(i) == key for i in result):
            what = "rule" if isinstance(removed, str) else "clause"
            shown = f'"{key}"' if isinstance(removed, str) else f"§ {key}"
            span_node = None if isinstance(removed, str) else removed
            existing = list(dict.fromkeys(_shown(i) for i in result))
            diagnostics.append(
                _missing(what, f"{shown} of {change.name.text}", span_node or change.name, base, existing)
            )
        result = [i for i in result if _key(i) != key]
    replaced_keys: dict[str, int] = {}
    for new in change.replaced:
        key = _key(new)
        if key in replaced_keys:  # a second replacement for the same citation goes after the first
            position = replaced_keys[key] + 1
            result.insert(position, new)
            replaced_keys[key] = position
            continue
        positions = [n for n, i in enumerate(result) if _key(i) == key]
        if not positions:
            existing = list(dict.fromkeys(_shown(i) for i in result))
            shown = _shown(new)
            where = change.name if isinstance(new, ast.Rule) else new.citation
            diagnostics.append(_missing("clause or rule", f"{shown} of {change.name.text}", where, base, existing))
            continue
        old = result[positions[0]]
        if _kind(old) != _kind(new):
            # `replace also § X` for a `clause § X` would silently turn an alternative into a
            # condition that must hold as well: a change of meaning, not of text.
            diagnostics.append(
                Diagnostic(
                    code="CTR207",
                    message=f"{_shown(old)} of {change.name.text} is {_kind(old)} in {base}, not {_kind(new)}",
                    span=new.span,
                    help=f"write `replace {_keyword(old)} …`, or remove it and add the new one",
                )
            )
        result = [i for i in result if _key(i) != key]
        result.insert(positions[0], new)
        replaced_keys[key] = positions[0]
    return result + list(change.added)


def _keyword(item: ast.Clause | ast.Rule) -> str:
    return "rule" if isinstance(item, ast.Rule) else item.kind.value


def _kind(item: ast.Clause | ast.Rule) -> str:
    if isinstance(item, ast.Rule):
        return "a rule"
    return "an also clause" if item.kind is ast.ClauseKind.ADDITIONAL else "a clause"


def _amend_requirement(
    requirement: ast.Requirement, change: ast.AmendRequirement, base: str, diagnostics: list[Diagnostic]
) -> ast.Requirement:
    items = _amend_items((*requirement.clauses, *requirement.rules), change, base, diagnostics)
    return attrs.evolve(
        requirement,
        clauses=tuple(i for i in items if isinstance(i, ast.Clause)),
        rules=tuple(i for i in items if isinstance(i, ast.Rule)),
        otherwise=change.otherwise or requirement.otherwise,
    )


def _replace_by_name(items: tuple, node: object) -> tuple:  # type: ignore[type-arg]
    name = node.name.text.lower()  # type: ignore[attr-defined]
    return tuple(node if i.name.text.lower() == name else i for i in items)


def apply_amendment(base: ast.Ruleset, amendment: ast.Ruleset) -> tuple[ast.Ruleset, list[Diagnostic]]:
    """`base` with `amendment`'s changes; diagnostics for changes to things `base` lacks."""
    diagnostics: list[Diagnostic] = []
    base_name = base.name.text if base.name else "the amended ruleset"
    vaccines, groups = base.vaccines + amendment.vaccines, base.groups + amendment.groups
    requirements = base.requirements + amendment.requirements
    for change in amendment.amendments:
        match change:
            case ast.ReplaceDecl(node=ast.VaccineDecl() as node):
                if not any(v.name.text.lower() == node.name.text.lower() for v in vaccines):
                    diagnostics.append(_missing("vaccine", node.name.text, node.name, base_name))
                vaccines = _replace_by_name(vaccines, node)
            case ast.ReplaceDecl(node=ast.GroupDecl() as node):
                if not any(g.name.text.lower() == node.name.text.lower() for g in groups):
                    diagnostics.append(_missing("group", node.name.text, node.name, base_name))
                groups = _replace_by_name(groups, node)
            case ast.ReplaceDecl(node=ast.Requirement() as node):
                if not any(r.name.text == node.name.text for r in requirements):
                    diagnostics.append(_missing("requirement", node.name.text, node.name, base_name))
                requirements = tuple(node if r.name.text == node.name.text else r for r in requirements)
            case ast.RemoveRequirement(name=name):
                if not any(r.name.text == name.text for r in requirements):
                    diagnostics.append(_missing("requirement", name.text, name, base_name))
                requirements = tuple(r for r in requirements if r.name.text != name.text)
            case ast.AmendRequirement(name=name):
                if not any(r.name.text == name.text for r in requirements):
                    diagnostics.append(_missing("requirement", name.text, name, base_name))
                requirements = tuple(
                    _amend_requirement(r, change, base_name, diagnostics) if r.name.text == name.text else r
                    for r in requirements
                )
    merged = ast.Ruleset(
        name=amendment.name,
        title=amendment.title,
        versions=amendment.versions,
        amends=amendment.amends,
        base=base,
        changes=amendment,
        live_vaccine_spacing=(
            amendment.live_vaccine_spacing if amendment.live_vaccine_spacing is not None else base.live_vaccine_spacing
        ),
        default_grace=amendment.default_grace if amendment.default_grace is not None else base.default_grace,
        titer_diseases=amendment.titer_diseases if amendment.titer_diseases is not None else base.titer_diseases,
        covers=amendment.covers or base.covers,
        includes=base.includes + amendment.includes,
        vaccines=vaccines,
        groups=groups,
        requirements=requirements,
        exemptions=base.exemptions + amendment.exemptions,
        in_process=amendment.in_process or base.in_process,
        amendments=amendment.amendments,
        span=amendment.span,
    )
    return merged, diagnostics


def describe_changes(amendment: ast.Ruleset) -> list[str]:
    """What an amendment changes, one line each, in policy words (for `ctrules rulesets`)."""
    lines: list[str] = []
    if amendment.default_grace is not None:
        lines.append(f"grace: {amendment.default_grace} days before every minimum age and interval that states none")
    if amendment.live_vaccine_spacing is not None:
        state = "on" if amendment.live_vaccine_spacing else "off"
        lines.append(f"live vaccine spacing {state} (live vaccines on different days at least 28 days apart)")
    if amendment.titer_diseases is not None:
        lines.append("laboratory confirmation only for " + ", ".join(d.text for d in amendment.titer_diseases))
    for change in amendment.amendments:
        match change:
            case ast.AmendRequirement(name=name):
                for item in change.added:
                    lines.append(f"{name.text}: adds {_label(item)}")
                for removed in change.removed:
                    shown = f'rule "{removed}"' if isinstance(removed, str) else f"clause {removed}"
                    lines.append(f"{name.text}: removes {shown}")
                for item in change.replaced:
                    lines.append(f"{name.text}: replaces {_label(item)}")
                if change.otherwise is not None:
                    lines.append(f"{name.text}: otherwise {change.otherwise.status.value}")
            case ast.RemoveRequirement(name=name):
                lines.append(f"removes requirement {name.text}")
            case ast.ReplaceDecl(node=node):
                kind = {ast.Requirement: "requirement", ast.GroupDecl: "group", ast.VaccineDecl: "vaccine"}[type(node)]
                lines.append(f"replaces {kind} {node.name.text}")
    for vaccine in amendment.vaccines:
        lines.append(f"adds vaccine {vaccine.name.text}")
    for group in amendment.groups:
        lines.append(f"adds group {group.name.text}")
    for requirement in amendment.requirements:
        lines.append(f"adds requirement {requirement.name.text}")
    for exemption in amendment.exemptions:
        cited = f" {exemption.citation}" if exemption.citation else ""
        lines.append(f"adds {exemption.kind.value} exemption{cited}")
    return lines


def _label(item: ast.Clause | ast.Rule) -> str:
    if isinstance(item, ast.Rule):
        return f'rule "{item.name}"'
    provisional = " (provisional)" if item.citation.provisional else ""
    return f"{item.kind.value} {item.citation}{provisional}"
