"""Spark and Dask (docs/scaling.md): a roster evaluated through `ctrules.distributed` gives
exactly the results of `Ruleset.evaluate_many`, bad records included. The code of
docs/scaling.md is run here as written."""

import csv
import json
import os
import pickle
import random
import re
import shutil
import sys
from pathlib import Path

import pytest

import ctrules
from ctrules.distributed import PartitionEvaluator, evaluate_dataframe
from ctrules.records import read_records

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = "2024-09-01"
DOC_BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "scaling.md").read_text(), re.S)


@pytest.fixture(scope="module")
def ruleset():
    return ctrules.load("ct")


@pytest.fixture(scope="module")
def records():
    return json.loads((EXAMPLES / "roster.json").read_text())


def expected(ruleset, items):
    return [r.to_dict() for r in ruleset.evaluate_many(items, as_of=AS_OF)]


def as_set(results):
    """Results in a canonical order, for Spark, which keeps no order across partitions."""
    return sorted(json.dumps(r, sort_keys=True) for r in results)


def long_rows():
    """examples/roster.csv as rows, each with its line in the file (the header is line 1)."""
    with (EXAMPLES / "roster.csv").open(newline="") as file:
        return [dict(row, line=number) for number, row in enumerate(csv.DictReader(file), start=2)]


def run_doc_block(number, namespace):
    exec(compile(DOC_BLOCKS[number], f"docs/scaling.md python block {number + 1}", "exec"), namespace)
    return namespace


# --- without a cluster: the partition function itself ----------------------------------------


def test_the_evaluator_pickles_small_and_evaluates_the_same_after(ruleset, records):
    shipped = pickle.dumps(PartitionEvaluator(ruleset, AS_OF))
    assert len(shipped) < 150_000  # docs/scaling.md: about 90 KB for `ct`
    assert pickle.loads(shipped).dicts(enumerate(records)) == expected(ruleset, records)


def test_no_version_in_force_is_raised_when_the_evaluator_is_built(ruleset):
    with pytest.raises(ctrules.VersionError):
        PartitionEvaluator(ruleset, "1999-01-01")


def test_unreadable_records_become_error_rows_never_dropped(ruleset, records):
    evaluator = PartitionEvaluator("ct", AS_OF)
    items = ['{"id": "x", "birth_date": ', None, "[1, 2]", json.dumps(records[0])]
    results = evaluator.dicts(items)
    assert [r["status"] for r in results] == ["error", "error", "error", results[3]["status"]]
    assert results[0]["errors"] == ["a record: not valid JSON: Expecting value at column 27 [CTR407]"]
    assert results[1]["errors"] == ["a record, field record: the record is missing [CTR401]"]
    assert results[3] == expected(ruleset, records[:1])[0]


def test_a_long_partition_in_any_row_order_is_grouped_by_student(ruleset):
    pa = pytest.importorskip("pyarrow")
    rows = long_rows()
    random.Random(6).shuffle(rows)
    table = pa.Table.from_pylist(rows)
    evaluator = PartitionEvaluator(ruleset, AS_OF)
    results = [
        json.loads(text) for batch in evaluator.arrow(table.to_batches(100)) for text in batch["result"].to_pylist()
    ]
    assert len(results) == 53
    by_id = {r["id"]: r for r in expected(ruleset, read_records(EXAMPLES / "roster.csv"))}
    # Statuses never depend on row order; only error messages' dose numbers and lines do.
    assert {r["id"]: r["status"] for r in results} == {i: r["status"] for i, r in by_id.items()}
    good = [r for r in results if r["status"] != "error"]
    assert good == [by_id[r["id"]] for r in good]


def test_the_output_columns_are_stable_and_one_per_requirement(ruleset):
    evaluator = PartitionEvaluator(ruleset, AS_OF)
    assert evaluator.columns[:3] == ("id", "status", "result")
    assert evaluator.columns[3:] == tuple(f"status_{name}" for name in ruleset.requirement_ids)
    assert evaluator.spark_schema.startswith("`id` string, `status` string, `result` string, `status_measles` string")


# --- Spark, local mode ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (17 or 21): no `java` on PATH and no JAVA_HOME")
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # The workers must be this interpreter (the one with ctrules), and quiet about the host name.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        patch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("ctrules-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "3")
            .config("spark.driver.extraJavaOptions", "-Dlog4j.rootLogger=ERROR")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


def test_spark_records_through_map_in_arrow_match_evaluate_many(spark, ruleset, records, monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace = run_doc_block(1, {"spark": spark})
    rows = namespace["results"].orderBy("id").collect()  # ids of the example roster are unique
    got = [json.loads(row["result"]) for row in rows]
    assert got == sorted(expected(ruleset, records), key=lambda r: r["id"])
    assert len(rows) == len(records)
    by_id = {row["id"]: row for row in rows}
    assert by_id["stu-0001"]["status_measles"] == "compliant"
    assert by_id["stu-0050"]["status"] == "error" and by_id["stu-0050"]["status_measles"] is None


def test_spark_long_roster_in_any_order_through_map_in_pandas_matches_evaluate_many(spark, ruleset):
    rows = long_rows()
    random.Random(7).shuffle(rows)
    frame = spark.createDataFrame(rows).repartition(3)  # a student's rows scattered over partitions
    results = evaluate_dataframe(frame, ruleset, AS_OF, pandas=True).collect()
    assert as_set(json.loads(row["result"]) for row in results) == as_set(
        expected(ruleset, read_records(EXAMPLES / "roster.csv"))
    )


def test_spark_csv_as_in_the_docs_counts_every_student(spark, ruleset, monkeypatch):
    monkeypatch.chdir(ROOT)
    results = run_doc_block(0, {})["results"]
    by_id = {row["id"]: json.loads(row["result"]) for row in results.collect()}
    want = {r["id"]: r for r in expected(ruleset, read_records(EXAMPLES / "roster.csv"))}
    assert by_id.keys() == want.keys()
    assert {i: r["status"] for i, r in by_id.items()} == {i: r["status"] for i, r in want.items()}
    # Without a `line` column an error names the student and field but no line.
    assert by_id["stu-0053"]["errors"] == ["student stu-0053, field birth_date: birth_date is missing [CTR401]"]


# --- Dask -----------------------------------------------------------------------------------


def test_dask_bag_matches_evaluate_many_as_in_the_docs(ruleset, records, monkeypatch):
    pytest.importorskip("dask.bag")
    monkeypatch.chdir(ROOT)
    namespace = run_doc_block(2, {"records": records, "ruleset": ruleset})  # processes by default
    assert namespace["results"] == expected(ruleset, records)


def test_dask_bag_of_json_lines_gives_one_result_per_line(ruleset, records, tmp_path):
    bag_module = pytest.importorskip("dask.bag")
    from ctrules.distributed import evaluate_bag

    roster = tmp_path / "roster.jsonl"
    roster.write_text("".join(json.dumps(r) + "\n" for r in records) + "not json\n")
    results = evaluate_bag(bag_module.read_text(str(roster), blocksize=4096), "ct", AS_OF).compute(scheduler="threads")
    assert len(results) == len(records) + 1
    assert [r["status"] for r in results[:-1]] == [r["status"] for r in expected(ruleset, records)]
    assert results[-1]["errors"] == ["a record: not valid JSON: Expecting value at column 1 [CTR407]"]
