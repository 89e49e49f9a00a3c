"""The Pygments lexer for .ctr files: every bundled file and docs example lexes cleanly, and the
parts of a rule get the token types a style sheet tells apart."""

import re
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, Operator, Punctuation, String, Whitespace

from ctrules.highlight import CtrLexer

ROOT = Path(__file__).resolve().parents[1]
RULESET_FILES = sorted((ROOT / "rulesets").glob("*/*.ctr"))
DOC_BLOCKS = [
    (path.name, number, block)
    for path in sorted((ROOT / "docs").glob("*.md"))
    for number, block in enumerate(re.findall(r"```ctr\n(.*?)```", path.read_text(encoding="utf-8"), re.S), start=1)
]


def tokens(text):
    """(type, text) pairs without white space."""
    return [(t, v) for t, v in CtrLexer().get_tokens(text) if t is not Whitespace]


def test_every_bundled_ruleset_file_is_found():
    assert {p.parent.name for p in RULESET_FILES} == {"ct", "ct_dph", "infinite_campus"}


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bundled_ruleset_lexes_without_errors(path):
    text = path.read_text(encoding="utf-8")
    lexed = list(CtrLexer().get_tokens(text))
    assert [v for t, v in lexed if t in Error] == []
    # Lossless: the tokens give back the file (Pygments adds a final newline if there is none).
    assert "".join(v for _, v in lexed) == (text if text.endswith("\n") else text + "\n")


@pytest.mark.parametrize("name, number, block", DOC_BLOCKS, ids=[f"{n}#{i}" for n, i, _ in DOC_BLOCKS])
def test_every_ctr_example_in_the_docs_lexes_without_errors(name, number, block):
    assert [v for t, v in CtrLexer().get_tokens(block) if t in Error] == []


def test_pygments_finds_the_lexer_by_name_and_file_name():
    """The entry point in pyproject.toml registers it (`pygmentize -l ctr`)."""
    assert isinstance(get_lexer_by_name("ctr"), CtrLexer)
    assert isinstance(get_lexer_for_filename("ruleset.ctr"), CtrLexer)


SAMPLE = """\
ruleset ct-dph "DPH practice" amends ct
  version "2023-24" from 2023-07-01
  live vaccine spacing on
# A clause:
requirement measles "Measles" § 10-204a-2a(a)
  clause § 10-204a-2a(a)(2) provisional  # trailing
    says "on or after August 1, 2011, ..."
    when grades K to 12, age >= 48 months
    requires 2 doses of measles-vaccine, first on or after 1st birthday, at least 28 days apart
      or laboratory-confirmed immunity to measles
  rule "1 dose" in progress
  otherwise non-compliant
exemption religious § 10-204a(a)(3)
in process § 10-204a(a)(1)
"""


def test_token_types_of_a_sample():
    kinds = {}
    for kind, text in tokens(SAMPLE):
        kinds.setdefault(text, kind)  # the first occurrence
    assert kinds["ruleset"] is Keyword.Declaration and kinds["ct-dph"] is Name.Namespace
    assert kinds["amends"] is Keyword and kinds["ct"] is Name.Namespace
    assert kinds["2023-07-01"] is Literal.Date
    assert kinds["live vaccine spacing"] is Keyword and kinds["on"] is Keyword.Constant
    assert kinds["# A clause:"] is Comment.Single and kinds["# trailing"] is Comment.Single
    assert kinds["requirement"] is Keyword.Declaration and kinds["measles"] is Name.Function
    assert kinds["§ 10-204a-2a(a)"] is Name.Label and kinds["§ 10-204a-2a(a)(2)"] is Name.Label
    assert kinds["provisional"] is Name.Decorator
    assert kinds['"on or after August 1, 2011, ..."'] is String.Double
    assert kinds[">="] is Operator and kinds["at least"] is Operator.Word and kinds["on or after"] is Operator.Word
    assert kinds["48"] is Number.Integer and kinds["1st"] is Number.Integer
    assert kinds["months"] is Keyword.Type and kinds["days"] is Keyword.Type
    assert kinds["measles-vaccine"] is Name
    assert kinds["laboratory-confirmed immunity to"] is Keyword
    assert kinds["in progress"] is Keyword.Constant and kinds["non-compliant"] is Keyword.Constant
    assert kinds["religious"] is Name.Builtin and kinds["in process"] is Keyword.Declaration


def test_a_keyword_inside_a_longer_name_is_a_name():
    """`first-dose` and `rule_x` are names, not the keywords they start with."""
    assert tokens("requires 1 dose of first-dose, rule_x") == [
        (Keyword, "requires"),
        (Number.Integer, "1"),
        (Keyword, "dose"),
        (Keyword, "of"),
        (Name, "first-dose"),
        (Punctuation, ","),
        (Name, "rule_x"),
    ]


def test_only_characters_no_token_starts_with_are_errors():
    lexed = tokens('clause @ § says "unterminated')
    assert [v for t, v in lexed if t in Error] == ["@", "§", '"']
