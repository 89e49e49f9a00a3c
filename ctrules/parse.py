"""Text into a Lark parse tree, with syntax errors turned into positioned diagnostics.

The grammar (`grammar/ctr.lark`) is the language reference; this module only finds it,
builds the LALR parser once, and words Lark's errors for policy staff: terminal names such
as `INT` or `UNIT` become "a number" or "days, weeks, months or years".
"""

from __future__ import annotations

import functools
import re
import threading
from pathlib import Path

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .diagnostics import Diagnostic
from .errors import RulesetError
from .source import SourceFile, Span

__all__ = ["data_dir", "grammar_text", "parse", "parse_with_comments", "parser"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Where `grammar/` or `rulesets/` lives: inside the installed wheel, else the checkout."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"ctrules is installed without its {name}/ folder")


def grammar_text() -> str:
    return (data_dir("grammar") / "ctr.lark").read_text(encoding="utf-8")


def _cache_file(grammar: str, kind: str = "") -> str | None:
    """Where Lark may keep the built parser tables between runs (building takes ~0.7 s, loading
    them ~30 ms): the user's own cache folder, never a shared temp folder, since the cache is a
    pickle. None when that folder cannot be used."""
    import hashlib
    import os

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ctrules"
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return str(root / f"ctr-{lark.__version__}-{digest}{kind}.lark-cache")


@functools.cache
def parser() -> lark.Lark:
    """The LALR parser, built once per process (and cached on disk between processes)."""
    grammar = grammar_text()
    options = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": True}
    cache = _cache_file(grammar)
    if cache is not None:
        try:
            return lark.Lark(grammar, cache=cache, **options)
        except OSError:
            pass
    return lark.Lark(grammar, **options)


# What each terminal is, in words a policy analyst uses.
_TERMINAL_WORDS = {
    "INT": "a number",
    "UNIT": "days, weeks, months or years",
    "NAME": "a name",
    "STRING": 'text in double quotes ("...")',
    "DATE": "a date written YYYY-MM-DD",
    "CITATION": "a citation such as § 10-204a-2a(a)(1)",
    "COMPARATOR": "a comparison (>=, >, <=, <, at least, more than, at most, less than)",
    "DATE_COMPARATOR": "on or after, on or before, before or after",
    "AT_AGE": '"at age"',
    "ORDINAL": "a birthday such as 1st or 4th",
    "MONTH": "a month name such as August",
    "SWITCH": "on or off",
    "GRADE_WORD": '"grade" or "grades"',
    "EXEMPTION_KIND": "medical, religious or statutory",
    "FIRST_LAST": "first, last or each",
    "DOSE": '"dose" or "doses"',
    "BY_COHORT": '"by cohort"',
    "PROVISIONAL": '"provisional"',
    "LIVE": '"live"',
    "$END": "the end of the file",
}


def _describe(terminal: str) -> str:
    if terminal in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[terminal]
    for definition in parser().terminals:
        if definition.name == terminal:
            pattern = definition.pattern
            if pattern.type == "str":
                return f'"{pattern.value}"'
    return terminal.lower()


def _expected_words(expected: set[str] | frozenset[str]) -> str:
    words = sorted({_describe(t) for t in expected})
    if len(words) > 8:
        words = words[:8] + ["…"]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _syntax_diagnostic(error: UnexpectedInput, source: SourceFile) -> Diagnostic:
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        token = error.token
        return Diagnostic(
            code="CTR101",
            message=f"unexpected {str(token)!r}",
            span=Span.from_token(token, source.name),
            label=f"expected {_expected_words(error.expected)}",
            help=f"write {_expected_words(error.expected)} here",
        )
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = source.text[position] if position < len(source.text) else ""
        return Diagnostic(
            code="CTR102",
            message=f"unexpected character {char!r}",
            span=Span(
                file=source.name,
                line=error.line,
                column=error.column,
                end_line=error.line,
                end_column=error.column + 1,
            ),
            label=f"expected {_expected_words(error.allowed)}" if error.allowed else "",
            help="names are letters, digits, '-', '_' and '/'; text goes in double quotes",
        )
    expected = getattr(error, "expected", None) or ()
    lines = source.text.splitlines() or [""]
    return Diagnostic(
        code="CTR103",
        message="the file ends in the middle of a statement",
        span=Span(
            file=source.name,
            line=len(lines),
            column=len(lines[-1]) + 1,
            end_line=len(lines),
            end_column=len(lines[-1]) + 2,
        ),
        label=f"expected {_expected_words(set(expected))}" if expected else "",
        help="finish the statement, or remove it",
    )


# Statements start with a keyword at the start of a line (outside a quoted text): a whole
# statement, or a part of one (a clause, a rule, a header setting). After a syntax error the
# parser blanks the part that holds it and tries again, so one file reports every error.
_STATEMENT_WORDS = re.compile(
    r"(ruleset|include|vaccine|group|requirement|exemption|in\s+process|amend|remove\s+requirement"
    r"|replace\s+(requirement|group|vaccine))\b"
)
_PART_WORDS = re.compile(
    r"(clause|also|rule|otherwise|remove\s+(clause|rule)|replace\s+(clause|also|rule)"
    r"|version|grace|live\s+vaccine|laboratory\s+confirmation)\b"
)
MAX_SYNTAX_ERRORS = 50


def _line_starts(text: str) -> list[tuple[int, int, bool]]:
    """(line number, offset, is a whole statement) for each line that starts a statement or a
    part of one. Lines inside a quoted text, and comments, are skipped."""
    starts = []
    in_string = False
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not in_string:
            stripped = line.lstrip()
            if _STATEMENT_WORDS.match(stripped):
                starts.append((number, offset, True))
            elif _PART_WORDS.match(stripped):
                starts.append((number, offset, False))
        code = line if in_string else line.split("#", 1)[0]
        in_string = in_string != (code.count('"') % 2 == 1)
        offset += len(line) + 1
    return starts


def _region(text: str, line: int) -> tuple[int, int]:
    """The offsets of the statement part holding `line`: from its first line up to the next
    statement or part (a part of a statement ends at the next part or statement too)."""
    starts = _line_starts(text)
    begin = max((offset for number, offset, _ in starts if number <= line), default=0)
    end = min((offset for number, offset, _ in starts if number > line), default=len(text))
    return begin, end


def _blank(text: str, begin: int, end: int) -> str:
    """Spaces over text[begin:end], line breaks kept, so later positions do not move."""
    return text[:begin] + "".join(c if c == "\n" else " " for c in text[begin:end]) + text[end:]


def _error_line(error: UnexpectedInput, text: str) -> int:
    line = getattr(error, "line", None)
    if isinstance(error, UnexpectedToken) and error.token.type == "$END" or not isinstance(line, int) or line < 1:
        return text.count("\n") + 1
    return line


def parse(source: SourceFile) -> lark.Tree[lark.Token]:
    """Parse one file. Raises `RulesetError` with a positioned diagnostic for every syntax
    error: after each, the statement part that holds it is set aside and parsing goes on."""
    text = source.text
    diagnostics: list[Diagnostic] = []
    while True:
        try:
            tree = parser().parse(text)
        except (UnexpectedToken, UnexpectedCharacters, UnexpectedEOF) as error:
            diagnostics.append(_syntax_diagnostic(error, SourceFile(source.name, text)))
            begin, end = _region(text, _error_line(error, text))
            blanked = _blank(text, begin, end)
            if blanked == text or len(diagnostics) >= MAX_SYNTAX_ERRORS:
                break
            text = blanked
            continue
        if not diagnostics:
            return tree
        break
    raise RulesetError(diagnostics, {source.name: source})


# --- every token and comment, for the formatter ------------------------------------------------

_comments = threading.local()


def _collect_comment(token: lark.Token) -> lark.Token:
    _comments.tokens.append(token)
    return token


@functools.cache
def _layout_parser() -> lark.Lark:
    """The same grammar, keeping every token (keywords and commas too) and handing each comment
    to `_collect_comment`: what `fmt` lays out. Cached apart from `parser()`, whose options differ."""
    grammar = grammar_text()
    options = {
        "parser": "lalr",
        "maybe_placeholders": True,
        "keep_all_tokens": True,
        "lexer_callbacks": {"COMMENT": _collect_comment},
    }
    cache = _cache_file(grammar, "-layout")
    if cache is not None:
        try:
            return lark.Lark(grammar, cache=cache, **options)
        except OSError:
            pass
    return lark.Lark(grammar, **options)


def parse_with_comments(source: SourceFile) -> tuple[lark.Tree[lark.Token], list[lark.Token]]:
    """Parse one file keeping every token, and its comments in file order (which `parse` drops).
    Raises `RulesetError` for syntax errors, with every one of them, as `parse` does."""
    _comments.tokens = []
    try:
        tree = _layout_parser().parse(source.text)
    except UnexpectedInput:
        parse(source)  # the same grammar: raises with every syntax error
        raise
    finally:
        comments: list[lark.Token] = _comments.tokens
        _comments.tokens = []
    return tree, comments
