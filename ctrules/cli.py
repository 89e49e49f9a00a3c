"""The `ctrules` command line: arguments in, API calls, renderers out. No rules logic here.

Exit codes (contract section 1): 0 success, whatever the students' statuses (a bad student
record is an `error` row and a line on stderr); 1 the ruleset or an input file has errors
(nothing is written to stdout); 2 usage error (argparse's own, or an `--as-of` date on which
the ruleset has no version in force).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .amend import describe_changes
from .api import Ruleset, load
from .dates import parse_iso
from .diagnostics import render as render_diagnostics
from .errors import InputFileError, RulesetError, UsageError, VersionError
from .loader import bundled_names, check_sources, resolve_ruleset_path
from .records import read_records
from .render import FORMATS, ResultSink
from .source import SourceFile

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
EXIT_DIFFERENT = 1
"""`diff` only: some student's status differs between the two rulesets."""


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return jobs


def _as_of(text: str) -> date:
    try:
        return parse_iso(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _load_ruleset(name: str) -> Ruleset | None:
    try:
        return load(name)
    except FileNotFoundError:
        names = ", ".join(bundled_names())
        print(f"ctrules: no ruleset {name!r}: not a .ctr file, nor a bundled ruleset ({names})", file=sys.stderr)
    except RulesetError as error:
        print(error.render("human"), file=sys.stderr)
    return None


def _prepare(name: str, inputs: list[str], as_of: date | None) -> tuple[Ruleset, date] | int:
    """What `evaluate`, `explain` and `report` check first: the ruleset loads, the inputs
    exist, and a version is in force on the evaluation date (default today). An exit code
    when one of them fails, with the message already on stderr."""
    ruleset = _load_ruleset(name)
    if ruleset is None:
        return EXIT_ERRORS
    missing = [p for p in inputs if p != "-" and (not Path(p).exists() or Path(p).is_dir())]
    for path in missing:
        print(f"ctrules: input {path}: no such file", file=sys.stderr)
    if missing:
        return EXIT_ERRORS
    day = as_of or date.today()
    try:
        ruleset.version_on(day)
    except VersionError as outside:
        print(f"ctrules: --as-of {day}: {outside}", file=sys.stderr)
        return EXIT_USAGE
    return ruleset, day


def _grades(path: str | None) -> Mapping[str, str] | None | int:
    """`--grades FILE` read (FHIR patients' grades), None without it, or an exit code when the
    file is unusable (the message already on stderr)."""
    if path is None:
        return None
    from .fhir import read_grades

    try:
        return read_grades(path)
    except InputFileError as unusable:
        print(f"ctrules: --grades {path}: {unusable}", file=sys.stderr)
        return EXIT_ERRORS


def cmd_evaluate(args: argparse.Namespace) -> int:
    prepared = _prepare(args.ruleset, args.inputs, args.as_of)
    if isinstance(prepared, int):
        return prepared
    ruleset, as_of = prepared
    grades = _grades(args.grades)
    if isinstance(grades, int):
        return grades
    sink = ResultSink(args.format)
    for path in args.inputs:

        def notice(message: str, path: str = path) -> None:
            print(f"ctrules: {path}: {message}", file=sys.stderr)

        try:
            records = read_records(path, grades=grades, notice=notice)
            for result in ruleset.evaluate_many(records, as_of=as_of, jobs=args.jobs):
                for error in result.errors:
                    print(f"ctrules: {path}: {error}", file=sys.stderr)
                sink.add(result)
        except InputFileError as error:
            print(f"ctrules: {path}: {error}", file=sys.stderr)
            sink.discard()
            return EXIT_ERRORS
    sink.finish(sys.stdout)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    """One student's evaluation, explained (docs/explain.md). Exit 1 when the student is not in
    the input, or their record cannot be evaluated (its error goes to stderr, as `evaluate` says)."""
    from .explain import explain, render_text
    from .records import RecordError
    from .suggest import did_you_mean

    path = args.input
    prepared = _prepare(args.ruleset, [path], args.as_of)
    if isinstance(prepared, int):
        return prepared
    ruleset, as_of = prepared
    try:
        items = list(read_records(path))
    except InputFileError as error:
        print(f"ctrules: {path}: {error}", file=sys.stderr)
        return EXIT_ERRORS
    found = next((item for item in items if item.id == args.student), None)
    if found is None:
        hint = did_you_mean(args.student, [item.id for item in items if item.id])
        read = f"{len(items)} student record{'' if len(items) == 1 else 's'} read"
        print(f"ctrules: no student {args.student!r} in {path} ({read}){'; ' + hint if hint else ''}", file=sys.stderr)
        return EXIT_ERRORS
    if isinstance(found, RecordError):
        print(f"ctrules: {path}: {found.describe()}", file=sys.stderr)
        return EXIT_ERRORS
    explained = explain(ruleset, found, as_of)
    if "errors" in explained:
        for problem in explained["errors"]:
            print(f"ctrules: {path}: {problem}", file=sys.stderr)
        return EXIT_ERRORS
    if args.format == "json":
        sys.stdout.write(json.dumps(explained, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(explained))
    return EXIT_OK


def _describe_ruleset(name: str) -> dict[str, object]:
    """A bundled ruleset's listing: title, versions with their dates, and (for an amendment)
    the ruleset it amends and what it changes."""
    ruleset = load(name)
    changes = ruleset.ast.changes
    return {
        "name": name,
        "title": ruleset.compiled.title,
        "requirements": len(ruleset.requirement_ids),
        "amends": ruleset.amends,
        "changes": describe_changes(changes) if changes is not None else [],
        "versions": [
            {
                "id": v.id,
                "from": v.in_force.start.isoformat() if v.in_force.start else None,
                "until": v.in_force.end.isoformat() if v.in_force.end else None,
                "description": v.description,
            }
            for v in ruleset.versions
        ],
    }


def cmd_rulesets(args: argparse.Namespace) -> int:
    listing = [_describe_ruleset(name) for name in bundled_names()]
    if args.format == "json":
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return EXIT_OK
    for entry in listing:
        amends = f"  (amends {entry['amends']})" if entry["amends"] else ""
        print(f"{entry['name']}{amends}: {entry['title']}")
        print(f"  {entry['requirements']} requirements")
        versions = entry["versions"]
        assert isinstance(versions, list)
        if versions:
            print("  versions:")
        for v in versions:
            span = f"{v['from'] or '…'} to {v['until'] or 'today'}"
            described = f"  {v['description']}" if v["description"] else ""
            print(f"    {v['id']:<12} {span:<26}{described}")
        changes = entry["changes"]
        assert isinstance(changes, list)
        if changes:
            print(f"  changes to {entry['amends']}:")
        for line in changes:
            print(f"    - {line}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    failed = False
    for name in args.files:
        try:
            path = resolve_ruleset_path(name)
            source = SourceFile.read(path)
        except (FileNotFoundError, OSError):
            print(f"ctrules: {name}: no such ruleset file", file=sys.stderr)
            failed = True
            continue
        except UnicodeDecodeError as error:
            print(f"ctrules: {name}: not UTF-8 text (byte {error.start})", file=sys.stderr)
            failed = True
            continue
        try:
            tree, sources, diagnostics = check_sources(source, path.parent)
        except RulesetError as error:
            print(error.render(args.message_format), file=sys.stderr)
            failed = True
            continue
        if diagnostics:
            print(render_diagnostics(diagnostics, sources, args.message_format), file=sys.stderr)
        if any(d.is_error for d in diagnostics):
            failed = True
        elif args.message_format != "json":
            print(f"{path}: ok ({len(tree.requirements)} requirements)", file=sys.stderr)
    return EXIT_ERRORS if failed else EXIT_OK


def cmd_lsp(args: argparse.Namespace) -> int:
    """The language server for editors on stdio (docs/editors.md); pygls is an optional extra."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("ctrules lsp: the language server needs pygls: pip install 'ctrules[lsp]'", file=sys.stderr)
        return EXIT_ERRORS
    from .lsp import serve

    return serve()


def _unified_diff(before: str, after: str, name: str) -> str:
    import difflib

    lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True), name, f"{name} (formatted)")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def cmd_fmt(args: argparse.Namespace) -> int:
    """Rewrite ruleset files in the canonical layout (a folder: every `.ctr` file below it). With
    `--check` or `--diff` nothing is written and a file that would change makes the exit code 1; a
    file with syntax errors is reported and left as it is."""
    from .fmt import format_source

    preview = args.check or args.diff
    failed, changed, unchanged = False, 0, 0
    for name in args.paths:
        path = Path(name)
        if not path.exists():
            print(f"ctrules: {name}: no such file or folder", file=sys.stderr)
            failed = True
            continue
        for file in sorted(path.rglob("*.ctr")) if path.is_dir() else [path]:
            try:
                raw = file.read_bytes().decode("utf-8")
            except UnicodeDecodeError as error:
                print(f"ctrules: {file}: not UTF-8 text (byte {error.start}); left as it is", file=sys.stderr)
                failed = True
                continue
            source = SourceFile(str(file), raw)
            try:
                formatted = format_source(source.text, str(file))
            except RulesetError as error:
                print(error.render("human"), file=sys.stderr)
                failed = True
                continue
            # Compared with the file as written: Windows line endings or a byte-order mark are
            # layout too, and the canonical file has neither.
            if formatted == raw:
                unchanged += 1
                continue
            changed += 1
            if args.diff:
                sys.stdout.write(_unified_diff(source.text, formatted, str(file)))
            if preview:
                print(f"would reformat {file}", file=sys.stderr)
            else:
                file.write_text(formatted, encoding="utf-8", newline="\n")
                print(f"reformatted {file}", file=sys.stderr)
    done = "would be reformatted" if preview else "reformatted"
    print(f"ctrules fmt: {changed} file(s) {done}, {unchanged} already formatted", file=sys.stderr)
    return EXIT_ERRORS if failed or (preview and changed) else EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    """One self-contained HTML page for the ruleset (docs/render.md)."""
    ruleset = _load_ruleset(args.ruleset)
    if ruleset is None:
        return EXIT_ERRORS
    from .html import render_page  # Pygments is imported only by this command

    page = render_page(ruleset)
    if args.output:
        Path(args.output).write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Counts by school, grade and requirement, and the students needing action (docs/report.md).
    A progress bar goes to stderr only when stderr is a terminal."""
    from .records import ReadItem
    from .report import build_report, render_report
    from .results import Result

    prepared = _prepare(args.ruleset, args.inputs, args.as_of)
    if isinstance(prepared, int):
        return prepared
    ruleset, as_of = prepared
    problems: list[str] = []
    current = [""]
    progress = None
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description} {task.completed} students"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
    task = progress.add_task("evaluating", total=None) if progress else None
    counted = 0

    def on_result(result: Result) -> None:
        nonlocal counted
        counted += 1
        problems.extend(f"{current[0]}: {error}" for error in result.errors)
        if progress is not None and task is not None and counted % 500 == 0:
            progress.update(task, completed=counted)

    def rosters() -> Iterator[Iterator[ReadItem]]:
        for path in args.inputs:
            current[0] = path
            yield read_records(path)

    try:
        if progress is not None:
            progress.start()
        report = build_report(ruleset, rosters(), as_of, on_result)
    except InputFileError as error:
        print(f"ctrules: {current[0]}: {error}", file=sys.stderr)
        return EXIT_ERRORS
    finally:
        if progress is not None:
            progress.stop()
    for problem in problems:
        print(f"ctrules: {problem}", file=sys.stderr)
    text = render_report(report, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """What changed between two rulesets and which students it moves (docs/diff.md). Exit 0 when
    no student's status differs, 1 when one does (so CI can gate a rules change) or a ruleset
    or the roster has errors (then stdout is empty), 2 usage error."""
    from .diff import compare, open_side, render_diff

    sides = []
    for spec in (args.old, args.new):
        try:
            sides.append(open_side(spec))
        except FileNotFoundError:
            names = ", ".join(bundled_names())
            print(f"ctrules: no ruleset {spec!r}: not a .ctr file, nor a bundled ruleset ({names})", file=sys.stderr)
            return EXIT_ERRORS
    population = None
    if args.population is not None:
        if args.population != "-" and not Path(args.population).is_file():
            print(f"ctrules: --population {args.population}: no such file", file=sys.stderr)
            return EXIT_ERRORS
        grades = _grades(args.grades)
        if isinstance(grades, int):
            return grades

        def notice(message: str) -> None:
            print(f"ctrules: {args.population}: {message}", file=sys.stderr)

        population = read_records(args.population, grades=grades, notice=notice)
    try:
        found = compare(sides[0], sides[1], as_of=args.as_of, population=population)
    except InputFileError as error:
        print(f"ctrules: --population {args.population}: {error}", file=sys.stderr)
        return EXIT_ERRORS
    if found.population is not None:
        for problem in found.population.problems:
            print(f"ctrules: {args.population}: {problem}", file=sys.stderr)
    text = render_diff(found, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_DIFFERENT if found.behavioural_difference else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctrules", description="School immunization requirements as rules: evaluate, check, list."
    )
    parser.add_argument("--version", action="version", version=f"ctrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    evaluate = commands.add_parser("evaluate", help="evaluate students against a ruleset")
    evaluate.add_argument("--ruleset", required=True, help="a .ctr file or a bundled ruleset name (e.g. ct)")
    evaluate.add_argument("--as-of", type=_as_of, help="evaluation date YYYY-MM-DD (default: today)")
    evaluate.add_argument("--format", choices=FORMATS, default="json")
    evaluate.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        help="processes to evaluate on (default: every core; a roster of fewer than 500 records uses one)",
    )
    evaluate.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a roster: JSON, JSON Lines, CSV (long or wide), FHIR R4 or Parquet (docs/inputs.md), or - for stdin",
    )
    evaluate.add_argument("--grades", metavar="FILE", help="CSV id,grade: the grades of FHIR patients (docs/inputs.md)")
    evaluate.set_defaults(run=cmd_evaluate)

    explain = commands.add_parser("explain", help="explain one student's evaluation, requirement by requirement")
    explain.add_argument("--ruleset", required=True, help="a .ctr file or a bundled ruleset name (e.g. ct)")
    explain.add_argument("--as-of", type=_as_of, help="evaluation date YYYY-MM-DD (default: today)")
    explain.add_argument("--student", required=True, metavar="ID", help="the id of the student to explain")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.add_argument("input", metavar="INPUT", help="JSON, JSON Lines or CSV roster, or - for stdin")
    explain.set_defaults(run=cmd_explain)

    rulesets = commands.add_parser("rulesets", help="list the bundled rulesets, their versions and amendments")
    rulesets.add_argument("--format", choices=("text", "json"), default="text")
    rulesets.set_defaults(run=cmd_rulesets)

    check = commands.add_parser("check", help="parse and check ruleset files")
    check.add_argument("files", nargs="+", metavar="RULESET_FILE")
    check.add_argument("--message-format", choices=("human", "short", "json"), default="human")
    check.set_defaults(run=cmd_check)

    render = commands.add_parser("render", help="write a ruleset as one HTML page: rules, their text, example students")
    render.add_argument("ruleset", metavar="RULESET", help="a .ctr file or a bundled ruleset name (e.g. ct)")
    render.add_argument("-o", "--output", metavar="FILE", help="write the page to FILE (default: stdout)")
    render.set_defaults(run=cmd_render)

    report = commands.add_parser("report", help="counts by school, grade and requirement; students needing action")
    report.add_argument("--ruleset", required=True, help="a .ctr file or a bundled ruleset name (e.g. ct)")
    report.add_argument("--as-of", type=_as_of, help="evaluation date YYYY-MM-DD (default: today)")
    report.add_argument("--format", choices=("table", "csv", "json", "html"), default="table")
    report.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: stdout)")
    report.add_argument("inputs", nargs="+", metavar="ROSTER", help="JSON, JSON Lines or CSV roster, or - for stdin")
    report.set_defaults(run=cmd_report)

    diff = commands.add_parser("diff", help="what changed between two rulesets, and which students it moves")
    diff.add_argument(
        "old", metavar="OLD", help="a .ctr file, a bundled ruleset, or NAME@YYYY-MM-DD (its rules that day)"
    )
    diff.add_argument("new", metavar="NEW", help="as OLD")
    diff.add_argument(
        "--population", metavar="ROSTER", help="also evaluate this roster (any input of evaluate) under both"
    )
    diff.add_argument(
        "--as-of",
        type=_as_of,
        help="evaluation date for the roster and the witnesses (default: today, or the later NAME@DATE); "
        "the days rules start and stop are tried too",
    )
    diff.add_argument("--grades", metavar="FILE", help="CSV id,grade: the grades of FHIR patients (docs/inputs.md)")
    diff.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    diff.add_argument("-o", "--output", metavar="FILE", help="write the diff to FILE (default: stdout)")
    diff.set_defaults(run=cmd_diff)

    fmt = commands.add_parser("fmt", help="rewrite ruleset files in the canonical layout")
    fmt.add_argument("paths", nargs="+", metavar="PATH", help="a .ctr file, or a folder: every .ctr file below it")
    fmt.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    fmt.add_argument("--diff", action="store_true", help="write nothing; print the changes as a unified diff")
    fmt.set_defaults(run=cmd_fmt)

    lsp = commands.add_parser("lsp", help="run the language server for editors on stdin/stdout (needs pygls)")
    # Editors' LSP clients often pass --stdio; stdio is the only transport.
    lsp.add_argument("--stdio", action="store_true", help=argparse.SUPPRESS)
    lsp.set_defaults(run=cmd_lsp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except RulesetError as error:
        print(error.render("human"), file=sys.stderr)
        return EXIT_ERRORS
    except UsageError as error:
        print(f"ctrules: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"ctrules: {error}", file=sys.stderr)
        return EXIT_ERRORS
    except UnicodeDecodeError as error:
        print(f"ctrules: a file is not UTF-8 text: {error}", file=sys.stderr)
        return EXIT_ERRORS
    except Exception:  # anything else is a bug in ctrules, not a mistake of the user's
        import traceback

        traceback.print_exc()
        print("ctrules: internal error: this is a bug in ctrules; please report it with the input", file=sys.stderr)
        return EXIT_ERRORS
