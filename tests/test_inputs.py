"""Input formats (docs/inputs.md): streaming, detection by content, wide CSV, FHIR R4, Parquet."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

import ctrules
from ctrules import inputs
from ctrules.cli import main
from ctrules.errors import InputFileError
from ctrules.records import RecordError, Student, read_records

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
AS_OF = date(2024, 9, 1)
CVX = "http://hl7.org/fhir/sid/cvx"
GRADE_URL = "http://ctrules.example/fhir/StructureDefinition/grade"


def student(n, doses=2):
    return {
        "id": f"s{n:05d}",
        "birth_date": "2019-01-05",
        "grade": "K",
        "doses": [{"vaccine": "MMR", "date": f"202{i}-01-10"} for i in range(doses)],
    }


class Tracking(io.RawIOBase):
    """A stream that is not seekable and remembers how much has been read from it."""

    def __init__(self, data: bytes, chunked: int | None = None):
        self._data = data
        self.read_so_far = 0
        self._chunked = chunked

    def readable(self):
        return True

    def read(self, size=-1):
        if size is None or size < 0:
            size = len(self._data) - self.read_so_far
        if self._chunked:
            size = min(size, self._chunked)
        piece = self._data[self.read_so_far : self.read_so_far + size]
        self.read_so_far += len(piece)
        return piece

    @property
    def done(self):
        return self.read_so_far >= len(self._data)


def _ids(items):
    return [(item.id, type(item).__name__) for item in items]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- streaming --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    ["jsonl", "array", "wide"],
)
def test_the_first_student_comes_before_the_input_is_read(layout):
    records = [student(n) for n in range(20000)]
    if layout == "jsonl":
        text = "\n".join(json.dumps(r) for r in records)
    elif layout == "array":
        text = json.dumps(records, indent=1)
    else:
        text = "id,birth_date,grade,MMR_1,MMR_2\n" + "".join(
            f"{r['id']},{r['birth_date']},K,{r['doses'][0]['date']},{r['doses'][1]['date']}\n" for r in records
        )
    stream = Tracking(text.encode())
    items = read_records(stream)
    first = next(items)
    assert isinstance(first, Student) and first.id == "s00000" and len(first.doses) == 2
    assert not stream.done and stream.read_so_far < len(text) // 10
    rest = list(items)
    assert stream.done and len(rest) + 1 == len(records)


def test_a_long_csv_is_streamed_on_its_second_pass(tmp_path):
    """A long CSV is read twice (the first pass keeps only ids); the second pass gives each
    student as soon as their rows are read."""
    rows = ["id,birth_date,grade,vaccine,cvx,date"]
    for n in range(20000):
        rows += [f"s{n:05d},2019-01-05,K,MMR,,2020-01-10", f"s{n:05d},2019-01-05,K,MMR,,2023-01-10"]
    data = ("\n".join(rows) + "\n").encode()
    reads = []

    class Seekable(io.BytesIO):
        def read(self, size=-1):
            piece = super().read(size)
            reads.append(self.tell())
            return piece

    items = read_records(Seekable(data))
    first = next(items)
    assert first.id == "s00000" and len(first.doses) == 2
    rewound = next(n for n in range(1, len(reads)) if reads[n] < reads[n - 1])
    assert reads[rewound - 1] == len(data)  # the first pass read it all ...
    assert max(reads[rewound:]) < len(data) // 10  # ... the second has barely begun
    assert sum(1 for _ in items) == 19999


def test_json_values_across_chunk_boundaries_are_read_whole(monkeypatch):
    monkeypatch.setattr(inputs, "CHUNK", 7)
    records = [student(n, doses=n % 4) for n in range(50)] + [5, "x", [1], {"id": "y" * 300}]
    text = json.dumps(records, indent=2).replace('"K"', '"K" ')
    for source in (io.StringIO(text), Tracking(text.encode(), chunked=3)):
        items = list(read_records(source))
        assert len(items) == len(records)
        assert [i.id for i in items[:50]] == [r["id"] for r in records[:50]]
        assert all(isinstance(i, RecordError) for i in items[50:])
        assert items[52].describe().startswith("the record at position 53")


def test_numbers_cut_by_a_chunk_boundary_are_not_misread(monkeypatch):
    monkeypatch.setattr(inputs, "CHUNK", 2)
    items = list(read_records(io.StringIO("[12345, -1.5e3, true, null]")))
    assert len(items) == 4 and all("must be a JSON object" in i.message for i in items)


def test_a_json_array_broken_late_is_a_file_error_naming_the_true_line(monkeypatch):
    monkeypatch.setattr(inputs, "CHUNK", 64)
    text = json.dumps([student(n) for n in range(40)], indent=1)
    lines = text.split("\n")
    broken = "\n".join(lines[:300] + ['  "oops" "here",'] + lines[300:])
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken)
    where = f"at line {expected.value.lineno}, column {expected.value.colno}"
    assert expected.value.lineno == 301
    with pytest.raises(InputFileError, match=f"not valid JSON: {expected.value.msg} {where}"):
        list(read_records(io.StringIO(broken)))
    with pytest.raises(InputFileError, match="Extra data at line 1, column 4"):
        list(read_records(io.StringIO("[] []")))


def test_not_utf8_is_found_with_its_byte_even_in_a_late_chunk(monkeypatch):
    monkeypatch.setattr(inputs, "CHUNK", 5)
    data = json.dumps(student(1)).encode() + b"\n" + b'{"id": "caf\xe9"}\n'
    where = data.index(b"\xe9")
    with pytest.raises(InputFileError, match=rf"not UTF-8 text \(byte {where}\)"):
        list(read_records(io.BytesIO(data)))


def test_line_endings_and_bom_do_not_matter():
    csv_text = "id,birth_date,grade,vaccine,cvx,date\na,2019-01-05,K,MMR,,2020-01-05\nb,2019-01-05,K,,,\n"
    for variant in (csv_text, csv_text.replace("\n", "\r\n"), csv_text.replace("\n", "\r"), "\ufeff" + csv_text):
        assert _ids(read_records(io.BytesIO(variant.encode()))) == [("a", "Student"), ("b", "Student")]


def test_stdin_that_cannot_be_read_twice_is_kept_in_a_temporary_file(monkeypatch, capsys):
    text = (EXAMPLES / "roster.csv").read_bytes()

    class Stdin:
        buffer = Tracking(text)

    monkeypatch.setattr("sys.stdin", Stdin)
    code, out, err = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "-")
    code2, out2, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(EXAMPLES / "roster.csv"))
    assert code == code2 == 0 and out == out2


def test_scattered_rows_are_grouped_and_the_order_kept():
    rows = ["id,birth_date,grade,vaccine,cvx,date"]
    order = ["a", "b", "a", "c", "d", "b", "e", ",", "c"]
    for n, key in enumerate(order):
        rows.append(f"{key},2019-01-05,K,MMR,,2020-01-{n + 1:02d}" if key != "," else ",,,,,")
    rows.append(",2019-01-05,K,MMR,,2020-02-01")  # a row without an id: an error in its place
    items = list(read_records(io.StringIO("\n".join(rows))))
    assert _ids(items) == [
        ("a", "Student"),
        ("b", "Student"),
        ("c", "Student"),
        ("d", "Student"),
        ("e", "Student"),
        ("", "RecordError"),
    ]
    assert [len(i.doses) for i in items[:5]] == [2, 2, 2, 1, 1]
    assert items[5].line == 11 and items[5].code == "CTR401"


def test_counts_in_equal_counts_out_whatever_goes_wrong():
    lines = [json.dumps(student(1)), "{broken", json.dumps({"id": "x"}), "", "[1]", json.dumps(student(2))]
    items = list(read_records(io.StringIO("\n".join(lines))))
    assert _ids(items) == [
        ("s00001", "Student"),
        ("", "RecordError"),
        ("x", "RecordError"),
        ("", "RecordError"),
        ("s00002", "Student"),
    ]
    assert [i.line for i in items if isinstance(i, RecordError)] == [2, 3, 5]


def test_detection_is_by_content(tmp_path):
    for name, text in [
        ("a.csv", json.dumps([student(1)])),
        ("b.json", "id,birth_date,grade,MMR_1\na,2019-01-05,K,2020-02-01\n"),
        ("c.txt", "\n\n  " + json.dumps(student(1)) + "\n"),
    ]:
        path = tmp_path / name
        path.write_text(text)
        assert [type(i).__name__ for i in read_records(path)] == ["Student"]
    (tmp_path / "empty").write_text(" \n\n")
    assert list(read_records(tmp_path / "empty")) == []


# --- wide CSV ---------------------------------------------------------------------------------

WIDE = """id,birth_date,grade,k12_entry_date,school,MMR_1,MMR_2,cvx_94_1,DTaP-IPV/Hib_1
a,2019-01-05,K,2024-08-28,Elm,2020-01-10,,2023-02-01,2020-03-01
b,2019-02-01,1,,,,,,
c,2019-03-01,K,,,5/1/2020,,,
"""


def test_wide_csv_one_row_per_student_dose_columns_by_name_or_cvx():
    a, b, c = read_records(io.StringIO(WIDE))
    assert isinstance(a, Student) and a.k12_entry_date == date(2024, 8, 28)
    assert [(d.vaccine, d.cvx, d.date.isoformat(), d.field) for d in a.doses] == [
        ("MMR", "", "2020-01-10", "MMR_1"),
        ("", "94", "2023-02-01", "cvx_94_1"),
        ("DTaP-IPV/Hib", "", "2020-03-01", "DTaP-IPV/Hib_1"),
    ]
    assert isinstance(b, Student) and b.doses == () and b.grade == "1"
    assert isinstance(c, RecordError) and c.id == "c" and c.line == 4
    assert c.field == "MMR_1" and c.code == "CTR402"
    assert (
        c.describe() == "student c (line 4), field MMR_1: '5/1/2020' is not a real date (expected YYYY-MM-DD) [CTR402]"
    )


def test_wide_csv_dose_before_birth_and_unknown_vaccine_name_the_column():
    text = "id,birth_date,grade,MMR_1,MMRR_1\na,2019-01-05,K,2018-01-01,\nb,2019-01-05,K,,2020-01-10\n"
    a, b = ctrules.load("ct").evaluate_many(read_records(io.StringIO(text)), as_of=AS_OF)
    assert list(a.errors) == [
        "student a (line 2), field MMR_1: MMR_1 on 2018-01-01 is before the birth date 2019-01-05 [CTR403]"
    ]
    assert "field MMRR_1.vaccine: unknown vaccine 'MMRR'" in b.errors[0] and "[CTR404]" in b.errors[0]


@pytest.mark.parametrize(
    "header, words",
    [
        ("id,grade,MMR_1", "lacks the column(s) birth_date"),
        ("id,birth_date,grade,MMR_1,MMR_1", "names the column(s) MMR_1 more than once"),
        ("id,birth_date,grade,school", "lacks the column(s) vaccine, cvx, date"),
        ("id,birth_date,grade,MMR_1,date", "lacks the column(s) vaccine, cvx"),
    ],
)
def test_a_header_that_is_neither_layout_is_a_file_error(header, words):
    with pytest.raises(InputFileError, match=words.replace("(", r"\(").replace(")", r"\)")):
        list(read_records(io.StringIO(header + "\na,2019-01-05,K,2020-01-01,2020-01-01\n")))


def test_the_wide_csv_in_the_docs_reads():
    import re

    block = re.search(r"```csv\n(.*?)```", (ROOT / "docs" / "inputs.md").read_text(), re.S).group(1)
    items = list(read_records(io.StringIO(block)))
    assert _ids(items) == [("stu-0001", "Student"), ("stu-0002", "Student")]
    assert [len(i.doses) for i in items] == [4, 1]


def test_the_wide_example_gives_the_results_of_the_long_one():
    ruleset = ctrules.load("ct")
    long = [r.to_dict() for r in ruleset.evaluate_many(read_records(EXAMPLES / "roster.csv"), as_of=AS_OF)]
    wide = [r.to_dict() for r in ruleset.evaluate_many(read_records(EXAMPLES / "roster_wide.csv"), as_of=AS_OF)]
    assert len(long) == len(wide) == 53
    for a, b in zip(long, wide, strict=True):
        if a["status"] != "error":
            assert a == b
        else:  # the same problem; its place is a column, not doses[i], and the line differs
            assert b["status"] == "error" and a["id"] == b["id"]
            assert a["errors"][0].rsplit("[", 1)[1] == b["errors"][0].rsplit("[", 1)[1]
    assert sum(r["status"] == "error" for r in wide) == 4


def test_the_wide_example_is_what_make_roster_writes(tmp_path):
    import runpy
    import sys

    argv = sys.argv
    sys.argv = ["make_roster.py", "--out", str(tmp_path)]
    try:
        runpy.run_path(str(EXAMPLES / "make_roster.py"), run_name="__main__")
    finally:
        sys.argv = argv
    for name in ("roster.json", "roster.csv", "roster_wide.csv", "fhir_bundle.json"):
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name


# --- FHIR -------------------------------------------------------------------------------------


def patient(pid, birth="2019-01-05", grade="K", **more):
    resource = {"resourceType": "Patient", "id": pid, **more}
    if birth:
        resource["birthDate"] = birth
    if grade:
        resource["extension"] = [{"url": GRADE_URL, "valueString": grade}]
    return resource


def immunization(iid, pid, code="03", when="2020-01-10", status="completed", **more):
    resource = {
        "resourceType": "Immunization",
        "id": iid,
        "status": status,
        "vaccineCode": {"coding": [{"system": CVX, "code": code}]},
        "patient": {"reference": f"Patient/{pid}"},
        **more,
    }
    if when is not None:
        resource["occurrenceDateTime"] = when
    return resource


def bundle(*resources, full_urls=False):
    entries = [{"resource": r} for r in resources]
    if full_urls:
        for entry in entries:
            entry["fullUrl"] = f"urn:uuid:{entry['resource']['id']}"
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}, indent=2)


def ndjson(*resources):
    return "\n".join(json.dumps(r) for r in resources) + "\n"


def read(text, **options):
    notices = []
    items = list(read_records(io.StringIO(text), notice=notices.append, **options))
    return items, notices


@pytest.mark.parametrize("shape", [bundle, ndjson])
def test_fhir_patients_and_their_completed_doses(shape):
    text = shape(
        patient("p1"),
        immunization("i1", "p1", "03", "2020-01-10T09:30:00-05:00"),
        immunization("i2", "p1", "94", when=None, occurrenceString="2023-01-10"),
        immunization("i3", "p1", "03", "2023-02-01", status="not-done"),
        immunization("i4", "p1", "03", "2023-03-01", status="entered-in-error"),
        immunization("i5", "p1", "03", "2023-04-01", isSubpotent=True),
        {"resourceType": "Observation", "id": "o1"},
        patient("p2", grade="07"),
    )
    items, notices = read(text)
    assert _ids(items) == [("p1", "Student"), ("p2", "Student")]
    assert [(d.cvx, d.date.isoformat(), d.field) for d in items[0].doses] == [
        ("03", "2020-01-10", "Immunization/i1"),
        ("94", "2023-01-10", "Immunization/i2"),
    ]
    assert items[1].grade == "7" and items[1].doses == ()
    assert notices == [
        "skipped 2 Immunizations not completed (1 entered-in-error, 1 not-done)",
        "skipped 1 subpotent Immunization (isSubpotent)",
        "ignored 1 resource that are not Patient or Immunization (1 Observation)",
    ]


@pytest.mark.parametrize("shape", [bundle, ndjson])
def test_fhir_record_errors(shape):
    text = shape(
        patient("p1", birth=None),
        patient("p2", grade=None),
        patient("p3"),
        immunization("i3", "p3", when="2020-05"),
        patient("p4"),
        immunization("i4", "p4", when=None, occurrenceString="spring 2020"),
        patient("p5"),
        {
            **immunization("i5", "p5"),
            "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/ndc", "code": "49281-0215-88"}]},
        },
        immunization("i9", "p9"),
        patient("p6"),
        immunization("i6", "p6", when=None),
        immunization("i7", "p6", when="2018-01-01"),
    )
    items, _ = read(text)
    found = {(i.id, i.field, i.code) for i in items}
    assert found == {
        ("p1", "Patient.birthDate", "CTR401"),
        ("p2", "grade", "CTR401"),
        ("p3", "Immunization/i3.occurrenceDateTime", "CTR402"),
        ("p4", "Immunization/i4.occurrenceString", "CTR402"),
        ("p5", "Immunization/i5.vaccineCode", "CTR404"),
        ("", "Immunization/i9.patient", "CTR401"),
        ("p6", "Immunization/i6.occurrenceDateTime", "CTR401"),
    }
    orphan = next(i for i in items if not i.id)
    assert "Immunization/i9 refers to Patient/p9, which is not a Patient in this file" in orphan.describe()
    assert "partial date" in next(i for i in items if i.id == "p3").message


def test_fhir_ndjson_in_bulk_order_and_with_broken_lines():
    """All Patients first, then all Immunizations (as a Bulk FHIR export concatenated): each
    patient's doses are found, and the file's order is kept."""
    text = ndjson(
        patient("p1"), patient("p2"), immunization("i1", "p2"), immunization("i2", "p1"), immunization("i3", "p1", "94")
    )
    text = text.replace(
        '{"resourceType": "Immunization", "id": "i1"', "{oops\n" + '{"resourceType": "Immunization", "id": "i1"'
    )
    items, _ = read(text)
    assert _ids(items) == [("p1", "Student"), ("p2", "Student"), ("", "RecordError")]
    assert [d.cvx for d in items[0].doses] == ["03", "94"] and len(items[1].doses) == 1
    assert items[2].line == 3 and "not valid JSON" in items[2].message


def test_fhir_references_by_full_url_and_identifier_in_a_bundle():
    p1 = patient("p1")
    p2 = {"resourceType": "Patient", "identifier": [{"value": "S-2"}], "birthDate": "2019-01-05"}
    i1 = immunization("i1", "x")
    i1["patient"] = {"reference": "urn:uuid:p1"}
    i2 = immunization("i2", "x")
    i2["patient"] = {"identifier": {"value": "S-2"}}
    i3 = immunization("i3", "x")
    i3["patient"] = {"reference": "https://fhir.example/r4/Patient/p1/_history/3"}
    text = json.dumps(
        {
            "resourceType": "Bundle",
            "entry": [
                {"fullUrl": "urn:uuid:p1", "resource": p1},
                {"resource": p2},
                {"resource": i1},
                {"resource": i2},
                {"resource": i3},
            ],
        }
    )
    items, _ = read(text, grades={"S-2": "3"})
    assert _ids(items) == [("p1", "Student"), ("S-2", "Student")]
    assert len(items[0].doses) == 2 and len(items[1].doses) == 1 and items[1].grade == "3"


def test_the_fhir_example_from_the_command_line(capsys, tmp_path):
    code, out, err = run(
        capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(EXAMPLES / "fhir_bundle.json")
    )
    assert code == 0
    results = {r["id"]: r for r in json.loads(out)}
    assert len(results) == 8 and results["stu-0012"]["status"] == "compliant"
    assert results["stu-0036"]["status"] == "error" and "'999'" in results["stu-0036"]["errors"][0]
    assert err.count("skipped 1 Immunization not completed (1 not-done)") == 1
    # The same students from the contract's JSON have the same statuses (stu-0036 aside).
    _, json_out, _ = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(EXAMPLES / "roster.json"))
    for r in json.loads(json_out):
        if r["id"] in results and r["id"] != "stu-0036":
            assert [q["status"] for q in r["requirements"]] == [q["status"] for q in results[r["id"]]["requirements"]]


def test_grades_from_a_side_roster(capsys, tmp_path):
    roster = tmp_path / "patients.ndjson"
    roster.write_text(ndjson(patient("p1", grade=None), immunization("i1", "p1"), patient("p2", grade="K")))
    grades = tmp_path / "grades.csv"
    grades.write_text("id,grade\np1,PK\np2,1\n")
    code, out, err = run(
        capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "--grades", str(grades), str(roster)
    )
    assert code == 0 and [r["status"] != "error" for r in json.loads(out)] == [True, True]
    grades.write_text("student,grade\n")
    code, out, err = run(
        capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", "--grades", str(grades), str(roster)
    )
    assert code == 1 and out == "" and "lacks the column(s) id" in err
    items, _ = read(ndjson(patient("p2", grade="K")), grades={"p2": "1"})
    assert items[0].grade == "1"  # the side roster wins over the extension


# --- Parquet ----------------------------------------------------------------------------------


def test_parquet_long_and_wide(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    long_rows = list(csv.DictReader((EXAMPLES / "roster.csv").read_text().splitlines()))
    table = pa.Table.from_pylist(long_rows)
    pq.write_table(table, tmp_path / "long.parquet", row_group_size=100)
    wide_rows = list(csv.DictReader((EXAMPLES / "roster_wide.csv").read_text().splitlines()))
    wide = pa.Table.from_pylist(wide_rows)
    wide = wide.set_column(
        1, "birth_date", pa.array([date.fromisoformat(r["birth_date"]) if r["birth_date"] else None for r in wide_rows])
    )
    pq.write_table(wide, tmp_path / "wide.parquet")
    ruleset = ctrules.load("ct")
    expected = [r.to_dict() for r in ruleset.evaluate_many(read_records(EXAMPLES / "roster.csv"), as_of=AS_OF)]
    got = [r.to_dict() for r in ruleset.evaluate_many(read_records(tmp_path / "long.parquet"), as_of=AS_OF)]
    assert [r for r in got if r["status"] != "error"] == [r for r in expected if r["status"] != "error"]
    assert "(position 1192)" in next(r for r in got if r["id"] == "stu-0050")["errors"][0]
    got = [r.to_dict() for r in ruleset.evaluate_many(read_records(tmp_path / "wide.parquet"), as_of=AS_OF)]
    assert [r for r in got if r["status"] != "error"] == [r for r in expected if r["status"] != "error"]
    with (tmp_path / "wide.parquet").open("rb") as handle:  # a stream, not a path
        assert len(list(read_records(handle))) == 53


def test_parquet_without_pyarrow_says_how_to_install_it(capsys, tmp_path, monkeypatch):
    import importlib

    path = tmp_path / "roster.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 20 + b"PAR1")
    real = importlib.import_module

    def no_pyarrow(name, *args):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_pyarrow)
    code, out, err = run(capsys, "evaluate", "--ruleset", "ct", "--as-of", "2024-09-01", str(path))
    assert code == 1 and out == "" and "pip install 'ctrules[parquet]'" in err
