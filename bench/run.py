#!/usr/bin/env python3
"""Benchmark ctrules on a synthetic Connecticut roster and print the figures beside the goals.

    python bench/run.py --students 20000 [--ruleset ct] [--jobs 2] [--repeat 3]

The roster comes from `make_roster.py` and is kept under `bench/.cache/` (git-ignored), so a
second run reuses it. Every figure is taken in a fresh Python process (`probe.py`), against the
ctrules of this working tree (the folder above this one is put first on PYTHONPATH). What each
figure means: bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

import make_roster  # noqa: E402

GOALS = {
    "single": 20_000.0,  # students per second, one process
    "jobs2": 35_000.0,  # students per second, 2 jobs
    "compile_ms": 50.0,
}


def roster(n: int, seed: int, as_of: str, style: str, quiet: bool) -> Path:
    """The cached roster of `n` students, made if missing."""
    path = CACHE / f"roster-{n}-s{seed}-{as_of}.{style}"
    if not path.exists():
        start = time.perf_counter()
        make_roster.write(path, n, seed=seed, as_of=make_roster.date.fromisoformat(as_of), style=style)
        if not quiet:
            print(f"generated {path.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


_PREFETCHED: dict[tuple[str, ...], dict[str, Any]] = {}


def prefetch(calls: list[tuple[str, ...]]) -> None:
    """Run these probes at the same time (`--quick` only: the figures then compete for the CPUs
    and are indicative, but the smoke test stays fast)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        for call, result in zip(calls, pool.map(lambda c: probe(*c), calls), strict=True):
            _PREFETCHED[call] = result


def probe(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run probe.py in a fresh interpreter; its one line of JSON."""
    if args in _PREFETCHED and env is None:
        return _PREFETCHED.pop(args)
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, str(HERE / "probe.py"), *args], capture_output=True, text=True, env=environment
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: probe {' '.join(args[:1])} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def cli_has_jobs() -> bool:
    """Whether `ctrules evaluate` takes `--jobs` (another change may add it)."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    helps = subprocess.run(
        [sys.executable, "-c", "from ctrules.cli import main; main(['evaluate', '--help'])"],
        capture_output=True,
        text=True,
        env=environment,
    )
    return "--jobs" in helps.stdout


def best(values: list[float]) -> float:
    return min(values)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    quiet = args.quiet
    n = args.students
    small_n = max(50, n // 4)
    path = roster(n, args.seed, args.as_of, args.input_format, quiet)
    small = roster(small_n, args.seed, args.as_of, args.input_format, quiet)
    rs, as_of, repeat = args.ruleset, args.as_of, 1 if args.quick else args.repeat
    figures: dict[str, Any] = {"students": n, "small_students": small_n, "ruleset": rs, "as_of": as_of}

    def note(what: str) -> None:
        if not quiet:
            print(f"measuring {what} ...", file=sys.stderr)

    if args.quick:
        calls = [("import",), ("load", rs), ("stream", rs, as_of, str(path)), ("cli", rs, as_of, str(path))]
        prefetch([*calls, ("cli", rs, as_of, str(small))])
    note("import time")
    at_least = 1 if args.quick else max(3, repeat)
    figures["import_ms"] = 1000 * best([probe("import")["seconds"] for _ in range(at_least)])
    note("ruleset load (parser cache warm)")
    if not args.quick:
        probe("load", rs)  # make sure the parser cache exists
    warm = [probe("load", rs) for _ in range(at_least)]
    figures["load_warm_ms"] = 1000 * best([w["seconds"] for w in warm])
    figures["compile_ms"] = 1000 * best([w["compile_seconds"] for w in warm])
    note("ruleset load (parser cache cold)")
    cold = []
    for _ in range(0 if args.quick else repeat):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(probe("load", rs, env={"XDG_CACHE_HOME": empty})["seconds"])
    figures["load_cold_ms"] = 1000 * best(cold) if cold else None
    note(f"throughput on {n} students")
    streams = [probe("stream", rs, as_of, str(path)) for _ in range(repeat)]
    figures["full_per_s"] = n / best([s["full_seconds"] for s in streams])
    figures["evaluate_per_s"] = n / best([s["evaluate_seconds"] for s in streams])
    note("the command line and peak memory")
    cli = [probe("cli", rs, as_of, str(path)) for _ in range(repeat)]
    figures["cli_per_s"] = n / best([c["seconds"] for c in cli])
    figures["cli_rss_mb"] = cli[0]["rss_mb"]
    figures["cli_rss_small_mb"] = probe("cli", rs, as_of, str(small))["rss_mb"]
    figures["stream_rss_mb"] = figures["stream_rss_small_mb"] = None
    if not args.quick:
        figures["stream_rss_mb"] = probe("memory", rs, as_of, str(path))["rss_mb"]
        figures["stream_rss_small_mb"] = probe("memory", rs, as_of, str(small))["rss_mb"]
    figures["jobs"] = None
    if args.jobs > 1:
        if cli_has_jobs():
            note(f"the command line with --jobs {args.jobs}")
            runs = [probe("cli", rs, as_of, str(path), "--jobs", str(args.jobs)) for _ in range(repeat)]
            figures["jobs"] = {
                "jobs": args.jobs,
                "per_s": n / best([r["seconds"] for r in runs]),
                "rss_mb": runs[0]["rss_mb"] + runs[0]["children_rss_mb"],
            }
        else:
            figures["jobs"] = {"jobs": args.jobs, "unsupported": True}
    return figures


def table(f: dict[str, Any]) -> str:
    n, small = f["students"], f["small_students"]

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    rows = [
        ("import ctrules", f"{f['import_ms']:.0f} ms", "", ""),
        ("load ruleset, parser cache warm", f"{f['load_warm_ms']:.0f} ms", "", ""),
        ("load ruleset, parser cache cold", f"{f['load_cold_ms']:.0f} ms" if f["load_cold_ms"] else "skipped", "", ""),
        (
            "  of which compile (AST to checkers)",
            f"{f['compile_ms']:.1f} ms",
            f"<= {GOALS['compile_ms']:.0f} ms",
            met(f["compile_ms"] <= GOALS["compile_ms"]),
        ),
        (
            "read + evaluate + JSONL, 1 process",
            f"{f['full_per_s']:,.0f} students/s",
            f">= {GOALS['single']:,.0f}/s",
            met(f["full_per_s"] >= GOALS["single"]),
        ),
        ("evaluate alone, 1 process", f"{f['evaluate_per_s']:,.0f} students/s", "", ""),
        ("ctrules evaluate --format jsonl, with its load", f"{f['cli_per_s']:,.0f} students/s", "", ""),
    ]
    jobs = f.get("jobs")
    if jobs and not jobs.get("unsupported"):
        rows.append(
            (
                f"ctrules evaluate --jobs {jobs['jobs']}",
                f"{jobs['per_s']:,.0f} students/s",
                f">= {GOALS['jobs2']:,.0f}/s" if jobs["jobs"] == 2 else "",
                met(jobs["per_s"] >= GOALS["jobs2"]) if jobs["jobs"] == 2 else "",
            )
        )
        rows.append((f"  peak RSS with --jobs {jobs['jobs']} (all processes)", f"{jobs['rss_mb']:.0f} MB", "", ""))
    elif jobs:
        rows.append((f"ctrules evaluate --jobs {jobs['jobs']}", "not supported by this CLI", ">= 35,000/s", "-"))
    flat_cli = f["cli_rss_mb"] <= 1.2 * f["cli_rss_small_mb"]
    rows += [
        (
            f"peak RSS, ctrules evaluate, {small:,} -> {n:,} students",
            f"{f['cli_rss_small_mb']:.0f} -> {f['cli_rss_mb']:.0f} MB",
            "flat",
            met(flat_cli),
        ),
    ]
    if f["stream_rss_mb"] is not None:
        rows.append(
            (
                f"peak RSS, API streaming, {small:,} -> {n:,} students",
                f"{f['stream_rss_small_mb']:.0f} -> {f['stream_rss_mb']:.0f} MB",
                "flat",
                met(f["stream_rss_mb"] <= 1.2 * f["stream_rss_small_mb"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("figure", "measured", "goal", "met")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20_000, help="roster size (default 20000)")
    parser.add_argument("--ruleset", default="ct")
    parser.add_argument("--jobs", type=int, default=1, help="also measure `ctrules evaluate --jobs J` if J > 1")
    parser.add_argument("--as-of", default="2024-09-01")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--input-format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--quick", action="store_true", help="one run per figure, no cold cache or streaming memory")
    args = parser.parse_args(argv)
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"ctrules benchmark: {args.students:,} synthetic students ({args.input_format}), ruleset {args.ruleset}, "
            f"as of {args.as_of}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, best of {args.repeat}"
        )
        print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
