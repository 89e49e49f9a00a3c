"""Roster readers, streamed: the bytes of one input in, `Student`s and `RecordError`s out.

The format is told by content (docs/inputs.md): `PAR1` is Parquet; `[` a JSON array; `{` a
JSON object, JSON Lines or FHIR (a Bundle, or NDJSON of resources); anything else a CSV whose
header says whether it is long (one row per dose) or wide (one row per student).

Memory does not grow with the roster, except where a layout makes it:

- JSON Lines and wide CSV are read line by line, a JSON array item by item
  (`json.JSONDecoder.raw_decode` over a buffered read), Parquet by record batches;
- a long CSV, FHIR NDJSON and long Parquet spread one student over several rows, so they are
  read twice: a first pass keeps only the set of ids and finds the students whose rows are not
  together (usually none); the second pass releases each student as soon as their rows are
  all read, holding only the students still incomplete (and, to keep the file's order, the
  ones after them). Input that cannot be read twice (a pipe) is copied to a temporary file
  during the first pass;
- a FHIR Bundle is one JSON document and is read whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Generic, NamedTuple, TypeVar, cast

from .errors import InputError, InputFileError
from .records import DoseCell, ReadItem, RecordError, _from_mapping, student_with_doses

__all__ = [
    "LONG_COLUMNS",
    "WIDE_COLUMNS",
    "Input",
    "JsonStream",
    "Regrouper",
    "Text",
    "layout",
    "long_students",
    "read_roster",
    "read_roster_unread",
    "read_unread",
    "Unread",
    "scattered_keys",
    "wide_dose_columns",
    "wide_record",
    "wide_students",
]

CHUNK = 1 << 16
"""Bytes (or characters) read at a time."""

LONG_COLUMNS = ("id", "birth_date", "grade", "vaccine", "cvx", "date")
WIDE_COLUMNS = ("id", "birth_date", "grade")
_DOSE_COLUMNS = ("vaccine", "cvx", "date")
_NOT_FIELDS = ("doses", "evidence", "exemptions")
"""Record fields a CSV column cannot give (they are lists)."""
_WIDE_DOSE = re.compile(r"^(?:(?P<cvx_prefix>cvx)_(?P<cvx>[0-9A-Za-z]+)|(?P<vaccine>.+?))_(?P<number>[0-9]+)$", re.I)

# What json raises on hostile input besides JSONDecodeError: huge integers (ValueError) and
# very deep nesting (RecursionError).
_JSON_FAILURES = (ValueError, RecursionError)

Notice = Callable[[str], None]


# --- bytes into text ------------------------------------------------------------------------


class Input:
    """One input stream, readable once, or twice for the layouts that need a first pass.

    A seekable stream is read again from where it started; any other is copied to a temporary
    file while the first pass reads it (`keep_for_second_pass`)."""

    def __init__(self, stream: IO[Any], path: Path | None = None):
        self.stream = stream
        self.path = path
        seekable = getattr(stream, "seekable", None)
        self.start: int | None = stream.tell() if seekable is not None and seekable() else None
        self.head = stream.read(CHUNK)
        self.binary = isinstance(self.head, (bytes, bytearray))
        self._recorded: list[Any] | None = [self.head] if self.start is None else None
        self._spool: IO[bytes] | None = None

    def raw(self) -> Iterator[Any]:
        """The stream's chunks from the start (bytes or str, as the stream gives them)."""
        if self.head:
            yield self.head
        while True:
            chunk = self.stream.read(CHUNK)
            if not chunk:
                return
            if self._recorded is not None:
                self._recorded.append(chunk)
            if self._spool is not None:
                self._spool.write(chunk if self.binary else chunk.encode("utf-8", "surrogatepass"))
            yield chunk

    def text(self) -> Text:
        return Text(decode(self.raw(), self.binary))

    def single_pass(self) -> None:
        """The format is known and reads in one pass: stop keeping what was read."""
        self._recorded = None

    def keep_for_second_pass(self) -> None:
        if self.start is None and self._spool is None:
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (read again, closed by close())
            for chunk in self._recorded or ():
                self._spool.write(chunk if self.binary else chunk.encode("utf-8", "surrogatepass"))
        self._recorded = None

    def second_pass(self) -> Text:
        """The whole input again, from its start (after `keep_for_second_pass`)."""
        if self._spool is not None:
            spool = self._spool
            spool.seek(0)
            return Text(decode(iter(lambda: spool.read(CHUNK), b""), True))
        self.stream.seek(self.start or 0)
        return Text(decode(iter(lambda: self.stream.read(CHUNK), self.head[:0]), self.binary))

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


def decode(chunks: Iterable[Any], binary: bool) -> Iterator[str]:
    """UTF-8 text, without a byte order mark, with every line ending made `\\n`."""
    newlines = io.IncrementalNewlineDecoder(None, translate=True)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    first = True
    for data in chunks:
        if binary:
            pending = len(utf8.getstate()[0])
            try:
                text = utf8.decode(data)
            except UnicodeDecodeError as error:
                raise InputFileError(f"not UTF-8 text (byte {offset - pending + error.start})") from None
            offset += len(data)
        else:
            text = data
        if first and text:
            text = text.removeprefix("\ufeff")
            first = False
        text = newlines.decode(text)
        if text:
            yield text
    if binary:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise InputFileError(f"not UTF-8 text (byte {offset - len(utf8.getstate()[0]) + error.start})") from None
    tail = newlines.decode("", final=True)
    if tail:
        yield tail


class Text:
    """Decoded text in chunks, with a look at its start that reads nothing twice."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self._pending: list[str] = []

    def _peek_until(self, done: Callable[[str], bool]) -> str:
        seen = "".join(self._pending)
        while not done(seen):
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._pending.append(chunk)
            seen += chunk
        return seen

    def first_char(self) -> str:
        """The first character that is not white space ("" for a blank input)."""
        seen = self._peek_until(lambda s: bool(s.strip()))
        stripped = seen.lstrip()
        return stripped[0] if stripped else ""

    def first_line(self) -> str:
        """The first line that is not blank (without reading past its end)."""
        seen = self._peek_until(lambda s: bool(s.strip()) and "\n" in s[len(s) - len(s.lstrip()) :])
        stripped = seen.lstrip()
        return stripped.split("\n", 1)[0]

    def chunks(self) -> Iterator[str]:
        while self._pending:
            yield self._pending.pop(0)
        yield from self._chunks

    def lines(self) -> Iterator[str]:
        """Lines, each with its `\\n` (the last one may have none)."""
        rest = ""
        for chunk in self.chunks():
            if "\n" not in chunk:
                rest += chunk
                continue
            parts = (rest + chunk).split("\n")
            rest = parts.pop()
            for part in parts:
                yield part + "\n"
        if rest:
            yield rest


# --- opening and dispatch -------------------------------------------------------------------


def read_roster(
    source: str | Path | IO[Any], *, grades: Mapping[str, str] | None = None, notice: Notice | None = None
) -> Iterator[ReadItem]:
    """See `ctrules.records.read_records`."""
    return cast(Iterator[ReadItem], _read(source, grades, notice, deferred=False))


def read_roster_unread(
    source: str | Path | IO[Any], *, grades: Mapping[str, str] | None = None, notice: Notice | None = None
) -> Iterator[ReadItem | Unread]:
    """`read_roster`, leaving the records of JSON Lines and JSON arrays `Unread`: the text of
    the line, or the parsed item, for another process to read (`read_unread`)."""
    return _read(source, grades, notice, deferred=True)


def _read(
    source: str | Path | IO[Any], grades: Mapping[str, str] | None, notice: Notice | None, deferred: bool
) -> Iterator[ReadItem | Unread]:
    path: Path | None = None
    if isinstance(source, (str, Path)) and str(source) == "-":
        stream: IO[Any] = getattr(sys.stdin, "buffer", sys.stdin)
        owned = False
    elif isinstance(source, (str, Path)):
        path = Path(source)
        stream = path.open("rb")
        owned = True
    else:
        stream = source
        owned = False
    try:
        try:
            source_input = Input(stream, path)
        except UnicodeDecodeError as error:  # a text stream that decodes by itself
            raise InputFileError(f"not UTF-8 text ({error.reason})") from None
        try:
            yield from _dispatch(source_input, grades, notice or (lambda _message: None), deferred)
        finally:
            source_input.close()
    finally:
        if owned:
            stream.close()


def _dispatch(
    source: Input, grades: Mapping[str, str] | None, notice: Notice, deferred: bool
) -> Iterator[ReadItem | Unread]:
    if source.binary and bytes(source.head[:4]) == b"PAR1":
        from .parquet import read_parquet

        source.single_pass()
        yield from read_parquet(source)
        return
    text = source.text()
    first = text.first_char()
    if first == "[":
        source.single_pass()
        yield from _json_array(text, deferred)
    elif first == "{":
        yield from _json_object_or_lines(source, text, grades, notice, deferred)
    elif first:
        yield from _csv(source, text)


# --- records left unread, for worker processes ------------------------------------------------


class Unread(NamedTuple):
    """A record as its reader found it, not read yet: a line of JSON Lines (`text`) or an item
    of a JSON array (`item`). `--jobs` sends these to the worker processes, which read them
    (`read_unread`): text costs the parent next to nothing to send, a `Student` much more."""

    text: str | None
    item: Any = None
    line: int | None = None
    position: int | None = None
    """An array item's index (0-based)."""


def read_unread(record: Unread) -> ReadItem:
    """The record read, as the reader that left it unread would have read it."""
    if record.text is not None:
        assert record.line is not None
        return _json_line(record.text, record.line)
    return _from_mapping(record.item, record.line, record.position)


# --- JSON -----------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _json_problem(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno}, column {error.colno}"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error)


class JsonStream:
    """JSON values read one at a time from text chunks, keeping only the unread part in memory.

    A value is decoded with `json.JSONDecoder.raw_decode`; when it runs past the end of what is
    buffered, more is read and it is decoded again (the buffer at least doubles each time, so a
    large value costs linear time). Errors are `InputFileError`s with the line and column in the
    whole document."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # the line of buffer[0] in the document
        self._column = 0  # the column (0-based) of buffer[0] in its line

    def _read_more(self, wanted: int = 1) -> bool:
        """Read at least `wanted` more characters (fewer at the end); False at the end."""
        dropped = self.buffer[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self._line += newlines
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        parts = [self.buffer[self.pos :]]
        got = 0
        while got < wanted:
            chunk = next(self._chunks, None)
            if chunk is None:
                self.eof = True
                break
            parts.append(chunk)
            got += len(chunk)
        self.buffer = "".join(parts)
        self.pos = 0
        return got > 0

    def fail(self, message: str, pos: int | None = None) -> InputFileError:
        error = json.JSONDecodeError(message, self.buffer, self.pos if pos is None else pos)
        return self._error(error)

    def _error(self, error: Exception) -> InputFileError:
        if isinstance(error, json.JSONDecodeError):
            line = self._line + error.lineno - 1
            column = error.colno + (self._column if error.lineno == 1 else 0)
            return InputFileError(f"not valid JSON: {error.msg} at line {line}, column {column}")
        return InputFileError(f"not valid JSON: {_json_problem(error)}")

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            match = _WHITESPACE.match(self.buffer, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._read_more():
                return ""

    def value(self) -> Any:
        """The next JSON value."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                # Cut short by the end of the buffer (an unterminated string, or a problem in
                # the last few characters, where a literal or number may be cut), or a real error.
                truncated = error.msg.startswith("Unterminated string") or error.pos >= len(self.buffer) - 16
                if self.eof or not truncated:
                    raise self._error(error) from None
                self._read_more(max(CHUNK, len(self.buffer) - self.pos))
                continue
            except _JSON_FAILURES as error:
                raise self._error(error) from None
            if end == len(self.buffer) and not self.eof and self.buffer[end - 1] not in '}]"':
                self._read_more(max(CHUNK, len(self.buffer) - self.pos))  # a number may go on
                continue
            self.pos = end
            return value

    def expect_end(self) -> None:
        if self.peek():
            raise self.fail("Extra data")


def _json_array(text: Text, deferred: bool = False) -> Iterator[ReadItem | Unread]:
    """A JSON array of student records, item by item (each item's position is its place)."""
    stream = JsonStream(text.chunks())
    stream.peek()
    stream.pos += 1  # the "["
    index = 0
    if stream.peek() == "]":
        stream.pos += 1
    else:
        while True:
            item = stream.value()
            yield Unread(None, item, None, index) if deferred else _from_mapping(item, None, index)
            index += 1
            following = stream.peek()
            if following == ",":
                stream.pos += 1
            elif following == "]":
                stream.pos += 1
                break
            else:
                raise stream.fail("Expecting ',' delimiter")
    stream.expect_end()


def _parses(line: str) -> Any:
    """The JSON value of one line, or None if it is not JSON."""
    try:
        return json.loads(line)
    except _JSON_FAILURES:
        return None


def _json_object_or_lines(
    source: Input, text: Text, grades: Mapping[str, str] | None, notice: Notice, deferred: bool = False
) -> Iterator[ReadItem | Unread]:
    """One JSON document (a student, or a FHIR Bundle or resource, over many lines), or lines of
    JSON (students, or FHIR resources): the first line tells, by whether it is JSON by itself."""
    first = _parses(text.first_line())
    if first is None:
        source.single_pass()
        stream = JsonStream(text.chunks())
        document = stream.value()
        stream.expect_end()
        if isinstance(document, Mapping) and "resourceType" in document:
            from .fhir import read_fhir_document

            yield from read_fhir_document(document, grades, notice)
        else:
            yield _from_mapping(document, 1)
        return
    if isinstance(first, Mapping) and "resourceType" in first:
        from .fhir import read_fhir_lines

        source.keep_for_second_pass()
        yield from read_fhir_lines(source, text, grades, notice)
        return
    source.single_pass()
    _grades_unused(grades, notice)
    yield from _json_lines(text, deferred)


def _json_lines(text: Text, deferred: bool = False) -> Iterator[ReadItem | Unread]:
    for number, line in enumerate(text.lines(), start=1):
        if not line.strip():
            continue
        yield Unread(line, None, number) if deferred else _json_line(line, number)


def _json_line(line: str, number: int) -> ReadItem:
    try:
        item = json.loads(line)
    except _JSON_FAILURES as error:
        problem = f"{error.msg} at column {error.colno}" if isinstance(error, json.JSONDecodeError) else error
        return RecordError(id="", message=f"not valid JSON: {problem}", line=number, code="CTR407")
    return _from_mapping(item, number)


def _grades_unused(grades: Mapping[str, str] | None, notice: Notice) -> None:
    if grades is not None:
        notice("--grades applies to FHIR input only (other records give their own grade); not used here")


# --- grouping rows of one student -----------------------------------------------------------

G = TypeVar("G")


def scattered_keys(keys: Iterable[tuple[str, int]]) -> dict[str, int]:
    """First pass over a layout with several rows per student: the students whose rows are not
    all together, each with the line (or row) of their last row. Keeps one set of ids."""
    seen: set[str] = set()
    scattered: dict[str, int] = {}
    previous = None
    for key, line in keys:
        if not key:
            continue
        if key != previous:
            if key in seen:
                scattered[key] = line
            else:
                seen.add(key)
            previous = key
        elif key in scattered:
            scattered[key] = line
    return scattered


class Regrouper(Generic[G]):
    """Second pass: rows in, complete groups out in the order of their first row.

    A group whose rows are together is complete when a row of another group comes; a scattered
    one when its last row (from the first pass) is read. The groups after an incomplete one are
    held until it completes, so the output keeps the file's order."""

    def __init__(self, scattered: Mapping[str, int]):
        self.scattered = scattered
        self.open: dict[str, list[Any]] = {}
        self.order: deque[list[Any]] = deque()  # [group or item, complete?]
        self.previous: str | None = None

    def group(self, key: str, line: int, new: Callable[..., G], *args: Any) -> G:
        """The group of a row (`new(*args)` if this is its first row); closes the previous one."""
        if key != self.previous and self.previous is not None and self.previous not in self.scattered:
            self._close(self.previous)
        self.previous = key
        slot = self.open.get(key)
        if slot is None:
            slot = [new(*args), False]
            self.open[key] = slot
            self.order.append(slot)
        if self.scattered.get(key) == line:
            self._close(key)
        group: G = slot[0]
        return group

    def item(self, item: Any) -> None:
        """Something that belongs to no group (a row without an id), kept in its place."""
        self.order.append([item, True])

    def _close(self, key: str) -> None:
        slot = self.open.pop(key, None)
        if slot is not None:
            slot[1] = True

    def ready(self) -> Iterator[Any]:
        while self.order and self.order[0][1]:
            yield self.order.popleft()[0]

    def rest(self) -> Iterator[Any]:
        for slot in self.order:
            yield slot[0]
        self.order.clear()
        self.open.clear()


# --- CSV ------------------------------------------------------------------------------------


def _columns(header: list[str]) -> dict[str, int]:
    """Column positions by name (the fixed names matched without case or surrounding spaces)."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip()
        lowered = key.lower()
        columns.setdefault(lowered if lowered in (*LONG_COLUMNS, "k12_entry_date", "school") else key, index)
    return columns


def wide_dose_columns(names: Iterable[str]) -> list[tuple[int, str, str, str]]:
    """The dose columns of a wide header: (position, column, vaccine, cvx), e.g. `MMR_2` or
    `cvx_94_1`."""
    found = []
    for index, name in enumerate(names):
        match = _WIDE_DOSE.match(name.strip())
        if match is None:
            continue
        if match["cvx_prefix"]:
            found.append((index, name.strip(), "", match["cvx"]))
        else:
            found.append((index, name.strip(), match["vaccine"].strip(), ""))
    return found


def layout(names: list[str], what: str = "the CSV header") -> str:
    """`long` or `wide`, from a CSV header (or Parquet's columns); `InputFileError` if neither."""
    columns = {name.strip().lower() for name in names}
    if not columns & set(_DOSE_COLUMNS) and wide_dose_columns(names):
        missing = [c for c in WIDE_COLUMNS if c not in columns]
        if missing:
            raise InputFileError(f"{what} (a wide roster) lacks the column(s) {', '.join(missing)}")
        duplicated = sorted({n.strip() for n in names if [m.strip() for m in names].count(n.strip()) > 1})
        if duplicated:
            raise InputFileError(f"{what} names the column(s) {', '.join(duplicated)} more than once")
        return "wide"
    missing = [c for c in LONG_COLUMNS if c not in columns]
    if missing:
        raise InputFileError(
            f"{what} lacks the column(s) {', '.join(missing)} (a long roster needs "
            f"{','.join(LONG_COLUMNS)}; a wide one {','.join(WIDE_COLUMNS)} and dose columns such as MMR_1)"
        )
    return "long"


def _csv(source: Input, text: Text) -> Iterator[ReadItem]:
    reader = csv.reader(text.lines())
    try:
        header = next(reader)
    except csv.Error as error:
        raise InputFileError(f"the CSV header cannot be read: {error}") from None
    if layout(header) == "wide":
        source.single_pass()
        yield from wide_students(_rows(reader), header)
        return
    source.keep_for_second_pass()
    yield from _long_rows(source, reader, header)


def _rows(reader: Any) -> Iterator[tuple[list[str], int]]:
    """CSV rows with the line each ends on; a row the csv module cannot read is a file error."""
    try:
        for row in reader:
            yield row, reader.line_num
    except csv.Error as error:
        raise InputFileError(f"line {reader.line_num}: {error}") from None


def wide_record(cells: Mapping[str, Any], doses: list[tuple[int, str, str, str]], row: list[Any]) -> Any:
    """A wide row into a `Student`: every column but the dose columns is a field of the record;
    an empty dose cell is no dose. Raises `InputError`."""
    cell_doses = []
    for index, column, vaccine, cvx in doses:
        value = row[index] if index < len(row) else ""
        if value:
            cell_doses.append(DoseCell(vaccine=vaccine, cvx=cvx, date=value, field=column))
    return student_with_doses(cells, cell_doses)


def wide_students(rows: Iterable[tuple[list[str], int]], names: list[str], by_row: bool = False) -> Iterator[ReadItem]:
    """A wide roster (CSV, or Parquet with `by_row`): one row per student, each a record."""
    doses = wide_dose_columns(names)
    dose_positions = {index for index, *_ in doses}
    fields = [
        (index, name)
        for name, index in _columns(names).items()
        if index not in dose_positions and name not in _NOT_FIELDS
    ]
    for row, line in rows:
        if not any(row):
            continue
        row = [cell.strip() for cell in row]
        record = {name: (row[index] if index < len(row) else "") for index, name in fields}
        try:
            yield wide_record(record, doses, row)
        except InputError as error:
            place = {"index": line - 1} if by_row else {"line": line}
            yield RecordError(id=record.get("id", ""), message=str(error), field=error.field, code=error.code, **place)


class _LongStudent:
    __slots__ = ("by_row", "conflict", "line", "record")

    def __init__(self, record: dict[str, Any], line: int, by_row: bool):
        self.record = record
        self.line = line
        self.by_row = by_row
        self.conflict = ""

    def add(self, cells: list[str], at: Mapping[str, int], line: int) -> None:
        record = self.record
        for key in ("birth_date", "grade"):
            value = cells[at[key]]
            if value != record[key] and not self.conflict:
                unit = "row" if self.by_row else "line"
                self.conflict = f"{unit} {line} gives {key} {value!r}, {unit} {self.line} gave {record[key]!r}"
        vaccine, cvx, given = cells[at["vaccine"]], cells[at["cvx"]], cells[at["date"]]
        if vaccine or cvx or given:
            record["doses"].append({"vaccine": vaccine, "cvx": cvx, "date": given})

    def finish(self) -> ReadItem:
        line, index = (None, self.line - 1) if self.by_row else (self.line, None)
        if self.conflict:
            message = f"rows disagree: {self.conflict}"
            return RecordError(id=self.record["id"], message=message, line=line, index=index, code="CTR407")
        return _from_mapping(self.record, line, index)


def _new_long(
    cells: list[str], at: Mapping[str, int], other: list[tuple[str, int]], line: int, by_row: bool
) -> _LongStudent:
    record: dict[str, Any] = {name: cells[index] for name, index in other if cells[index]}
    record.update(id=cells[at["id"]], birth_date=cells[at["birth_date"]], grade=cells[at["grade"]], doses=[])
    return _LongStudent(record, line, by_row)


def long_students(
    rows: Iterable[tuple[list[str], int]], names: list[str], scattered: Mapping[str, int], by_row: bool = False
) -> Iterator[ReadItem]:
    """Second pass over a long roster (CSV, or Parquet with `by_row`: places are row numbers
    from 1, reported as positions): rows of cells with their line, grouped into students."""
    at = _columns(names)
    width = len(names)
    id_at = at["id"]
    other = [(name, index) for name, index in at.items() if name not in LONG_COLUMNS and name not in _NOT_FIELDS]
    groups: Regrouper[_LongStudent] = Regrouper(scattered)
    for row, line in rows:
        if not any(row):
            continue
        cells = [cell.strip() for cell in row]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        key = cells[id_at]
        if not key:
            place = {"index": line - 1} if by_row else {"line": line}
            groups.item(RecordError(id="", message="the row has no id", field="id", code="CTR401", **place))
        else:
            groups.group(key, line, _new_long, cells, at, other, line, by_row).add(cells, at, line)
        for group in groups.ready():
            yield group.finish() if isinstance(group, _LongStudent) else group
    for group in groups.rest():
        yield group.finish() if isinstance(group, _LongStudent) else group


def _long_rows(source: Input, reader: Any, header: list[str]) -> Iterator[ReadItem]:
    """The long CSV: one row per dose, a student's rows grouped by id (they need not be together;
    see the module's docstring for what that costs)."""
    id_at = _columns(header)["id"]
    scattered = scattered_keys(
        ((row[id_at].strip() if id_at < len(row) else ""), line) for row, line in _rows(reader) if any(row)
    )
    reader = csv.reader(source.second_pass().lines())
    next(reader)
    yield from long_students(_rows(reader), header, scattered)
