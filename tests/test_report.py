"""`ctrules report`: counts by school, grade and requirement, the students needing action, and the
four output formats (docs/report.md)."""

import csv
import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import ctrules
from ctrules.cli import main
from ctrules.records import Student, read_records
from ctrules.report import (
    NO_SCHOOL,
    STATUSES,
    UNKNOWN_GRADE,
    build_report,
    exemption_kind,
    render_report,
)

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "examples" / "roster.json"
AS_OF = date(2024, 9, 1)


@pytest.fixture(scope="module")
def ct():
    return ctrules.load("ct")


@pytest.fixture(scope="module")
def report(ct):
    return build_report(ct, [read_records(ROSTER)], AS_OF)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_counts_equal_a_direct_computation_from_evaluate_many(ct, report):
    records = json.loads(ROSTER.read_text())
    results = list(ct.evaluate_many(records, as_of=AS_OF))
    overall = Counter(r.status.value for r in results)
    per_requirement = Counter((q.requirement, q.status.value) for r in results for q in r.requirements.values())
    data = report.to_dict()
    assert data["totals"]["status"] == {s: overall[s] for s in STATUSES}
    for name, counts in data["totals"]["requirements"].items():
        assert counts == {s: per_requirement[(name, s)] for s in STATUSES[:-1]}
    # By grade, from each record's own grade (records that cannot be read have none).
    grade_of = {}
    for item in read_records(ROSTER):
        if isinstance(item, Student):
            grade_of[item.id] = item.grade
    by_grade = Counter((grade_of.get(r.id, UNKNOWN_GRADE), r.status.value) for r in results)
    (school,) = data["schools"]
    assert school["school"] == NO_SCHOOL
    for row in school["grades"]:
        assert row["status"] == {s: by_grade[(row["grade"], s)] for s in STATUSES}
    needing = [r.id for r in results if r.status.value in ("non_compliant", "in_progress")]
    assert [row["id"] for row in data["needs_action"]] == needing
    assert [row["id"] for row in data["errors"]] == [r.id for r in results if r.status.value == "error"]


def test_counts_in_equal_counts_out_including_errors(report):
    data = report.to_dict()
    records = json.loads(ROSTER.read_text())
    assert data["totals"]["students"] == len(records) == 53
    assert sum(data["totals"]["status"].values()) == 53
    assert data["totals"]["status"]["error"] == len(data["errors"]) == 4
    assert sum(g["students"] for s in data["schools"] for g in s["grades"]) == 53
    for school in data["schools"]:
        for grade in school["grades"]:
            assert grade["students"] == sum(grade["status"].values())
            # Every evaluated student has a status for every requirement; error rows have none.
            evaluated = grade["students"] - grade["status"]["error"]
            assert all(sum(c.values()) == evaluated for c in grade["requirements"].values())
            assert sum(grade["exempt_by_kind"].values()) == grade["status"]["exempt"]


def test_hand_checked_counts_for_the_example_roster(report):
    """Read off examples/README.md's scenario table."""
    data = report.to_dict()
    totals = data["totals"]
    # stu-0027 (K, MMR until 2025-06-30) and stu-0032 (grade 4, Hep B) medical; stu-0040 (grade 8) religious.
    assert totals["status"]["exempt"] == 3
    assert totals["exempt_by_kind"] == {"medical": 2, "religious": 1, "statutory": 0}
    # Influenza in progress: stu-0004, 0005, 0006 and 0011 (stu-0007 is under 24 months).
    assert totals["requirements"]["influenza"]["in_progress"] == 4
    grades = {g["grade"]: g for g in data["schools"][0]["grades"]}
    # Grade 7: three complete, one without Tdap, one with Td instead, one without MenACWY.
    assert grades["7"]["students"] == 6
    assert grades["7"]["status"]["compliant"] == 3 and grades["7"]["status"]["non_compliant"] == 3
    assert grades["7"]["requirements"]["tdap"]["non_compliant"] == 2
    assert grades["7"]["requirements"]["meningococcal"]["non_compliant"] == 1
    # The one P3 child (stu-0007) is in progress: nothing counts before the 1st birthday.
    assert grades["P3"]["status"] == {**dict.fromkeys(STATUSES, 0), "in_progress": 1}
    # Bad records: three unreadable ones have no grade; stu-0052 (unknown vaccine, grade 1) keeps its grade.
    assert grades[UNKNOWN_GRADE]["status"]["error"] == 3
    assert grades["1"]["status"]["error"] == 1
    # What stu-0005 needs and from when: a second flu dose from 2024-09-09.
    (stu5,) = [row for row in data["needs_action"] if row["id"] == "stu-0005"]
    assert stu5["needs"] == [
        {
            "requirement": "influenza",
            "status": "in_progress",
            "clause": "10-204a-2a(k)",
            "next_due": "2024-09-09",
            "reasons": stu5["needs"][0]["reasons"],
        }
    ]


def test_json_snapshot_of_the_example_roster(capsys, snapshot):
    code, out, _ = run(capsys, "report", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "json", str(ROSTER))
    assert code == 0
    assert json.loads(out) == snapshot


def test_schools_group_the_counts(ct):
    students = [
        {"id": "a1", "birth_date": "2019-05-10", "grade": "K", "school": "Maple", "doses": []},
        {"id": "a2", "birth_date": "2019-06-10", "grade": "K", "school": "Maple", "doses": []},
        {"id": "b1", "birth_date": "2012-05-10", "grade": "7", "school": "Oak", "doses": []},
        {"id": "c1", "birth_date": "2012-05-10", "grade": "7", "doses": []},
        {"id": "bad", "grade": "7", "school": "Oak"},
    ]
    data = build_report(ct, [ctrules.records.students_from(students)], AS_OF).to_dict()
    assert [s["school"] for s in data["schools"]] == ["Maple", "Oak", NO_SCHOOL]
    maple, oak, none = data["schools"]
    assert maple["totals"]["students"] == 2 and maple["grades"][0]["grade"] == "K"
    assert oak["totals"]["students"] == 1
    assert [g["grade"] for g in none["grades"]] == ["7", UNKNOWN_GRADE]
    assert data["totals"]["students"] == 5 and data["totals"]["status"]["error"] == 1
    assert Student.from_dict(students[0]).school == "Maple"
    assert Student.from_dict(students[3]).school == ""


def test_exemption_kind_reads_the_honoured_exemption(ct):
    """The kind comes from the exemption the evaluation honoured (`RequirementResult.exemption`):
    each student below is exempt from measles on the ground the reason names."""
    records = {
        "medical": {"exemptions": [{"type": "medical", "vaccines": ["MMR"]}]},
        "religious": {"exemptions": [{"type": "religious", "on_file_since": "2019-09-01"}]},
        "statutory": {"evidence": [{"type": "disease_history", "disease": "measles", "date": "2015-01-01"}]},
    }

    def exempt(reason):
        kind = reason.split(" ", 1)[0]
        record = {"id": "x", "birth_date": "2012-01-01", "grade": "7", **records[kind]}
        result = ct.evaluate(record, as_of=AS_OF)
        measles = result.requirements["measles"]
        assert measles.status is ctrules.Status.EXEMPT and measles.reasons[0].startswith(kind)
        return exemption_kind(result)

    assert exempt("medical exemption honoured under § 10-204a(a)(2)") == "medical"
    assert exempt("religious exemption (on file since 2019-09-01) honoured") == "religious"
    assert exempt("statutory exemption under § 10-204a(a)(4)") == "statutory"


def test_table_format(capsys):
    code, out, err = run(capsys, "report", "--ruleset", "ct", "--as-of", "2024-09-01", str(ROSTER))
    assert code == 0
    assert "53 students" in out and "students by grade" in out and "Students needing action (26)" in out
    assert "stu-0005" in out and "2024-09-09" in out
    assert "Records that could not be evaluated (4)" in out
    # Error rows go to stderr too, as with `evaluate`; no progress bar when stderr is not a terminal.
    assert all(f"stu-00{n}" in err for n in (50, 51, 52, 53))
    assert "evaluating" not in err


def test_csv_format(capsys):
    code, out, _ = run(capsys, "report", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "csv", str(ROSTER))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    counts = [r for r in rows if r["record"] == "count" and r["requirement"] == ""]
    assert sum(int(r["count"]) for r in counts) == 53
    assert sum(int(r["count"]) for r in counts if r["status"] == "error") == 4
    measles = Counter()
    for r in rows:
        if r["record"] == "count" and r["requirement"] == "measles":
            measles[r["status"]] += int(r["count"])
    assert sum(measles.values()) == 49
    actions = [r for r in rows if r["record"] == "action"]
    assert {r["id"] for r in actions} >= {"stu-0005", "stu-0016"}
    assert [r for r in actions if r["id"] == "stu-0005"][0]["next_due"] == "2024-09-09"
    assert len([r for r in rows if r["record"] == "error"]) == 4


def test_html_is_self_contained(tmp_path, capsys):
    page = tmp_path / "report.html"
    code, out, _ = run(
        capsys, "report", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "html", "-o", str(page), str(ROSTER)
    )
    assert code == 0 and out == ""
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text, re.I)
    assert "@import" not in text and "url(" not in text
    assert text.count('class="bar"') == 16  # one bar per grade (15 grades and the unreadable records)
    assert "stu-0005" in text


def test_report_exit_codes(capsys, tmp_path):
    code, out, err = run(capsys, "report", "--ruleset", "ct", str(tmp_path / "nope.json"))
    assert code == 1 and out == "" and "no such file" in err
    code, out, err = run(capsys, "report", "--ruleset", "ct", "--as-of", "1990-01-01", str(ROSTER))
    assert code == 2 and out == ""
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    code, out, err = run(capsys, "report", "--ruleset", "ct", "--as-of", "2024-09-01", str(broken))
    assert code == 1 and out == "" and "broken.json" in err


def test_several_rosters_are_counted_together(ct, report):
    twice = build_report(ct, [read_records(ROSTER), read_records(ROSTER)], AS_OF).to_dict()
    once = report.to_dict()
    assert twice["totals"]["students"] == 2 * once["totals"]["students"]
    assert twice["totals"]["status"] == {s: 2 * n for s, n in once["totals"]["status"].items()}
    assert render_report(report, "json") == render_report(build_report(ct, [read_records(ROSTER)], AS_OF), "json")
