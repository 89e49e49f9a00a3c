"""The canonical layout of a `.ctr` file: `ctrules fmt`, and the language server's formatting.

The output is built from the parse tree (every token kept, comments collected beside it), never by
editing the input text, so it holds the same tokens in the same order: the same words (`grades`
or `grade`, `at least` or `>=`, `tolerance` or `grace`, `provisional`), hence the same rules.
Only whitespace changes, and the layout is the one the bundled rulesets use:

- Lines are at most 100 characters (`WIDTH`) where the rules below allow a break; a head line
  (`ruleset NAME "TITLE"`, `requirement NAME "TITLE" § … provisional`, `clause § …`,
  `rule "NAME" STATUS`) is never broken, nor is one condition, rule of a series or code.
- A statement starts at column 0. Header settings (`version`, `grace`, …), the head parts of a
  requirement (`protects against`, `says`), the parts of an exemption or `in process`, and the
  clauses, rules and `otherwise` of a requirement (or the changes under `amend requirement`) are
  indented 2 spaces more than what they belong to; the parts of a clause or rule (`says`, `when`,
  `requires`, `deemed protected`) 2 more again (4 in a requirement).
- `says` text fills each line up to column 98 (`TEXT_WIDTH`: the margin the bundled rulesets'
  quoted text keeps), words separated by one space and `§` kept with the number after it;
  continuation lines start one column right of the opening quote. A second string of the same `says` starts its own
  line under the first quote. A version's description goes on its own line (2 spaces deeper,
  wrapped the same way) when the version does not fit on one line. Other strings (titles, names,
  paths) stay on one line. Runs of spaces and line breaks inside a string are read as one space,
  so re-wrapping never changes what a string says.
- A list (`when` conditions, `cvx` codes, antigen names, the rules after `N doses of GROUP`) fills
  each line up to the width and is continued, after a comma, 2 spaces deeper than its first line.
- A `vaccine` or `group` that does not fit on one line continues with `contains …` or `= …` on a
  line of its own, 2 spaces deeper; `amends NAME` goes on the `ruleset` line when it fits there.
- `requires` that does not fit on one line puts each `or` option on its own line, 2 spaces deeper
  than `requires` (the first option stays on the `requires` line). An option that still does not
  fit puts each `as well as` part on its own line, 2 spaces deeper than the option; a part (or a
  single option) that still does not fit is filled as a list, 2 spaces deeper again.
- Tokens are separated by one space, with no space before a comma; `§` is followed by one space.
- Blank lines: one blank line wherever the source has one or more between top-level statements,
  between header settings and between the changes of `amend requirement`; always one before and
  after a `requirement` (and `replace requirement`, `amend requirement`) and before each clause,
  rule and `otherwise` of a requirement; none anywhere else. The file ends with one line break.
- Comments are kept, in order. A comment at the end of a line stays there (after two spaces) when
  that line still ends with the same token; otherwise it moves to its own line just above. A
  comment on a line of its own goes just above the line holding the next token, at that line's
  indentation; except a block of comment lines that follows code directly and has a blank line
  after it, which stays below that code, at the indentation of the part it follows. Where a blank
  line may stand (above), a blank line above or below a comment is kept.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Sequence

import attrs
from lark import Token, Tree

from .parse import parse_with_comments
from .source import SourceFile

__all__ = ["WIDTH", "format_source"]

WIDTH = 100
TEXT_WIDTH = 98

_HEAD = {"citation", "follows"}
"""What stays on a statement's (or clause's, rule's) first line; any other part goes on a line of its own."""
_ITEMS = {
    "clause",
    "also_clause",
    "rule",
    "otherwise",
    "remove_clause",
    "remove_rule",
    "replace_clause",
    "replace_also",
    "replace_rule",
}
_REQUIREMENTS = {"requirement", "replace_requirement", "amend_requirement"}


class _Gap(enum.Enum):
    """What may separate a line from the line before it."""

    TIGHT = "never a blank line"
    KEEP = "a blank line where the source has one"
    BLANK = "always a blank line"


@attrs.frozen
class _Line:
    """One line of output (a wrapped string's continuation lines included in `text`)."""

    text: str
    indent: int
    first: int
    """start_pos of the first token on the line, and of the last: comments are placed by these."""
    last: int
    gap: _Gap
    base: int
    """The indentation of the part the line belongs to (for a comment that follows it)."""


def _word(token: Token) -> str:
    """A token as written, with runs of whitespace inside it made one space (`in  progress`)."""
    if token.type == "STRING":
        return '"' + " ".join(token[1:-1].split()) + '"'
    if token.type == "CITATION":
        return "§ " + token[1:].strip()
    return " ".join(token.split())


def _join(tokens: list[Token]) -> str:
    text = ""
    for token in tokens:
        word = _word(token)
        text += word if not text or word == "," else " " + word
    return text


def _words(string: Token) -> list[str]:
    """A string's words, quotes included, for wrapping: `§` stays with the number after it."""
    words: list[str] = []
    for word in string[1:-1].split():
        if words and words[-1] == "§":
            words[-1] += " " + word
        else:
            words.append(word)
    words = words or [""]
    words[0] = '"' + words[0]
    words[-1] += '"'
    return words


def _tokens(node: Tree[Token] | Token | None) -> list[Token]:
    if node is None:
        return []
    if isinstance(node, Token):
        return [node]
    return list(node.scan_values(lambda v: isinstance(v, Token)))


def _fits(indent: int, tokens: list[Token]) -> bool:
    return indent + len(_join(tokens)) <= WIDTH


def _split(children: Sequence[Tree[Token] | Token | None], *separator: str) -> list[tuple[list[Token], Tree[Token]]]:
    """`A or B or C` into (separator tokens, node) pairs: ([], A), ([or], B), ([or], C)."""
    pairs: list[tuple[list[Token], Tree[Token]]] = []
    pending: list[Token] = []
    for child in children:
        if isinstance(child, Tree):
            pairs.append((pending, child))
            pending = []
        elif child is not None:
            pending.append(child)
    assert all(" ".join(map(str, sep)) == " ".join(separator) for sep, _ in pairs[1:])
    return pairs


class _Layout:
    def __init__(self) -> None:
        self.lines: list[_Line] = []

    def add(self, tokens: list[Token], indent: int, gap: _Gap, base: int | None = None) -> None:
        text = " " * indent + _join(tokens)
        base = indent if base is None else base
        self.lines.append(_Line(text, indent, tokens[0].start_pos or 0, tokens[-1].start_pos or 0, gap, base))

    def fill(self, tokens: list[Token], indent: int, hang: int, gap: _Gap, base: int | None = None) -> None:
        """Tokens on lines of at most WIDTH, broken only after commas, continued at `hang`."""
        base = indent if base is None else base
        chunks: list[list[Token]] = [[]]
        for token in tokens:
            chunks[-1].append(token)
            if token == ",":
                chunks.append([])
        line: list[Token] = []
        at = indent
        for chunk in filter(None, chunks):
            if line and not _fits(at, line + chunk):
                self.add(line, at, gap, base)
                line, at, gap = [], hang, _Gap.TIGHT
            line += chunk
        self.add(line, at, gap, base)

    def text(self, lead: list[Token], strings: list[Token], indent: int, gap: _Gap) -> None:
        """`says "…"` (or a version's description, without a lead): each string filled to TEXT_WIDTH,
        continued one column right of its opening quote."""
        quote = indent + len(_join(lead)) + 1 if lead else indent
        for number, string in enumerate(strings):
            words = _words(string)
            if number == 0:
                rows = [" " * indent + (_join(lead) + " " if lead else "") + words[0]]
            else:
                rows = [" " * quote + words[0]]
            for word in words[1:]:
                if len(rows[-1]) + 1 + len(word) > TEXT_WIDTH:
                    rows.append(" " * (quote + 1) + word)
                else:
                    rows[-1] += " " + word
            first = lead[0] if number == 0 and lead else string
            self.lines.append(
                _Line(
                    "\n".join(rows),
                    indent if number == 0 else quote,
                    first.start_pos or 0,
                    string.start_pos or 0,
                    gap if number == 0 else _Gap.TIGHT,
                    indent,
                )
            )

    # --- statements ---------------------------------------------------------------------------

    def file(self, tree: Tree[Token]) -> None:
        previous = ""
        for statement in tree.children:
            assert isinstance(statement, Tree)
            kind = str(statement.data)
            gap = _Gap.BLANK if kind in _REQUIREMENTS or previous in _REQUIREMENTS else _Gap.KEEP
            previous = kind
            if kind == "ruleset_header":
                self.header(statement, gap)
            elif kind in ("vaccine_decl", "replace_vaccine"):
                self.vaccine(statement, gap)
            elif kind in ("group_decl", "replace_group"):
                self.group(statement, gap)
            else:
                self.block(statement, 0, gap)

    def header(self, tree: Tree[Token], gap: _Gap) -> None:
        head: list[Token] = []
        amends: list[Token] = []
        settings: list[Tree[Token]] = []
        for child in tree.children:
            if isinstance(child, Tree) and child.data == "amends":
                amends = _tokens(child)
            elif isinstance(child, Tree):
                settings.append(child)
            elif child is not None:
                head.append(child)
        if amends and _fits(0, head + amends):
            head, amends = head + amends, []
        self.add(head, 0, gap)
        if amends:
            self.add(amends, 2, _Gap.TIGHT)
        for setting in settings:
            tokens = _tokens(setting)
            description = setting.children[-1] if setting.data == "version" else None
            if isinstance(description, Token) and not _fits(2, tokens):
                self.add(tokens[:-1], 2, _Gap.KEEP)
                self.text([], [description], 4, _Gap.TIGHT)
            else:
                self.fill(tokens, 2, 4, _Gap.KEEP)

    def vaccine(self, tree: Tree[Token], gap: _Gap) -> None:
        tokens = _tokens(tree)
        if _fits(0, tokens):
            self.add(tokens, 0, gap)
            return
        at = next(i for i, t in enumerate(tokens) if t.type == "CONTAINS")
        self.fill(tokens[:at], 0, 2, gap)
        self.fill(tokens[at:], 2, 4, _Gap.TIGHT)

    def group(self, tree: Tree[Token], gap: _Gap) -> None:
        tokens = _tokens(tree)
        if _fits(0, tokens):
            self.add(tokens, 0, gap)
            return
        at = next(i for i, t in enumerate(tokens) if t == "=")
        self.add(tokens[:at], 0, gap)
        self.fill(tokens[at:], 2, 4, _Gap.TIGHT)

    def block(self, tree: Tree[Token], indent: int, gap: _Gap) -> None:
        """A statement, clause or rule: its head on one line, then its parts and items."""
        head: list[Token] = []
        rest: list[Tree[Token]] = []
        for child in tree.children:
            if isinstance(child, Tree) and (rest or child.data not in _HEAD):
                rest.append(child)
            else:
                head += _tokens(child)
        self.add(head, indent, gap)
        items = _Gap.BLANK if tree.data in ("requirement", "replace_requirement") else _Gap.KEEP
        for child in rest:
            if child.data in _ITEMS:
                self.block(child, indent + 2, items)
            else:
                self.part(child, indent + 2)

    def part(self, tree: Tree[Token], indent: int) -> None:
        tokens = _tokens(tree)
        if tree.data == "says":
            self.text(tokens[:1], tokens[1:], indent, _Gap.TIGHT)
        elif tree.data == "requires":
            self.requires(tree, indent)
        else:
            self.fill(tokens, indent, indent + 2, _Gap.TIGHT)

    def requires(self, tree: Tree[Token], indent: int) -> None:
        keyword, alternatives = tree.children
        assert isinstance(keyword, Token) and isinstance(alternatives, Tree)
        if _fits(indent, _tokens(tree)):
            self.add(_tokens(tree), indent, _Gap.TIGHT)
            return
        options = _split(alternatives.children, "or")
        level = indent + 2 if len(options) > 1 else indent
        for number, (separator, option) in enumerate(options):
            lead = [keyword] if number == 0 else separator
            at = indent if number == 0 else level
            if _fits(at, lead + _tokens(option)) or option.data != "all_of":
                self.fill(lead + _tokens(option), at, level + 2, _Gap.TIGHT, indent)
                continue
            for count, (joiner, part) in enumerate(_split(option.children, "as", "well", "as")):
                self.fill(
                    (lead if count == 0 else joiner) + _tokens(part),
                    at if count == 0 else level + 2,
                    level + 4,
                    _Gap.TIGHT,
                    indent,
                )


def _render(lines: list[_Line], tokens: list[Token], comments: list[Token], source: str) -> str:
    """The lines, with each comment put back beside the tokens it was written between."""
    starts = [t.start_pos or 0 for t in tokens]
    firsts = [line.first for line in lines]
    lasts = {line.last for line in lines}

    # A blank line above each token and comment in the source.
    elements = sorted([(t.start_pos or 0, t.end_pos or 0) for t in tokens + comments])
    blank_above = {}
    previous_end = 0
    for start, end in elements:
        blank_above[start] = previous_end > 0 and source.count("\n", previous_end, start) >= 2
        previous_end = end

    before: list[list[Token]] = [[] for _ in lines]  # own-line comments between two lines
    hoisted: list[list[Token]] = [[] for _ in lines]  # comments from inside a line, put above it
    trailing: dict[int, Token] = {}
    after_all: list[Token] = []
    for comment in comments:
        position = comment.start_pos or 0
        previous = bisect.bisect_left(starts, position) - 1
        if previous < 0:
            target = before[0] if lines else after_all
            target.append(comment)
            continue
        line = bisect.bisect_right(firsts, starts[previous]) - 1
        ends_line = starts[previous] in lasts
        if "\n" not in source[tokens[previous].end_pos or 0 : position] and ends_line:
            trailing[line] = comment
        elif not ends_line:
            hoisted[line].append(comment)
        elif line + 1 < len(lines):
            before[line + 1].append(comment)
        else:
            after_all.append(comment)

    out: list[str] = []

    def blank() -> None:
        if out and out[-1]:
            out.append("")

    def slot(comments: list[Token], number: int) -> None:
        """The own-line comments above line `number` (or at the end of the file), then the line
        with the comments hoisted from inside it and its trailing comment."""
        line = lines[number] if number < len(lines) else None
        last = lines[number - 1] if number else None
        gap = line.gap if line else _Gap.KEEP
        indent = line.indent if line else 0
        flags = [blank_above[c.start_pos or 0] for c in comments] + [blank_above[line.first] if line else False]
        follows = 0  # a first block right after `last`, with a blank line below it, stays with `last`
        if gap is not _Gap.TIGHT and last is not None and comments and not flags[0]:
            follows = next(i for i, flag in enumerate(flags) if flag or i == len(comments))
            follows = follows if flags[follows] else 0
            out.extend(" " * last.base + c.rstrip() for c in comments[:follows])
        for at in range(follows, len(comments) + (line is not None)):
            if gap is not _Gap.TIGHT and (flags[at] or gap is _Gap.BLANK and at == follows):
                blank()
            if at < len(comments):
                out.append(" " * indent + comments[at].rstrip())
        if line is not None:
            out.extend(" " * line.indent + c.rstrip() for c in hoisted[number])
            out.append(line.text + (f"  {trailing[number].rstrip()}" if number in trailing else ""))

    for number in range(len(lines)):
        slot(before[number], number)
    slot(after_all, len(lines))
    return "\n".join(row.rstrip() for row in out) + "\n" if out else ""


def format_source(text: str, name: str = "<string>") -> str:
    """`text` in the canonical layout. Raises `ctrules.errors.RulesetError` on syntax errors."""
    tree, comments = parse_with_comments(SourceFile(name, text))
    layout = _Layout()
    layout.file(tree)
    formatted = _render(layout.lines, _tokens(tree), comments, text)
    again, kept = parse_with_comments(SourceFile(name, formatted))
    if [(t.type, _word(t)) for t in _tokens(again)] != [(t.type, _word(t)) for t in _tokens(tree)] or [
        c.rstrip() for c in kept
    ] != [c.rstrip() for c in comments]:
        raise AssertionError(f"ctrules fmt: the layout of {name} changed its tokens or comments (a bug)")
    return formatted
