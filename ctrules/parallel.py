"""Evaluate a roster on several processes, with results in input order.

The compiled ruleset is pickled once and sent to each worker when it starts (it is immutable
and small: about 85 KB for `ct`); records travel in chunks, and at most a few chunks per worker
are in flight, so memory stays flat however long the roster. A roster that fits in one chunk is
evaluated in the calling process: starting workers would cost more than it saves.

Records of JSON Lines and JSON arrays travel unread (`inputs.Unread`: a line's text, or the
parsed item) and the workers read them: sending the text costs the parent about a microsecond a
record, sending a `Student` a hundred times more, on the CPUs the workers need.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import islice

from .compiler import Compiled, InForceVersion
from .evaluate import Evaluator
from .inputs import Unread, read_unread
from .records import ReadItem
from .results import Result

__all__ = ["CHUNK", "default_jobs", "evaluate_parallel"]

CHUNK = 500
"""Records per task: large enough that sending them costs little next to evaluating them."""

_worker: tuple[Evaluator, date, InForceVersion] | None = None

Item = ReadItem | Unread
"""A record read, or left for the process that evaluates it to read."""


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start(compiled: bytes, as_of: date) -> None:
    global _worker
    ruleset: Compiled = pickle.loads(compiled)
    _worker = (Evaluator(ruleset), as_of, ruleset.version_on(as_of))
    # What the worker holds from now on lives as long as it does: the cyclic garbage collector
    # need not look at it again on every collection (evaluation allocates many small objects).
    gc.freeze()


def _evaluate(evaluator: Evaluator, item: Item, as_of: date, version: InForceVersion) -> Result:
    return evaluator.evaluate_item(read_unread(item) if isinstance(item, Unread) else item, as_of, version)


def _evaluate_chunk(items: list[Item]) -> list[Result]:
    assert _worker is not None, "the worker was not started"
    evaluator, as_of, version = _worker
    return [_evaluate(evaluator, item, as_of, version) for item in items]


def evaluate_parallel(compiled: Compiled, items: Iterable[Item], as_of: date, jobs: int) -> Iterator[Result]:
    """One result per record, in input order, evaluated on `jobs` processes. Raises
    `VersionError` at once when no version is in force on `as_of`."""
    version = compiled.version_on(as_of)
    source = iter(items)
    first = list(islice(source, CHUNK))
    evaluator = Evaluator(compiled)
    if jobs <= 1 or len(first) < CHUNK:
        return (_evaluate(evaluator, item, as_of, version) for item in _chain(first, source))
    return _pooled(compiled, first, source, as_of, jobs)


def _chain(first: list[Item], rest: Iterator[Item]) -> Iterator[Item]:
    yield from first
    yield from rest


def _pooled(compiled: Compiled, first: list[Item], rest: Iterator[Item], as_of: date, jobs: int) -> Iterator[Result]:
    pending: deque[Future[list[Result]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start, initargs=(pickle.dumps(compiled), as_of)) as pool:
        pending.append(pool.submit(_evaluate_chunk, first))
        for chunk in iter(lambda: list(islice(rest, CHUNK)), []):
            pending.append(pool.submit(_evaluate_chunk, chunk))
            # A few chunks per worker keep every core busy without reading the whole roster.
            while len(pending) > 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
