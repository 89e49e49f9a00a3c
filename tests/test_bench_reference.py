"""Evaluation speed-ups must not change a single result: synthetic bench rosters, evaluated
under each bundled ruleset, against digests of the output of ctrules as it was *before* the
performance work of issue 6 (item 4).

The expected sha256 digests below were computed once, with the code at commit 252ed33 (before
any change to evaluation for speed), by running this file as a script (`digests()`), and pasted
here. They cover:

- the JSONL that `ctrules evaluate --format jsonl` writes (a line of
  `json.dumps(result.to_dict())` per student), byte for byte;
- each requirement's `next_due` (not in the JSONL; `ctrules report` reads it);
- `ctrules explain --format json` of the first students (the traced, detailed path).

The rosters come from `bench/make_roster.py` with fixed seeds; they depend only on the seed,
the position and the date, so the digests hold as long as the generator is unchanged (a
change to `make_roster.py` needs new digests, computed with code known to be right).
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

import pytest

import ctrules
from ctrules.evaluate import Evaluator
from ctrules.explain import explain
from ctrules.records import Student, read_records

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"

# (ruleset, roster date and evaluation date, students, seed, roster layout)
CASES = {
    "ct-2024": ("ct", date(2024, 9, 1), 2500, 11, "jsonl"),
    "ct-dph-2024": ("ct-dph", date(2024, 9, 1), 2500, 11, "jsonl"),
    "infinite-campus-ct-2024": ("infinite-campus-ct", date(2024, 9, 1), 2500, 11, "jsonl"),
    "ct-2021": ("ct", date(2021, 1, 15), 1000, 12, "jsonl"),
    "ct-2010": ("ct", date(2010, 9, 1), 800, 13, "jsonl"),
    "infinite-campus-ct-2022": ("infinite-campus-ct", date(2022, 3, 1), 1000, 14, "jsonl"),
    "ct-2024-csv": ("ct", date(2024, 9, 1), 1000, 15, "csv"),
}
EXPLAINED = 150
"""Students per case whose `explain` JSON is digested (the traced path is slower)."""

EXPECTED = {
    "ct-2024": (
        "87a0dd825db962dfa40a898cf519a0372d08ecb7b4618faf9f508eb168f4aa70",
        "09cf6768eda89f9409786574da2d352616edfab7e4f3327baa93cf5961a5255e",
        "fca18a8be4add6d1509566f4ffe6c889fe4becb444dccf451691b55cad5b446c",
    ),
    "ct-dph-2024": (
        "c7b417135fa6e0c25e3932112dbd10fd46358697a8f06a37f67cbc19d667d2f8",
        "c3185b0ad41ef4369406f23dc743bce87922e348646b0879cfc2080783bf7ec4",
        "bc6c39bd6573ab51534895a4fd5171ff6195e39457bf5472c6fd866218e40598",
    ),
    "infinite-campus-ct-2024": (
        "ed9cbfe2f3a0b4e4f1839a5b312a0acb9a554d57bb5143ff314b6e65ca270592",
        "ba2c5d06c0bddb962b6bffdb4ff26d05e3cf7e8f60048f31622432ca042e1fc0",
        "8ece7f97ec29232ad58422133e82bbde990b4083ce40ba9c9cf3704fa1c3671e",
    ),
    "ct-2021": (
        "fe06940683190d548f60ab36f1770692e6a1bb8391faa3da932eace2fb6ef15a",
        "e183e3845bc4f3c3563f96506022676662533c213ca8d280c40ce7d5ea377e5f",
        "717d691c39da81851fde951b7c9e5da88c747e2dd7fe57027e2dd62a11a112eb",
    ),
    "ct-2010": (
        "b437cde6d543e239ddf5d9de2527acc346103b61fa9dc4e74e6cea97b29dd8ec",
        "1f197866329802e54d501d5e3556f38099eb71f4fa86d6a2147465a082417ef6",
        "6ec73131cdb5b3241d719d6b34ca37122c779c4aa01e7c5003a91fb6a3bf31fd",
    ),
    "infinite-campus-ct-2022": (
        "a4b37d35f9649e52650e8f78c93bbab561a93cb01d82b8f67612ff5cec042327",
        "4194b267fd247140ff87220875174ec92e25339c0d03af2e0fd3c0962b88e40a",
        "9d80959df732dc49e01d8be006f8ed283a2a3d1698e3a3bc67692ad680e4b525",
    ),
    "ct-2024-csv": (
        "a0a43595253f2d6938d5b7f72e613e1dfc82b42fd38548d5dd9ad5e158fd23e6",
        "1a03ddc7518d6036d76a6cf2172508b727f908c0792d91f1d04a51aa535dff83",
        "e4d9b2b6bb16fc39ce21d5cb46a6d2d56ede6ee014c8d68ae4b3441c72c780d3",
    ),
}
"""Per case: sha256 of the JSONL, of the `next_due` lines, and of the `explain` JSON."""


def _make_roster():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import make_roster
    finally:
        sys.path.remove(str(BENCH))
    return make_roster


_RULESETS: dict[str, ctrules.Ruleset] = {}


def _ruleset(name: str) -> ctrules.Ruleset:
    if name not in _RULESETS:
        _RULESETS[name] = ctrules.load(name)
    return _RULESETS[name]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digests(case: str, folder: Path) -> tuple[str, str, str]:
    """The three digests of one case (see the module's docstring)."""
    name, day, n, seed, style = CASES[case]
    path = folder / f"{case}.{style}"
    _make_roster().write(path, n, seed=seed, as_of=day, style=style)
    ruleset = _ruleset(name)
    items = list(read_records(path))
    results = list(ruleset.evaluate_many(items, as_of=day))
    assert len(results) == n
    jsonl = "".join(json.dumps(r.to_dict()) + "\n" for r in results)  # what `--format jsonl` writes
    due = "".join(
        f"{r.id} {q.requirement} {q.next_due}\n" for r in results for q in r.requirements.values() if q.next_due
    )
    students = [item for item in items if isinstance(item, Student)][:EXPLAINED]
    explained = "".join(json.dumps(explain(ruleset, s, day), sort_keys=True) + "\n" for s in students)
    return _sha(jsonl), _sha(due), _sha(explained)


@pytest.mark.parametrize("case", sorted(CASES))
def test_results_are_those_of_the_code_before_the_speed_ups(case: str, tmp_path: Path) -> None:
    assert digests(case, tmp_path) == EXPECTED[case]


@pytest.mark.parametrize("case", ["ct-2024", "ct-dph-2024", "infinite-campus-ct-2024"])
def test_traced_and_plain_evaluation_give_the_same_results(case: str, tmp_path: Path) -> None:
    """`explain` traces (the detailed path); `evaluate` does not (the lean one): same results."""
    name, day, n, seed, style = CASES[case]
    path = tmp_path / f"{case}.{style}"
    _make_roster().write(path, 600, seed=seed + 100, as_of=day, style=style)
    evaluator = Evaluator(_ruleset(name).compiled)
    for item in read_records(path):
        if isinstance(item, Student):
            assert evaluator.trace(item, day).result == evaluator.evaluate_student(item, day)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for key in CASES:
            print(f"    {key!r}: {digests(key, Path(folder))!r},")
