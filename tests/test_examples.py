"""The bundled example roster, end to end: every student's statuses as of 2024-09-01.

examples/README.md states, per student, what Connecticut's rules say; this snapshot pins the
same outcomes compactly (overall status, and each requirement that is not simply met or not
required), so a change in behaviour on realistic records shows up here.
"""

import json
from datetime import date
from pathlib import Path

import ctrules

ROSTER = Path(__file__).resolve().parents[1] / "examples" / "roster.json"


def test_example_roster_outcomes(snapshot):
    rs = ctrules.load("ct")
    records = json.loads(ROSTER.read_text())
    results = list(rs.evaluate_many(records, as_of=date(2024, 9, 1)))
    assert len(results) == len(records)
    summary = {
        r.id: [r.status.value]
        + [
            f"{q.requirement}={q.status.value} {q.clause}"
            for q in r.requirements.values()
            if q.status.value not in ("compliant", "not_required")
        ]
        for r in results
    }
    assert summary == snapshot


def test_example_roster_statuses_match_the_examples_readme():
    """Spot checks that examples/README.md's stated expectations hold."""
    rs = ctrules.load("ct")
    by_id = {r.id: r for r in rs.evaluate_many(json.loads(ROSTER.read_text()), as_of=date(2024, 9, 1))}
    assert by_id["stu-0012"].status is ctrules.Status.COMPLIANT
    assert by_id["stu-0015"].requirements["measles"].status is ctrules.Status.COMPLIANT
    assert by_id["stu-0017"].requirements["measles"].status is ctrules.Status.NON_COMPLIANT
    assert by_id["stu-0027"].status is ctrules.Status.EXEMPT
    assert by_id["stu-0040"].requirements["measles"].status is ctrules.Status.EXEMPT
    assert by_id["stu-0033"].requirements["measles"].status is ctrules.Status.NON_COMPLIANT
    assert by_id["stu-0044"].requirements["hepatitis_a"].status is ctrules.Status.NOT_REQUIRED
    assert by_id["stu-0045"].requirements["hepatitis_a"].status is ctrules.Status.NON_COMPLIANT
    assert [r for r in by_id.values() if r.status is ctrules.Status.ERROR] == [
        by_id["stu-0050"],
        by_id["stu-0051"],
        by_id["stu-0052"],
        by_id["stu-0053"],
    ]
