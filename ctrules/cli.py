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
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .amend import describe_changes
from .api import Ruleset, load
from .dates import parse_iso
from .diagnostics import render as render_diagnostics
from .errors import InputFileError, RulesetError, VersionError
from .loader import bundled_names, check_sources, resolve_ruleset_path
from .records import read_records
from .render import FORMATS, render_results
from .source import SourceFile

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


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


def cmd_evaluate(args: argparse.Namespace) -> int:
    ruleset = _load_ruleset(args.ruleset)
    if ruleset is None:
        return EXIT_ERRORS
    missing = [p for p in args.inputs if p != "-" and (not Path(p).exists() or Path(p).is_dir())]
    if missing:
        for path in missing:
            print(f"ctrules: input {path}: no such file", file=sys.stderr)
        return EXIT_ERRORS
    as_of = args.as_of or date.today()
    try:
        ruleset.version_on(as_of)
    except VersionError as outside:
        print(f"ctrules: --as-of {as_of}: {outside}", file=sys.stderr)
        return EXIT_USAGE
    results = []
    for path in args.inputs:
        try:
            for result in ruleset.evaluate_many(read_records(path), as_of=as_of):
                for error in result.errors:
                    print(f"ctrules: {path}: {error}", file=sys.stderr)
                results.append(result)
        except InputFileError as error:
            print(f"ctrules: {path}: {error}", file=sys.stderr)
            return EXIT_ERRORS
    sys.stdout.write(render_results(results, args.format))
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
    evaluate.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON, JSON Lines or CSV roster, or - for stdin")
    evaluate.set_defaults(run=cmd_evaluate)

    rulesets = commands.add_parser("rulesets", help="list the bundled rulesets, their versions and amendments")
    rulesets.add_argument("--format", choices=("text", "json"), default="text")
    rulesets.set_defaults(run=cmd_rulesets)

    check = commands.add_parser("check", help="parse and check ruleset files")
    check.add_argument("files", nargs="+", metavar="RULESET_FILE")
    check.add_argument("--message-format", choices=("human", "short", "json"), default="human")
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except RulesetError as error:
        print(error.render("human"), file=sys.stderr)
        return EXIT_ERRORS
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
