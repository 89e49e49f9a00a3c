"""`ctrules report`: a roster's evaluation counted by school, grade and requirement, in the shape
of Connecticut's annual school immunization survey, with the students who need action.

Aggregation (`Report`, `build_report`) is kept apart from rendering (`render_report`): the
counts are built in one pass over the results, holding only counters and the rows that need
action, so a roster of any size is counted without keeping its results. docs/report.md
describes every figure and the JSON schema (`SCHEMA_VERSION`).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

import attrs

from .api import Ruleset
from .grades import GRADE_ORDER
from .records import ReadItem, Student
from .results import Result, Status

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "STATUSES",
    "Report",
    "build_report",
    "paired",
    "render_report",
]

FORMATS = ("table", "csv", "json", "html")
SCHEMA_VERSION = 1

STATUSES = ("compliant", "in_progress", "non_compliant", "exempt", "not_required", "error")
"""Every status a count can have, in report order; each student is counted under exactly one."""
REQUIREMENT_STATUSES = STATUSES[:-1]
"""A requirement's status is never `error`: a record in error has no requirement results."""

EXEMPTION_KINDS = ("medical", "religious", "statutory")
NEEDS_ACTION = ("non_compliant", "in_progress")

NO_SCHOOL = "(no school)"
UNKNOWN_GRADE = "(unknown)"
"""Where a record that could not be read is counted: its grade and school cannot be trusted."""

SURVEY_GRADES = ("K", "7")
"""The grades Connecticut's annual kindergarten and grade 7 survey reports."""


def _counter(statuses: tuple[str, ...] = STATUSES) -> dict[str, int]:
    return dict.fromkeys(statuses, 0)


@attrs.define
class Cell:
    """The counts for one school and grade."""

    students: dict[str, int] = attrs.field(factory=_counter)
    """Students by overall status."""
    exempt_by_kind: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(EXEMPTION_KINDS, 0))
    """Students whose overall status is `exempt`, by the kind of exemption honoured."""
    requirements: dict[str, dict[str, int]] = attrs.field(factory=dict)
    """Per requirement, students by that requirement's status (error rows have none)."""

    @property
    def total(self) -> int:
        return sum(self.students.values())


@attrs.frozen(kw_only=True)
class Need:
    """One requirement a student still has to meet."""

    requirement: str
    status: str
    clause: str | None
    next_due: date | None
    reasons: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ActionRow:
    """A student who is non-compliant or in progress, with what each requirement still needs."""

    id: str
    school: str
    grade: str
    status: str
    needs: tuple[Need, ...]


@attrs.frozen(kw_only=True)
class ErrorRow:
    id: str
    school: str
    grade: str
    errors: tuple[str, ...]


@attrs.define
class Report:
    """Counts of one evaluation of a roster; `add` takes each (record, result) pair once."""

    ruleset_name: str
    ruleset_version: str
    as_of: date
    requirement_ids: list[str]
    cells: dict[tuple[str, str], Cell] = attrs.field(factory=dict)
    actions: list[ActionRow] = attrs.field(factory=list)
    errors: list[ErrorRow] = attrs.field(factory=list)

    def add(self, item: ReadItem | None, result: Result) -> None:
        school, grade = _place(item)
        cell = self.cells.get((school, grade))
        if cell is None:
            cell = self.cells[(school, grade)] = Cell()
        status = result.status.value
        cell.students[status] += 1
        if result.status is Status.ERROR:
            self.errors.append(ErrorRow(id=result.id, school=school, grade=grade, errors=result.errors))
            return
        for name, requirement in result.requirements.items():
            counts = cell.requirements.get(name)
            if counts is None:
                counts = cell.requirements[name] = _counter(REQUIREMENT_STATUSES)
            counts[requirement.status.value] += 1
        if result.status is Status.EXEMPT:
            cell.exempt_by_kind[exemption_kind(result)] += 1
        if status in NEEDS_ACTION:
            needs = tuple(
                Need(
                    requirement=r.requirement,
                    status=r.status.value,
                    clause=r.clause,
                    next_due=r.next_due,
                    reasons=r.reasons,
                )
                for r in result.requirements.values()
                if r.status.value in NEEDS_ACTION
            )
            self.actions.append(ActionRow(id=result.id, school=school, grade=grade, status=status, needs=needs))

    # --- derived figures ---------------------------------------------------------------------

    @property
    def schools(self) -> list[str]:
        """Schools by name, with "(no school)" last."""
        names = {school for school, _ in self.cells}
        return sorted(names - {NO_SCHOOL}) + ([NO_SCHOOL] if NO_SCHOOL in names else [])

    def grades(self, school: str) -> list[str]:
        present = {grade for s, grade in self.cells if s == school}
        return sorted(present, key=_grade_key)

    def total(self, school: str | None = None) -> Cell:
        """The counts summed over grades (of one school, or of every school)."""
        out = Cell()
        for (s, _), cell in self.cells.items():
            if school is None or s == school:
                _merge(out, cell)
        return out

    @property
    def students(self) -> int:
        return self.total().total

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape (docs/report.md, schema version 1)."""
        everyone = self.total()
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "ctrules-report",
            "ruleset": {"name": self.ruleset_name, "version": self.ruleset_version},
            "as_of": self.as_of.isoformat(),
            "statuses": list(STATUSES),
            "requirement_ids": list(self.requirement_ids),
            "survey_grades": list(SURVEY_GRADES),
            "totals": self._cell_dict(everyone),
            "schools": [
                {
                    "school": school,
                    "totals": self._cell_dict(self.total(school)),
                    "grades": [
                        {"grade": grade, **self._cell_dict(self.cells[(school, grade)])}
                        for grade in self.grades(school)
                    ],
                }
                for school in self.schools
            ],
            "needs_action": [
                {
                    "id": row.id,
                    "school": row.school,
                    "grade": row.grade,
                    "status": row.status,
                    "needs": [
                        {
                            "requirement": need.requirement,
                            "status": need.status,
                            "clause": need.clause,
                            "next_due": need.next_due.isoformat() if need.next_due else None,
                            "reasons": list(need.reasons),
                        }
                        for need in row.needs
                    ],
                }
                for row in self.actions
            ],
            "errors": [
                {"id": row.id, "school": row.school, "grade": row.grade, "errors": list(row.errors)}
                for row in self.errors
            ],
        }

    def _cell_dict(self, cell: Cell) -> dict[str, Any]:
        return {
            "students": cell.total,
            "status": dict(cell.students),
            "exempt_by_kind": dict(cell.exempt_by_kind),
            "requirements": {
                name: dict(cell.requirements[name]) for name in self._requirement_order(cell.requirements)
            },
        }

    def _requirement_order(self, present: Iterable[str]) -> list[str]:
        known = [name for name in self.requirement_ids if name in present]
        return known + sorted(set(present) - set(known))


def _merge(into: Cell, cell: Cell) -> None:
    for status, n in cell.students.items():
        into.students[status] += n
    for kind, n in cell.exempt_by_kind.items():
        into.exempt_by_kind[kind] += n
    for name, counts in cell.requirements.items():
        target = into.requirements.setdefault(name, _counter(REQUIREMENT_STATUSES))
        for status, n in counts.items():
            target[status] += n


def _grade_key(grade: str) -> tuple[int, str]:
    return (GRADE_ORDER.index(grade), "") if grade in GRADE_ORDER else (len(GRADE_ORDER), grade)


def _place(item: ReadItem | None) -> tuple[str, str]:
    """The (school, grade) a record is counted under."""
    if isinstance(item, Student):
        return item.school or NO_SCHOOL, item.grade
    return NO_SCHOOL, UNKNOWN_GRADE


def exemption_kind(result: Result) -> str:
    """The kind of exemption that made a student `exempt`: religious if any requirement's is,
    then medical, else statutory."""
    kinds = {
        requirement.exemption or "statutory"
        for requirement in result.requirements.values()
        if requirement.status is Status.EXEMPT
    }
    for kind in ("religious", "medical"):
        if kind in kinds:
            return kind
    return "statutory"


def paired(ruleset: Ruleset, items: Iterable[ReadItem], as_of: date) -> Iterator[tuple[ReadItem | None, Result]]:
    """Each record beside its result. `evaluate_many` gives one result per input, in order,
    lazily, so the record is the oldest one handed over and not yet answered."""
    pending: deque[ReadItem] = deque()

    def feed() -> Iterator[ReadItem]:
        for item in items:
            pending.append(item)
            yield item

    for result in ruleset.evaluate_many(feed(), as_of=as_of):
        yield (pending.popleft() if pending else None), result


def build_report(
    ruleset: Ruleset,
    rosters: Iterable[Iterable[ReadItem]],
    as_of: date,
    on_result: Callable[[Result], None] | None = None,
) -> Report:
    """Evaluate every roster and count the results. `on_result` sees each result (the CLI uses
    it for the progress bar and the stderr lines of error rows)."""
    report = Report(
        ruleset_name=ruleset.name,
        ruleset_version=ruleset.version_on(as_of),
        as_of=as_of,
        requirement_ids=ruleset.requirement_ids,
    )
    for items in rosters:
        for item, result in paired(ruleset, items, as_of):
            report.add(item, result)
            if on_result is not None:
                on_result(result)
    return report


# --- rendering ---------------------------------------------------------------------------------

_LABELS = {
    "compliant": "compliant",
    "in_progress": "in progress",
    "non_compliant": "non-compliant",
    "exempt": "exempt",
    "not_required": "not required",
    "error": "error",
}


def _need_text(need: Need) -> str:
    """What a requirement still needs, in one line: its reasons, which say what is missing."""
    return "; ".join(need.reasons)


def _table(report: Report) -> str:
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=140, force_terminal=False)
    console.print(
        f"ctrules report: {report.students} students, ruleset {report.ruleset_name} "
        f"{report.ruleset_version}, as of {report.as_of.isoformat()}"
    )
    for school in report.schools:
        grades = Table(title=f"{school}: students by grade (overall status)", title_justify="left")
        grades.add_column("grade")
        grades.add_column("students", justify="right")
        for status in STATUSES:
            grades.add_column(_LABELS[status], justify="right")
        grades.add_column("exempt: medical / religious / statutory", justify="right")
        rows = [(grade, report.cells[(school, grade)]) for grade in report.grades(school)]
        rows.append(("all", report.total(school)))
        for grade, cell in rows:
            survey = " *" if grade in SURVEY_GRADES else ""
            kinds = " / ".join(str(cell.exempt_by_kind[k]) for k in EXEMPTION_KINDS)
            grades.add_row(grade + survey, str(cell.total), *(str(cell.students[s]) for s in STATUSES), kinds)
        console.print(grades)
        total = report.total(school)
        requirements = Table(title=f"{school}: students by requirement", title_justify="left")
        requirements.add_column("requirement")
        for status in REQUIREMENT_STATUSES:
            requirements.add_column(_LABELS[status], justify="right")
        for name in report._requirement_order(total.requirements):
            counts = total.requirements[name]
            requirements.add_row(name, *(str(counts[s]) for s in REQUIREMENT_STATUSES))
        console.print(requirements)
    console.print("* a grade Connecticut's annual kindergarten and grade 7 survey reports")
    if report.actions:
        # Plain lines, not a rich table: a district's list runs to tens of thousands of rows,
        # which rich would take minutes to lay out.
        console.print(
            f"Students needing action ({len(report.actions)}): id, school, grade, requirement, status, "
            "the date from which a further dose counts, and what is missing"
        )
        for row in report.actions:
            for need in row.needs:
                due = need.next_due.isoformat() if need.next_due else "-"
                out.write(
                    f"  {row.id}  {row.school}  {row.grade}  {need.requirement}  {_LABELS[need.status]}  {due}  "
                    f"{_need_text(need)}\n"
                )
    else:
        console.print("No student needs action.")
    if report.errors:
        console.print(f"Records that could not be evaluated ({len(report.errors)}):")
        for error in report.errors:
            for message in error.errors:
                out.write(f"  {error.id or '(no id)'}: {message}\n")
    return out.getvalue()


CSV_COLUMNS = (
    "record",
    "school",
    "grade",
    "requirement",
    "status",
    "count",
    "id",
    "clause",
    "next_due",
    "detail",
)


def _csv(report: Report) -> str:
    """One tidy table: `count` rows (requirement empty: students by overall status), then one
    `action` row per requirement a student needs, then one `error` row per unreadable record."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def counts(school: str, grade: str, cell: Cell) -> None:
        for status in STATUSES:
            writer.writerow(["count", school, grade, "", status, cell.students[status], "", "", "", ""])
        for name in report._requirement_order(cell.requirements):
            for status in REQUIREMENT_STATUSES:
                writer.writerow(["count", school, grade, name, status, cell.requirements[name][status], "", "", "", ""])

    for school in report.schools:
        for grade in report.grades(school):
            counts(school, grade, report.cells[(school, grade)])
    for row in report.actions:
        for need in row.needs:
            due = need.next_due.isoformat() if need.next_due else ""
            writer.writerow(
                [
                    "action",
                    row.school,
                    row.grade,
                    need.requirement,
                    need.status,
                    "",
                    row.id,
                    need.clause or "",
                    due,
                    "; ".join(need.reasons),
                ]
            )
    for error in report.errors:
        writer.writerow(
            ["error", error.school, error.grade, "", "error", "", error.id, "", "", "; ".join(error.errors)]
        )
    return out.getvalue()


_COLOURS = {
    "compliant": "#2e7d32",
    "in_progress": "#f9a825",
    "non_compliant": "#c62828",
    "exempt": "#6a1b9a",
    "not_required": "#90a4ae",
    "error": "#424242",
}

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 75em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; vertical-align: top; }
th:first-child, td:first-child, td.text { text-align: left; }
.chart { margin: 0.5em 0 1em; }
.row { display: flex; align-items: center; margin: 2px 0; }
.label { width: 4em; font-weight: bold; }
.bar { display: flex; width: 40em; height: 1.3em; background: #eee; }
.bar span { display: block; height: 100%; }
.n { margin-left: 0.6em; color: #555; font-size: 0.9em; }
.legend span { display: inline-block; margin-right: 1em; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: middle; }
.survey { font-size: 0.8em; color: #555; }
"""


def _bar(cell: Cell) -> str:
    total = cell.total or 1
    parts = []
    for status in STATUSES:
        n = cell.students[status]
        if n:
            share = 100 * n / total
            parts.append(
                f'<span style="width:{share:.3f}%;background:{_COLOURS[status]}" title="{_LABELS[status]}: {n}"></span>'
            )
    return f'<div class="bar">{"".join(parts)}</div>'


def _html(report: Report) -> str:
    e = html.escape
    title = f"Immunization report: {report.ruleset_name} {report.ruleset_version}, as of {report.as_of.isoformat()}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{report.students} students; {len(report.actions)} need action; "
        f"{len(report.errors)} could not be evaluated.</p>",
        '<p class="legend">'
        + "".join(f'<span><i style="background:{_COLOURS[s]}"></i>{_LABELS[s]}</span>' for s in STATUSES)
        + "</p>",
    ]
    for school in report.schools:
        out.append(f"<h2>{e(school)}</h2>")
        out.append('<div class="chart">')
        for grade in report.grades(school):
            cell = report.cells[(school, grade)]
            survey = ' <span class="survey">survey</span>' if grade in SURVEY_GRADES else ""
            out.append(
                f'<div class="row"><span class="label">{e(grade)}{survey}</span>{_bar(cell)}'
                f'<span class="n">{cell.total} students, {cell.students["compliant"]} compliant</span></div>'
            )
        out.append("</div>")
        head = "".join(f"<th>{_LABELS[s]}</th>" for s in STATUSES)
        out.append(
            f"<table><tr><th>grade</th><th>students</th>{head}"
            "<th>exempt: medical</th><th>religious</th><th>statutory</th></tr>"
        )
        rows = [(grade, report.cells[(school, grade)]) for grade in report.grades(school)]
        rows.append(("all", report.total(school)))
        for grade, cell in rows:
            cells = "".join(f"<td>{cell.students[s]}</td>" for s in STATUSES)
            kinds = "".join(f"<td>{cell.exempt_by_kind[k]}</td>" for k in EXEMPTION_KINDS)
            out.append(f"<tr><td>{e(grade)}</td><td>{cell.total}</td>{cells}{kinds}</tr>")
        out.append("</table>")
        total = report.total(school)
        head = "".join(f"<th>{_LABELS[s]}</th>" for s in REQUIREMENT_STATUSES)
        out.append(f"<h3>By requirement</h3><table><tr><th>requirement</th>{head}</tr>")
        for name in report._requirement_order(total.requirements):
            cells = "".join(f"<td>{total.requirements[name][s]}</td>" for s in REQUIREMENT_STATUSES)
            out.append(f"<tr><td>{e(name)}</td>{cells}</tr>")
        out.append("</table>")
    out.append(f"<h2>Students needing action ({len(report.actions)})</h2>")
    if report.actions:
        out.append(
            "<table><tr><th>id</th><th>school</th><th>grade</th><th>requirement</th><th>status</th>"
            "<th>from</th><th>needs</th></tr>"
        )
        for row in report.actions:
            for need in row.needs:
                due = need.next_due.isoformat() if need.next_due else ""
                out.append(
                    f'<tr><td>{e(row.id)}</td><td class="text">{e(row.school)}</td><td class="text">{e(row.grade)}'
                    f'</td><td class="text">{e(need.requirement)}</td><td class="text">{_LABELS[need.status]}</td>'
                    f'<td class="text">{due}</td><td class="text">{e("; ".join(need.reasons))}</td></tr>'
                )
        out.append("</table>")
    out.append(f"<h2>Records that could not be evaluated ({len(report.errors)})</h2>")
    if report.errors:
        out.append("<table><tr><th>id</th><th>errors</th></tr>")
        for error in report.errors:
            out.append(
                f'<tr><td>{e(error.id or "(no id)")}</td><td class="text">{e("; ".join(error.errors))}</td></tr>'
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render_report(report: Report, style: str) -> str:
    if style == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if style == "csv":
        return _csv(report)
    if style == "html":
        return _html(report)
    return _table(report)
