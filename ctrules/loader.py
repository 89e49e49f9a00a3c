"""The pipeline in one place: source → parse tree → AST (with includes merged) → static
checks → compiled ruleset. `ctrules.load` and `ctrules.compile` call this."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import attrs

from . import ast
from .amend import apply_amendment
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
            # The header line is enough to learn the name; parsing every bundled ruleset just
            # to find one would make each load several times slower.
            header = _HEADER.search(main.read_text(encoding="utf-8"))
            found[header.group(1) if header else folder.name] = main
    return found


_HEADER = re.compile(r"^ruleset\s+([A-Za-z][A-Za-z0-9_\-/]*)", re.MULTILINE)


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
        amendments=main.amendments + part.amendments,
    )


def _bundled_folder(name: str) -> Path | None:
    main = _bundled().get(name)
    if main is None:
        main = next((m for m in _bundled().values() if m.parent.name == name), None)
    return main.parent if main is not None else None


def load_ast(source: SourceFile, base: Path | None) -> tuple[ast.Ruleset, dict[str, SourceFile]]:
    """Parse a file and the files it includes into one AST.

    An include is read relative to the file that names it, and only from `base` (the main
    file's folder) or below, so a ruleset cannot read arbitrary files.
    """
    sources = {source.name: source}
    diagnostics: list[Diagnostic] = []
    display_root = Path(source.name).parent

    def load(current: SourceFile, folder: Path | None, root: Path | None, depth: int) -> ast.Ruleset:
        """`root` confines includes: the main file's folder, or a bundled ruleset's folder."""
        tree = build(parse(current), current)
        merged = tree
        for include in tree.includes:
            include_root, include_folder, shown_root = root, folder, display_root
            if include.bundled is not None:
                include_root = include_folder = _bundled_folder(include.bundled.text)
                shown_root = Path(f"<{include.bundled.text}>")
                if include_root is None:
                    diagnostics.append(
                        Diagnostic(
                            code="CTR206",
                            message=f'there is no bundled ruleset "{include.bundled.text}"',
                            span=include.bundled.span,
                            help="bundled rulesets: " + ", ".join(bundled_names()),
                        )
                    )
                    continue
            if include_root is None or include_folder is None:
                diagnostics.append(
                    Diagnostic(code="CTR206", message="include needs a ruleset read from a file", span=include.span)
                )
                continue
            target = (include_folder / include.path).resolve()
            if include_root.resolve() not in target.parents or depth >= MAX_INCLUDE_DEPTH:
                diagnostics.append(
                    Diagnostic(
                        code="CTR206",
                        message=f'cannot include "{include.path}"',
                        span=include.span,
                        help="include files from the ruleset's own folder or below it "
                        '(or a bundled ruleset\'s file: include "vaccines.ctr" from ct)',
                    )
                )
                continue
            if not target.is_file():
                diagnostics.append(
                    Diagnostic(
                        code="CTR206",
                        message=f'included file "{include.path}" does not exist',
                        span=include.span,
                        help=f"looked for {target}",
                    )
                )
                continue
            name = str(shown_root / target.relative_to(include_root.resolve()))
            part = SourceFile(name, target.read_text(encoding="utf-8"))
            sources[name] = part
            merged = _merge(merged, load(part, target.parent, include_root, depth + 1))
        return merged

    try:
        ruleset = load(source, base, base, 0)
        if ruleset.amends is not None:
            ruleset = _amended(ruleset, ruleset.amends, sources, diagnostics)
    except RulesetError as error:
        raise RulesetError(error.diagnostics, {**sources, **error.sources}) from None
    if diagnostics:
        raise RulesetError(diagnostics, sources)
    return ruleset, sources


def _amended(
    amendment: ast.Ruleset, amends: ast.Name, sources: dict[str, SourceFile], diagnostics: list[Diagnostic]
) -> ast.Ruleset:
    """The bundled ruleset `amends` names, with this file's changes applied."""
    folder = _bundled_folder(amends.text)
    if folder is None:
        diagnostics.append(
            Diagnostic(
                code="CTR207",
                message=f'there is no bundled ruleset "{amends.text}" to amend',
                span=amends.span,
                help="bundled rulesets: " + ", ".join(bundled_names()),
            )
        )
        return amendment
    main = folder / "ruleset.ctr"
    base, base_sources = load_ast(SourceFile(f"<{amends.text}>/ruleset.ctr", main.read_text(encoding="utf-8")), folder)
    sources.update(base_sources)
    merged, problems = apply_amendment(base, amendment)
    diagnostics.extend(problems)
    return merged


def check_sources(
    source: SourceFile, base: Path | None, deep: bool = True
) -> tuple[ast.Ruleset, dict[str, SourceFile], list[Diagnostic]]:
    """Load and analyse; raise only for syntax errors, return every static finding (`deep`:
    with the analysis over the space of students, see `analyze`)."""
    ruleset, sources = load_ast(source, base)
    return ruleset, sources, analyze(ruleset, deep=deep)
