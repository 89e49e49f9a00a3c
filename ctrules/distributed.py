"""Evaluate a roster on a cluster: Apache Spark (`mapInArrow`, `mapInPandas`) and Dask bags.

`PartitionEvaluator` is a picklable function of one partition: Arrow record batches (or pandas
frames) of student rows in, batches of results out, or, for a Dask bag, contract dicts in and
result dicts out. The compiled ruleset travels inside it, pickled (about 90 KB for `ct`, and
5-9 ms to unpickle), which is far cheaper than rebuilding it from its source on each worker
(60-130 ms with the parser cache warm, about 0.7 s cold); docs/scaling.md has the figures.

Three input shapes, told apart by the columns as the Parquet reader tells them (docs/inputs.md):

- `record`: one row per student, the contract's JSON record as text;
- long: `id,birth_date,grade,vaccine,cvx,date`, one row per dose. A student's rows must all be
  in one partition (`repartition("id")`); the partition is held in memory and grouped by id;
- wide: `id,birth_date,grade` and dose columns such as `MMR_1`, one row per student.

An optional integer column `line` (the row's line in the source file) or `position` (the
record's place in the roster, from 0) gives errors the place `ctrules evaluate` or
`evaluate_many` would name; without either, an error names the student only. A bad record is an
error row, never dropped: rows out equal students in.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import Any

import attrs

from .api import Ruleset, _as_of, load
from .compiler import Compiled, InForceVersion
from .evaluate import Evaluator
from .inputs import layout, long_students, scattered_keys, wide_students
from .parquet import cell_text
from .records import ReadItem, RecordError, Student, _from_mapping
from .results import Result, Status

__all__ = ["BATCH_RESULTS", "PLACE_COLUMNS", "PartitionEvaluator", "evaluate_bag", "evaluate_dataframe"]

BATCH_RESULTS = 1000
"""Results per output batch: a few MB of JSON, well under Spark's Arrow batch limits."""

PLACE_COLUMNS = ("line", "position")
"""Optional input columns that say where a row came from, for error messages (not record fields)."""

RECORD_COLUMN = "record"


def _pyarrow() -> Any:
    """pyarrow, imported only for Spark's batches (pyspark's `sql` extra brings it); a Dask bag needs none."""
    return importlib.import_module("pyarrow")


class PartitionEvaluator:
    """Evaluates one partition of a roster with a compiled ruleset on one date.

    Built on the driver (which raises `VersionError` there, before any task starts, if no
    version of the ruleset is in force on `as_of`), pickled to each worker with its task."""

    def __init__(self, ruleset: Ruleset | str | Path, as_of: date | str):
        rules = ruleset if isinstance(ruleset, Ruleset) else load(ruleset)
        self.compiled: Compiled = rules.compiled
        self.as_of: date = _as_of(as_of)
        self.compiled.version_on(self.as_of)
        self.requirements: tuple[str, ...] = tuple(r.name for r in self.compiled.requirements)
        self._worker: tuple[Evaluator, InForceVersion] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # The evaluator's caches stay behind: each worker builds its own on first use.
        return {**self.__dict__, "_worker": None}

    # --- the output schema ------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        """`id`, `status`, `result` (the contract JSON), then `status_<requirement>` for each."""
        return ("id", "status", "result", *(f"status_{name}" for name in self.requirements))

    @property
    def spark_schema(self) -> str:
        """The output schema as Spark DDL, for `mapInArrow(…, schema)`: every column a string."""
        return ", ".join(f"`{name}` string" for name in self.columns)

    def arrow_schema(self) -> Any:
        pa = _pyarrow()
        return pa.schema([(name, pa.string()) for name in self.columns])

    # --- evaluation -------------------------------------------------------------------------

    def results(self, items: Iterable[ReadItem]) -> Iterator[Result]:
        """One result per read item, in order, as `Ruleset.evaluate_many` gives it."""
        if self._worker is None:
            self._worker = (Evaluator(self.compiled), self.compiled.version_on(self.as_of))
        evaluator, version = self._worker
        for item in items:
            yield evaluator.evaluate_item(item, self.as_of, version)

    def arrow(self, batches: Iterable[Any]) -> Iterator[Any]:
        """For Spark's `mapInArrow`: a partition's record batches in, result batches out."""
        pa = _pyarrow()
        schema = self.arrow_schema()
        results = self.results(_read_batches(iter(batches)))
        for chunk in iter(lambda: list(islice(results, BATCH_RESULTS)), []):
            yield pa.RecordBatch.from_pydict(self._columns_of(chunk), schema=schema)

    def pandas(self, frames: Iterable[Any]) -> Iterator[Any]:
        """For Spark's `mapInPandas`: the same as `arrow`, with pandas frames."""
        pa = _pyarrow()
        batches = (pa.RecordBatch.from_pandas(frame, preserve_index=False) for frame in frames)
        for batch in self.arrow(batches):
            yield batch.to_pandas()

    def dicts(self, records: Iterable[Any]) -> list[dict[str, Any]]:
        """For a Dask bag's `map_partitions`: contract dicts (or JSON text, or `(position,
        record)` pairs) in, `Result.to_dict()` dicts out, one per record."""
        return [result.to_dict() for result in self.results(_read_objects(records))]

    def _columns_of(self, results: list[Result]) -> dict[str, list[str | None]]:
        columns: dict[str, list[str | None]] = {
            "id": [r.id for r in results],
            "status": [r.status.value for r in results],
            # As `ctrules evaluate --format jsonl` writes each line.
            "result": [json.dumps(r.to_dict()) for r in results],
        }
        for name in self.requirements:
            columns[f"status_{name}"] = [
                None if r.status is Status.ERROR or name not in r.requirements else r.requirements[name].status.value
                for r in results
            ]
        return columns


# --- reading a partition ------------------------------------------------------------------


def _place(row: Mapping[str, Any], name: str | None) -> int | None:
    if name is None:
        return None
    value = row[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"the {name} column must hold a whole number on every row, not {value!r}")
    return value


def _read_batches(batches: Iterator[Any]) -> Iterator[ReadItem]:
    """A partition's rows into read items, by the shape their columns have."""
    first = next(batches, None)
    if first is None:
        return
    batches = chain([first], batches)
    names = [name for name in first.schema.names if name not in PLACE_COLUMNS]
    place = next((name for name in PLACE_COLUMNS if name in first.schema.names), None)
    rows = (row for batch in batches for row in batch.to_pylist())
    if RECORD_COLUMN in names:
        yield from _records(rows, place)
        return
    kind = layout(names, "the columns")
    if kind == "long":
        held = list(rows)  # a student's rows may be anywhere in the partition: read it twice
        id_name = next(name for name in names if name.strip().lower() == "id")
        scattered = scattered_keys((cell_text(row[id_name]), number) for row, number in _numbered(held, place))
        items = long_students(_cells(held, names, place), names, scattered, by_row=place != "line")
    else:
        items = wide_students(_cells(rows, names, place), names, by_row=place != "line")
    for item in items:
        # Without a place column the row numbers count rows of this partition only: say none.
        yield attrs.evolve(item, index=None) if place is None and isinstance(item, RecordError) else item


def _numbered(rows: Iterable[Mapping[str, Any]], place: str | None) -> Iterator[tuple[Mapping[str, Any], int]]:
    """Each row with its number: its line, its position + 1, or its place in the partition."""
    for count, row in enumerate(rows, start=1):
        given = _place(row, place)
        yield row, count if given is None else given + (place == "position")


def _cells(rows: Iterable[Mapping[str, Any]], names: list[str], place: str | None) -> Iterator[tuple[list[str], int]]:
    for row, number in _numbered(rows, place):
        yield [cell_text(row[name]) for name in names], number


def _records(rows: Iterable[Mapping[str, Any]], place: str | None) -> Iterator[ReadItem]:
    for row in rows:
        given = _place(row, place)
        line, index = (given, None) if place == "line" else (None, given)
        yield _record(row[RECORD_COLUMN], line, index)


def _record(value: Any, line: int | None, index: int | None) -> ReadItem:
    """One record given as JSON text (or already parsed), as the JSON Lines reader reads a line."""
    if isinstance(value, (Student, RecordError)):
        return value
    if value is None:
        return RecordError(
            id="", message="the record is missing", field="record", line=line, index=index, code="CTR401"
        )
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            problem = f"{error.msg} at column {error.colno}" if isinstance(error, json.JSONDecodeError) else error
            return RecordError(id="", message=f"not valid JSON: {problem}", line=line, index=index, code="CTR407")
    return _from_mapping(value, line, index)


def _read_objects(records: Iterable[Any]) -> Iterator[ReadItem]:
    for record in records:
        if isinstance(record, tuple) and len(record) == 2 and isinstance(record[0], int):
            yield _record(record[1], None, record[0])
        else:
            yield _record(record, None, None)


# --- one call for a whole frame or bag ----------------------------------------------------


def evaluate_dataframe(frame: Any, ruleset: Ruleset | str | Path, as_of: date | str, *, pandas: bool = False) -> Any:
    """A Spark DataFrame of student rows (any of the three shapes) into a DataFrame of results.
    A long roster is first repartitioned by id, so each student's rows meet in one partition
    (and sorted by its `line` or `position` column, if it has one)."""
    evaluator = PartitionEvaluator(ruleset, as_of)
    columns = [name for name in frame.columns if name not in PLACE_COLUMNS]
    if RECORD_COLUMN not in columns and layout(columns, "the columns") == "long":
        frame = frame.repartition(next(name for name in columns if name.strip().lower() == "id"))
        place = [name for name in PLACE_COLUMNS if name in frame.columns][:1]
        if place:  # doses numbered in the file's order, as `ctrules evaluate` numbers them
            frame = frame.sortWithinPartitions(*place)
    if pandas:
        return frame.mapInPandas(evaluator.pandas, evaluator.spark_schema)
    return frame.mapInArrow(evaluator.arrow, evaluator.spark_schema)


def evaluate_bag(bag: Any, ruleset: Ruleset | str | Path, as_of: date | str) -> Any:
    """A Dask bag of contract records into a bag of result dicts (`Result.to_dict()`), in order."""
    return bag.map_partitions(PartitionEvaluator(ruleset, as_of).dicts)
