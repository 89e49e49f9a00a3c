"""A diff in four forms: `text` for the terminal, `markdown` for a review or a docs page,
`json` (stable, `SCHEMA_VERSION`, docs/diff.md) for tools, and `html`, one self-contained page a
regulator can open.

Every form says the same things in the same order: whether any student's status changes; then
requirement by requirement, the changes in policy words, the effect, and for each way students
move a witness with both results; then declarations, exemptions and settings; wording-only
changes last; then the roster, if one was given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from html import escape
from typing import Any

from ..results import Result, Status
from .compare import SCHEMA_VERSION, Diff
from .effects import Departure, Effect, Witness
from .sides import Side
from .structure import Change
from .witnesses import usual_age
from .words import grade_span

__all__ = ["FORMATS", "diff_to_dict", "render_diff"]

FORMATS = ("text", "markdown", "json", "html")

WITNESSES_SHOWN = 12
"""Departures shown per requirement in text, markdown and html (json has all)."""


# --- the data, in one order for every form ---------------------------------------------------


def _side_dict(side: Side) -> dict[str, Any]:
    return {
        "label": side.label,
        "name": side.compiled.name,
        "rules_of": side.pinned.isoformat() if side.pinned else None,
        "versions": [v.id for v in side.tree.versions],
    }


def _change_dict(diff: Diff, change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "subject": change.subject,
        "label": change.label,
        "requirement": change.requirement,
        "summary": change.summary,
        "details": list(change.details),
        "old": change.old or None,
        "new": change.new or None,
        "effect": diff.effect_of(change),
        "affects": list(change.requirements),
    }


def _result_part(result: Result, requirement: str) -> dict[str, Any]:
    """The requirement's part of a witness's result, in the contract's shape: an error when the
    record could not be evaluated, `not_required` when the ruleset has no such requirement."""
    found = result.requirements.get(requirement)
    if found is not None:
        return found.to_dict()
    if result.status is Status.ERROR:
        return {"requirement": requirement, "status": "error", "clause": None, "reasons": list(result.errors)}
    reason = f"{result.ruleset_name} has no requirement {requirement}"
    return {"requirement": requirement, "status": "not_required", "clause": None, "reasons": [reason]}


def _witness_dict(witness: Witness) -> dict[str, Any]:
    return {
        "student": witness.record,
        "as_of": witness.as_of.isoformat(),
        "tries": witness.what,
        "verified": witness.verified,
        "usual_age": usual_age(witness.record, witness.as_of),
        "old": _result_part(witness.old, witness.requirement),
        "new": _result_part(witness.new, witness.requirement),
        "old_overall": witness.old.status.value,
        "new_overall": witness.new.status.value,
    }


def _departure_dict(departure: Departure) -> dict[str, Any]:
    return {
        "old": {"status": departure.old_status.value, "clause": departure.old_clause},
        "new": {"status": departure.new_status.value, "clause": departure.new_clause},
        "direction": departure.direction,
        "students": departure.students,
        "grades": list(departure.grades),
        "witness": _witness_dict(departure.witness),
    }


def _effect_dict(effect: Effect) -> dict[str, Any]:
    return {
        "requirement": effect.requirement,
        "effect": effect.classification,
        "region": effect.region or None,
        "grades": list(effect.grades),
        "students_tried": effect.tried,
        "students_differing": effect.differing,
        "search_complete": effect.exhausted,
        "as_of": [d.isoformat() for d in effect.as_of],
        "transitions": [{"old": a, "new": b, "students": n} for a, b, n in effect.transitions],
        "departures": [_departure_dict(d) for d in effect.departures],
    }


def diff_to_dict(diff: Diff) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "old": _side_dict(diff.old),
        "new": _side_dict(diff.new),
        "as_of": diff.as_of.isoformat(),
        "behavioural_difference": diff.behavioural_difference,
        "changes": [_change_dict(diff, c) for c in diff.changes],
        "requirements": [_effect_dict(e) for e in diff.effects.values()],
        "population": diff.population.to_dict() if diff.population else None,
    }


def _requirement_changes(diff: Diff) -> dict[str, list[Change]]:
    by_requirement: dict[str, list[Change]] = {}
    for change in diff.changes:
        if change.behavioural and change.requirement is not None:
            by_requirement.setdefault(change.requirement, []).append(change)
    return by_requirement


def _other_changes(diff: Diff) -> list[Change]:
    return [c for c in diff.changes if c.behavioural and c.requirement is None]


def _labels(changes: list[Change]) -> str:
    """`vaccine group pcv (changed), medical exemption § 3(a) (removed)`: what else moved a
    requirement, said in full under "Declarations, exemptions and settings"."""
    counted: dict[str, int] = {}
    for change in changes:
        subject = "vaccine group" if change.subject == "group" else change.subject
        key = change.label if change.subject in change.label else f"{subject} {change.label}"
        counted[f"{key} ({change.kind})"] = counted.get(f"{key} ({change.kind})", 0) + 1
    return ", ".join(k if n == 1 else f"{k} ×{n}" for k, n in counted.items())


def _wording(diff: Diff) -> list[Change]:
    return [c for c in diff.changes if not c.behavioural]


def _headline(diff: Diff) -> str:
    unsettled = [e.requirement for e in diff.effects.values() if e.classification == "unsettled"]
    if unsettled and not any(e.differing for e in diff.effects.values()):
        return (
            "Behavioural difference: not settled: the search stopped before finding one in "
            + ", ".join(unsettled)
            + " (exit 1, as for a difference)"
        )
    if diff.behavioural_difference:
        moved = [e.requirement for e in diff.effects.values() if e.differing]
        return f"Behavioural difference: yes, in {len(moved)} requirement(s): {', '.join(moved) or 'see the roster'}"
    if any(c.behavioural for c in diff.changes):
        return "Behavioural difference: none found (changes below; no student tried moves)"
    if diff.changes:
        return "Behavioural difference: none (the changes are wording only)"
    return (
        "Behavioural difference: none (no changes: layout, comments and the order of requirements "
        "and clauses are not changes)"
    )


def _dose_words(diff: Diff, dose: dict[str, str]) -> str:
    if dose.get("cvx"):
        product = diff.new.compiled.product_coded(dose["cvx"]) or diff.old.compiled.product_coded(dose["cvx"])
        name = f"{product.name.text} (CVX {dose['cvx']})" if product else f"CVX {dose['cvx']}"
    else:
        name = dose.get("vaccine", "")
    return f"{name} {dose['date']}"


def _student_words(diff: Diff, witness: Witness) -> str:
    record = witness.record
    doses = ", ".join(_dose_words(diff, d) for d in record["doses"]) or "no doses"
    parts = [f"grade {record['grade']}", f"born {record['birth_date']}", doses]
    for item in record.get("evidence", ()):
        parts.append(
            f"evidence {item['type']}"
            + (f" {item['disease']}" if item.get("disease") else "")
            + (f" {item['date']}" if item.get("date") else "")
        )
    for item in record.get("exemptions", ()):
        parts.append(
            f"{item['type']} exemption"
            + (f" on file since {item['on_file_since']}" if item.get("on_file_since") else "")
        )
    if record.get("k12_entry_date"):
        parts.append(f"in K-12 since {record['k12_entry_date']}")
    unusual = "" if usual_age(record, witness.as_of) else " (an age not usual for the grade: only such students move)"
    return "; ".join(parts) + f"; evaluated {witness.as_of}{unusual}"


def _outcome(side: Side, name: str, part: dict[str, Any]) -> str:
    return f"{part['status']}{_cite(side, name, part.get('clause'))}"


def _cite(side: Side, requirement: str, clause: str | None) -> str:
    """How a result's `clause` reads: `§ 1(a)(2)` for a citation, `rule "3 doses"` for a rule."""
    if not clause:
        return ""
    compiled = next((r for r in side.compiled.requirements if r.name == requirement), None)
    if compiled is not None and any(rule.name == clause for rule in compiled.rules):
        return f' (rule "{clause}")'
    return f" (§ {clause})"


def _departure_head(diff: Diff, name: str, departure: Departure) -> str:
    old = departure.old_status.value + _cite(diff.old, name, departure.old_clause)
    new = departure.new_status.value + _cite(diff.new, name, departure.new_clause)
    grades = ("grades " if len(departure.grades) > 1 else "grade ") + grade_span(departure.grades)
    return f"{old} → {new}: {departure.students} student(s) tried, {grades} [{departure.direction}]"


# --- text and markdown -----------------------------------------------------------------------


_MARKDOWN_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", "*": "\\*", "`": "\\`", "|": "\\|"})


def _md(text: str) -> str:
    """Names and text from rulesets and rosters, safe in markdown (no HTML, no emphasis, no
    table breaks)."""
    return text.translate(_MARKDOWN_SPECIAL)


def _text_lines(diff: Diff, markdown: bool) -> Iterator[str]:
    esc: Callable[[str], str] = _md if markdown else str
    h1, h2, h3 = ("# ", "## ", "### ") if markdown else ("", "", "")
    bullet = "- " if markdown else "  "
    sub = "  - " if markdown else "      "
    yield f"{h1}ctrules diff {esc(diff.old.label)} → {esc(diff.new.label)}"
    yield ""
    yield _headline(diff)
    yield f"Evaluation date: {diff.as_of}" + (
        " (the rules of each date applied to the same students on this date)"
        if diff.old.pinned or diff.new.pinned
        else ""
    )
    by_requirement = _requirement_changes(diff)
    for name, effect in diff.effects.items():
        yield ""
        region = f": {effect.region}" if effect.region else ""
        yield f"{h2}{esc(name)}: {effect.classification}{region}"
        yield ""
        for change in by_requirement.get(name, []):
            yield f"{bullet}{esc(change.summary)}"
        others = [c for c in _other_changes(diff) if name in c.requirements]
        if others:
            yield f"{bullet}and, for every requirement that uses them: {esc(_labels(others))}"
        yield ""
        complete = "" if effect.exhausted else f", search stopped at {effect.tried}"
        dates = ", ".join(str(d) for d in effect.as_of)
        yield (
            f"Effect: {effect.differing} of {effect.tried} students tried change status "
            f"(evaluated on {dates}{complete})"
        )
        for departure in effect.departures[:WITNESSES_SHOWN]:
            yield ""
            yield f"{h3 if markdown else '  '}{esc(_departure_head(diff, name, departure))}"
            if markdown:
                yield ""
            witness = departure.witness
            check = "verified" if witness.verified else "NOT verified in full evaluation"
            yield f"{bullet}witness ({check}): {esc(_student_words(diff, witness))}"
            old = _result_part(witness.old, name)
            new = _result_part(witness.new, name)
            yield f"{bullet}{esc(diff.old.label)}: {esc(_outcome(diff.old, name, old))}"
            for reason in old.get("reasons", [])[:4]:
                yield f"{sub}{esc(reason)}"
            yield f"{bullet}{esc(diff.new.label)}: {esc(_outcome(diff.new, name, new))}"
            for reason in new.get("reasons", [])[:4]:
                yield f"{sub}{esc(reason)}"
        hidden = len(effect.departures) - WITNESSES_SHOWN
        if hidden > 0:
            yield ""
            yield f"{bullet}… and {hidden} more way(s) students move (all in --format json)"
    others = _other_changes(diff)
    if others:
        yield ""
        yield f"{h2}Declarations, exemptions and settings"
        yield ""
        for change in others:
            affects = ", ".join(
                f"{r} ({diff.effects[r].classification})" for r in change.requirements if r in diff.effects
            )
            yield f"{bullet}{esc(change.summary)} [effect: {diff.effect_of(change)}{'; ' + affects if affects else ''}]"
    wording = _wording(diff)
    if wording:
        yield ""
        yield f"{h2}No effect on any result (wording, unused declarations)"
        yield ""
        for change in wording:
            yield f"{bullet}{esc(change.summary)}"
            for detail in change.details:
                yield f"{sub}{esc(detail)}"
    if diff.population is not None:
        yield from _population_lines(diff, h2, bullet, esc)


def _population_lines(diff: Diff, h2: str, bullet: str, esc: Callable[[str], str]) -> Iterator[str]:
    impact = diff.population
    assert impact is not None
    yield ""
    yield f"{h2}Roster: {_students(impact.records)}, evaluated on {impact.as_of}"
    yield ""
    yield (
        f"{impact.students_moved} student(s) change status in at least one requirement; "
        f"records in error: {impact.errors_old} ({esc(diff.old.label)}), {impact.errors_new} ({esc(diff.new.label)})"
    )
    for a, b, n in impact.overall:
        yield f"{bullet}overall {a} → {b}: {n}"
    if impact.moves:
        yield ""
        yield "| requirement | grade | old | new | students | ids |"
        yield "|---|---|---|---|---|---|"
        for move in impact.moves:
            more = _more(move.students, len(move.ids))
            cells = (move.requirement, move.grade, move.old, move.new, str(move.students), ", ".join(move.ids) + more)
            # A table cell: `|` is escaped in both forms (the text form prints the same table).
            yield "| " + " | ".join(esc(c) if esc is _md else c.replace("|", "\\|") for c in cells) + " |"


def _students(count: int) -> str:
    return f"{count} student" if count == 1 else f"{count} students"


def _more(students: int, listed: int) -> str:
    return f" … (+{students - listed})" if students > listed else ""


# --- html ------------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1c1c1c; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-top: 1px solid #ccc; padding-top: .8em; margin-top: 1.6em; }
.tightening, .unsettled { color: #b71c1c; } .loosening { color: #1b5e20; } .mixed { color: #8d4f00; }
.neutral, .none, .wording { color: #555; }
.badge { font-weight: 600; text-transform: uppercase; font-size: .8em; letter-spacing: .04em; }
.departure { border-left: 3px solid #ddd; margin: .8em 0; padding: .2em .9em; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.pair div { background: #f6f6f6; padding: .4em .7em; border-radius: 4px; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2em .5em; text-align: left; }
code { background: #f1f1f1; padding: 0 .2em; }
@media print { .departure { break-inside: avoid; } }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(effect: str) -> str:
    return f'<span class="badge {_e(effect)}">{_e(effect)}</span>'


def _html_result(side: Side, name: str, part: dict[str, Any]) -> str:
    reasons = "".join(f"<li>{_e(r)}</li>" for r in part.get("reasons", []))
    return f"<div><strong>{_e(side.label)}</strong>: {_e(_outcome(side, name, part))}<ul>{reasons}</ul></div>"


def _html_departure(diff: Diff, name: str, departure: Departure) -> str:
    witness = departure.witness
    check = "verified" if witness.verified else "not verified in full evaluation"
    return (
        f'<div class="departure"><p class="{_e(departure.direction)}">{_e(_departure_head(diff, name, departure))}</p>'
        f"<p>Witness ({_e(check)}): {_e(_student_words(diff, witness))}</p>"
        f'<div class="pair">{_html_result(diff.old, name, _result_part(witness.old, name))}'
        f"{_html_result(diff.new, name, _result_part(witness.new, name))}</div>"
        f"<details><summary>record (JSON)</summary><pre>{_e(json.dumps(witness.record, indent=1))}</pre>"
        "</details></div>"
    )


def _html(diff: Diff) -> str:
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>ctrules diff {_e(diff.old.label)} → {_e(diff.new.label)}</title><style>{_CSS}</style></head><body>",
        f"<h1>ctrules diff <code>{_e(diff.old.label)}</code> → <code>{_e(diff.new.label)}</code></h1>",
        f"<p><strong>{_e(_headline(diff))}</strong>. Evaluation date {_e(diff.as_of)}.</p>",
    ]
    by_requirement = _requirement_changes(diff)
    for name, effect in diff.effects.items():
        parts.append(f"<h2>{_e(name)} {_badge(effect.classification)}</h2>")
        if effect.region:
            parts.append(f"<p>{_e(effect.region)}</p>")
        others = [c for c in _other_changes(diff) if name in c.requirements]
        items = [f"<li>{_e(c.summary)}</li>" for c in by_requirement.get(name, [])]
        if others:
            items.append(f"<li>and, for every requirement that uses them: {_e(_labels(others))}</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
        parts.append(
            f"<p>{effect.differing} of {effect.tried} students tried change status "
            f"(evaluated on {_e(', '.join(str(d) for d in effect.as_of))}).</p>"
        )
        parts += [_html_departure(diff, name, d) for d in effect.departures[:WITNESSES_SHOWN]]
        hidden = len(effect.departures) - WITNESSES_SHOWN
        if hidden > 0:
            parts.append(f"<p>… and {hidden} more (all in <code>--format json</code>).</p>")
    others = _other_changes(diff)
    if others:
        parts.append("<h2>Declarations, exemptions and settings</h2><ul>")
        parts += [f"<li>{_e(c.summary)} {_badge(diff.effect_of(c))}</li>" for c in others]
        parts.append("</ul>")
    wording = _wording(diff)
    if wording:
        parts.append(
            "<h2>No effect on any result (wording, unused declarations)</h2><ul>"
            + "".join(f"<li>{_e(c.summary)}</li>" for c in wording)
            + "</ul>"
        )
    if diff.population is not None:
        impact = diff.population
        parts.append(f"<h2>Roster: {_students(impact.records)}, evaluated on {_e(impact.as_of)}</h2>")
        parts.append(
            f"<p>{impact.students_moved} student(s) change status in at least one requirement; records in "
            f"error: {impact.errors_old} ({_e(diff.old.label)}), {impact.errors_new} ({_e(diff.new.label)}).</p>"
        )
        if impact.overall:
            parts.append(
                "<ul>" + "".join(f"<li>overall {_e(a)} → {_e(b)}: {n}</li>" for a, b, n in impact.overall) + "</ul>"
            )
        if impact.problems:
            parts.append(
                "<details><summary>records that could not be evaluated</summary><ul>"
                + "".join(f"<li>{_e(p)}</li>" for p in impact.problems)
                + "</ul></details>"
            )
        if impact.moves:
            rows = "".join(
                f"<tr><td>{_e(m.requirement)}</td><td>{_e(m.grade)}</td><td>{_e(m.old)}</td><td>{_e(m.new)}</td>"
                f"<td>{m.students}</td><td>{_e(', '.join(m.ids))}{_e(_more(m.students, len(m.ids)))}</td></tr>"
                for m in impact.moves
            )
            parts.append(
                "<table><tr><th>requirement</th><th>grade</th><th>old</th><th>new</th><th>students</th><th>ids</th></tr>"
                + rows
                + "</table>"
            )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render_diff(diff: Diff, style: str) -> str:
    if style == "json":
        return json.dumps(diff_to_dict(diff), indent=2, ensure_ascii=False) + "\n"
    if style == "html":
        return _html(diff)
    return "\n".join(_text_lines(diff, markdown=style == "markdown")) + "\n"
