"""The pipeline in one place: source → parse tree → AST (with includes merged) → static
checks → compiled ruleset. `ctrules.load` and `ctrules.compile` call this."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import attrs

from . import ast
from .analyze import analyze
from .build_ast import build
from .diagnostics import Diagnostic
from .errors import RulesetError
from .parse import data_dir, parse
from .source import SourceFile

__all__ = ["bundled_names", "check_sources", "load_ast", "resolve_ruleset_path"]

MAX_INCLUDE_DEPTH = 8


@functools.cache
def _bundled() -> dict[str, Path]:
    """Bundled rulesets by the name each declares in its header (`ruleset ct …`), read once.
    Each is a folder with a `ruleset.ctr`; the folder name also finds it."""
    found: dict[str, Path] = {}
    for folder in sorted(data_dir("rulesets").iterdir()):
        main = folder / "ruleset.ctr"
        if main.is_file():
            source = SourceFile.read(main)
            tree = build(parse(source), source)
            found[tree.name.text if tree.name else folder.name] = main
    return found


def bundled_names() -> list[str]:
    """Names of the rulesets shipped with ctrules."""
    return list(_bundled())


def resolve_ruleset_path(name_or_path: str) -> Path:
    """A path to a `.ctr` file (or a folder holding `ruleset.ctr`), or a bundled ruleset's name."""
    path = Path(name_or_path)
    # A bare word is a bundled name, even if a file of that name happens to be in the folder.
    if path.suffix == ".ctr" or "/" in name_or_path or os.sep in name_or_path:
        return path / "ruleset.ctr" if path.is_dir() else path
    bundled = _bundled()
    if name_or_path in bundled:
        return bundled[name_or_path]
    for main in bundled.values():
        if main.parent.name == name_or_path:
            return main
    raise FileNotFoundError(name_or_path)


def _merge(main: ast.Ruleset, part: ast.Ruleset) -> ast.Ruleset:
    return attrs.evolve(
        main,
        vaccines=main.vaccines + part.vaccines,
        groups=main.groups + part.groups,
        requirements=main.requirements + part.requirements,
        exemptions=main.exemptions + part.exemptions,
        in_process=main.in_process + part.in_process,
    )


def load_ast(source: SourceFile, base: Path | None) -> tuple[ast.Ruleset, dict[str, SourceFile]]:
    """Parse a file and the files it includes into one AST.

    An include is read relative to the file that names it, and only from `base` (the main
    file's folder) or below, so a ruleset cannot read arbitrary files.
    """
    sources = {source.name: source}
    diagnostics: list[Diagnostic] = []
    display_root = Path(source.name).parent

    def load(current: SourceFile, folder: Path | None, depth: int) -> ast.Ruleset:
        tree = build(parse(current), current)
        merged = tree
        for include in tree.includes:
            if base is None or folder is None:
                diagnostics.append(
                    Diagnostic(code="CTR206", message="include needs a ruleset read from a file", span=include.span)
                )
                continue
            target = (folder / include.text).resolve()
            if base.resolve() not in target.parents or depth >= MAX_INCLUDE_DEPTH:
                diagnostics.append(
                    Diagnostic(
                        code="CTR206",
                        message=f'cannot include "{include.text}"',
                        span=include.span,
                        help="include files from the ruleset's own folder or below it",
                    )
                )
                continue
            if not target.is_file():
                diagnostics.append(
                    Diagnostic(
                        code="CTR206",
                        message=f'included file "{include.text}" does not exist',
                        span=include.span,
                        help=f"looked for {target}",
                    )
                )
                continue
            name = str(display_root / target.relative_to(base.resolve()))
            part = SourceFile(name, target.read_text(encoding="utf-8"))
            sources[name] = part
            merged = _merge(merged, load(part, target.parent, depth + 1))
        return merged

    try:
        ruleset = load(source, base, 0)
    except RulesetError as error:
        raise RulesetError(error.diagnostics, {**sources, **error.sources}) from None
    if diagnostics:
        raise RulesetError(diagnostics, sources)
    return ruleset, sources


def check_sources(source: SourceFile, base: Path | None) -> tuple[ast.Ruleset, dict[str, SourceFile], list[Diagnostic]]:
    """Load and analyse; raise only for syntax errors, return every static finding."""
    ruleset, sources = load_ast(source, base)
    return ruleset, sources, analyze(ruleset)
