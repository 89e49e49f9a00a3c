"""Reading rosters: JSON, JSON Lines and CSV; a bad record never stops the batch."""

import io
import json
from datetime import date

import pytest

from ctrules.errors import InputFileError
from ctrules.records import RecordError, Student, read_records

GOOD = {"id": "a", "birth_date": "2019-01-05", "grade": "KF", "doses": [{"vaccine": "MMR", "date": "2020-01-05"}]}


def _ids(items):
    return [(i.id, type(i).__name__) for i in items]


def test_a_single_json_object_is_one_student():
    items = list(read_records(io.StringIO(json.dumps(GOOD))))
    assert _ids(items) == [("a", "Student")]
    assert items[0].grade == "K" and items[0].doses[0].date == date(2020, 1, 5)


def test_json_array_and_lines_keep_order_and_count():
    records = [GOOD, {"id": "b"}, dict(GOOD, id="c")]
    array = list(read_records(io.StringIO(json.dumps(records))))
    lines = list(read_records(io.StringIO("\n".join(json.dumps(r) for r in records))))
    assert _ids(array) == _ids(lines) == [("a", "Student"), ("b", "RecordError"), ("c", "Student")]


def test_a_broken_json_line_is_reported_with_its_line_number_and_the_rest_read():
    text = json.dumps(GOOD) + "\n{not json\n" + json.dumps(dict(GOOD, id="c"))
    items = list(read_records(io.StringIO(text)))
    assert _ids(items) == [("a", "Student"), ("", "RecordError"), ("c", "Student")]
    assert items[1].line == 2 and "record at line 2" in items[1].describe()


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"birth_date": "2019-02-30"}, "birth_date", "not a real date"),
        ({"birth_date": None}, "birth_date", "missing"),
        ({"grade": "13"}, "grade", "is not a grade"),
        ({"grade": None}, "grade", "no grade"),
        ({"doses": [{"vaccine": "MMR", "date": "2018-12-31"}]}, "doses[0].date", "before the birth date"),
        ({"doses": [{"date": "2020-01-05"}]}, "doses[0].vaccine", "names no vaccine"),
        ({"doses": [{"vaccine": "MMR", "date": "5 Jan 2020"}]}, "doses[0].date", "YYYY-MM-DD"),
        ({"evidence": [{"type": "titer"}]}, "evidence[0].type", "is not one of"),
        ({"exemptions": [{"type": "medical"}]}, "exemptions[0].vaccines", "must name"),
        ({"exemptions": [{"type": "religious"}]}, "exemptions[0].on_file_since", "needs"),
    ],
)
def test_bad_fields_are_named(change, field, words):
    [item] = read_records(io.StringIO(json.dumps(dict(GOOD, **change))))
    assert isinstance(item, RecordError)
    assert item.id == "a" and item.field == field and words in item.message


def test_unknown_fields_are_ignored():
    [item] = read_records(io.StringIO(json.dumps(dict(GOOD, school="Elm St", extra={"x": 1}))))
    assert isinstance(item, Student)


CSV = """id,birth_date,grade,vaccine,cvx,date
a,2019-01-05,K,MMR,,2020-01-05
b,2019-02-01,01,,,
a,2019-01-05,K,,94,2023-01-10
c,2019-03-01,K,MMR,,2019-02-30
"""


def test_long_csv_groups_rows_by_student_and_reports_bad_rows_by_line():
    items = list(read_records(io.StringIO(CSV)))
    assert _ids(items) == [("a", "Student"), ("b", "Student"), ("c", "RecordError")]
    assert [(d.vaccine, d.cvx) for d in items[0].doses] == [("MMR", ""), ("", "94")]
    assert items[1].doses == () and items[1].grade == "1"
    assert items[2].line == 5 and items[2].field == "doses[0].date"


def test_csv_without_the_required_header_is_one_clear_file_error():
    with pytest.raises(InputFileError, match="the CSV header lacks the column"):
        list(read_records(io.StringIO("student,dob\nx,2019-01-01\n")))


def test_bundled_examples_read_in_both_formats_with_the_same_students(tmp_path):
    from ctrules.parse import data_dir

    examples = data_dir("rulesets").parent / "examples"
    json_ids = [i.id for i in read_records(examples / "roster.json")]
    csv_ids = [i.id for i in read_records(examples / "roster.csv")]
    assert len(json_ids) >= 50 and json_ids == csv_ids


@pytest.mark.parametrize(
    "text, words",
    [
        ('[{"id": "a",', "not valid JSON"),
        ('{\n  "id": "a",\n  "grade": K\n}', "not valid JSON"),
        ("[" * 100000, "nested too deeply"),
        ('{"id": "a", "birth_date": ' + "9" * 5000 + "}", "not valid JSON"),
        ("[1, 2", "not valid JSON"),
    ],
)
def test_a_file_that_is_not_json_is_one_file_error_not_a_crash(text, words):
    with pytest.raises(InputFileError, match=words):
        list(read_records(io.StringIO(text)))


def test_non_utf8_input_is_a_file_error(tmp_path):
    path = tmp_path / "roster.json"
    path.write_bytes(b'[{"id": "\xff"}]')
    with pytest.raises(InputFileError, match="not UTF-8"):
        list(read_records(path))


def test_content_decides_the_format_not_the_file_name(tmp_path):
    path = tmp_path / "roster.txt"
    path.write_text(CSV)
    assert len(list(read_records(path))) == 3
    path.write_text("\ufeff" + CSV)
    assert len(list(read_records(path))) == 3


def test_csv_rows_of_one_student_that_disagree_make_that_student_an_error():
    text = "id,birth_date,grade,vaccine,cvx,date\na,2019-01-05,K,MMR,,2020-01-05\na,2019-01-06,K,MMR,,2023-01-05\n"
    [item] = read_records(io.StringIO(text))
    assert isinstance(item, RecordError) and "rows disagree" in item.message and "birth_date" in item.message


def test_csv_cells_are_trimmed():
    text = "id,birth_date,grade,vaccine,cvx,date\n a , 2019-01-05 , K , MMR ,, 2020-01-05 \n"
    [item] = read_records(io.StringIO(text))
    assert isinstance(item, Student) and item.id == "a" and item.doses[0].date == date(2020, 1, 5)


@pytest.mark.parametrize("grade", ["²", "٣", "13", "KK"])
def test_odd_grades_are_field_errors(grade):
    [item] = read_records(io.StringIO(json.dumps(dict(GOOD, grade=grade))))
    assert isinstance(item, RecordError) and item.field == "grade"


def test_exemption_names_must_be_a_list():
    record = dict(GOOD, exemptions=[{"type": "medical", "vaccines": "MMR"}])
    [item] = read_records(io.StringIO(json.dumps(record)))
    assert isinstance(item, RecordError) and item.field == "exemptions[0].vaccines"


def test_a_non_object_in_an_array_names_its_position():
    items = list(read_records(io.StringIO(json.dumps([GOOD, 5]))))
    assert items[1].describe() == "the record at position 2: a student record must be a JSON object [CTR407]"
