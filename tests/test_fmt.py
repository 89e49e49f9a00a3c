"""`ctrules fmt`: one canonical layout, idempotent, every comment and every word kept, same rules."""

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctrules.build_ast import build
from ctrules.cli import main
from ctrules.errors import RulesetError
from ctrules.fmt import format_source
from ctrules.parse import data_dir, parse, parse_with_comments
from ctrules.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted(data_dir("rulesets").rglob("*.ctr"))
TEST_FILES = sorted((ROOT / "tests" / "diagnostics").rglob("*.ctr"))


def _parses(path):
    try:
        parse(SourceFile(str(path), path.read_text(encoding="utf-8")))
    except RulesetError:
        return False
    return True


PARSING = BUNDLED + [p for p in TEST_FILES if _parses(p)]
NOT_PARSING = [p for p in TEST_FILES if not _parses(p)]


def _ids(paths):
    return [str(p.relative_to(p.parents[1])) for p in paths]


def _word(token):
    if token.type == "STRING":
        return '"' + " ".join(token[1:-1].split()) + '"'
    if token.type == "CITATION":  # `§10-204a` and `§ 10-204a` are one citation
        return "§ " + token[1:].strip()
    return " ".join(token.split())


def words_and_comments(text):
    """Every token as written (runs of whitespace inside one made one space) and every comment."""
    tree, comments = parse_with_comments(SourceFile("t.ctr", text))
    words = [(t.type, _word(t)) for t in tree.scan_values(lambda v: v is not None)]
    return words, [c.rstrip() for c in comments]


def test_there_are_files_to_format():
    assert len(BUNDLED) >= 4 and len(PARSING) > len(BUNDLED) + 10 and NOT_PARSING


@pytest.mark.parametrize("path", BUNDLED, ids=_ids(BUNDLED))
def test_every_bundled_ruleset_is_in_the_canonical_layout(path):
    """What keeps `ctrules fmt --check rulesets/` true: run `ctrules fmt rulesets/` after editing."""
    text = path.read_text(encoding="utf-8")
    assert format_source(text, str(path)) == text


@pytest.mark.parametrize("path", PARSING, ids=_ids(PARSING))
def test_formatting_is_idempotent_and_keeps_the_rules_words_and_comments(path):
    text = path.read_text(encoding="utf-8")
    formatted = format_source(text, str(path))
    assert format_source(formatted, str(path)) == formatted
    # The same tokens in the same order: the same words (`grade`/`grades`, `at least`/`>=`,
    # `tolerance`/`grace`, ...), and the same comments, none lost or repeated.
    assert words_and_comments(formatted) == words_and_comments(text)
    before, after = SourceFile(str(path), text), SourceFile(str(path), formatted)
    try:
        tree = build(parse(before), before)
    except RulesetError:  # a literal the AST cannot hold (an impossible date): the tokens suffice
        return
    assert build(parse(after), after) == tree


@pytest.mark.parametrize("path", NOT_PARSING, ids=_ids(NOT_PARSING))
def test_a_file_with_syntax_errors_raises_every_error_as_parse_does(path):
    source = SourceFile(str(path), path.read_text(encoding="utf-8"))
    with pytest.raises(RulesetError) as formatting:
        format_source(source.text, source.name)
    with pytest.raises(RulesetError) as parsing:
        parse(source)
    assert formatting.value.diagnostics == parsing.value.diagnostics


def test_an_empty_file_and_a_file_of_comments():
    assert format_source("") == ""
    assert format_source("\n  \n") == ""
    assert format_source("  # one\n\n\n   # two  \n") == "# one\n\n# two\n"


# --- the layout, on small inputs ------------------------------------------------------------------

WHOLE_RULESET = """\
ruleset t   "A test"    version "1" from 2020-07-01 until 2021-06-30 "first"
  version "2" from 2021-07-01 live vaccine spacing on   grace 4 days
include "vaccines.ctr"   from ct
vaccine MMR "measles, mumps and rubella" cvx 3 contains measles, mumps and rubella live
vaccine LONG "a vaccine whose description is long enough that the vaccine does not fit" cvx 1, 2, 3, 4, 5, 6, 7, 8, 9 contains a, b
group measles-vaccine "live attenuated measles vaccine" = vaccines containing measles
group dtp "diphtheria, tetanus and pertussis containing vaccine" = vaccines containing diphtheria, tetanus and pertussis
requirement measles "Measles" § 10-204a-2a(a) protects against measles says "Measles.   An individual
   shall be considered adequately protected against measles if that individual:"
  clause § 10-204a-2a(a)(1) says "is enrolled in preschool" when grades P3 or PK requires 1 dose of measles-vaccine, first on or after 1st birthday
  also § 10-204a-2a(a)(2) when grades K to 12, from 2011-08-01 requires 2 doses of measles-vaccine, first on or after 1st birthday, at least 28 days apart
  clause § 10-204a-2a(f)(2) when age >= 5 years deemed protected
requirement mumps "MMR (mumps)" follows measles protects against mumps
exemption religious § 10-204a(a)(3) says "a statement" when from 2021-04-28, grades K to 12, on file before 2021-04-28, enrolled in K-12 on or before 2021-04-28
exemption statutory for measles, mumps and rubella when documented history of the disease
in process § 10-204a(a)(1) says "presents a certificate"
"""

COMMENTS = """\
# A file comment.

# Another, after a blank line.
ruleset t "A test"   # at the end of the header line
  # above the setting
  grace 4 days
requirement measles
  protects against measles # after the antigens
  clause § 1 # after the citation
    # above says
    says "one two"
    when grades K to 12, # after a condition the layout moves up
      from 2011-08-01
    requires 2 doses of g, first on or after 1st birthday,
      # between two rules of the series
      at least 28 days apart
    # right below the clause, with a blank line after it: stays with the clause

  # above the rule, with a blank line before it



  rule "r" compliant requires 1 dose of g
  otherwise non-compliant
vaccine X contains x    # a trailing comment
# above Y
vaccine Y contains y
# at the end of the file
"""

REQUIRES = """\
requirement r
  clause § 1
    requires 3 doses of polio-vaccine, dose 2 at least 4 weeks after dose 1, dose 3 at least 2 months after dose 2
  clause § 2
    requires 2 doses of varicella-vaccine, first on or after 1st birthday and before 13th birthday, at least 3 months apart or 2 doses of varicella-vaccine, first on or after 13th birthday, at least 28 days apart
  rule "2M2M2R" compliant
    requires 2 doses of ic-measles, first at age > 12 months with 0 days tolerance, dose 2 more than 28 days after dose 1 with 0 days tolerance as well as 2 doses of ic-mumps, first at age > 12 months with 0 days tolerance
  rule "nested" compliant
    requires 1 dose of ic-measles or 2 doses of ic-mumps-mmr, first at age > 12 months with 0 days tolerance, dose 2 more than 28 days after dose 1 with 0 days tolerance as well as laboratory-confirmed immunity to mumps
  rule "flu" compliant
    requires 1 dose of flu-vaccine every year between August 1 and December 31, 2 doses at least 28 days apart in a first season
"""

WORDS = """\
requirement r "R"   §10-204a-2a(l)   provisional
  protects against a, b, c
  rule "x"   in
  progress
    when grade 7, grades K or 1, grades K to 6 or 8 to 12, age at   least 18 months, age > 2 months, grade 7   by   cohort
    requires 2 doses of g, dose 2 more  than 28 days after dose 1 with 0 days tolerance, first at   age >= 12 months with 4 days grace
  otherwise not   required
"""

AMENDMENT = """\
ruleset ct-dph "Connecticut school immunization requirements as DPH applies them (its chart and footnotes)" amends ct
  version "2023-24" from 2023-07-01 "DPH chart of 2023-24 and later: doses meet ACIP age and interval standards (4-day grace)"

  grace 4 days
ruleset small "Small" amends ct
amend requirement varicella
  remove   clause § 10-204a-2a(h)(7)
  remove rule "x"

  replace clause § 10-204a-2a(h)(2) when grades K to 12 requires 1 dose of varicella-vaccine
  otherwise non-compliant
remove   requirement influenza
replace group pcv-vaccine "pneumococcal conjugate vaccine" = PCV13 and PCV15
replace requirement tdap "Tdap" protects against pertussis
  clause § 1 requires 1 dose of tdap-vaccine
"""


@pytest.mark.parametrize(
    "text",
    [WHOLE_RULESET, COMMENTS, REQUIRES, WORDS, AMENDMENT],
    ids=["whole_ruleset", "comments", "requires", "words", "amendment"],
)
def test_messy_layout_in_canonical_layout_out(text, snapshot):
    formatted = format_source(text)
    assert formatted == snapshot
    assert format_source(formatted) == formatted
    assert words_and_comments(formatted) == words_and_comments(text)


def test_says_text_is_rewrapped_without_changing_a_word():
    text = 'in process says "' + " ".join(["word"] * 60) + ' § 10-204a-3a"\n'
    formatted = format_source(text)
    assert formatted.splitlines()[2].startswith("        word")  # aligned one right of the quote
    assert all(len(line) <= 100 for line in formatted.splitlines())
    assert "§ 10-204a-3a" in formatted  # `§` is not separated from its number
    assert words_and_comments(formatted) == words_and_comments(text)


# --- any layout of a bundled file formats back to the same text ------------------------------------


def _perturb(text, rnd, rate):
    """`text` with the whitespace between tokens and comments changed at random (lines joined or
    broken, spaces added), and the words of strings re-spaced; blank lines stay blank lines, a
    comment at the end of a line stays there and one on its own line stays on its own line."""
    tree, comments = parse_with_comments(SourceFile("t.ctr", text))
    elements = sorted(list(tree.scan_values(lambda v: v is not None)) + comments, key=lambda t: t.start_pos)
    out = [text[: elements[0].start_pos]]
    for before, element in zip([None, *elements[:-1]], elements, strict=True):
        if before is not None:
            gap = text[before.end_pos : element.start_pos]
            if rnd.random() < rate:
                lines = gap.count("\n")
                indent = " " * rnd.randint(0, 8)
                if element.type == "COMMENT" and lines == 0:
                    gap = " " * rnd.randint(1, 3)
                elif lines >= 2:
                    gap = "\n" * rnd.randint(2, 3) + indent
                elif lines == 1 and (before.type == "COMMENT" or element.type == "COMMENT"):
                    gap = " " * rnd.randint(0, 2) + "\n" + indent
                else:
                    gap = rnd.choice([" " * rnd.randint(1, 3), "\n" + indent, " \n" + indent])
            out.append(gap)
        word = str(element)
        if element.type == "STRING" and rnd.random() < rate:
            word = '"' + "".join(w + rnd.choice([" ", "  ", "\n    "]) for w in word[1:-1].split()) + '"'
        out.append(word)
    out.append(text[elements[-1].end_pos :])
    return "".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(BUNDLED), seed=st.integers(0, 2**32 - 1), rate=st.floats(0.05, 1.0))
def test_any_layout_of_a_bundled_ruleset_formats_back_to_it(path, seed, rate):
    text = path.read_text(encoding="utf-8")
    perturbed = _perturb(text, random.Random(seed), rate)
    assert format_source(perturbed) == text


def test_the_perturbation_changes_the_layout_but_not_the_words():
    text = BUNDLED[0].read_text(encoding="utf-8")
    perturbed = _perturb(text, random.Random(1), 1.0)
    assert perturbed != text and words_and_comments(perturbed) == words_and_comments(text)


# --- ctrules fmt ----------------------------------------------------------------------------------

MESSY = 'ruleset t "T"\nvaccine MMR   cvx 3 contains measles live\n'
CANONICAL = 'ruleset t "T"\nvaccine MMR cvx 3 contains measles live\n'


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "messy.ctr").write_text(MESSY)
    (tmp_path / "sub" / "canonical.ctr").write_text(CANONICAL)
    (tmp_path / "notes.txt").write_text(MESSY)
    return tmp_path


def test_check_lists_the_files_that_would_change_and_writes_nothing(capsys, folder):
    code, out, err = run(capsys, "fmt", "--check", str(folder))
    assert code == 1 and out == ""
    assert f"would reformat {folder / 'messy.ctr'}" in err and "canonical.ctr" not in err
    assert (folder / "messy.ctr").read_text() == MESSY
    code, _, _ = run(capsys, "fmt", "--check", str(folder / "sub"), str(folder / "sub" / "canonical.ctr"))
    assert code == 0


def test_fmt_rewrites_changed_files_in_place(capsys, folder):
    before = (folder / "sub" / "canonical.ctr").stat().st_mtime_ns
    code, out, err = run(capsys, "fmt", str(folder))
    assert code == 0 and out == "" and f"reformatted {folder / 'messy.ctr'}" in err
    assert (folder / "messy.ctr").read_text() == CANONICAL
    assert (folder / "sub" / "canonical.ctr").stat().st_mtime_ns == before  # unchanged: not written
    assert (folder / "notes.txt").read_text() == MESSY  # a folder means its .ctr files only
    assert run(capsys, "fmt", "--check", str(folder))[0] == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(capsys, folder):
    code, out, _ = run(capsys, "fmt", "--diff", str(folder / "messy.ctr"))
    assert code == 1
    assert out.splitlines()[:2] == [f"--- {folder / 'messy.ctr'}", f"+++ {folder / 'messy.ctr'} (formatted)"]
    assert "-vaccine MMR   cvx 3 contains measles live\n+vaccine MMR cvx 3 contains measles live\n" in out
    assert (folder / "messy.ctr").read_text() == MESSY


def test_a_file_with_syntax_errors_is_reported_and_left_untouched(capsys, folder):
    broken = folder / "broken.ctr"
    broken.write_text("requirement r\n  clause § 1\n    requires 2 doses of g, at least 28 apart\n")
    code, out, err = run(capsys, "fmt", str(folder))
    assert code == 1 and out == ""
    assert "CTR101" in err and f"{broken}:3:" in err
    assert broken.read_text().endswith("28 apart\n")
    assert (folder / "messy.ctr").read_text() == CANONICAL  # the other files are still formatted


def test_a_missing_path_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "fmt", str(tmp_path / "nope.ctr"))
    assert code == 1 and "no such file or folder" in err


def test_fmt_check_on_the_bundled_rulesets(capsys):
    code, _, err = run(capsys, "fmt", "--check", str(data_dir("rulesets")))
    assert code == 0, err
