"""The .ctr examples in the docs are real: each one parses."""

import re
from pathlib import Path

import pytest

from ctrules.parse import parse
from ctrules.source import SourceFile

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCKS = [
    (path.name, number, block)
    for path in sorted(DOCS.glob("*.md"))
    for number, block in enumerate(re.findall(r"```ctr\n(.*?)```", path.read_text(), re.S), start=1)
]


def test_the_language_reference_has_examples():
    assert sum(1 for name, _, _ in BLOCKS if name == "language.md") >= 10


@pytest.mark.parametrize("name, number, block", BLOCKS, ids=[f"{n}#{i}" for n, i, _ in BLOCKS])
def test_every_ctr_example_in_the_docs_parses(name, number, block):
    assert parse(SourceFile(f"{name}#{number}", block)).children
