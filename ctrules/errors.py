"""The exceptions ctrules raises to its callers; everything else is a bug."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .diagnostics import Diagnostic, render
from .source import SourceFile

__all__ = ["CtrulesError", "InputError", "InputFileError", "RulesetError", "UsageError", "VersionError"]


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
    """A student record is not usable; names the record, the field, and a stable code
    (docs/diagnostics.md, "Student records"): CTR401 a required field is missing, CTR402 not a
    date, CTR403 dates in an impossible order, CTR404 an unknown vaccine or CVX code, CTR405 a
    grade or type outside the contract's list, CTR406 an unknown disease or requirement name,
    CTR407 a record of the wrong shape."""

    def __init__(self, message: str, *, field: str = "", record: str = "", code: str = "CTR407"):
        self.field = field
        self.record = record
        self.code = code
        super().__init__(message)


class InputFileError(CtrulesError):
    """A whole input file is unusable (not UTF-8, not JSON nor CSV, a CSV without its header)."""


class VersionError(CtrulesError, ValueError):
    """The evaluation date falls outside every version of the ruleset: no rules are in force."""


class UsageError(CtrulesError):
    """A command was asked something it cannot do as written (exit 2): a ruleset named with a
    date on which it has no rules, two rulesets with no evaluation date in common."""
