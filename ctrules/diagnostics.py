"""Diagnostics: what is wrong in a rule file, where, and how to fix it; and their renderings.

A diagnostic is data (code, severity, message, span, labels, help); stages collect them and
the edge decides how to show them: `human` (source line and caret), `short`
(`file:line:col: error: … [CTR…]`, for editors and CI) or `json`.
Codes are stable: CTR1xx syntax, CTR2xx names, CTR3xx semantics, CTR4xx input records.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping

import attrs

from .source import SourceFile, Span

__all__ = ["Diagnostic", "Severity", "render", "render_human", "render_short", "to_json"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One finding about a rule file. A span is required: no message without a place."""

    code: str
    message: str
    span: Span
    severity: Severity = Severity.ERROR
    label: str = ""
    help: str = ""
    context: str = ""
    """The clause the problem sits under (`§ 10-204a-2a(a)(2) in requirement measles`)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def render_short(diagnostic: Diagnostic) -> str:
    d = diagnostic
    return f"{d.span}: {d.severity.value}: {d.message} [{d.code}]"


def render_human(diagnostic: Diagnostic, sources: Mapping[str, SourceFile]) -> str:
    """rustc-style: header, location, the source line with a caret, help and context."""
    d = diagnostic
    lines = [f"{d.severity.value}[{d.code}]: {d.message}", f"  --> {d.span}"]
    source = sources.get(d.span.file)
    if source is not None:
        text = source.line(d.span.line).expandtabs(4)
        gutter = " " * len(str(d.span.line))
        if d.span.end_line == d.span.line and d.span.end_column > d.span.column:
            width = d.span.end_column - d.span.column
        elif d.span.end_line > d.span.line:
            # A statement over several lines: underline the rest of its first line.
            width = max(1, len(text.rstrip()) - d.span.column + 1)
        else:
            width = 1
        caret = " " * (d.span.column - 1) + "^" * width
        lines += [
            f"{gutter} |",
            f"{d.span.line} | {text}",
            f"{gutter} | {caret}{' ' + d.label if d.label else ''}",
        ]
    if d.help:
        lines.append(f"  = help: {d.help}")
    if d.context:
        lines.append(f"  = in: {d.context}")
    return "\n".join(lines)


def to_json(diagnostic: Diagnostic) -> dict[str, object]:
    d = diagnostic
    return {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "file": d.span.file,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "label": d.label,
        "help": d.help,
        "context": d.context,
    }


def render(diagnostics: Iterable[Diagnostic], sources: Mapping[str, SourceFile], style: str = "human") -> str:
    """All diagnostics in one of the three styles, sorted by place."""
    ordered = sorted(diagnostics, key=lambda d: (d.span.file, d.span.line, d.span.column))
    if style == "json":
        return json.dumps([to_json(d) for d in ordered], indent=2)
    if style == "short":
        return "\n".join(render_short(d) for d in ordered)
    return "\n\n".join(render_human(d, sources) for d in ordered)
