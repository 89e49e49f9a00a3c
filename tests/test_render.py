"""`ctrules render`: one self-contained HTML page per ruleset, and the example students on it."""

import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

import ctrules
from ctrules.amend import describe_changes
from ctrules.ast import Comparator, InForce
from ctrules.checkers import EvidenceChecker, SeasonChecker
from ctrules.cli import main
from ctrules.compiler import CompiledRule
from ctrules.examples import REFERENCE_DATE, choose_as_of, examples_for
from ctrules.html import render_page, source_of

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ["ct", "ct-dph", "infinite-campus-ct"]
_PAGES: dict[str, str] = {}


def page(name):
    """The rendered page of a bundled ruleset (rendered once per test run)."""
    if name not in _PAGES:
        _PAGES[name] = render_page(ctrules.load(name))
    return _PAGES[name]


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [(name, value or "") for name, value in attrs if name in ("src", "href", "action", "srcset")]


STUDENT = re.compile(
    r'<div class="student (?P<kind>meets|misses)" data-requirement="(?P<requirement>[^"]*)" '
    r'data-as-of="(?P<as_of>[^"]*)" data-status="(?P<status>[^"]*)" data-clause="(?P<clause>[^"]*)">'
    r'.*?<pre class="record">(?P<record>.*?)</pre>',
    re.S,
)


def students(text):
    return [
        {**m.groupdict(), "record": json.loads(html.unescape(m["record"])), "clause": html.unescape(m["clause"])}
        for m in STUDENT.finditer(text)
    ]


@pytest.mark.parametrize("name", BUNDLED)
def test_the_page_is_self_contained(name):
    text = page(name)
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    parser = _Attributes()
    parser.feed(text)
    assert "script" not in parser.tags and "<script" not in text.lower()
    assert not {"img", "link", "iframe", "object", "embed"} & set(parser.tags)
    # Only links within the page.
    assert parser.links and all(name == "href" and value.startswith("#") for name, value in parser.links)
    # Nothing of the machine it was rendered on.
    assert str(ROOT) not in text


@pytest.mark.parametrize("name", BUNDLED)
def test_the_page_shows_every_clause_and_rule_with_its_text(name):
    ruleset = ctrules.load(name)
    text = page(name)
    assert html.escape(ruleset.compiled.title) in text
    for version in ruleset.versions:
        assert html.escape(version.id) in text and html.escape(version.description) in text
    for requirement in ruleset.compiled.requirements:
        assert f'id="req-{requirement.name}"' in text
        for rule in requirement.rules:
            assert html.escape(f"“{rule.name}”") in text
            assert html.escape(rule.text) in text
        for clause in requirement.clauses:
            assert html.escape(str(clause.citation)) in text
            assert html.escape(clause.text) in text
    for exemption in ruleset.ast.exemptions:
        assert html.escape(exemption.text) in text


def test_an_amendment_shows_what_it_amends_and_changes():
    text = page("ct-dph")
    assert "Amends ct" in text
    for line in describe_changes(ctrules.load("ct-dph").ast.changes):
        assert html.escape(line) in text
    assert "from ct-dph</span>" in text and "from ct, unchanged</span>" in text


@pytest.mark.parametrize("name", BUNDLED)
def test_every_example_student_gets_the_stated_status_from_a_fresh_evaluation(name):
    fresh = ctrules.load(name)
    shown = students(page(name))
    assert len(shown) >= 40
    assert {s["kind"] for s in shown} == {"meets", "misses"}
    for student in shown:
        result = fresh.evaluate(student["record"], as_of=student["as_of"]).requirements[student["requirement"]]
        assert (result.status.value, result.clause or "") == (student["status"], student["clause"]), student


@pytest.mark.parametrize("name", ["ct", "ct-dph"])
def test_the_regulation_examples_meet_or_miss_as_labelled(name):
    """Under the regulation (and DPH practice), a student built to meet a clause is compliant
    (or not required, for a deemed or `not required` clause) and one a day short is not
    compliant (for a `not required` clause, another clause then decides: the child born a day
    after the 2007 cut-off is five or older and deemed protected by (j)(2))."""
    for student in students(page(name)):
        if student["kind"] == "meets":
            assert student["status"] in ("compliant", "not_required"), student
        else:
            assert student["status"] != "compliant", student


def has_minimum(term):
    """A minimum age or interval sets a date (so a student can miss it by a day)."""
    if isinstance(term, SeasonChecker):
        return True
    if isinstance(term, EvidenceChecker):
        return term.at_age is not None
    minimums = (Comparator.GE, Comparator.GT)
    slots = getattr(term, "slots", ())
    return any(r.comparator in minimums for slot in slots for r in (*slot.ages, *slot.intervals))


def test_every_ct_clause_has_a_boundary_student_and_each_dose_rule_one_a_day_short():
    ruleset = ctrules.load("ct")
    for requirement in ruleset.compiled.requirements:
        for clause in requirement.clauses:
            examples = examples_for(ruleset, requirement, clause)
            assert examples.students, (requirement.name, str(clause.citation), examples.notes)
            assert examples.students[0].meets
            if any(has_minimum(option) for option in clause.options) or clause.deemed:
                assert any(not s.meets for s in examples.students), (requirement.name, str(clause.citation))


def test_a_boundary_student_has_each_dose_on_its_threshold():
    """§ 10-204a-2a(a)(2): the 1st birthday, then 28 days later; each a day early misses."""
    ruleset = ctrules.load("ct")
    measles = ruleset.compiled.requirements[0]
    clause = next(c for c in measles.clauses if c.citation.text == "10-204a-2a(a)(2)")
    examples = examples_for(ruleset, measles, clause)
    assert examples.as_of == REFERENCE_DATE and examples.version == "2022-09-01"
    meets, *misses = examples.students
    birth = date.fromisoformat(meets.record["birth_date"])
    first, second = (date.fromisoformat(d["date"]) for d in meets.record["doses"])
    assert first == birth.replace(year=birth.year + 1) and (second - first).days == 28
    assert meets.why == ("on or after the 1st birthday", "at least 28 days after dose 1")
    assert [s.record["doses"] for s in misses] == [
        [{"vaccine": "Measles", "date": str(first.fromordinal(first.toordinal() - 1))}, meets.record["doses"][1]],
        [meets.record["doses"][0], {"vaccine": "Measles", "date": str(second.fromordinal(second.toordinal() - 1))}],
    ]
    assert all(s.result.status is ctrules.Status.NON_COMPLIANT for s in misses)


def test_the_dph_grace_moves_the_boundary_four_days_earlier():
    ct, dph = ctrules.load("ct"), ctrules.load("ct-dph")
    dates = []
    for ruleset in (ct, dph):
        measles = ruleset.compiled.requirements[0]
        clause = next(c for c in measles.clauses if c.citation.text == "10-204a-2a(a)(1)")
        dates.append(date.fromisoformat(examples_for(ruleset, measles, clause).students[0].record["doses"][0]["date"]))
    assert (dates[0] - dates[1]).days == 4


def test_the_evaluation_date_is_inside_the_clause_and_the_versions():
    ct, dph = ctrules.load("ct"), ctrules.load("ct-dph")
    before_2011 = InForce(end=date(2011, 7, 31))
    assert choose_as_of(ct.compiled, InForce()) == REFERENCE_DATE
    assert choose_as_of(ct.compiled, before_2011) == date(2010, 9, 1)
    assert choose_as_of(dph.compiled, before_2011) is None  # ct-dph starts in 2023
    assert choose_as_of(ct.compiled, InForce(start=date(2030, 1, 1))) == date(2030, 9, 1)


def test_what_cannot_be_generated_is_said_not_guessed():
    ruleset = ctrules.load("infinite-campus-ct")
    influenza = next(r for r in ruleset.compiled.requirements if r.name == "influenza")
    recent = next(r for r in influenza.rules if r.name == "2 doses")
    examples = examples_for(ruleset, influenza, recent)
    assert not examples.students
    assert examples.notes == ("No example: it depends on how long before the evaluation date a dose was given.",)
    text = page("infinite-campus-ct")
    assert "it depends on how long before the evaluation date a dose was given" in text
    dph = page("ct-dph")
    assert "Not in force on any date this ruleset&#x27;s versions cover." in dph


def test_a_vendor_rule_shows_which_later_rule_catches_a_student_it_misses():
    """D11: with the first MMR dose a day early, "1 dose 16 months" makes a K student compliant."""
    ruleset = ctrules.load("infinite-campus-ct")
    measles = next(r for r in ruleset.compiled.requirements if r.name == "measles")
    rule = next(r for r in measles.rules if r.name == "2 MMR K-12")
    assert isinstance(rule, CompiledRule)
    misses = [s for s in examples_for(ruleset, measles, rule).students if not s.meets]
    assert misses and all(s.result.clause == "1 dose 16 months" for s in misses)


EVIL = """\
ruleset evil "<b>Evil</b> & co"
  version "v1" from 2020-01-01 "desc <i>not italic</i>"

vaccine MMR "mmr <x>" cvx 3 contains measles live
vaccine IPV "ipv" cvx 10 contains polio
group measles-vaccine "measles <vaccine>" = vaccines containing measles

requirement measles "Measles <script>alert(1)</script>" § 1-2(a)
  protects against measles
  says "Requirement <script>alert('x')</script> & more"

  clause § 1-2(a)(1)
    # comment </pre><script>alert(2)</script>
    says "<script>alert(3)</script> & <img src=x onerror=alert(4)> 'quoted'"
    requires 1 dose of measles-vaccine, first on or after 1st birthday

requirement polio "Polio"
  protects against polio

  rule "<img src=y onerror=alert(5)>" compliant
    says "<a href=http://example.com>x</a>"
    requires 1 dose of IPV

  otherwise non-compliant
"""


def test_everything_from_the_ruleset_is_escaped(tmp_path):
    path = tmp_path / "evil.ctr"
    path.write_text(EVIL, encoding="utf-8")
    text = render_page(ctrules.load(path))
    assert "<script" not in text and "<img" not in text and "<b>" not in text and "<i>" not in text
    parser = _Attributes()
    parser.feed(text)
    assert all(value.startswith("#") for _, value in parser.links)
    assert html.escape("<script>alert(3)</script> & <img src=x onerror=alert(4)> 'quoted'") in text
    assert html.escape("<a href=http://example.com>x</a>") in text
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; co" in text
    assert text == render_page(ctrules.load(path))  # the same ruleset, the same page


def test_the_source_shown_is_the_file_text_with_its_comments():
    ruleset = ctrules.load("infinite-campus-ct")
    hepatitis_a = next(r for r in ruleset.ast.requirements if r.name.text == "hepatitis_a")
    shown, where = source_of(ruleset, hepatitis_a.rules[0].span)
    assert shown.startswith("# NOTE (D17): the vendor rolls hepatitis A up")
    assert shown.endswith("when grades 9 to 12, from 2020-07-01 until 2021-06-30")
    assert where.startswith("infinite_campus/ruleset.ctr:")


def test_the_section_of_one_small_clause(snapshot):
    """§ 10-204a-2a(a)(1), preschool measles: the regulation's words beside the rule (with its
    comment), the student with the dose on the 1st birthday (compliant) and the one with it a
    day before (non-compliant: "given before the 1st birthday"), evaluated on 2024-09-01."""
    text = page("ct")
    section = re.search(r'<article class="item" id="req-measles-1">.*?</article>', text, re.S)
    assert section is not None
    assert section.group(0) == snapshot


def test_cli_render_writes_the_page(tmp_path, capsys):
    out = tmp_path / "ct-dph.html"
    assert main(["render", "ct-dph", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == page("ct-dph")
    assert capsys.readouterr().out == ""
    assert main(["render", "no-such-ruleset"]) == 1
    assert "no ruleset 'no-such-ruleset'" in capsys.readouterr().err


def test_cli_render_writes_to_stdout_by_default(tmp_path, capsys):
    path = tmp_path / "evil.ctr"
    path.write_text(EVIL, encoding="utf-8")
    assert main(["render", str(path)]) == 0
    assert capsys.readouterr().out == render_page(ctrules.load(path))
