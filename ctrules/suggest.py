"""Did-you-mean suggestions for misspelt names, in rule files and in student records alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean"]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`did you mean "MMR"?` for the closest candidate (ignoring case), or '' if none is close.

    >>> did_you_mean("MMRR", ["MMR", "MMRV", "IPV"])
    'did you mean "MMR"?'
    >>> did_you_mean("zzz", ["MMR"])
    ''
    """
    lowered = {c.lower(): c for c in candidates}
    matches = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f'did you mean "{lowered[matches[0]]}"?' if matches else ""
