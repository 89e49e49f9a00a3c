"""The AST says what the text says: spans do not affect equality; literals are typed."""

from datetime import date

import ctrules
from ctrules import ast
from ctrules.build_ast import build
from ctrules.dates import Unit
from ctrules.parse import parse
from ctrules.source import SourceFile

DECLS = """
vaccine MMR cvx 3 contains measles, mumps and rubella live
vaccine MMRV cvx 94 contains measles, mumps, rubella and varicella live
vaccine VAR cvx 21 contains varicella live
group measles-vaccine "live attenuated measles vaccine" = vaccines containing measles
group varicella-vaccine = vaccines containing varicella
"""

MEASLES = """
requirement measles "Measles" § 10-204a-2a(a)
  protects against measles
  clause § 10-204a-2a(a)(2)
    says "on or after August 1, 2011, is enrolled in kindergarten through grade 12 ..."
    when grades K to 12, from 2011-08-01
    requires 2 doses of measles-vaccine, first on or after 1st birthday, at least 28 days apart
"""

MEASLES_REFORMATTED = """# a comment the AST does not keep
requirement   measles "Measles"   § 10-204a-2a(a) protects against measles
clause § 10-204a-2a(a)(2) says "on or after August 1, 2011, is enrolled in
   kindergarten through grade 12 ..." when grades K to 12,
   from 2011-08-01 requires 2 doses of measles-vaccine,
   first on or after 1st birthday,   # trailing comment
   at least 28 days apart
"""


def _ast(text: str, name: str = "t.ctr") -> ast.Ruleset:
    source = SourceFile(name, "\n" + text)
    return build(parse(source), source)


def test_reformatting_and_comments_do_not_change_the_ast():
    assert _ast(DECLS + MEASLES) == _ast(DECLS + MEASLES_REFORMATTED, "other.ctr")


def test_a_changed_interval_changes_the_ast():
    assert _ast(DECLS + MEASLES) != _ast(DECLS + MEASLES.replace("28 days", "27 days"))


def test_spans_point_at_the_source_line():
    tree = _ast(DECLS + MEASLES)
    clause = tree.requirements[0].clauses[0]
    # The text starts with a blank line, so line numbers are 1-based and offset by one.
    assert clause.citation.span.line == 11
    assert clause.citation.span.column == 10
    series = clause.body.options[0]
    assert series.group.span.line == 14


def test_literals_are_typed():
    clause = _ast(DECLS + MEASLES).requirements[0].clauses[0]
    grades, in_force = clause.conditions
    assert grades.grades == ("K", *[str(n) for n in range(1, 13)])
    assert in_force.start == date(2011, 8, 1) and in_force.end is None
    series = clause.body.options[0]
    timing, apart = series.constraints
    assert timing.position.kind is ast.PositionKind.FIRST
    assert timing.bounds[0].comparator is ast.Comparator.GE
    assert timing.bounds[0].quantity == ast.Quantity(amount=1, unit=Unit.YEARS)
    assert apart.quantity == ast.Quantity(amount=28, unit=Unit.DAYS)


def test_regulation_text_is_kept_with_line_breaks_folded():
    tree = _ast(DECLS + MEASLES_REFORMATTED)
    assert tree.requirements[0].clauses[0].text == (
        "on or after August 1, 2011, is enrolled in kindergarten through grade 12 ..."
    )


def test_representative_clauses_snapshot(snapshot):
    """The AST of the Connecticut clauses with the richest shapes: (a)(2), (g)(1), (h)(4), (k)."""
    rs = ctrules.load("ct")
    wanted = {"10-204a-2a(a)(2)", "10-204a-2a(g)(1)", "10-204a-2a(h)(4)", "10-204a-2a(k)"}
    clauses = [
        c
        for r in rs.ast.requirements
        for c in r.clauses
        if c.citation.text in wanted and not isinstance(c.body, ast.NotRequired)
    ]
    assert len(clauses) == 4
    assert [(c.citation.text, c.conditions, c.body) for c in clauses] == snapshot
