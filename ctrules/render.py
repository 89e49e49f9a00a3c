"""Results into output text: `json`, `jsonl`, `csv` and a terminal `table`."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Sequence
from typing import TextIO

from .results import Result

__all__ = ["FORMATS", "ResultSink", "render_results"]

FORMATS = ("json", "jsonl", "csv", "table")

CSV_COLUMNS = ("id", "as_of", "status", "requirement", "requirement_status", "clause", "reasons")


def _csv_rows(result: Result) -> list[list[object]]:
    """One row per requirement (one row for a record in error)."""
    if not result.requirements:
        return [[result.id, result.as_of, result.status.value, "", "", "", "; ".join(result.errors)]]
    return [
        [
            result.id,
            result.as_of,
            result.status.value,
            requirement.requirement,
            requirement.status.value,
            requirement.clause or "",
            "; ".join(requirement.reasons),
        ]
        for requirement in result.requirements.values()
    ]


def _csv(results: Sequence[Result]) -> str:
    """One row per student and requirement (one row for a record in error)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        writer.writerows(_csv_rows(result))
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


class ResultSink:
    """Results written as they come (json, jsonl, csv) into a spooled temporary file, then
    copied out at the end: memory stays flat however long the roster, and nothing reaches
    stdout before the whole input has been read (an unusable file leaves stdout empty). The
    text is exactly what `render_results` gives. The table is for people, not rosters: it is
    drawn from all the results at the end."""

    SPOOL_BYTES = 16 * 1024 * 1024

    def __init__(self, style: str):
        self.style = style
        self.count = 0
        self.kept: list[Result] = []
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by finish() or discard()
            max_size=self.SPOOL_BYTES, mode="w+", encoding="utf-8", newline=""
        )
        self.csv = csv.writer(self.file, lineterminator="\n")
        if style == "csv":
            self.csv.writerow(CSV_COLUMNS)

    def add(self, result: Result) -> None:
        if self.style == "jsonl":
            self.file.write(json.dumps(result.to_dict()) + "\n")
        elif self.style == "csv":
            self.csv.writerows(_csv_rows(result))
        elif self.style == "table":
            self.kept.append(result)
        else:
            item = json.dumps(result.to_dict(), indent=2).replace("\n", "\n  ")
            self.file.write(("[\n  " if self.count == 0 else ",\n  ") + item)
        self.count += 1

    def finish(self, out: TextIO) -> None:
        """Copy everything to `out` and release the spool."""
        if self.style == "table":
            out.write(_table(self.kept))
        elif self.style == "json":
            self.file.write("\n]\n" if self.count else "[]\n")
        self.file.seek(0)
        while block := self.file.read(1 << 16):
            out.write(block)
        self.file.close()

    def discard(self) -> None:
        self.file.close()


def render_results(results: Sequence[Result], style: str) -> str:
    if style == "jsonl":
        return "".join(json.dumps(r.to_dict()) + "\n" for r in results)
    if style == "csv":
        return _csv(results)
    if style == "table":
        return _table(results)
    return json.dumps([r.to_dict() for r in results], indent=2) + "\n"
