"""The command line, end to end: formats, exit codes, stdout/stderr separation."""

import csv
import io
import json
from pathlib import Path

import pytest

from ctrules.cli import main

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "examples" / "roster.json"
CONTRACT_IDS = [
    "measles", "mumps", "rubella", "polio", "dtap", "tdap", "hib", "hepatitis_b",
    "varicella", "hepatitis_a", "pneumococcal", "influenza", "meningococcal",
]  # fmt: skip


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_examples_gives_every_student_all_13_requirements(capsys):
    code, out, err = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(ROSTER))
    assert code == 0
    results = json.loads(out)
    assert len(results) == len(json.loads(ROSTER.read_text()))
    good = [r for r in results if r["status"] != "error"]
    assert good and all([q["requirement"] for q in r["requirements"]] == CONTRACT_IDS for r in good)
    errors = [r for r in results if r["status"] == "error"]
    assert len(errors) == 4 and all(r["errors"] for r in errors)
    # Each bad record is also named on stderr.
    assert all(r["id"] in err for r in errors)


def test_jsonl_csv_and_table_formats(capsys):
    _, jsonl, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "jsonl", str(ROSTER))
    rows = [json.loads(line) for line in jsonl.splitlines()]
    _, csv_text, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "csv", str(ROSTER))
    table_rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {r["id"] for r in table_rows} == {r["id"] for r in rows}
    assert table_rows[0].keys() == {"id", "as_of", "status", "requirement", "requirement_status", "clause", "reasons"}
    _, table, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "--format", "table", str(ROSTER))
    assert "stu-0001" in table and "meningococcal" in table


def test_csv_roster_input_gives_the_same_students(capsys):
    _, out, _ = run(
        capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(ROOT / "examples" / "roster.csv")
    )
    assert len(json.loads(out)) == len(json.loads(ROSTER.read_text()))


def test_stdin_input(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": "x", "birth_date": "2019-01-01", "grade": "K"})))
    code, out, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "-")
    assert code == 0 and json.loads(out)[0]["status"] == "non_compliant"


def test_unknown_ruleset_is_exit_1_with_nothing_on_stdout(capsys):
    code, out, err = run(capsys, "evaluate", "--ruleset", "nope", str(ROSTER))
    assert code == 1 and out == "" and "no ruleset 'nope'" in err and "ct" in err


def test_missing_input_file_is_exit_1_with_nothing_on_stdout(capsys):
    code, out, err = run(capsys, "evaluate", "--ruleset", "ct", "missing.json")
    assert code == 1 and out == "" and "missing.json: no such file" in err


def test_bad_as_of_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["evaluate", "--ruleset", "ct", "--as-of", "2024-02-30", str(ROSTER)])
    assert caught.value.code == 2


def test_check_points_at_a_misspelt_vaccine_and_suggests_the_name(capsys):
    bad = ROOT / "tests" / "diagnostics" / "bad" / "misspelt_vaccine.ctr"
    code, out, err = run(capsys, "check", str(bad))
    assert code == 1
    assert "misspelt_vaccine.ctr:9:24" in err and 'did you mean "MMR"?' in err
    assert "    requires 1 dose of MMRR, first on or after 1st birthday" in err
    assert "Traceback" not in err
    code, out, err = run(capsys, "check", "--message-format", "short", str(bad))
    assert err.strip().endswith('misspelt_vaccine.ctr:9:24: error: unknown vaccine "MMRR" [CTR201]')


def test_check_a_good_ruleset_is_exit_0(capsys):
    code, _, err = run(capsys, "check", "ct")
    assert code == 0 and "ok (13 requirements)" in err


def test_a_syntax_error_in_a_ruleset_used_by_evaluate_is_shown_with_its_place(capsys, tmp_path):
    broken = tmp_path / "broken.ctr"
    broken.write_text("requirement x\n  clause § 1(a)\n    requires 2 doses of g, at least 28 apart\n")
    code, out, err = run(capsys, "evaluate", "--ruleset", str(broken), str(ROSTER))
    assert code == 1 and out == ""
    assert "broken.ctr:3:40" in err and "days, weeks, months or years" in err


def test_rulesets_lists_each_bundled_ruleset_with_its_versions_and_amendments(capsys):
    code, out, _ = run(capsys, "rulesets")
    assert code == 0 and out.startswith("ct: Connecticut school immunization requirements")
    assert "    2011-08-01   2011-08-01 to 2021-04-27 " in out
    assert "ct-dph  (amends ct):" in out and "  changes to ct:\n    - grace: 4 days" in out
    assert "infinite-campus-ct:" in out and "    2023-24      2023-07-01 to 2024-06-30 " in out


def test_rulesets_json_lists_versions_with_their_dates(capsys):
    code, out, _ = run(capsys, "rulesets", "--format", "json")
    listing = {entry["name"]: entry for entry in json.loads(out)}
    assert code == 0 and set(listing) == {"ct", "ct-dph", "infinite-campus-ct"}
    assert [v["id"] for v in listing["ct"]["versions"]] == ["2000-08-01", "2011-08-01", "2021-04-28", "2022-09-01"]
    assert listing["ct"]["versions"][0] | {"description": ""} == {
        "id": "2000-08-01",
        "from": "2000-08-01",
        "until": "2011-07-31",
        "description": "",
    }
    assert listing["ct-dph"]["amends"] == "ct" and listing["ct"]["amends"] is None


def test_an_as_of_outside_every_version_is_a_usage_error_naming_the_covered_dates(capsys):
    code, out, err = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "1999-12-31", str(ROSTER))
    assert code == 2 and out == ""
    assert "ruleset ct has no version in force on 1999-12-31; its versions cover 2000-08-01 onwards" in err


def test_a_broken_json_file_is_exit_1_with_nothing_on_stdout(capsys, tmp_path):
    broken = tmp_path / "roster.json"
    broken.write_text('[{"id": "a", ')
    code, out, err = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(ROSTER), str(broken))
    assert code == 1 and out == "" and "roster.json: not valid JSON" in err


def test_a_folder_named_like_a_bundled_ruleset_does_not_shadow_it(capsys, tmp_path, monkeypatch):
    (tmp_path / "ct").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(ROSTER))
    assert code == 0 and json.loads(out)


def test_includes_are_read_relative_to_the_including_file_and_never_outside(capsys, tmp_path):
    (tmp_path / "rs" / "sub").mkdir(parents=True)
    (tmp_path / "rs" / "main.ctr").write_text('ruleset t\ninclude "sub/a.ctr"\n')
    (tmp_path / "rs" / "sub" / "a.ctr").write_text('include "b.ctr"\n')
    (tmp_path / "rs" / "sub" / "b.ctr").write_text("vaccine X cvx 999 contains measles\n")
    (tmp_path / "rs" / "b.ctr").write_text("this is not the file to read\n")
    code, _, err = run(capsys, "check", str(tmp_path / "rs" / "main.ctr"))
    assert code == 0, err
    (tmp_path / "secret.ctr").write_text("vaccine S cvx 1 contains measles\n")
    (tmp_path / "rs" / "sub" / "b.ctr").write_text('include "../../secret.ctr"\n')
    code, _, err = run(capsys, "check", str(tmp_path / "rs" / "main.ctr"))
    assert code == 1 and 'cannot include "../../secret.ctr"' in err and "CTR206" in err
