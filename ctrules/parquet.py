"""Parquet rosters, through pyarrow (the optional extra `ctrules[parquet]`).

The same two layouts as CSV (docs/inputs.md), told apart by the column names: long (one row per
dose, `id,birth_date,grade,vaccine,cvx,date`) or wide (one row per student, dose columns such
as `MMR_1` or `cvx_94_1`). Rows are read in record batches; a long roster is read twice (first
only its `id` column), as a long CSV is. Cells may be strings, dates, timestamps (their date
part) or integers (a grade or a CVX code); a row's place is its number, from 1.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from .errors import InputFileError
from .inputs import Input, layout, long_students, scattered_keys, wide_students
from .records import ReadItem

__all__ = ["BATCH_ROWS", "cell_text", "read_parquet"]

BATCH_ROWS = 4096


def _pyarrow_parquet() -> Any:
    try:
        return importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise InputFileError(
            "this is a Parquet file, and reading Parquet needs pyarrow: pip install 'ctrules[parquet]'"
        ) from None


def cell_text(value: Any) -> str:
    """A typed cell (Parquet, Arrow, pandas) as the CSV reader would see it: dates as
    YYYY-MM-DD, nothing as empty, numbers as their text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _rows(parquet: Any, columns: list[str] | None = None) -> Iterator[tuple[list[str], int]]:
    """Rows as lists of cells (in the file's column order), with their number from 1."""
    number = 0
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        names = batch.schema.names
        for record in batch.to_pylist():
            number += 1
            yield [cell_text(record[name]) for name in names], number


def read_parquet(source: Input) -> Iterator[ReadItem]:
    pq = _pyarrow_parquet()
    spool = None
    try:
        if source.path is not None:
            target: Any = str(source.path)
        else:  # a stream: Parquet's index is at its end, so keep a copy that can be read at will
            spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
            spool.write(bytes(source.head))
            shutil.copyfileobj(source.stream, spool)
            spool.seek(0)
            target = spool
        try:
            parquet = pq.ParquetFile(target)
        except Exception as error:  # pyarrow's own errors (ArrowInvalid, OSError): a broken file
            raise InputFileError(f"not a readable Parquet file: {error}") from None
        names = list(parquet.schema_arrow.names)
        if layout(names, "the Parquet columns") == "wide":
            yield from wide_students(_rows(parquet), names, by_row=True)
            return
        id_name = next(name for name in names if name.strip().lower() == "id")
        scattered = scattered_keys((row[0].strip(), number) for row, number in _rows(parquet, [id_name]))
        yield from long_students(_rows(parquet), names, scattered, by_row=True)
    finally:
        if spool is not None:
            spool.close()
