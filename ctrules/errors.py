"""The exceptions ctrules raises to its callers; everything else is a bug."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .diagnostics import Diagnostic, render
from .source import SourceFile

__all__ = ["CtrulesError", "InputError", "InputFileError", "RulesetError", "VersionError"]


class CtrulesError(Exception):
    """Base of every error ctrules reports to a user (never shown as a traceback)."""


class RulesetError(CtrulesError):
    """A rule file could not be loaded; `diagnostics` says every problem found and where."""

    def __init__(self, diagnostics: Sequence[Diagnostic], sources: Mapping[str, SourceFile]):
        self.diagnostics = tuple(diagnostics)
        self.sources = dict(sources)
        super().__init__(self.render("short"))

    def render(self, style: str = "human") -> str:
        return render(self.diagnostics, self.sources, style)


class InputError(CtrulesError):
    """A student record is not usable; names the record and the field."""

    def __init__(self, message: str, *, field: str = "", record: str = ""):
        self.field = field
        self.record = record
        super().__init__(message)


class InputFileError(CtrulesError):
    """A whole input file is unusable (not UTF-8, not JSON nor CSV, a CSV without its header)."""


class VersionError(CtrulesError, ValueError):
    """The evaluation date falls outside every version of the ruleset: no rules are in force."""
