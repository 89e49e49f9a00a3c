"""School grades: the codes records use, and their order (P3 < PK < K < 1 < … < 12)."""

from __future__ import annotations

from typing import Final

__all__ = ["GRADE_ORDER", "canonical_grade", "grade_rank"]

GRADE_ORDER: Final = ("P3", "PK", "K", *(str(n) for n in range(1, 13)))

_ALIASES: Final = {
    "KH": "K",  # kindergarten, half day
    "KE": "K",  # kindergarten, extended day
    "KF": "K",  # kindergarten, full day
    "PREK": "PK",
    "PRE-K": "PK",
}


def canonical_grade(text: str) -> str | None:
    """The canonical code for a grade as written in a record or rule, or None if unknown.

    >>> canonical_grade("KF"), canonical_grade("07"), canonical_grade("pk"), canonical_grade("13")
    ('K', '7', 'PK', None)
    """
    code = text.strip().upper()
    code = _ALIASES.get(code, code)
    if code.isascii() and code.isdigit():
        code = str(int(code))
    return code if code in GRADE_ORDER else None


def grade_rank(grade: str) -> int:
    """Years after kindergarten: P3 = -2, PK = -1, K = 0, 1 = 1, …, 12 = 12."""
    return GRADE_ORDER.index(grade) - 2
