"""Source text and positions: where in which `.ctr` file a piece of a rule came from."""

from __future__ import annotations

from pathlib import Path

import attrs

__all__ = ["SourceFile", "Span"]


@attrs.frozen(kw_only=True)
class Span:
    """A region of a source file, 1-based lines and columns (end exclusive), for messages."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0

    @classmethod
    def from_meta(cls, meta: object, file: str) -> Span:
        """The span of a Lark tree node (`propagate_positions=True` must be on)."""
        if getattr(meta, "empty", True):
            return cls(file=file, line=1, column=1, end_line=1, end_column=1)
        return cls(
            file=file,
            line=meta.line,  # type: ignore[attr-defined]
            column=meta.column,  # type: ignore[attr-defined]
            end_line=meta.end_line,  # type: ignore[attr-defined]
            end_column=meta.end_column,  # type: ignore[attr-defined]
            start=meta.start_pos,  # type: ignore[attr-defined]
            end=meta.end_pos,  # type: ignore[attr-defined]
        )

    @classmethod
    def from_token(cls, token: object, file: str) -> Span:
        """The span of one Lark token."""
        return cls(
            file=file,
            line=token.line,  # type: ignore[attr-defined]
            column=token.column,  # type: ignore[attr-defined]
            end_line=token.end_line,  # type: ignore[attr-defined]
            end_column=token.end_column,  # type: ignore[attr-defined]
            start=token.start_pos,  # type: ignore[attr-defined]
            end=token.end_pos,  # type: ignore[attr-defined]
        )

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NO_SPAN = Span(file="<builtin>", line=1, column=1, end_line=1, end_column=1)


def _normal_text(text: str) -> str:
    """Line endings as `\\n` (Windows `\\r\\n` and old Mac `\\r` alike) and no byte-order mark,
    so positions count the same whatever editor wrote the file."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@attrs.frozen
class SourceFile:
    """The text of one rule file and the name messages use for it."""

    name: str
    text: str = attrs.field(converter=_normal_text)

    @classmethod
    def read(cls, path: str | Path) -> SourceFile:
        path = Path(path)
        return cls(str(path), path.read_text(encoding="utf-8"))

    def line(self, number: int) -> str:
        """Line `number` (1-based) without its line ending, or '' past the end."""
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""
