"""`--jobs`: a roster evaluated on several processes gives exactly the results of one process,
in input order; output is streamed through a spool, so stdout stays empty on a file error."""

import json
import pickle
from datetime import date
from pathlib import Path

import pytest

import ctrules
from ctrules.cli import main
from ctrules.parallel import CHUNK

ROSTER = Path(__file__).resolve().parents[1] / "examples" / "roster.json"


def big_roster(copies: int) -> list[dict]:
    """The example roster repeated with unique ids (bad records included)."""
    records = json.loads(ROSTER.read_text())
    return [dict(r, id=f"{r.get('id', 'x')}-{n}") for n in range(copies) for r in records]


def test_a_compiled_ruleset_pickles_and_evaluates_the_same_after():
    rs = ctrules.load("ct")
    again = pickle.loads(pickle.dumps(rs.compiled))
    record = json.loads(ROSTER.read_text())[0]
    from ctrules.evaluate import Evaluator
    from ctrules.records import Student

    day = date(2024, 9, 1)
    assert Evaluator(again).evaluate_student(Student.from_dict(record), day) == rs.evaluate(record, as_of=day)


def test_two_processes_give_the_results_of_one_in_the_same_order():
    records = big_roster(12)  # 636 records: more than one chunk, so the pool is used
    assert len(records) > CHUNK
    rs = ctrules.load("ct")
    one = [r.to_dict() for r in rs.evaluate_many(records, as_of="2024-09-01")]
    two = [r.to_dict() for r in rs.evaluate_many(records, as_of="2024-09-01", jobs=2)]
    assert two == one
    assert [r["id"] for r in two] == [r["id"] for r in records]


def test_no_version_in_force_is_raised_before_any_process_starts():
    with pytest.raises(ctrules.VersionError):
        ctrules.load("ct").evaluate_many(big_roster(12), as_of="1999-01-01", jobs=2)


def test_cli_jobs_output_is_byte_identical(capsys, tmp_path):
    roster = tmp_path / "big.jsonl"
    roster.write_text("".join(json.dumps(r) + "\n" for r in big_roster(12)))
    outputs = []
    for jobs in ("1", "2"):
        code = main(
            ["evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "jsonl", "--jobs", jobs, str(roster)]
        )
        out = capsys.readouterr().out
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 12 * 53


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_a_bad_jobs_value_is_a_usage_error(capsys, jobs):
    with pytest.raises(SystemExit) as caught:
        main(["evaluate", "--ruleset", "ct", "--jobs", jobs, str(ROSTER)])
    assert caught.value.code == 2
    assert "is not a number of processes" in capsys.readouterr().err


def test_a_broken_file_after_a_good_one_leaves_stdout_empty(capsys, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "a", ')
    code = main(["evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(ROSTER), str(broken)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "broken.json" in err


def _lines_with_bad_json(copies: int) -> str:
    lines = [json.dumps(r) for r in big_roster(copies)]
    lines[7] = '{"id": "broken", "birth_date": '  # not JSON: an error naming its line
    lines.insert(20, "")  # a blank line is skipped, and the line numbers after it still count it
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_records_sent_unread_to_the_workers_give_the_results_read_here(tmp_path, layout):
    """JSON Lines and JSON arrays travel to the workers unread (their text, or the parsed item):
    the results, errors and their line or position included, are those of reading them here."""
    from ctrules.records import read_records

    path = tmp_path / f"roster.{layout}"
    if layout == "jsonl":
        path.write_text(_lines_with_bad_json(12))
    else:
        path.write_text(json.dumps([*big_roster(12), "not a record", {"id": "x"}]))
    rs = ctrules.load("ct")
    one = [r.to_dict() for r in rs.evaluate_many(read_records(path), as_of="2024-09-01")]
    two = [r.to_dict() for r in rs.evaluate_many(read_records(path), as_of="2024-09-01", jobs=2)]
    assert len(one) > CHUNK and two == one
    assert any(r["status"] == "error" for r in two)


def test_a_small_roster_or_one_already_begun_is_read_in_this_process(tmp_path):
    from ctrules.records import read_records

    path = tmp_path / "small.jsonl"
    path.write_text(_lines_with_bad_json(2))  # fewer records than a chunk: no workers
    rs = ctrules.load("ct")
    one = [r.to_dict() for r in rs.evaluate_many(read_records(path), as_of="2024-09-01")]
    assert [r.to_dict() for r in rs.evaluate_many(read_records(path), as_of="2024-09-01", jobs=2)] == one
    begun = read_records(path)
    first = next(begun)
    rest = [r.to_dict() for r in rs.evaluate_many(begun, as_of="2024-09-01", jobs=2)]
    assert [rs.evaluate(first, as_of="2024-09-01").to_dict(), *rest] == one


def test_results_pickle_to_equal_results():
    rs = ctrules.load("ct")
    results = list(rs.evaluate_many(big_roster(1), as_of="2024-09-01"))
    assert pickle.loads(pickle.dumps(results)) == results
    assert any(r.errors for r in results) and any(r.requirements for r in results)
