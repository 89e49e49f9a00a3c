"""Results into output text: `json`, `jsonl`, `csv` and a terminal `table`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from .results import Result

__all__ = ["FORMATS", "render_results"]

FORMATS = ("json", "jsonl", "csv", "table")

CSV_COLUMNS = ("id", "as_of", "status", "requirement", "requirement_status", "clause", "reasons")


def _csv(results: Sequence[Result]) -> str:
    """One row per student and requirement (one row for a record in error)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        if not result.requirements:
            writer.writerow([result.id, result.as_of, result.status.value, "", "", "", "; ".join(result.errors)])
        for requirement in result.requirements.values():
            writer.writerow(
                [
                    result.id,
                    result.as_of,
                    result.status.value,
                    requirement.requirement,
                    requirement.status.value,
                    requirement.clause or "",
                    "; ".join(requirement.reasons),
                ]
            )
    return out.getvalue()


_SHORT = {
    "compliant": "ok",
    "in_progress": "in progress",
    "non_compliant": "NOT MET",
    "not_required": "-",
    "exempt": "exempt",
    "error": "error",
}


def _table(results: Sequence[Result]) -> str:
    """A student-by-requirement grid (rich draws it; colour only on a terminal)."""
    from rich.console import Console
    from rich.table import Table

    requirements: list[str] = []
    for result in results:
        for name in result.requirements:
            if name not in requirements:
                requirements.append(name)
    table = Table(show_lines=False)
    table.add_column("id")
    table.add_column("status")
    for name in requirements:
        table.add_column(name)
    for result in results:
        cells = [result.id, result.status.value]
        cells += [_SHORT[result.requirements[n].status.value] if n in result.requirements else "" for n in requirements]
        table.add_row(*cells)
    out = io.StringIO()
    Console(file=out, width=max(120, 14 * (len(requirements) + 2)), force_terminal=False).print(table)
    # Records in error have no requirement cells; their messages follow the table.
    for result in results:
        for error in result.errors:
            out.write(f"{result.id or '(no id)'}: {error}\n")
    return out.getvalue()


def render_results(results: Sequence[Result], style: str) -> str:
    if style == "jsonl":
        return "".join(json.dumps(r.to_dict()) + "\n" for r in results)
    if style == "csv":
        return _csv(results)
    if style == "table":
        return _table(results)
    return json.dumps([r.to_dict() for r in results], indent=2) + "\n"
