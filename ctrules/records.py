"""Student records: the contract's JSON shape into typed `Student`s, and roster readers.

Readers never stop at a bad record: each yields either a `Student` or a `RecordError` that
names the record (its id, or its line) and the field, so counts in equal counts out.
Doses are kept as written (vaccine name or CVX code); which product that is depends on the
ruleset, so it is resolved at evaluation.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import attrs

from .dates import parse_iso
from .errors import InputError, InputFileError
from .grades import canonical_grade

__all__ = ["Dose", "Evidence", "ExemptionRecord", "RecordError", "Student", "read_records"]

EVIDENCE_TYPES = ("lab_immunity", "disease_history", "zoster_history", "in_process")
EXEMPTION_TYPES = ("medical", "religious")


def normalise_disease(text: str) -> str:
    """`Hepatitis B`, `hepatitis-b` and `hepatitis_b` are one disease."""
    return "_".join(text.strip().lower().replace("-", " ").split())


@attrs.frozen(kw_only=True)
class Dose:
    """One administered dose as the record gives it: a product name or a CVX code, and a date."""

    date: date
    vaccine: str = ""
    cvx: str = ""
    field: str = ""
    """Where it sits in the record (`doses[2]`), for messages."""

    @property
    def label(self) -> str:
        return self.vaccine or f"CVX {self.cvx}"


@attrs.frozen(kw_only=True)
class Evidence:
    type: str
    disease: str = ""
    date: date | None = None
    field: str = ""


@attrs.frozen(kw_only=True)
class ExemptionRecord:
    type: str
    vaccines: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    until: date | None = None
    on_file_since: date | None = None
    field: str = ""


@attrs.frozen(kw_only=True)
class Student:
    """A student's immunization record (contract section 2)."""

    id: str
    birth_date: date
    grade: str
    doses: tuple[Dose, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    exemptions: tuple[ExemptionRecord, ...] = ()
    k12_entry_date: date | None = None

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Student:
        """Validate a record; raise `InputError` naming the first bad field."""
        if not isinstance(record, Mapping):
            raise InputError("a student record must be a JSON object")
        student_id = record.get("id")
        if student_id is None or str(student_id).strip() == "":
            raise InputError("the record has no id", field="id", code="CTR401")
        student_id = str(student_id)
        birth = _required_date(record, "birth_date", student_id)
        grade_text = record.get("grade")
        if grade_text is None or str(grade_text).strip() == "":
            raise InputError("the record has no grade", field="grade", record=student_id, code="CTR401")
        grade = canonical_grade(str(grade_text))
        if grade is None:
            raise InputError(
                f"grade {grade_text!r} is not a grade (P3, PK, K, KH, KE, KF, 1-12 or 01-12)",
                field="grade",
                record=student_id,
                code="CTR405",
            )
        doses = tuple(_dose(d, i, birth, student_id) for i, d in enumerate(_list(record, "doses", student_id)))
        evidence = tuple(_evidence(e, i, student_id) for i, e in enumerate(_list(record, "evidence", student_id)))
        exemptions = tuple(_exemption(e, i, student_id) for i, e in enumerate(_list(record, "exemptions", student_id)))
        entry = _optional_date(record, "k12_entry_date", student_id)
        return cls(
            id=student_id,
            birth_date=birth,
            grade=grade,
            doses=doses,
            evidence=evidence,
            exemptions=exemptions,
            k12_entry_date=entry,
        )


@attrs.frozen(kw_only=True)
class RecordError:
    """A record that could not be read: which one (id or line), which field, and why."""

    id: str
    message: str
    field: str = ""
    line: int | None = None
    index: int | None = None
    """Position in a JSON array or API batch (0-based), where there is no line."""
    code: str = "CTR407"
    """The stable code of the problem (`InputError`, docs/diagnostics.md)."""

    def describe(self) -> str:
        if self.line is not None:
            place = f"line {self.line}"
        elif self.index is not None:
            place = f"position {self.index + 1}"
        else:
            place = ""
        where = f"student {self.id}" if self.id else f"the record at {place}" if place else "a record"
        if self.id and place:
            where += f" ({place})"
        field = f", field {self.field}" if self.field else ""
        return f"{where}{field}: {self.message} [{self.code}]"


def _list(record: Mapping[str, Any], key: str, student_id: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{key} must be a list", field=key, record=student_id)
    return value


def _date_value(value: Any, field: str, student_id: str) -> date:
    if not isinstance(value, str):
        raise InputError(f"{field} must be a date written YYYY-MM-DD", field=field, record=student_id, code="CTR402")
    try:
        return parse_iso(value)
    except ValueError:
        raise InputError(
            f"{value!r} is not a real date (expected YYYY-MM-DD)", field=field, record=student_id, code="CTR402"
        ) from None


def _required_date(record: Mapping[str, Any], key: str, student_id: str, prefix: str = "") -> date:
    value = record.get(key)
    if value is None or value == "":
        raise InputError(f"{prefix}{key} is missing", field=f"{prefix}{key}", record=student_id, code="CTR401")
    return _date_value(value, f"{prefix}{key}", student_id)


def _optional_date(record: Mapping[str, Any], key: str, student_id: str, prefix: str = "") -> date | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    return _date_value(value, f"{prefix}{key}", student_id)


def _dose(item: Any, index: int, birth: date, student_id: str) -> Dose:
    field = f"doses[{index}]"
    if not isinstance(item, Mapping):
        raise InputError(f"{field} must be an object", field=field, record=student_id)
    given = _required_date(item, "date", student_id, prefix=f"{field}.")
    vaccine = str(item.get("vaccine") or "").strip()
    cvx = str(item.get("cvx") or "").strip()
    if not vaccine and not cvx:
        raise InputError(
            f"{field} names no vaccine: give `vaccine` or `cvx`",
            field=f"{field}.vaccine",
            record=student_id,
            code="CTR401",
        )
    if given < birth:
        raise InputError(
            f"{field} on {given} is before the birth date {birth}",
            field=f"{field}.date",
            record=student_id,
            code="CTR403",
        )
    return Dose(date=given, vaccine=vaccine, cvx=cvx, field=field)


def _typed_item(item: Any, field: str, allowed: tuple[str, ...], student_id: str) -> str:
    """An evidence or exemption entry must be an object whose `type` is one of `allowed`."""
    if not isinstance(item, Mapping):
        raise InputError(f"{field} must be an object", field=field, record=student_id)
    kind = item.get("type")
    if kind not in allowed:
        raise InputError(
            f"{field}.type {kind!r} is not one of {', '.join(allowed)}",
            field=f"{field}.type",
            record=student_id,
            code="CTR405",
        )
    return str(kind)


def _evidence(item: Any, index: int, student_id: str) -> Evidence:
    field = f"evidence[{index}]"
    kind = _typed_item(item, field, EVIDENCE_TYPES, student_id)
    disease = str(item.get("disease") or "")
    if kind in ("lab_immunity", "disease_history") and not disease:
        raise InputError(
            f"{field} ({kind}) names no disease", field=f"{field}.disease", record=student_id, code="CTR401"
        )
    return Evidence(
        type=kind,
        disease=normalise_disease(disease) if disease else "",
        date=_optional_date(item, "date", student_id, prefix=f"{field}."),
        field=field,
    )


def _names(item: Mapping[str, Any], key: str, field: str, student_id: str) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{field}.{key} must be a list of names", field=f"{field}.{key}", record=student_id)
    return tuple(v.strip() for v in value)


def _exemption(item: Any, index: int, student_id: str) -> ExemptionRecord:
    field = f"exemptions[{index}]"
    kind = _typed_item(item, field, EXEMPTION_TYPES, student_id)
    vaccines = _names(item, "vaccines", field, student_id)
    requirements = _names(item, "requirements", field, student_id)
    if kind == "medical" and not vaccines and not requirements:
        raise InputError(
            f"{field}: a medical exemption must name `vaccines` or `requirements`",
            field=f"{field}.vaccines",
            record=student_id,
            code="CTR401",
        )
    on_file = _optional_date(item, "on_file_since", student_id, prefix=f"{field}.")
    if kind == "religious" and on_file is None:
        raise InputError(
            f"{field}: a religious exemption needs `on_file_since`",
            field=f"{field}.on_file_since",
            record=student_id,
            code="CTR401",
        )
    return ExemptionRecord(
        type=kind,
        vaccines=vaccines,
        requirements=requirements,
        until=_optional_date(item, "until", student_id, prefix=f"{field}."),
        on_file_since=on_file,
        field=field,
    )


# --- readers --------------------------------------------------------------------------------

ReadItem = Student | RecordError

# What json.loads raises on hostile input besides JSONDecodeError: huge integers (ValueError)
# and very deep nesting (RecursionError).
_JSON_FAILURES = (ValueError, RecursionError)


def _from_mapping(record: Any, line: int | None, index: int | None = None) -> ReadItem:
    try:
        return Student.from_dict(record)
    except InputError as error:
        record_id = str(record.get("id") or "") if isinstance(record, Mapping) else ""
        return RecordError(id=record_id, message=str(error), field=error.field, line=line, index=index, code=error.code)


def records_from_json_text(text: str) -> Iterator[ReadItem]:
    """A JSON object, a JSON array of objects, or JSON Lines.

    A document that is not JSON at all (a broken array or object) is an `InputFileError`;
    in JSON Lines, a broken line is an error for that record only.
    """
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except _JSON_FAILURES as error:
            raise InputFileError(f"not valid JSON: {_json_problem(error)}") from None
        if not isinstance(data, list):
            raise InputFileError("expected a JSON array of student records")
        for index, item in enumerate(data):
            yield _from_mapping(item, None, index)
        return
    try:
        data = json.loads(text)
    except _JSON_FAILURES as error:
        lines = [line for line in text.splitlines() if line.strip()]
        if stripped.startswith("{") and lines and not _parses(lines[0]):
            # One pretty-printed object with a mistake, not JSON Lines.
            raise InputFileError(f"not valid JSON: {_json_problem(error)}") from None
    else:
        yield _from_mapping(data, 1)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except _JSON_FAILURES as error:
            problem = f"{error.msg} at column {error.colno}" if isinstance(error, json.JSONDecodeError) else error
            yield RecordError(id="", message=f"not valid JSON: {problem}", line=number, code="CTR407")
            continue
        yield _from_mapping(item, number)


def _parses(line: str) -> bool:
    try:
        json.loads(line)
    except _JSON_FAILURES:
        return False
    return True


def _json_problem(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno}, column {error.colno}"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error)


CSV_COLUMNS = ("id", "birth_date", "grade", "vaccine", "cvx", "date")


def records_from_csv(stream: TextIO) -> Iterator[ReadItem]:
    """The long CSV roster: one row per dose, the rows of one student grouped by id.

    Rows of one student that disagree on birth date or grade make that student an error.
    """
    reader = csv.DictReader(stream)
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputFileError(f"the CSV header lacks the column(s) {', '.join(missing)}")
    students: dict[str, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    conflicts: dict[str, str] = {}
    for row in reader:
        line = reader.line_num
        cells = {key: (value or "").strip() for key, value in row.items() if isinstance(key, str)}
        student_id = cells.get("id", "")
        if not student_id:
            yield RecordError(id="", message="the row has no id", field="id", line=line, code="CTR401")
            continue
        record = students.get(student_id)
        if record is None:
            record = {"id": student_id, "birth_date": cells["birth_date"], "grade": cells["grade"], "doses": []}
            students[student_id] = record
            first_line[student_id] = line
        else:
            for key in ("birth_date", "grade"):
                if cells[key] != record[key] and student_id not in conflicts:
                    conflicts[student_id] = (
                        f"line {line} gives {key} {cells[key]!r}, line {first_line[student_id]} gave {record[key]!r}"
                    )
        if cells["vaccine"] or cells["cvx"] or cells["date"]:
            record["doses"].append({"vaccine": cells["vaccine"], "cvx": cells["cvx"], "date": cells["date"]})
    for student_id, record in students.items():
        if student_id in conflicts:
            yield RecordError(
                id=student_id,
                message=f"rows disagree: {conflicts[student_id]}",
                line=first_line[student_id],
                code="CTR407",
            )
        else:
            yield _from_mapping(record, first_line[student_id])


def read_records(source: str | Path | TextIO) -> Iterator[ReadItem]:
    """Read a roster from a path, `-` (stdin) or an open text stream: JSON, JSON Lines or CSV,
    told apart by their content. Raises `InputFileError` when the whole file is unusable."""
    try:
        if isinstance(source, (str, Path)) and str(source) == "-":
            text = sys.stdin.read()
        elif isinstance(source, (str, Path)):
            text = Path(source).read_bytes().decode("utf-8")
        else:
            text = source.read()
    except UnicodeDecodeError as error:
        raise InputFileError(f"not UTF-8 text (byte {error.start})") from None
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith(("{", "[")):
        yield from records_from_json_text(text)
    elif text.strip():
        yield from records_from_csv(io.StringIO(text))


def students_from(items: Iterable[Mapping[str, Any] | ReadItem]) -> Iterator[ReadItem]:
    """Python objects (dicts, `Student`s, or items a reader yielded) into read items."""
    for index, item in enumerate(items):
        yield item if isinstance(item, (Student, RecordError)) else _from_mapping(item, None, index)
