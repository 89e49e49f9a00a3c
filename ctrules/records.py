"""Student records: the contract's JSON shape into typed `Student`s, and roster readers.

Readers never stop at a bad record: each yields either a `Student` or a `RecordError` that
names the record (its id, or its line) and the field, so counts in equal counts out.
Doses are kept as written (vaccine name or CVX code); which product that is depends on the
ruleset, so it is resolved at evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, cast

import attrs

from .dates import parse_iso
from .errors import InputError
from .grades import canonical_grade

if TYPE_CHECKING:
    from .inputs import Unread

__all__ = [
    "Dose",
    "DoseCell",
    "Evidence",
    "ExemptionRecord",
    "RecordError",
    "Roster",
    "Student",
    "read_records",
    "student_with_doses",
]

EVIDENCE_TYPES = ("lab_immunity", "disease_history", "zoster_history", "in_process")
EXEMPTION_TYPES = ("medical", "religious")


def normalise_disease(text: str) -> str:
    """`Hepatitis B`, `hepatitis-b` and `hepatitis_b` are one disease."""
    return "_".join(text.strip().lower().replace("-", " ").split())


class Dose(NamedTuple):
    """One administered dose as the record gives it: a product name or a CVX code, and a date.
    A named tuple, not an attrs class: one is built for every dose read, several times faster."""

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
    school: str = ""
    """Optional: the school the student attends (`ctrules report` groups by it); "" if not given."""

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
        doses = _doses(_list(record, "doses", student_id), birth, student_id)
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
            school=str(record.get("school") or "").strip(),
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


_DOSE_FIELDS = tuple(f"doses[{index}]" for index in range(100))
_from_iso = date.fromisoformat
_new_dose = partial(tuple.__new__, Dose)
"""`Dose(*fields)` without the named tuple's `__new__` in Python: built for every dose read."""


def _doses(items: list[Any], birth: date, student_id: str) -> tuple[Dose, ...]:
    """A record's doses. The usual dose is checked here in a few steps: a dict with a YYYY-MM-DD
    date (what `parse_iso` accepts) not before birth, and a vaccine or code as text. Anything
    else (and every error, with its message and code) takes the full path, `_dose`."""
    doses = []
    for index, item in enumerate(items):
        if type(item) is dict and index < 100:
            written = item.get("date")
            vaccine = item.get("vaccine") or ""
            code = item.get("cvx") or ""
            if (
                type(written) is str
                and len(written) == 10
                and written[4] == "-"
                and written[7] == "-"
                and type(vaccine) is str
                and type(code) is str
            ):
                try:
                    given = _from_iso(written)
                except ValueError:
                    given = None
                vaccine, code = vaccine.strip(), code.strip()
                if given is not None and given >= birth and (vaccine or code):
                    doses.append(_new_dose((given, vaccine, code, _DOSE_FIELDS[index])))
                    continue
        doses.append(_dose(item, index, birth, student_id))
    return tuple(doses)


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


@attrs.frozen
class DoseCell:
    """A dose as a flat layout gives it (a wide CSV cell, a FHIR Immunization): the product, the
    date as written, and where it sits, for messages (`MMR_2`, `Immunization/imm-7`)."""

    vaccine: str
    cvx: str
    date: str
    field: str
    date_field: str = ""
    """Where the date sits, if not `field` itself (`Immunization/imm-7.occurrenceDateTime`)."""


def student_with_doses(record: Mapping[str, Any], doses: Iterable[DoseCell]) -> Student:
    """A record (without `doses`) and its doses given apart: each dose is checked as in
    `Student.from_dict` (a real date, not before birth), its errors naming the dose's own place."""
    student = Student.from_dict({key: value for key, value in record.items() if key != "doses"})
    built = []
    for cell in doses:
        date_field = cell.date_field or cell.field
        if not cell.date:
            raise InputError(f"{date_field} is missing", field=date_field, record=student.id, code="CTR401")
        given = _date_value(cell.date, date_field, student.id)
        if given < student.birth_date:
            raise InputError(
                f"{cell.field} on {given} is before the birth date {student.birth_date}",
                field=date_field,
                record=student.id,
                code="CTR403",
            )
        built.append(Dose(date=given, vaccine=cell.vaccine, cvx=cell.cvx, field=cell.field))
    return attrs.evolve(student, doses=tuple(built))


def _from_mapping(record: Any, line: int | None, index: int | None = None) -> ReadItem:
    try:
        return Student.from_dict(record)
    except InputError as error:
        record_id = str(record.get("id") or "") if isinstance(record, Mapping) else ""
        return RecordError(id=record_id, message=str(error), field=error.field, line=line, index=index, code=error.code)


def read_records(
    source: str | Path | IO[Any],
    *,
    grades: Mapping[str, str] | None = None,
    notice: Callable[[str], None] | None = None,
) -> Roster:
    """Read a roster from a path, `-` (stdin) or an open stream (text or binary), streamed:
    JSON (an object or an array), JSON Lines, a long or wide CSV, FHIR R4 (a Bundle or NDJSON)
    or Parquet, told apart by their content (docs/inputs.md). Raises `InputFileError` when the
    whole file is unusable; a bad record is a `RecordError` in its place.

    `grades` (student id to grade) gives FHIR patients their grade; `notice` receives what a
    reader skipped on purpose (FHIR doses not completed), once per file."""
    return Roster(source, grades, notice)


class Roster(Iterator[ReadItem]):
    """The records of one input, read as they are iterated (nothing is read before the first).
    `evaluate_many(…, jobs=N)` asks instead for them `unread()`, so that its worker processes
    read them and the parent process only passes their text on."""

    def __init__(
        self,
        source: str | Path | IO[Any],
        grades: Mapping[str, str] | None,
        notice: Callable[[str], None] | None,
    ):
        self._source = source
        self._grades = grades
        self._notice = notice
        self._items: Iterator[ReadItem] | None = None

    def __next__(self) -> ReadItem:
        if self._items is None:
            from .inputs import read_roster

            self._items = read_roster(self._source, grades=self._grades, notice=self._notice)
        return next(self._items)

    def unread(self) -> Iterator[ReadItem | Unread]:
        """The records, those of JSON Lines and JSON arrays left `Unread` (other layouts are read
        here); once iteration has begun, the records still to come, read."""
        if self._items is not None:
            return self._items
        from .inputs import read_roster_unread

        unread = read_roster_unread(self._source, grades=self._grades, notice=self._notice)
        self._items = cast(Iterator[ReadItem], iter(()))  # handed over: nothing left to iterate here
        return unread


def students_from(items: Iterable[Mapping[str, Any] | ReadItem]) -> Iterator[ReadItem]:
    """Python objects (dicts, `Student`s, or items a reader yielded) into read items."""
    for index, item in enumerate(items):
        yield item if isinstance(item, (Student, RecordError)) else _from_mapping(item, None, index)
