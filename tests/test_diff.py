"""`ctrules diff`: structural changes in policy words, their effect, verified witnesses, the
roster impact, the four output forms and the exit codes.

The small rulesets in tests/diff/ each change one thing in base.ctr. Every witness a diff
reports is evaluated again here, independently, through the public API on both files.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ctrules
from ctrules.cli import main
from ctrules.diff import diff, render_diff

ROOT = Path(__file__).parent.parent
HERE = Path("tests") / "diff"
"""Relative to ROOT, where every test runs (the labels in the output are the paths as given)."""
BASE = HERE / "base.ctr"
AS_OF = date(2024, 9, 1)

PAIRS = sorted(p.stem for p in (ROOT / HERE).glob("*.ctr") if p.stem != "base")

EXPECTED = {
    # file: (effect per requirement moved, behavioural difference)
    "reformatted": ({}, False),
    "reordered": ({}, False),
    "wording": ({}, False),
    "rules_swapped_harmless": ({"hepatitis_b": "none"}, False),
    "rules_reordered": ({"hepatitis_b": "tightening"}, True),
    "interval_one_day": ({"measles": "tightening"}, True),
    "interval_tolerance": ({"measles": "loosening"}, True),
    "clause_added": ({"pneumococcal": "tightening"}, True),
    "clause_removed": ({"measles": "loosening"}, True),
    "group_member_added": ({"pneumococcal": "loosening"}, True),
    "age_changed": ({"measles": "loosening"}, True),
    "grades_narrowed": ({"measles": "loosening"}, True),
    "grace_added": ({"measles": "loosening", "pneumococcal": "loosening", "hepatitis_b": "none"}, True),
    "exemption_removed": ({"measles": "tightening", "pneumococcal": "tightening", "hepatitis_b": "tightening"}, True),
    "count_changed": ({"pneumococcal": "tightening"}, True),
}


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _diff(name: str):
    return diff(str(BASE), str(HERE / f"{name}.ctr"), as_of=AS_OF)


def test_every_pair_has_an_expectation():
    assert set(PAIRS) == set(EXPECTED)


@pytest.mark.parametrize("name", PAIRS)
def test_effect_of_each_kind_of_change(name):
    found = _diff(name)
    effects, behavioural = EXPECTED[name]
    assert {r: e.classification for r, e in found.effects.items()} == effects
    assert found.behavioural_difference is behavioural


def _status(ruleset: ctrules.Ruleset, record: dict, as_of: date, requirement: str) -> str:
    result = ruleset.evaluate(record, as_of=as_of)
    assert result.status.value != "error", result.errors
    return result.requirements[requirement].status.value


@pytest.mark.parametrize("name", PAIRS)
def test_every_witness_differs_when_evaluated_again(name):
    """Each witness, evaluated afresh through the public API on both files, has the statuses
    the diff reports, and they differ."""
    found = _diff(name)
    old, new = ctrules.load(BASE), ctrules.load(HERE / f"{name}.ctr")
    for effect in found.effects.values():
        assert effect.differing == sum(d.students for d in effect.departures)
        for departure in effect.departures:
            witness = departure.witness
            assert witness.verified
            before = _status(old, witness.record, witness.as_of, effect.requirement)
            after = _status(new, witness.record, witness.as_of, effect.requirement)
            assert (before, after) == (departure.old_status.value, departure.new_status.value)
            assert before != after


@pytest.mark.parametrize("name", PAIRS)
def test_text_output(name, snapshot):
    assert render_diff(_diff(name), "text") == snapshot


def test_one_day_on_an_interval_is_found_classified_and_witnessed():
    found = _diff("interval_one_day")
    [change] = [c for c in found.changes if c.behavioural]
    assert change.summary == (
        "§ 1(a)(2) measles, grades K to 12: at least 28 days apart → at least 29 days apart; "
        "region: a dose 28 days after the one before counted before, no longer"
    )
    effect = found.effects["measles"]
    assert effect.classification == "tightening"
    [departure] = effect.departures
    doses = [date.fromisoformat(d["date"]) for d in departure.witness.record["doses"]]
    assert len(doses) == 2 and (doses[1] - doses[0]).days == 28
    assert (departure.old_status.value, departure.new_status.value) == ("compliant", "non_compliant")


def test_a_tolerance_on_a_strict_comparison_is_a_region_of_days():
    found = _diff("interval_tolerance")
    [change] = [c for c in found.changes if c.behavioural]
    assert "at least 28 days apart → more than 28 days apart with 4 days tolerance" in change.summary
    assert "region: a dose 25 to 27 days after the one before counts now, not before" in change.details
    [departure] = found.effects["measles"].departures
    doses = [date.fromisoformat(d["date"]) for d in departure.witness.record["doses"]]
    assert 25 <= (doses[1] - doses[0]).days <= 27


def test_layout_comments_order_and_wording_are_not_behavioural():
    for name in ("reformatted", "reordered"):
        assert _diff(name).changes == ()
    wording = _diff("wording")
    assert wording.changes and not any(c.behavioural for c in wording.changes)
    assert not wording.effects


def test_reordered_rules_are_reported_and_classified_by_their_effect():
    harmful = _diff("rules_reordered")
    harmless = _diff("rules_swapped_harmless")
    for found in (harmful, harmless):
        assert [c.kind for c in found.changes] == ["reordered"]
    assert harmful.changes[0].details == (
        "order: 3 doses, K-12, 2 doses, preschool, 2 recent doses → 2 recent doses, 3 doses, K-12, 2 doses, preschool",
    )
    assert harmful.effects["hepatitis_b"].departures[0].new_clause == "2 recent doses"
    assert harmless.effects["hepatitis_b"].tried > 50  # tried, and none moved


def test_group_membership_change_is_witnessed_with_the_product_it_adds():
    found = _diff("group_member_added")
    [change] = found.changes
    assert change.summary == "vaccine group pcv: member: PPSV23 added"
    assert found.effect_of(change) == "loosening"
    witness = found.effects["pneumococcal"].departures[0].witness
    assert {d["cvx"] for d in witness.record["doses"]} == {"33"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.integers(min_value=7, max_value=90), new=st.integers(min_value=7, max_value=90))
def test_any_interval_change_is_found_at_its_boundary(old, new, tmp_path):
    text = BASE.read_text(encoding="utf-8")
    before = tmp_path / f"old{old}.ctr"
    after = tmp_path / f"new{new}.ctr"
    before.write_text(text.replace("at least 28 days apart", f"at least {old} days apart"), encoding="utf-8")
    after.write_text(text.replace("at least 28 days apart", f"at least {new} days apart"), encoding="utf-8")
    found = diff(str(before), str(after), as_of=AS_OF)
    if old == new:
        assert not found.changes and not found.behavioural_difference
        return
    effect = found.effects["measles"]
    assert effect.classification == ("tightening" if new > old else "loosening")
    gaps = set()
    for departure in effect.departures:
        doses = [date.fromisoformat(d["date"]) for d in departure.witness.record["doses"]]
        gaps.add((doses[1] - doses[0]).days)
    assert gaps and all(min(old, new) <= gap < max(old, new) for gap in gaps)


# --- the bundled rulesets ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def vendor_diff():
    return diff("ct", "infinite-campus-ct", as_of=date(2024, 9, 1))


def test_vendor_departures_each_have_a_verified_witness(vendor_diff):
    assert vendor_diff.behavioural_difference
    assert set(vendor_diff.effects) == set(ctrules.load("ct").requirement_ids)
    old, new = ctrules.load("ct"), ctrules.load("infinite-campus-ct")
    for effect in vendor_diff.effects.values():
        assert effect.departures, effect.requirement
        for departure in effect.departures:
            witness = departure.witness
            assert witness.verified, (effect.requirement, departure)
            before = _status(old, witness.record, witness.as_of, effect.requirement)
            after = _status(new, witness.record, witness.as_of, effect.requirement)
            assert (before, after) == (departure.old_status.value, departure.new_status.value)


def _departures(found, requirement):
    return {
        (d.old_status.value, d.new_status.value, d.old_clause, d.new_clause): d
        for d in found.effects[requirement].departures
    }


def test_vendor_departures_include_the_documented_ones(vendor_diff):
    """D6-style strict comparisons, D-religious (no Public Act 21-6 at the vendor), and the
    vendor's in-progress rules where the regulation has only the in-process certificate."""
    dtap = _departures(vendor_diff, "dtap")
    strict = dtap[("compliant", "non_compliant", "10-204a-2a(d)(3)", "4 doses K-12")].witness
    doses = [date.fromisoformat(d["date"]) for d in strict.record["doses"]]
    assert min((b - a).days for a, b in zip(doses, doses[1:], strict=False)) == 28
    religious = [d for d in dtap.values() if d.new_status.value == "exempt" and d.old_status.value == "non_compliant"]
    assert any(d.witness.record.get("exemptions", [{}])[0].get("type") == "religious" for d in religious)
    hepatitis_b = _departures(vendor_diff, "hepatitis_b")
    assert any(old == "non_compliant" and new == "in_progress" for old, new, _, _ in hepatitis_b)


def test_the_2011_amendment():
    found = diff("ct@2011-07-31", "ct@2011-08-01")
    assert found.as_of == date(2011, 8, 1)
    measles = _departures(found, "measles")
    [one_dose] = [d for k, d in measles.items() if k[:2] == ("compliant", "non_compliant")]
    assert one_dose.grades == ("1", "2", "3", "4", "5", "6")
    assert len(one_dose.witness.record["doses"]) == 1
    assert found.effects["tdap"].classification == "tightening"
    assert "hib" not in found.effects  # (f) did not change in 2011
    assert {r for r, e in found.effects.items() if e.differing} == {
        "measles",
        "mumps",
        "rubella",
        "tdap",
        "varicella",
        "hepatitis_a",
        "pneumococcal",
        "influenza",
        "meningococcal",
    }


# --- docs/diffs: kept current ------------------------------------------------------------------

DOCS = {
    "ct-vs-infinite-campus-ct.md": ("ct", "infinite-campus-ct", date(2024, 9, 1)),
    "ct@2011-07-31-vs-ct@2011-08-01.md": ("ct@2011-07-31", "ct@2011-08-01", None),
}


@pytest.mark.parametrize("filename", sorted(DOCS))
def test_docs_diffs_are_current(filename, vendor_diff):
    old, new, as_of = DOCS[filename]
    found = vendor_diff if (old, new) == ("ct", "infinite-campus-ct") else diff(old, new, as_of=as_of)
    written = (ROOT / "docs" / "diffs" / filename).read_text(encoding="utf-8")
    assert written == render_diff(found, "markdown"), (
        f"docs/diffs/{filename} is out of date: regenerate it with "
        f"`ctrules diff {old} {new}{f' --as-of {as_of}' if as_of else ''} --format markdown -o docs/diffs/{filename}`"
    )


# --- forms and the command line -------------------------------------------------------------


def test_json_is_stable_and_complete():
    found = _diff("interval_tolerance")
    data = json.loads(render_diff(found, "json"))
    assert data["schema"] == 1
    assert set(data) == {
        "schema",
        "old",
        "new",
        "as_of",
        "behavioural_difference",
        "changes",
        "requirements",
        "population",
    }
    [change] = data["changes"]
    assert change["effect"] == "loosening" and change["affects"] == ["measles"]
    [requirement] = data["requirements"]
    assert requirement["effect"] == "loosening"
    departure = requirement["departures"][0]
    assert departure["old"]["status"] == "non_compliant" and departure["new"]["status"] == "compliant"
    assert departure["witness"]["verified"] is True
    assert departure["witness"]["old"]["requirement"] == "measles"
    assert ctrules.load(BASE).evaluate(departure["witness"]["student"], as_of=departure["witness"]["as_of"])


def test_html_is_one_self_contained_page():
    found = _diff("interval_one_day")
    page = render_diff(found, "html")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "http" not in page
    assert "at least 28 days apart → at least 29 days apart" in page
    second = found.effects["measles"].departures[0].witness.record["doses"][1]["date"]
    assert f"(CVX 3) {second}" in page  # the witness's second dose, named


def test_markdown_has_headings_per_requirement():
    text = render_diff(_diff("exemption_removed"), "markdown")
    assert text.startswith("# ctrules diff")
    assert "## measles: tightening" in text and "## Declarations, exemptions and settings" in text


def test_exit_codes(capsys):
    assert main(["diff", str(BASE), str(HERE / "reformatted.ctr")]) == 0
    assert main(["diff", "--as-of", "2024-09-01", str(BASE), str(HERE / "interval_one_day.ctr")]) == 1
    out = capsys.readouterr().out
    assert "measles: tightening" in out
    assert main(["diff", "ct", "no-such-ruleset"]) == 1
    assert "no ruleset 'no-such-ruleset'" in capsys.readouterr().err
    assert main(["diff", "ct@1999-01-01", "ct"]) == 2
    assert "no version in force on 1999-01-01" in capsys.readouterr().err
    assert main(["diff", "ct", "infinite-campus-ct", "--as-of", "2019-01-01"]) == 2
    assert "both have rules only from 2020-07-01" in capsys.readouterr().err


def test_population_counts_every_record(tmp_path, capsys):
    roster = ROOT / "examples" / "roster.json"
    records = json.loads(roster.read_text(encoding="utf-8"))
    out = tmp_path / "diff.json"
    code = main(
        [
            "diff",
            "ct",
            "ct-dph",
            "--as-of",
            "2024-09-01",
            "--population",
            str(roster),
            "--format",
            "json",
            "-o",
            str(out),
        ]
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    population = data["population"]
    assert population["records"] == len(records)
    # Independently: the students whose measles status differs between the two rulesets.
    old, new = ctrules.load("ct"), ctrules.load("ct-dph")
    moved = {}
    for record in records:
        a = old.evaluate(record, as_of=date(2024, 9, 1))
        b = new.evaluate(record, as_of=date(2024, 9, 1))
        if a.status.value == "error" or b.status.value == "error":
            continue
        for name in a.requirements:
            if a.requirements[name].status is not b.requirements[name].status:
                moved.setdefault(name, set()).add(a.id)
    listed = {}
    for move in population["moves"]:
        listed.setdefault(move["requirement"], set()).update(move["ids"])
    assert listed == moved
    assert population["students_moved"] == len(set().union(*moved.values())) if moved else 0
    assert code == 1


# --- regressions from review: changes the first search missed ---------------------------------

REGRESSIONS = {
    # pair: (evaluation date, pinned day or None, {requirement: effect})
    "age": ("2024-09-01", None, {"tdap": "loosening"}),  # an age outside the grade's usual ages
    "born": ("2024-09-01", None, {"tdap": "loosening"}),  # a birth-date cut-off
    "coh": ("2024-09-01", "2024-09-01", {"tdap": "loosening"}),  # a cohort's start, grades above it
    "nest": ("2024-09-01", None, {"pneumococcal": "loosening"}),  # a member of a nested group
    "many8": ("2024-09-01", None, {"pneumococcal": "loosening"}),  # the 11th product of a group
    "anyall": ("2024-09-01", None, {"mumps": "loosening"}),  # `vaccines containing A and B`
    "cvx": ("2024-09-01", None, {"measles": "loosening"}),  # a CVX code added to a vaccine
    "lc": ("2024-09-01", None, {"measles": "loosening"}),  # a vaccine no longer live, spacing on
    "live2": ("2024-09-01", None, {"measles": "loosening"}),  # another requirement's live vaccine
    "prot": ("2024-09-01", None, {"tdap": "mixed"}),  # `protects against`, medical exemption by vaccine
    "flu": ("2024-09-01", None, {"influenza": "tightening"}),  # a season window's end
    "leap": ("2024-09-01", None, {"measles": "loosening"}),  # 365 days against the 1st birthday
    "foo": ("2024-09-01", None, {"measles": "tightening"}),  # a vaccine removed: records unreadable
    "hidden_interval": ("2024-09-01", None, {"hepatitis_b": "tightening"}),  # an interval behind an age
    "allof": ("2024-09-01", None, {"measles": "tightening"}),  # a part of `A as well as B`
    "infant": ("2024-09-01", None, {"hepatitis_b": "loosening"}),  # grace on a clause for infants only
    "req_added": ("2024-09-01", None, {"hep_extra": "tightening"}),  # not mixed by an unknown name
    "order_conditions": ("2024-09-01", None, {}),  # `when` conditions in another order
    "order_members": ("2024-09-01", None, {}),  # group members in another order
    "order_for": ("2024-09-01", None, {}),  # an exemption's `for` list in another order
    "latest": (
        "2024-10-15",
        None,
        {"hepatitis_b": "none", "influenza": "loosening", "meningococcal": "loosening"},  # 56 days = 8 weeks
    ),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_review_regressions(name):
    as_of, pinned, expected = REGRESSIONS[name]
    old = HERE / "regressions" / f"{name}_old.ctr"
    new = HERE / "regressions" / f"{name}_new.ctr"
    suffix = f"@{pinned}" if pinned else ""
    found = diff(f"{old}{suffix}", f"{new}{suffix}", as_of=date.fromisoformat(as_of))
    assert {r: e.classification for r, e in found.effects.items()} == expected
    for effect in found.effects.values():
        for departure in effect.departures:
            assert departure.witness.verified
            assert departure.witness.old_status is departure.old_status
            assert departure.witness.new_status is departure.new_status


def test_a_removed_vaccine_makes_records_unreadable_and_that_is_a_move():
    found = diff(str(HERE / "regressions" / "foo_old.ctr"), str(HERE / "regressions" / "foo_new.ctr"), as_of=AS_OF)
    moves = {(d.old_status.value, d.new_status.value) for d in found.effects["measles"].departures}
    assert ("compliant", "error") in moves


def test_default_date_moves_into_the_dates_both_cover():
    found = diff("ct@2022-08-31", "ct-dph")
    assert found.as_of == date(2023, 7, 1)
    assert all(e.tried > 0 for e in found.effects.values())
    assert found.behavioural_difference


def test_markdown_escapes_names_and_ids(tmp_path):
    roster = tmp_path / "roster.json"
    doses = [{"cvx": "8", "date": d} for d in ("2016-10-01", "2016-11-01", "2017-04-01")]
    roster.write_text(json.dumps([{"id": "a|b<i>x</i>", "birth_date": "2016-10-01", "grade": "K", "doses": doses}]))
    old, new = HERE / "regressions" / "escape_old.ctr", HERE / "regressions" / "escape_new.ctr"
    from ctrules.records import read_records

    found = diff(str(old), str(new), as_of=AS_OF, population=read_records(str(roster)))
    text = render_diff(found, "markdown")
    assert "<script>" not in text and "<i>" not in text
    assert "&lt;script>" in text and "a\\|b&lt;i>x&lt;/i>" in text
