"""One measurement, in a fresh process; prints one JSON object. `run.py` starts it.

    python bench/probe.py import
    python bench/probe.py load RULESET
    python bench/probe.py stream RULESET AS_OF ROSTER      # read + evaluate + JSONL, then evaluate alone
    python bench/probe.py memory RULESET AS_OF ROSTER      # read + evaluate + JSONL, streaming; peak RSS
    python bench/probe.py cli RULESET AS_OF ROSTER [ARG...] # `ctrules evaluate --format jsonl`; peak RSS
    python bench/probe.py instructions RULESET AS_OF ROSTER N # read + evaluate + JSONL of N students (instructions.py)

Peak memory is `ru_maxrss` of this process (and of its waited-for children, for `--jobs`).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any


def rss_mb() -> tuple[float, float]:
    """Peak resident set size, MB, of this process and of its children (Linux gives KiB)."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return own, children


def probe_import() -> dict[str, Any]:
    start = time.perf_counter()
    import ctrules  # noqa: F401

    return {"seconds": time.perf_counter() - start}


def probe_load(ruleset: str) -> dict[str, Any]:
    import ctrules
    from ctrules.api import Ruleset

    start = time.perf_counter()
    rs = ctrules.load(ruleset)
    loaded = time.perf_counter() - start
    # The compile step alone (AST to checkers), from the AST `load` built and checked.
    start = time.perf_counter()
    Ruleset(rs.ast, rs.sources)
    compiled = time.perf_counter() - start
    return {"seconds": loaded, "compile_seconds": compiled}


def probe_stream(ruleset: str, as_of: str, roster: str) -> dict[str, Any]:
    import ctrules
    from ctrules.records import read_records

    rs = ctrules.load(ruleset)
    with open(os.devnull, "w", encoding="utf-8") as sink:
        start = time.perf_counter()
        count = 0
        for result in rs.evaluate_many(read_records(roster), as_of=as_of):
            sink.write(json.dumps(result.to_dict()) + "\n")
            count += 1
        full = time.perf_counter() - start
    items = list(read_records(roster))
    start = time.perf_counter()
    for _ in rs.evaluate_many(items, as_of=as_of):
        pass
    alone = time.perf_counter() - start
    return {"students": count, "full_seconds": full, "evaluate_seconds": alone}


def probe_memory(ruleset: str, as_of: str, roster: str) -> dict[str, Any]:
    import ctrules
    from ctrules.records import read_records

    rs = ctrules.load(ruleset)
    count = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for result in rs.evaluate_many(read_records(roster), as_of=as_of):
            sink.write(json.dumps(result.to_dict()) + "\n")
            count += 1
    own, _ = rss_mb()
    return {"students": count, "rss_mb": own}


def probe_cli(ruleset: str, as_of: str, roster: str, *extra: str) -> dict[str, Any]:
    from ctrules.cli import main

    argv = ["evaluate", "--ruleset", ruleset, "--as-of", as_of, "--format", "jsonl", *extra, roster]
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    start = time.perf_counter()
    try:
        code = main(argv)
        sys.stdout.flush()
    finally:
        os.dup2(saved, 1)
    seconds = time.perf_counter() - start
    own, children = rss_mb()
    return {"exit": code, "seconds": seconds, "rss_mb": own, "children_rss_mb": children}


def probe_instructions(ruleset: str, as_of: str, roster: str, students: str) -> dict[str, Any]:
    """What `instructions.py` counts under valgrind: the first N students, read + evaluate + JSONL."""
    import io
    from itertools import islice

    import ctrules
    from ctrules.records import read_records

    with open(roster, encoding="utf-8") as lines:
        text = "".join(islice(lines, int(students)))
    rs = ctrules.load(ruleset)
    count = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for result in rs.evaluate_many(read_records(io.StringIO(text)), as_of=as_of):
            sink.write(json.dumps(result.to_dict()) + "\n")
            count += 1
    return {"students": count}


def main(argv: list[str]) -> int:
    kind, *args = argv
    probes = {"import": probe_import, "load": probe_load, "stream": probe_stream, "memory": probe_memory}
    probes["cli"] = probe_cli
    probes["instructions"] = probe_instructions
    print(json.dumps(probes[kind](*args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
