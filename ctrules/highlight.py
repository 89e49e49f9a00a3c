"""A Pygments lexer for `.ctr` rule files, so rules can be shown highlighted beside the
regulation (`ctrules render`) and by any tool that uses Pygments (`pygmentize -l ctr`, Sphinx,
MkDocs): `pyproject.toml` registers it as a Pygments plugin.

It follows `grammar/ctr.lark` token by token but knows no grammar: a highlighter must cope with
a file that does not parse yet, so it never fails, and marks only characters no `.ctr` token can
start with as errors.

Token types, so that a style sheet can tell the parts apart:

- statements (`ruleset`, `requirement`, `clause`, `rule`, `in process`, `amend requirement` …):
  `Keyword.Declaration` or `Keyword`, and the name a declaration introduces: `Name.Namespace`
  (ruleset), `Name.Function` (requirement), `Name.Class` (vaccine), `Name.Variable` (group);
- statuses (`compliant`, `in progress`, `non-compliant`, `no requirement`, `not required`) and
  `deemed protected`, `on`, `off`: `Keyword.Constant`;
- citations `§ 10-204a-2a(a)(2)`: `Name.Label`; `provisional`: `Name.Decorator`;
- comparisons (`>=`, `at least`, `on or after`, `before` …) and `and`, `or`, `as well as`:
  `Operator` and `Operator.Word`;
- dates and month names: `Literal.Date`; numbers and ordinals (`1st`): `Number.Integer`; units
  (`days`, `months` …): `Keyword.Type`; exemption kinds: `Name.Builtin`;
- strings: `String.Double`; comments: `Comment.Single`.
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = ["CtrLexer"]

_END = r"(?![A-Za-z0-9_\-/])"
"""A keyword ends where a name could not go on (`first` is a keyword, `first-dose` a name)."""

_NAME = r"[A-Za-z][A-Za-z0-9_\-/]*"


def _phrase(*phrases: str) -> str:
    """A regex for any of these words or phrases, spaces matching any run of white space."""
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases) + ")" + _END


class CtrLexer(RegexLexer):  # type: ignore[misc]
    """Lexer for `.ctr` school immunization rule files (ctrules)."""

    name = "ctr"
    aliases = ["ctr"]
    filenames = ["*.ctr"]
    mimetypes = ["text/x-ctr"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"[^"]*"', String.Double),
            (r"§\s*[0-9][0-9A-Za-z.\-]*(?:\([0-9A-Za-z]+\))*", Name.Label),
            (_phrase("provisional"), Name.Decorator),
            (r"\d{4}-\d{2}-\d{2}", Literal.Date),
            (r"\d+(?:st|nd|rd|th)\b", Number.Integer),
            (r"\d+", Number.Integer),
            (r">=|<=|>|<", Operator),
            (r"=", Operator),
            (r",", Punctuation),
            # Declarations that introduce a name.
            (r"(ruleset)(\s+)(" + _NAME + ")", bygroups(Keyword.Declaration, Whitespace, Name.Namespace)),
            (r"(amends)(\s+)(" + _NAME + ")", bygroups(Keyword, Whitespace, Name.Namespace)),
            (
                r"((?:(?:amend|remove|replace)\s+)?requirement)(\s+)(" + _NAME + ")",
                bygroups(Keyword.Declaration, Whitespace, Name.Function),
            ),
            (r"((?:replace\s+)?vaccine)(\s+)(" + _NAME + ")", bygroups(Keyword.Declaration, Whitespace, Name.Class)),
            (r"((?:replace\s+)?group)(\s+)(" + _NAME + ")", bygroups(Keyword.Declaration, Whitespace, Name.Variable)),
            (r"(follows)(\s+)(" + _NAME + ")", bygroups(Keyword, Whitespace, Name.Function)),
            (r"(from)(\s+)(" + _NAME + ")", bygroups(Keyword, Whitespace, Name.Namespace)),
            (
                r"(exemption)(\s+)(medical|religious|statutory)" + _END,
                bygroups(Keyword.Declaration, Whitespace, Name.Builtin),
            ),
            # Statuses, before the words they start with (`in`, `no`, `not`).
            (
                _phrase(
                    "compliant", "in progress", "non-compliant", "no requirement", "not required", "deemed protected"
                ),
                Keyword.Constant,
            ),
            (
                _phrase(
                    "ruleset",
                    "version",
                    "include",
                    "vaccine",
                    "group",
                    "requirement",
                    "exemption",
                    "in process",
                    "remove clause",
                    "remove rule",
                    "replace clause",
                    "replace also",
                    "replace rule",
                ),
                Keyword.Declaration,
            ),
            # Phrases, before the single words they start with.
            (
                _phrase(
                    "protects against",
                    "laboratory confirmation only for",
                    "live vaccine spacing",
                    "vaccines containing",
                    "laboratory-confirmed immunity to",
                    "documented history of",
                    "herpes zoster",
                    "the disease",
                    "every year between",
                    "in a first season",
                    "before the evaluation date",
                    "latest dose",
                    "at age",
                    "by cohort",
                    "on file",
                    "enrolled in K-12",
                ),
                Keyword,
            ),
            (
                _phrase(
                    "at least", "more than", "at most", "less than", "on or after", "on or before", "before", "after"
                ),
                Operator.Word,
            ),
            (_phrase("as well as", "and", "or"), Operator.Word),
            (_phrase("on", "off"), Keyword.Constant),
            (_phrase("days", "day", "weeks", "week", "months", "month", "years", "year"), Keyword.Type),
            (_phrase("medical", "religious", "statutory"), Name.Builtin),
            (
                _phrase(
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ),
                Literal.Date,
            ),
            (
                _phrase(
                    "clause",
                    "also",
                    "rule",
                    "otherwise",
                    "when",
                    "requires",
                    "says",
                    "from",
                    "until",
                    "contains",
                    "cvx",
                    "live",
                    "grace",
                    "tolerance",
                    "with",
                    "age",
                    "born",
                    "grades",
                    "grade",
                    "first",
                    "last",
                    "each",
                    "doses",
                    "dose",
                    "of",
                    "no",
                    "apart",
                    "birthday",
                    "for",
                    "to",
                    "in",
                ),
                Keyword,
            ),
            (_NAME, Name),
        ]
    }

    @staticmethod
    def analyse_text(text: str) -> float:
        """A file that opens with a `ruleset` header (after comments) is very likely `.ctr`."""
        return 0.5 if re.match(r"(?:\s*#[^\n]*\n)*\s*ruleset\s+[A-Za-z]", text) else 0.0
