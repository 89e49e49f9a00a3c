"""School grades: the codes records use, and their order (P3 < PK < K < 1 < … < 12)."""

from __future__ import annotations

from typing import Final

__all__ = ["GRADE_ORDER", "canonical_grade", "grade_rank", "usual_age_months"]

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


def usual_age_months(grade: str) -> tuple[int, int]:
    """The ages (whole months, inclusive) at which a student is usually in the grade:
    preschool from birth (infant and toddler programs) to five, kindergarten four to seven,
    grade n at n+4 to n+7.

    >>> usual_age_months("PK"), usual_age_months("K"), usual_age_months("7")
    ((0, 71), (48, 95), (132, 179))
    """
    rank = grade_rank(grade)
    if rank < 0:
        return (0, 71)
    return (12 * (rank + 4), 12 * (rank + 8) - 1)
