"""The public API: `load`, `compile`, `Ruleset.evaluate`, `Ruleset.evaluate_many`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import ast
from .compiler import compile_ruleset
from .dates import parse_iso
from .errors import RulesetError
from .evaluate import Evaluator
from .loader import check_sources, resolve_ruleset_path
from .records import ReadItem, Student
from .results import Result
from .source import SourceFile

__all__ = ["Ruleset", "compile", "load"]


class Ruleset:
    """A compiled ruleset, ready to evaluate students. Immutable and safe to share."""

    def __init__(self, tree: ast.Ruleset, sources: Mapping[str, SourceFile]):
        self.ast = tree
        self.sources = dict(sources)
        self.compiled = compile_ruleset(tree)
        self._evaluator = Evaluator(self.compiled)

    @property
    def name(self) -> str:
        return self.compiled.name

    @property
    def version(self) -> str:
        return self.compiled.version

    @property
    def versions(self) -> tuple[ast.Version, ...]:
        """The named periods this ruleset covers, in date order (empty: one set of rules for every date)."""
        return self.compiled.versions

    @property
    def amends(self) -> str | None:
        """The name of the ruleset this one amends, if it is an amendment."""
        return self.compiled.base_name

    def version_on(self, as_of: date | str) -> str:
        """The id of the version in force on a date; `VersionError` if none is."""
        return self.compiled.version_on(_as_of(as_of)).id

    @property
    def requirement_ids(self) -> list[str]:
        return [r.name for r in self.compiled.requirements]

    def evaluate(self, student: Mapping[str, Any] | Student, as_of: date | str | None = None) -> Result:
        """Evaluate one student (a contract dict or a `Student`); a bad record gives an error result."""
        return next(self._evaluator.evaluate_many([student], _as_of(as_of)))

    def evaluate_many(
        self,
        students: Iterable[Mapping[str, Any] | Student | ReadItem],
        as_of: date | str | None = None,
        jobs: int | None = 1,
    ) -> Iterator[Result]:
        """Evaluate students lazily, in input order; one result per input, errors included.
        `jobs`: processes to use (None: every core); a roster of fewer than `parallel.CHUNK`
        records is evaluated in this process whatever `jobs` says."""
        day = _as_of(as_of)
        if jobs == 1:
            return self._evaluator.evaluate_many(students, day)
        from .parallel import default_jobs, evaluate_parallel
        from .records import Roster, students_from

        # A roster read from a file is handed over unread where its layout allows: the worker
        # processes read the records, not this one.
        items = students.unread() if isinstance(students, Roster) else students_from(students)
        return evaluate_parallel(self.compiled, items, day, jobs or default_jobs())

    def __repr__(self) -> str:
        return f"<Ruleset {self.name} {self.version}>"


def _as_of(value: date | str | None) -> date:
    """The evaluation date: a date (a datetime counts by its date), YYYY-MM-DD text, or today."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_iso(value)
    raise TypeError(f"as_of must be a date or YYYY-MM-DD text, not {type(value).__name__}")


def _from_source(source: SourceFile, base: Path | None) -> Ruleset:
    # The student-space analysis (gaps, masked rules, …) belongs to `ctrules check`, not to
    # every load: it takes far longer than compiling and finds nothing that makes evaluation unsafe.
    tree, sources, diagnostics = check_sources(source, base, deep=False)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise RulesetError(errors, sources)
    return Ruleset(tree, sources)


def load(name_or_path: str | Path) -> Ruleset:
    """Load a bundled ruleset by name (`"ct"`) or a `.ctr` file by path."""
    path = resolve_ruleset_path(str(name_or_path))
    return _from_source(SourceFile.read(path), path.parent)


def compile(text: str, name: str = "<string>") -> Ruleset:  # noqa: A001 - the contract's name
    """Compile ruleset text (no includes) into a `Ruleset`."""
    return _from_source(SourceFile(name, text), None)
