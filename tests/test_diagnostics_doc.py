"""docs/diagnostics.md is a tested catalogue: every code ctrules can give has a section with a
broken example that gives that code and a fix that does not."""

import re
from pathlib import Path

import pytest

from ctrules.errors import RulesetError
from ctrules.loader import check_sources
from ctrules.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
SECTIONS = dict(re.findall(r"^## (CTR\d{3})\n(.*?)(?=^## |\Z)", DOC, re.S | re.M))
CODES_IN_SOURCE = sorted(
    set(re.findall(r"CTR[1-3]\d\d", "".join(p.read_text() for p in (ROOT / "ctrules").glob("*.py"))))
)


def codes(text: str) -> list[str]:
    try:
        _, _, diagnostics = check_sources(SourceFile("example.ctr", text), None)
    except RulesetError as error:
        diagnostics = list(error.diagnostics)
    return [d.code for d in diagnostics]


def test_every_code_the_source_can_give_is_documented():
    assert sorted(SECTIONS) == CODES_IN_SOURCE


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_the_broken_example_gives_the_code_and_the_fix_does_not(code):
    section = SECTIONS[code]
    [broken] = re.findall(r"```ctr-bad\n(.*?)```", section, re.S)
    [fixed] = re.findall(r"```ctr\n(.*?)```", section, re.S)
    assert code in codes(broken)
    assert code not in codes(fixed)


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_the_message_shown_is_what_check_says(code):
    """The `ctrules check says` block is the real first line and place of that diagnostic."""
    section = SECTIONS[code]
    [shown] = re.findall(r"```text\n(.*?)```", section, re.S)
    header, place = shown.splitlines()[:2]
    assert header.split("]: ", 1)[0] in (f"error[{code}", f"warning[{code}")
    assert re.match(r"\s+--> example\.ctr:\d+:\d+$", place)


RECORD_ROWS = re.findall(r"^\| (CTR4\d\d) \| [^|]+ \| `(.+?)`", DOC, re.M)


def test_every_record_code_is_documented():
    in_source = set(re.findall(r"CTR4\d\d", "".join(p.read_text() for p in (ROOT / "ctrules").glob("*.py"))))
    assert {code for code, _ in RECORD_ROWS} == in_source


@pytest.mark.parametrize("code, example", RECORD_ROWS)
def test_each_record_example_gives_its_code(code, example):
    import json

    import ctrules

    records = json.loads(example)
    results = list(
        ctrules.load("ct").evaluate_many(records if isinstance(records, list) else [records], as_of="2024-09-01")
    )
    assert len(results) == (len(records) if isinstance(records, list) else 1)
    errors = [e for r in results for e in r.errors]
    assert errors and errors[-1].endswith(f"[{code}]"), errors
