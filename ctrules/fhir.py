"""FHIR R4 input: a `Bundle`, or NDJSON of resources, of `Patient`s and `Immunization`s.

A small, tolerant reader of plain JSON (no FHIR library; design notes, vaccines.md section 6):

- `Patient.id` (or else `identifier[0].value`) is the student's id, `Patient.birthDate` the
  birth date; the grade comes from the side roster (`--grades`) or else from a
  `Patient.extension` whose url ends with `grade` (`GRADE_EXTENSION`), `valueString` or
  `valueCode`;
- an `Immunization` belongs to the patient its `patient.reference` names (`Patient/ID`, an
  absolute URL ending so, or in a Bundle an entry's `fullUrl`; or `patient.identifier.value`);
  only `status: completed` doses that are not `isSubpotent` count, the others are skipped and
  counted in one notice per file; the product is the `vaccineCode.coding` whose system is
  `CVX_SYSTEM`; the date is the date part of `occurrenceDateTime` (its time and time zone are
  ignored: the day as written is the day given) or an `occurrenceString` that is a date;
- every other resource type is ignored (and counted in the notice).

NDJSON is streamed the way a long CSV is (`inputs.Regrouper`): a patient's resources are
usually together; a Bundle is one JSON document and is read whole.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import InputError, InputFileError
from .inputs import Input, Notice, Regrouper, Text, scattered_keys
from .records import DoseCell, ReadItem, RecordError, student_with_doses

__all__ = ["CVX_SYSTEM", "GRADE_EXTENSION", "read_fhir_document", "read_fhir_lines", "read_grades"]

CVX_SYSTEM = "http://hl7.org/fhir/sid/cvx"
GRADE_EXTENSION = "http://ctrules.example/fhir/StructureDefinition/grade"
"""The extension ctrules documents for a patient's grade; any url ending with `grade` is read."""

_PATIENT_REFERENCE = re.compile(r"(?:^|/)Patient/([^/]+)(?:/_history/[^/]+)?$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?$")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2})?$")


def read_grades(path: str | Path) -> dict[str, str]:
    """A side roster of grades: a CSV with the columns `id,grade` (others ignored)."""
    grades: dict[str, str] = {}
    first_line: dict[str, int] = {}
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            names = {(name or "").strip().lower(): name for name in reader.fieldnames or ()}
            missing = [c for c in ("id", "grade") if c not in names]
            if missing:
                raise InputFileError(f"the grades file's header lacks the column(s) {', '.join(missing)}")
            for row in reader:
                student = (row.get(names["id"]) or "").strip()
                grade = (row.get(names["grade"]) or "").strip()
                if not student:
                    continue
                if student in grades and grades[student] != grade:
                    raise InputFileError(
                        f"line {reader.line_num} gives student {student} the grade {grade!r}, "
                        f"line {first_line[student]} gave {grades[student]!r}"
                    )
                grades[student] = grade
                first_line.setdefault(student, reader.line_num)
    except UnicodeDecodeError:
        raise InputFileError("the grades file is not UTF-8 text") from None
    return grades


# --- resources ------------------------------------------------------------------------------


def _patient_key(patient: Mapping[str, Any]) -> str:
    key = patient.get("id")
    if isinstance(key, str) and key.strip():
        return key.strip()
    identifiers = patient.get("identifier")
    if isinstance(identifiers, list) and identifiers and isinstance(identifiers[0], Mapping):
        value = identifiers[0].get("value")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _reference_key(immunization: Mapping[str, Any], aliases: Mapping[str, str]) -> tuple[str, str]:
    """The key of the patient an Immunization names, and the reference as written."""
    patient = immunization.get("patient")
    if not isinstance(patient, Mapping):
        return "", ""
    reference = patient.get("reference")
    if isinstance(reference, str) and reference.strip():
        reference = reference.strip()
        if reference in aliases:
            return aliases[reference], reference
        match = _PATIENT_REFERENCE.search(reference)
        return (match.group(1) if match else ""), reference
    identifier = patient.get("identifier")
    if isinstance(identifier, Mapping) and isinstance(identifier.get("value"), str):
        value = identifier["value"].strip()
        return aliases.get(f"identifier|{value}", value), f"identifier {value}"
    return "", ""


def _bundle_entries(bundle: Mapping[str, Any]) -> tuple[list[Any], dict[str, str]]:
    """A Bundle's resources, and its aliases (fullUrl, identifiers) for the patients' keys."""
    entries = bundle.get("entry")
    resources: list[Any] = []
    aliases: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else ():
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        resources.append(resource)
        if isinstance(resource, Mapping) and resource.get("resourceType") == "Patient":
            key = _patient_key(resource)
            full_url = entry.get("fullUrl")
            if key and isinstance(full_url, str) and full_url.strip():
                aliases[full_url.strip()] = key
            for identifier in resource.get("identifier") or ():
                if isinstance(identifier, Mapping) and isinstance(identifier.get("value"), str) and key:
                    aliases.setdefault(f"identifier|{identifier['value'].strip()}", key)
    return resources, aliases


class _Resource:
    """One resource read, with where it is (a line, or a position in a Bundle)."""

    __slots__ = ("aliases", "index", "line", "ordinal", "resource")

    def __init__(self, resource: Any, ordinal: int, line: int | None, index: int | None, aliases: Mapping[str, str]):
        self.resource = resource
        self.ordinal = ordinal
        self.line = line
        self.index = index
        self.aliases = aliases

    def key(self) -> str:
        resource = self.resource
        if not isinstance(resource, Mapping):
            return ""
        kind = resource.get("resourceType")
        if kind == "Patient":
            return _patient_key(resource)
        if kind == "Immunization":
            return _reference_key(resource, self.aliases)[0]
        return ""

    def error(self, message: str, field: str = "", code: str = "CTR407", record: str = "") -> RecordError:
        return RecordError(id=record, message=message, field=field, line=self.line, index=self.index, code=code)


def _place(item: _Resource) -> str:
    return f"line {item.line}" if item.line is not None else f"entry {item.index}"


class _Counts:
    """What a file skipped on purpose, said once at its end."""

    def __init__(self) -> None:
        self.statuses: Counter[str] = Counter()
        self.subpotent = 0
        self.other: Counter[str] = Counter()

    def say(self, notice: Notice) -> None:
        if self.statuses:
            total = sum(self.statuses.values())
            kinds = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
            notice(f"skipped {total} Immunization{'s' if total != 1 else ''} not completed ({kinds})")
        if self.subpotent:
            notice(f"skipped {self.subpotent} subpotent Immunization{'s' if self.subpotent != 1 else ''} (isSubpotent)")
        if self.other:
            total = sum(self.other.values())
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.other.items()))
            notice(
                f"ignored {total} resource{'s' if total != 1 else ''} that are not Patient or Immunization ({kinds})"
            )


class _Patient:
    """A patient's resources as read: the Patient (once) and their Immunizations."""

    __slots__ = ("duplicates", "immunizations", "key", "patient")

    def __init__(self, key: str):
        self.key = key
        self.patient: _Resource | None = None
        self.duplicates: list[_Resource] = []
        self.immunizations: list[_Resource] = []

    def finish(self, grades: Mapping[str, str] | None) -> Sequence[ReadItem]:
        duplicates = [
            item.error(
                f"a second Patient with the id {self.key} ({_place(item)}; the first is at "
                f"{_place(self.patient) if self.patient else '?'})",
                field="Patient.id",
                record=self.key,
            )
            for item in self.duplicates
        ]
        if self.patient is None:
            return [
                item.error(
                    f"{_name(item)} refers to {_reference_key(item.resource, item.aliases)[1]}, "
                    "which is not a Patient in this file",
                    field=f"{_name(item)}.patient",
                    code="CTR401",
                )
                for item in self.immunizations
            ] + duplicates
        try:
            student: ReadItem = self._student(grades)
        except InputError as error:
            student = self.patient.error(str(error), field=error.field, code=error.code, record=self.key)
        return [student, *duplicates]

    def _student(self, grades: Mapping[str, str] | None) -> ReadItem:
        assert self.patient is not None
        patient = self.patient.resource
        birth = patient.get("birthDate")
        if not birth:
            raise InputError("the Patient has no birthDate", field="Patient.birthDate", record=self.key, code="CTR401")
        grade = grades.get(self.key) if grades is not None else None
        if grade is None:
            grade = _grade_extension(patient)
        if not grade:
            raise InputError(
                f"no grade: the Patient has no extension {GRADE_EXTENSION} and no --grades roster names them",
                field="grade",
                record=self.key,
                code="CTR401",
            )
        record = {"id": self.key, "birth_date": birth, "grade": grade}
        try:
            return student_with_doses(record, (_dose(item, self.key) for item in self.immunizations))
        except InputError as error:
            if error.field == "birth_date":
                raise InputError(str(error), field="Patient.birthDate", record=self.key, code=error.code) from None
            raise


def _grade_extension(patient: Mapping[str, Any]) -> str:
    for extension in patient.get("extension") or ():
        if not isinstance(extension, Mapping):
            continue
        url = extension.get("url")
        if isinstance(url, str) and url.rstrip("/").lower().endswith("grade"):
            for key in ("valueString", "valueCode", "valueInteger"):
                value = extension.get(key)
                if value is not None and str(value).strip():
                    return str(value).strip()
    return ""


def _name(item: _Resource) -> str:
    identifier = item.resource.get("id") if isinstance(item.resource, Mapping) else None
    return (
        f"Immunization/{identifier}"
        if isinstance(identifier, str) and identifier
        else f"the Immunization at {_place(item)}"
    )


def _dose(item: _Resource, student: str) -> DoseCell:
    immunization = item.resource
    name = _name(item)
    code = immunization.get("vaccineCode")
    codings = code.get("coding") if isinstance(code, Mapping) else None
    cvx = ""
    written = []
    for coding in codings if isinstance(codings, list) else ():
        if not isinstance(coding, Mapping):
            continue
        written.append(f"{coding.get('system', '(no system)')} {coding.get('code', '')}".strip())
        if coding.get("system") == CVX_SYSTEM and str(coding.get("code") or "").strip():
            cvx = str(coding["code"]).strip()
            break
    if not cvx:
        codes = "; ".join(written) or "none"
        raise InputError(
            f"{name} has no CVX code (system {CVX_SYSTEM}) in vaccineCode (codes given: {codes})",
            field=f"{name}.vaccineCode",
            record=student,
            code="CTR404",
        )
    for key in ("occurrenceDateTime", "occurrenceString"):
        value = immunization.get(key)
        if value is None:
            continue
        field = f"{name}.{key}"
        text = value.strip() if isinstance(value, str) else ""
        match = _DATE_TIME.match(text)
        if match:
            return DoseCell(vaccine="", cvx=cvx, date=match.group(1), field=name, date_field=field)
        why = "is a partial date (a dose needs its day)" if _PARTIAL_DATE.match(text) else "is not a date (YYYY-MM-DD)"
        raise InputError(f"{key} {value!r} {why}", field=field, record=student, code="CTR402")
    return DoseCell(vaccine="", cvx=cvx, date="", field=name, date_field=f"{name}.occurrenceDateTime")


# --- reading --------------------------------------------------------------------------------


def _counts_dose(item: _Resource, counts: _Counts) -> bool:
    """Whether an Immunization is a dose given (`completed`, not subpotent); counts the others."""
    status = item.resource.get("status")
    if status != "completed":
        counts.statuses[str(status) if status else "without status"] += 1
        return False
    if item.resource.get("isSubpotent") is True:
        counts.subpotent += 1
        return False
    return True


def _regroup(
    resources: Iterable[_Resource | RecordError],
    scattered: Mapping[str, int],
    grades: Mapping[str, str] | None,
    counts: _Counts,
) -> Iterator[ReadItem]:
    groups: Regrouper[_Patient] = Regrouper(scattered)

    def ready(items: Iterable[Any]) -> Iterator[ReadItem]:
        for group in items:
            if isinstance(group, _Patient):
                yield from group.finish(grades)
            else:
                yield group

    for item in resources:
        if isinstance(item, RecordError):
            groups.item(item)
        else:
            resource = item.resource
            kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
            if kind == "Patient":
                key = item.key()
                if not key:
                    groups.item(item.error("the Patient has no id (nor identifier)", field="Patient.id", code="CTR401"))
                else:
                    group = groups.group(key, item.ordinal, _Patient, key)
                    if group.patient is None:
                        group.patient = item
                    else:
                        group.duplicates.append(item)
            elif kind == "Immunization":
                if not _counts_dose(item, counts):
                    # Skipped, but still in its patient's group, so that the groups stay as the
                    # first pass saw them.
                    key = item.key()
                    if key:
                        groups.group(key, item.ordinal, _Patient, key)
                else:
                    key = item.key()
                    if not key:
                        groups.item(
                            item.error(
                                f"{_name(item)} names no patient (patient.reference `Patient/ID`)",
                                field=f"{_name(item)}.patient",
                                code="CTR401",
                            )
                        )
                    else:
                        groups.group(key, item.ordinal, _Patient, key).immunizations.append(item)
            elif isinstance(resource, Mapping):
                counts.other[str(kind)] += 1
            else:
                groups.item(item.error("a FHIR resource must be a JSON object"))
        yield from ready(groups.ready())
    yield from ready(groups.rest())


def _expand(value: Any, ordinal: int, line: int | None) -> list[_Resource]:
    """The resources of one NDJSON line or document: a Bundle's entries, or the resource."""
    if isinstance(value, Mapping) and value.get("resourceType") == "Bundle":
        entries, aliases = _bundle_entries(value)
        return [
            _Resource(resource, ordinal + n, line, None if line is not None else n, aliases)
            for n, resource in enumerate(entries)
        ]
    return [_Resource(value, ordinal, line, None, {})]


def read_fhir_document(
    document: Mapping[str, Any], grades: Mapping[str, str] | None, notice: Notice
) -> Iterator[ReadItem]:
    """A Bundle (or a single resource) read whole."""
    resources = _expand(document, 0, None)
    scattered = scattered_keys((item.key(), item.ordinal) for item in resources)
    counts = _Counts()
    yield from _regroup(resources, scattered, grades, counts)
    counts.say(notice)


def _lines(text: Text) -> Iterator[tuple[int, Any]]:
    """The JSON value of each non-blank line, or a `RecordError` for a line that is not JSON."""
    for number, line in enumerate(text.lines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (ValueError, RecursionError) as error:
            problem = f"{error.msg} at column {error.colno}" if isinstance(error, json.JSONDecodeError) else error
            yield number, RecordError(id="", message=f"not valid JSON: {problem}", line=number, code="CTR407")


def _resources(text: Text) -> Iterator[_Resource | RecordError]:
    ordinal = 0
    for number, value in _lines(text):
        if isinstance(value, RecordError):
            yield value
            continue
        expanded = _expand(value, ordinal, number)
        ordinal += max(1, len(expanded))
        yield from expanded


def read_fhir_lines(source: Input, text: Text, grades: Mapping[str, str] | None, notice: Notice) -> Iterator[ReadItem]:
    """NDJSON of FHIR resources, in two passes (see `inputs`)."""
    scattered = scattered_keys((item.key(), item.ordinal) for item in _resources(text) if isinstance(item, _Resource))
    counts = _Counts()
    yield from _regroup(_resources(source.second_pass()), scattered, grades, counts)
    counts.say(notice)
