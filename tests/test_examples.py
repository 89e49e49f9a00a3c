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


VENDOR_ROSTER = ROSTER.parent / "vendor_roster.json"
VENDOR_AS_OF = date(2023, 9, 1)

# examples/README.md's vendor table: (id, requirement, vendor status, vendor rule, ct status)
VENDOR_TABLE = [
    ("ic-02", "hepatitis_b", "in_progress", "2 doses", "in_progress"),
    ("ic-03", "hepatitis_b", "in_progress", "1 dose", "in_progress"),
    ("ic-04", "hepatitis_a", "in_progress", "1 dose", "in_progress"),
    ("ic-05", "meningococcal", "compliant", "1 dose grades 7-12", "non_compliant"),
    ("ic-06", "measles", "compliant", "1 dose 16 months", "compliant"),
    ("ic-06", "rubella", "compliant", "1 dose 16 months", "compliant"),
    ("ic-07", "influenza", "non_compliant", "Default ages 24-59 months", "in_progress"),
    ("ic-08", "influenza", "not_required", None, "in_progress"),
    ("ic-09", "tdap", "compliant", "1 dose Tdap", "non_compliant"),
    ("ic-10", "tdap", "non_compliant", None, "not_required"),
    ("ic-11", "pneumococcal", "non_compliant", "1 dose after 1st birthday for children less than 5", "not_required"),
    ("ic-12", "varicella", "compliant", "1 dose ages 19 months and older", "non_compliant"),
    ("ic-13", "hepatitis_a", "not_required", "Grade 12 23-24", "not_required"),
    ("ic-14", "measles", "exempt", None, "non_compliant"),
]


def _by_id(name: str) -> dict:
    records = json.loads(VENDOR_ROSTER.read_text())
    results = list(ctrules.load(name).evaluate_many(records, as_of=VENDOR_AS_OF))
    assert len(results) == len(records) and all(r.status is not ctrules.Status.ERROR for r in results)
    return {r.id: r for r in results}


def test_vendor_roster_matches_the_examples_readme_table():
    vendor, regulation = _by_id("infinite-campus-ct"), _by_id("ct")
    for sid, requirement, status, rule, ct_status in VENDOR_TABLE:
        decided = vendor[sid].requirements[requirement]
        assert (sid, decided.status.value, decided.clause) == (sid, status, rule)
        assert (sid, regulation[sid].requirements[requirement].status.value) == (sid, ct_status)
    assert vendor["ic-01"].status is ctrules.Status.COMPLIANT and regulation["ic-01"].status is ctrules.Status.COMPLIANT
    assert vendor["ic-01"].to_dict()["ruleset"] == {"name": "infinite-campus-ct", "version": "2023-24"}


def test_vendor_roster_outcomes(snapshot):
    """Both rulesets over the vendor roster: every requirement that is not simply met or not
    required, per student, side by side."""
    summary = {}
    for name in ("infinite-campus-ct", "ct"):
        for sid, result in _by_id(name).items():
            summary.setdefault(sid, {})[name] = [result.status.value] + [
                f"{q.requirement}={q.status.value} {q.clause}"
                for q in result.requirements.values()
                if q.status.value not in ("compliant", "not_required")
            ]
    assert summary == snapshot
