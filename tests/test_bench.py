"""Smoke test of the benchmark (bench/): the generator and run.py on a small roster. No timing
is asserted; the figures depend on the machine."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def test_generator_is_seeded_streamed_and_varied(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import make_roster
    finally:
        sys.path.remove(str(BENCH))
    out = tmp_path / "r.jsonl"
    assert make_roster.write(out, 200, seed=3) == 200
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 200 and len({r["id"] for r in records}) == 200
    # The same seed gives the same students, whatever the roster's size.
    assert make_roster.student(17, 3, make_roster.date(2024, 9, 1)) == records[16]
    grades = {r["grade"] for r in records}
    assert {"P3", "PK", "K", "7", "12"} <= grades
    products = {d.get("vaccine") for r in records for d in r["doses"]}
    assert {"DTaP-HepB-IPV", "MMRV"} <= products
    assert any("exemptions" in r for r in records) and any("evidence" in r for r in records)
    assert any("school" in r for r in records) and any("school" not in r for r in records)
    csv_out = tmp_path / "r.csv"
    make_roster.write(csv_out, 20, seed=3, style="csv")
    assert csv_out.read_text(encoding="utf-8").startswith("id,birth_date,grade,vaccine,cvx,date\n")


def test_every_generated_student_is_evaluated(tmp_path):
    import ctrules
    from ctrules.records import read_records

    sys.path.insert(0, str(BENCH))
    try:
        import make_roster
    finally:
        sys.path.remove(str(BENCH))
    out = tmp_path / "r.jsonl"
    make_roster.write(out, 200, seed=1)
    results = list(ctrules.load("ct").evaluate_many(read_records(out), as_of="2024-09-01"))
    statuses = {r.status.value for r in results}
    assert len(results) == 200
    assert {"compliant", "non_compliant", "in_progress", "error"} <= statuses


def test_run_prints_the_figures_beside_the_goals():
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--students", "120", "--quick", "--quiet", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for figure in ("import ctrules", "load ruleset", "compile", "students/s", "peak RSS", "--jobs 2"):
        assert figure in out
    assert ">= 20,000/s" in out and "<= 50 ms" in out


def test_the_instructions_probe_evaluates_the_first_students(tmp_path):
    """What `bench/instructions.py` runs under valgrind (valgrind itself is not needed here)."""
    sys.path.insert(0, str(BENCH))
    try:
        import make_roster
    finally:
        sys.path.remove(str(BENCH))
    roster = tmp_path / "r.jsonl"
    make_roster.write(roster, 20, seed=3)
    done = subprocess.run(
        [sys.executable, str(BENCH / "probe.py"), "instructions", "ct", "2024-09-01", str(roster), "7"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == {"students": 7}
