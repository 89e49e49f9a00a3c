"""`ctrules explain`: one student's evaluation, explained for a school nurse.

The explanation must be the evaluation itself (the same statuses, clauses and reasons as
`evaluate`), say of each dose whether it counted and why (by how many days a rule was missed),
list the clauses or status rules tried in order, and say from when a further dose would count.
Text snapshots are of students in examples/roster.json under `ct` as of 2024-09-01; each was
read against Regs. Conn. State Agencies § 10-204a-2a before it was kept.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import ctrules
from ctrules.cli import main
from ctrules.evaluate import Evaluator
from ctrules.explain import age_parts, explain, render_text
from ctrules.records import Student, read_records

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "examples" / "roster.json"
VENDOR_ROSTER = ROOT / "examples" / "vendor_roster.json"
AS_OF = date(2024, 9, 1)


@pytest.fixture(scope="module")
def ct() -> ctrules.Ruleset:
    return ctrules.load("ct")


@pytest.fixture(scope="module")
def vendor() -> ctrules.Ruleset:
    return ctrules.load("infinite-campus-ct")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record(doses: list[tuple[str, str]], birth: str = "2018-05-10", grade: str = "K", **more: Any) -> Student:
    data = {
        "id": "stu-test",
        "birth_date": birth,
        "grade": grade,
        "doses": [{"vaccine": v, "date": d} for v, d in doses],
        **more,
    }
    return Student.from_dict(data)


def requirement(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in data["requirements"] if r["requirement"] == name)


def roster_student(student_id: str, path: Path = ROSTER) -> Student:
    found = next(item for item in read_records(path) if item.id == student_id)
    assert isinstance(found, Student)
    return found


# --- the acceptance: an invalid dose, which one, why, by how much, and from when ------

# Born 2018-05-10: 1st birthday 2019-05-10. MMR 3 days before it does not count; the MMR of
# 2019-06-04 counts as dose 1; the MMR of 2019-06-20 is 16 days after it, 12 days short of the
# 28 days (a) requires, so it counts only from 2019-07-02.
INVALID = [("MMR", "2019-05-07"), ("MMR", "2019-06-04"), ("MMR", "2019-06-20")]


def test_invalid_doses_say_which_why_by_how_many_days_and_from_when(ct):
    data = explain(ct, record(INVALID), AS_OF)
    measles = requirement(data, "measles")
    assert measles["status"] == "non_compliant" and measles["clause"] == "10-204a-2a(a)(2)"
    early, first, close = measles["terms"][0]["doses"]

    assert (early["date"], early["result"], early["position"]) == ("2019-05-07", "not_counted", 1)
    [age] = early["constraints"]
    assert (age["kind"], age["met"], age["missed_by_days"], age["limit"]) == ("age", False, 3, "2019-05-10")
    assert age["text"] == (
        "on or after the 1st birthday (2019-05-10): given 3 days before it; a dose on or after 2019-05-10 counts"
    )
    assert early["age"] == {"years": 0, "months": 11, "days": 27}

    assert (first["result"], first["position"], first["counted"]) == ("counted", 1, True)
    assert first["constraints"][0]["days_to_spare"] == 25

    assert (close["result"], close["position"], close["interval_days"]) == ("not_counted", 2, 16)
    [interval] = close["constraints"]
    assert (interval["kind"], interval["missed_by_days"], interval["limit"]) == ("interval", 12, "2019-07-02")
    assert interval["text"] == (
        "at least 28 days after dose 1 (2019-06-04): given 16 days after dose 1, 12 days too soon; "
        "a dose on or after 2019-07-02 counts"
    )
    assert (measles["next_from"], measles["next_until"]) == ("2019-07-02", None)

    text = " ".join(render_text(data).split())  # as read, whatever the line breaks
    assert "given 3 days before it; a dose on or after 2019-05-10 counts" in text
    assert "12 days too soon; a dose on or after 2019-07-02 counts" in text
    assert "Next dose: counts if given on or after 2019-07-02; a dose given now (2024-09-01) would count" in text


def test_the_explanation_is_the_evaluation(ct):
    """Statuses, clauses and reasons are exactly those `evaluate` gives."""
    student = record(INVALID)
    data = explain(ct, student, AS_OF)
    result = ct.evaluate(student, as_of=AS_OF).to_dict()
    assert data["status"] == result["status"]
    assert [{k: r[k] for k in ("requirement", "status", "clause", "reasons")} for r in data["requirements"]] == result[
        "requirements"
    ]


@pytest.mark.parametrize(("name", "path", "as_of"), [
    ("ct", ROSTER, AS_OF),
    ("ct-dph", ROSTER, AS_OF),
    ("infinite-campus-ct", VENDOR_ROSTER, date(2023, 9, 1)),
])  # fmt: skip
def test_every_roster_student_explains_as_evaluated(name, path, as_of):
    """Tracing changes nothing: for every student the traced result is the evaluated one."""
    rs = ctrules.load(name)
    evaluator = Evaluator(rs.compiled)
    for item in read_records(path):
        if not isinstance(item, Student):
            continue
        traced = evaluator.trace(item, as_of)
        assert traced.result == evaluator.evaluate_student(item, as_of)
        if traced.facts is not None:
            assert set(traced.decisions) == set(rs.requirement_ids)
            data = explain(rs, item, as_of)
            assert [r["status"] for r in data["requirements"]] == [
                r.status.value for r in traced.result.requirements.values()
            ]
            render_text(data)


# --- a compliant student ---------------------------------------------------------------------


def test_compliant_student(ct):
    data = explain(ct, roster_student("stu-0012"), AS_OF)
    assert data["status"] == "compliant"
    statuses = {r["requirement"]: r["status"] for r in data["requirements"]}
    assert set(statuses.values()) == {"compliant", "not_required"}
    assert all(r["next_from"] is None for r in data["requirements"])
    measles = requirement(data, "measles")
    assert measles["decided_by"] == {
        "basis": "met",
        "clause": "10-204a-2a(a)(2)",
        "rule": None,
        "text": "§ 10-204a-2a(a)(2) is met",
    }
    assert [d["result"] for d in measles["terms"][0]["doses"]] == ["counted", "counted"]
    polio = requirement(data, "polio")
    assert [t["role"] for t in polio["terms"]] == ["decided", "also"]
    assert polio["decided_by"]["text"] == (
        "§ 10-204a-2a(c)(1) is met, and § 10-204a-2a(c)(2), which must hold as well, is met too"
    )
    hib = requirement(data, "hib")
    assert hib["decided_by"]["basis"] == "deemed" and hib["decided_by"]["clause"] == "10-204a-2a(f)(2)"
    text = render_text(data)
    assert text.startswith("Student stu-0012: COMPLIANT on 2024-09-01\n")
    assert "needs attention" not in text


# --- vendor rules: tried in order ------------------------------------------------------------


def test_vendor_hepatitis_b_rules_tried_in_order(vendor):
    """ic-02: two Hep B doses, the second 12 days before 2023-09-01. Rule "3 doses" is tried
    first and fails, "2 doses" (in progress) matches, "1 dose" is never tried; the compliant rule
    "3 doses" says when a third dose counts (more than 56 days after the second, more than 112
    after the first: from 2023-11-10)."""
    data = explain(vendor, roster_student("ic-02", VENDOR_ROSTER), date(2023, 9, 1))
    hep_b = requirement(data, "hepatitis_b")
    assert hep_b["status"] == "in_progress"
    assert hep_b["decided_by"]["basis"] == "rule" and hep_b["decided_by"]["rule"] == "2 doses"
    tried = [(t["rule"], t["rule_status"], t["result"], t["role"]) for t in hep_b["tried"]]
    assert tried == [
        ("3 doses", "compliant", "not_met", "toward"),
        ("2 doses", "in_progress", "matched", "decided"),
        ("1 dose", "in_progress", "not_reached", None),
    ]
    assert hep_b["tried"][2]["summary"] == 'not tried: rule "2 doses" decided first'
    matched, toward = hep_b["terms"]
    [recency] = matched["doses"][1]["constraints"]
    assert (recency["kind"], recency["met"], recency["days_to_spare"]) == ("recency", True, 44)
    assert (toward["rule"], toward["counted"], toward["required"]) == ("3 doses", 2, 3)
    assert hep_b["next_from"] == "2023-11-10"
    text = render_text(data)
    assert '~ rule "3 doses" (compliant)' in text and '> rule "2 doses" (in progress)' in text


def test_vendor_no_rule_matched_names_the_closest_and_why_each_failed(vendor):
    """One Hep B dose 40 days ago: no rule matches ("1 dose" wanted it at most 28 days ago), so
    the default (non-compliant) applies, citing the compliant rule that came closest."""
    student = record([("HepB", "2023-07-23")], birth="2018-01-01")
    data = explain(vendor, student, date(2023, 9, 1))
    hep_b = requirement(data, "hepatitis_b")
    assert hep_b["status"] == "non_compliant"
    assert hep_b["decided_by"] == {
        "basis": "otherwise",
        "clause": None,
        "rule": "3 doses",
        "text": 'no rule matched; the requirement\'s default is non-compliant; rule "3 doses" came closest',
    }
    assert [(t["rule"], t["result"], t["role"]) for t in hep_b["tried"]] == [
        ("3 doses", "not_met", "closest"),
        ("2 doses", "not_met", None),
        ("1 dose", "not_met", None),
    ]
    assert hep_b["tried"][2]["reasons"][0] == (
        "HepB on 2023-07-23 was not counted as dose 1: it must have been given at most 28 days before the "
        "evaluation date; that held until 2023-08-20"
    )
    assert hep_b["next_from"] == "2023-08-21"  # rule "3 doses": more than 28 days after dose 1
    text = " ".join(render_text(data).split())
    assert "- HepB on 2023-07-23 was not counted as dose 1: it must have been given at most 28 days" in text


# --- policies: grace and live vaccine spacing ------------------------------------------------


def test_grace_and_live_spacing_are_named_and_measured(capsys):
    """ct-dph: 4 days of grace (a dose 5 days before the birthday is 1 day too early) and live
    vaccine spacing (VAR 9 days after MMR is 19 days too soon)."""
    student = record([("MMR", "2019-05-05"), ("MMR", "2019-06-01"), ("VAR", "2019-06-10")])
    data = explain(ctrules.load("ct-dph"), student, AS_OF)
    assert data["policy"] == {"grace_days": 4, "live_vaccine_spacing": True}
    assert data["ruleset"]["amends"] == {"name": "ct", "version": "2022-09-01"}
    [early] = requirement(data, "measles")["terms"][0]["doses"][0]["constraints"]
    assert (early["grace_days"], early["nominal"], early["limit"], early["missed_by_days"]) == (
        4,
        "2019-05-10",
        "2019-05-06",
        1,
    )
    assert early["text"] == (
        "on or after the 1st birthday (2019-05-10), allowing 4 days of grace: given 5 days before it, "
        "1 day too early; a dose on or after 2019-05-06 counts"
    )  # as docs/explain.md quotes it
    var = requirement(data, "varicella")["terms"][0]["doses"][0]
    assert var["result"] == "live_spacing"
    assert var["live_conflict"] == {
        "vaccine": "MMR",
        "date": "2019-06-01",
        "days_apart": 9,
        "required_days": 28,
        "missed_by_days": 19,
        "text": "at least 28 days after the live vaccine MMR (2019-06-01), a different vaccine: "
        "given 9 days after it, 19 days too soon",
    }
    text = render_text(data)
    assert "policy: 4 days of grace on minimum ages and intervals" in text
    assert "live vaccine spacing on" in text


# --- exemptions, evidence, other products, doses after the evaluation date -------------------


def test_exemptions_and_evidence_considered(ct):
    student = record(
        [("HepB", "2018-05-11"), ("MMR", "2025-01-01")],
        evidence=[{"type": "lab_immunity", "disease": "hepatitis_b", "date": "2021-01-01"}],
        exemptions=[{"type": "religious", "on_file_since": "2022-01-01"}],
    )
    data = explain(ct, student, AS_OF)
    assert data["doses_not_considered"] == [{"date": "2025-01-01", "vaccine": "MMR"}]
    assert data["evidence"] == [
        {"type": "lab_immunity", "disease": "hepatitis_b", "date": "2021-01-01", "considered": True}
    ]
    hep_b = requirement(data, "hepatitis_b")
    assert hep_b["decided_by"]["clause"] == "10-204a-2a(g)(2)" and hep_b["terms"][0]["kind"] == "evidence"
    [religious] = requirement(data, "measles")["exemptions"]
    assert (religious["type"], religious["honoured"]) == ("religious", False)
    assert religious["text"].startswith(
        "the religious exemption on file since 2022-01-01 is not honoured on 2024-09-01"
    )


def test_exempt_and_in_process(ct):
    exempt = explain(ct, roster_student("stu-0027"), AS_OF)
    measles = requirement(exempt, "measles")
    assert measles["decided_by"]["basis"] == "exempt"
    assert measles["exemptions"][0]["honoured"] and measles["exemptions"][0]["provision"] == "10-204a(a)(2)"
    in_process = record([], evidence=[{"type": "in_process", "date": "2024-08-20"}])
    polio = requirement(explain(ct, in_process, AS_OF), "polio")
    assert polio["status"] == "in_progress"
    assert polio["in_process"] == {"date": "2024-08-20", "citation": "10-204a(a)(1)"}
    assert (
        "in progress because a certificate that immunizations are in process is on file"
        in (polio["decided_by"]["text"])
    )


def test_other_products_against_the_disease_are_named(ct):
    """stu-0009: PPSV23 is against pneumococcal disease but not a conjugate vaccine."""
    data = explain(ct, roster_student("stu-0009"), AS_OF)
    [other] = requirement(data, "pneumococcal")["terms"][0]["other_products"]
    assert (other["vaccine"], other["product"]) == ("PPSV23", "PPSV23")
    assert other["text"] == "does not count: not pneumococcal conjugate vaccine"


def test_not_applicable_says_from_when():
    """A requirement that does not apply yet says from when (a small ruleset, so the bundled
    rulesets' own `not required` clauses do not decide first)."""
    rs = ctrules.compile(
        'ruleset t\nvaccine IPV cvx 10 contains polio\nrequirement polio "Polio"\n  protects against polio\n'
        "  clause § 1\n    when age >= 18 months\n    requires 3 doses of IPV\n"
    )
    data = explain(rs, Student.from_dict({"id": "a", "birth_date": "2024-01-10", "grade": "P3"}), AS_OF)
    polio = requirement(data, "polio")
    assert polio["status"] == "not_required"
    assert (
        polio["decided_by"]["text"]
        == "no clause that asks for doses applies on 2024-09-01; § 1 applies from 2025-07-10"
    )
    assert polio["tried"][0]["conditions"] == [{"text": "younger than 18 months (until 2025-07-10)", "held": False}]
    assert data["ruleset"] == {"name": "t", "version": "", "description": ""}


def test_age_parts_follow_the_calendar_rules():
    assert age_parts(date(2016, 2, 29), date(2017, 2, 28)) == (0, 11, 30)
    assert age_parts(date(2016, 2, 29), date(2017, 3, 1)) == (1, 0, 0)
    assert age_parts(date(2019, 1, 31), date(2019, 3, 1)) == (0, 1, 0)


# --- the command line ------------------------------------------------------------------------


def test_json_format_keys_and_values(capsys):
    code, out, err = run(
        capsys, "explain", "--ruleset", "ct", "--as-of", "2024-09-01", "--student", "stu-0017", "--format", "json",
        str(ROSTER),
    )  # fmt: skip
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {
        "id", "as_of", "ruleset", "policy", "student", "status", "doses_not_considered", "evidence", "exemptions",
        "requirements",
    }  # fmt: skip
    assert data["ruleset"] == {
        "name": "ct",
        "version": "2022-09-01",
        "description": "Public Act 21-6: preschool religious exemptions no longer honoured",
    }
    assert data["student"] == {
        "birth_date": "2019-02-19",
        "grade": "K",
        "age": {"years": 5, "months": 6, "days": 13},
        "age_days": 2021,
    }
    measles = data["requirements"][0]
    assert set(measles) == {
        "requirement", "title", "status", "clause", "reasons", "decided_by", "tried", "terms", "next_from",
        "next_until", "exemptions", "in_process",
    }  # fmt: skip
    assert set(measles["tried"][0]) == {
        "kind", "clause", "provisional", "rule", "rule_status", "in_force", "conditions", "result", "role",
        "summary", "options", "reasons",
    }  # fmt: skip
    series = measles["terms"][0]
    assert set(series) == {
        "kind", "group", "title", "required", "counted", "met", "doses", "other_products", "latest", "next_from",
        "next_until", "impossible", "clause", "rule", "role",
    }  # fmt: skip
    second = series["doses"][1]
    assert set(second) == {
        "date", "vaccine", "product", "field", "result", "counted", "position", "age", "age_days", "interval_days",
        "previous_counted", "constraints", "live_conflict", "text",
    }  # fmt: skip
    assert (second["date"], second["counted"], second["position"], second["interval_days"]) == (
        "2020-03-12",
        False,
        2,
        20,
    )
    [constraint] = second["constraints"]
    assert constraint == {
        "kind": "interval",
        "rule": "at least 28 days after dose 1 (2020-02-21)",
        "limit": "2020-03-20",
        "nominal": "2020-03-20",
        "grace_days": 0,
        "met": False,
        "missed_by_days": 8,
        "days_to_spare": None,
        "text": "at least 28 days after dose 1 (2020-02-21): given 20 days after dose 1, 8 days too soon; "
        "a dose on or after 2020-03-20 counts",
    }
    assert (measles["next_from"], measles["next_until"]) == ("2020-03-20", None)


def test_text_has_no_colour_codes_and_reads_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(ROSTER.read_text()))
    code, out, _ = run(capsys, "explain", "--ruleset", "ct", "--as-of", "2024-09-01", "--student", "stu-0016", "-")
    assert code == 0 and "\x1b" not in out
    assert out.startswith("Student stu-0016: NON-COMPLIANT on 2024-09-01\n")


def test_csv_roster_input(capsys):
    code, out, _ = run(
        capsys, "explain", "--ruleset", "ct", "--as-of", "2024-09-01", "--student", "stu-0017",
        str(ROOT / "examples" / "roster.csv"),
    )  # fmt: skip
    assert code == 0 and "given 20 days after dose 1, 8 days too soon" in " ".join(out.split())


def test_unknown_student_counts_the_records_and_suggests(capsys):
    code, out, err = run(
        capsys, "explain", "--ruleset", "ct", "--as-of", "2024-09-01", "--student", "stu-016", str(ROSTER)
    )
    assert code == 1 and out == ""
    assert err == (f"ctrules: no student 'stu-016' in {ROSTER} (53 student records read); did you mean \"stu-0016\"?\n")


@pytest.mark.parametrize(("student", "message"), [
    ("stu-0052", "student stu-0052, field doses[24].vaccine: unknown vaccine 'MMRR' (did you mean \"MMR\"?) [CTR404]"),
    ("stu-0053", "student stu-0053 (position 53), field birth_date: birth_date is missing [CTR401]"),
])  # fmt: skip
def test_invalid_record_prints_its_error_and_exits_1(capsys, student, message):
    code, out, err = run(
        capsys, "explain", "--ruleset", "ct", "--as-of", "2024-09-01", "--student", student, str(ROSTER)
    )
    assert code == 1 and out == ""
    assert err == f"ctrules: {ROSTER}: {message}\n"


def test_usage_errors(capsys):
    code, _, err = run(capsys, "explain", "--ruleset", "ct", "--as-of", "1990-01-01", "--student", "x", str(ROSTER))
    assert code == 2 and "no version in force on 1990-01-01" in err
    with pytest.raises(SystemExit) as exited:
        main(["explain", "--ruleset", "ct", str(ROSTER)])
    assert exited.value.code == 2
    code, _, err = run(capsys, "explain", "--ruleset", "ct", "--student", "x", "no-such-file.json")
    assert code == 1 and "no such file" in err


# --- snapshots of the text, read against § 10-204a-2a ----------------------------------------


@pytest.mark.parametrize("student_id", [
    "stu-0016",  # MMR 3 days before the 1st birthday: (a)(2), (b)(2), (e)(2) one valid dose short
    "stu-0017",  # the two MMR doses 20 days apart: 8 days short of "at least twenty-eight (28) days"
    "stu-0023",  # third Hep B dose before "twenty-four (24) weeks of age" ((g)(1))
])  # fmt: skip
def test_text_snapshot(ct, snapshot, student_id):
    assert render_text(explain(ct, roster_student(student_id), AS_OF)) == snapshot


# --- docs/explain.md shows real output -------------------------------------------------------

DOC = ROOT / "docs" / "explain.md"


def doc_blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(), re.S)


def test_the_docs_text_examples_are_real_output(ct, vendor):
    first, vendor_block = doc_blocks("text")
    assert render_text(explain(ct, roster_student("stu-0017"), AS_OF)).startswith(first)
    vendor_text = render_text(explain(vendor, roster_student("ic-02", VENDOR_ROSTER), date(2023, 9, 1)))
    assert "\n" + vendor_block in vendor_text


def test_the_docs_json_example_is_real_output(ct):
    [block] = doc_blocks("json")
    data = explain(ct, roster_student("stu-0017"), AS_OF)
    assert json.loads(block) == requirement(data, "measles")["terms"][0]["doses"][1]
