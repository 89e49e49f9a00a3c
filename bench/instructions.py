#!/usr/bin/env python3
"""Instructions executed per student, counted by valgrind: a figure the machine's load cannot move.

    python bench/instructions.py [--ruleset ct] [--students 250] [--base 50] [--root DIR]

Wall-clock figures on a shared machine move by 20-30 % from run to run; the number of machine
instructions a run executes does not. Each count is `valgrind --tool=cachegrind` over
`probe.py instructions` (load the ruleset, then read + evaluate + JSONL of the first N students
of the bench roster) for `--students` and for `--base` students: the difference, divided by the
difference in students, is the work per student without the start-up. Some 20-30 s per
ruleset (valgrind runs Python some 50 times slower). `--root` measures another checkout (e.g. a
`git archive` of an older commit) with this roster, to compare two versions of the code.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import roster  # noqa: E402


def count(root: Path, ruleset: str, as_of: str, path: Path, students: int) -> int:
    """Instructions of one probe run, all of it (start-up included)."""
    environment = dict(os.environ, PYTHONPATH=str(root))
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            str(HERE / "probe.py"),
            "instructions",
            ruleset,
            as_of,
            str(path),
            str(students),
        ],
        capture_output=True,
        text=True,
        env=environment,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"bench: valgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ruleset", default="ct")
    parser.add_argument("--students", type=int, default=250)
    parser.add_argument("--base", type=int, default=50)
    parser.add_argument("--as-of", default="2024-09-01")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose ctrules is measured")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("bench: valgrind is not installed")
    path = roster(max(args.students, 2500), args.seed, args.as_of, "jsonl", quiet=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        low, high = pool.map(
            lambda n: count(args.root.resolve(), args.ruleset, args.as_of, path, n), (args.base, args.students)
        )
    per_student = (high - low) / (args.students - args.base)
    print(f"{args.ruleset}: {per_student / 1e6:.2f} M instructions per student (read + evaluate + JSONL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
