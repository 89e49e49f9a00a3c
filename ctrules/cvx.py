"""The CDC CVX code table shipped with ctrules (`ctrules/data/cvx.json`, built by
`tools/update_cvx.py` from CDC files; see docs/vaccines.md).

It lets a dose name a product by any CDC CVX code or CDC short description, not only by the
ones a ruleset declares: such a dose becomes an *implicit product* with the table's antigens and
live flag (`implicit_product`), which counts toward every group written `vaccines containing …`.

>>> lookup("03").short
'MMR'
>>> lookup("3") is lookup("03")
True
>>> sorted(antigens("94"))
['measles', 'mumps', 'rubella', 'varicella']
>>> named("mmrv").code, is_live("94")
('94', True)
>>> problem("999")
'is not a vaccine in the CDC CVX table (CDC: "unknown")'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import attrs

from . import ast

__all__ = [
    "ACCEPTED_STATUSES",
    "CvxCode",
    "CvxTable",
    "antigens",
    "implicit_product",
    "is_live",
    "lookup",
    "named",
    "normalize",
    "problem",
    "table",
]

ACCEPTED_STATUSES = frozenset({"Active", "Inactive", "Non-US"})
"""Statuses of codes a dose may carry: in use, historical, or given outside the US. `Pending`
and `Never Active` codes name nothing anyone can have been given."""


def normalize(code: str) -> str:
    """A CVX code without padding or leading zeros: `03`, ` 3 ` and `3` are the same code."""
    return code.strip().lstrip("0") or "0"


@attrs.frozen(kw_only=True)
class CvxCode:
    """One row of the CDC CVX table."""

    code: str
    """As CDC writes it (`03`)."""
    short: str
    name: str
    status: str
    nonvaccine: bool | None
    last_updated: str
    groups: tuple[str, ...]
    """CDC vaccine groups (`MMR`, `DTAP`, `Td`, …): for display and reporting."""
    antigens: frozenset[str]
    """What it protects against, in ctrules antigen names: what evaluation uses."""
    live: bool

    @property
    def problem(self) -> str | None:
        """Why no dose of this code can count, worded after "CVX code 'X'"; None if it can."""
        cdc = f'(CDC: "{self.short}")'
        if self.nonvaccine:
            return f"is not a vaccine in the CDC CVX table {cdc}"
        if self.status not in ACCEPTED_STATUSES:
            return f"has CDC status {self.status!r}, so no dose of it can have been given {cdc}"
        if not self.antigens:
            return (
                f"has no vaccine group in the CDC tables ctrules ships, so ctrules cannot tell what it counts for {cdc}"
            )
        return None


@attrs.frozen
class CvxTable:
    header: dict[str, Any] = attrs.field(eq=False, repr=False)
    by_code: dict[str, CvxCode] = attrs.field(repr=False)
    by_short: dict[str, CvxCode] = attrs.field(repr=False)

    def lookup(self, code: str) -> CvxCode | None:
        return self.by_code.get(normalize(code))

    def named(self, short: str) -> CvxCode | None:
        """By CDC short description, in any case."""
        return self.by_short.get(short.strip().lower())

    def __iter__(self) -> Iterator[CvxCode]:
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)


@functools.cache
def table() -> CvxTable:
    """The shipped table, read once."""
    text = resources.files("ctrules").joinpath("data/cvx.json").read_text(encoding="utf-8")
    data = json.loads(text)
    codes = [
        CvxCode(
            code=row["code"],
            short=row["short"],
            name=row["name"],
            status=row["status"],
            nonvaccine=row["nonvaccine"],
            last_updated=row["last_updated"],
            groups=tuple(row["groups"]),
            antigens=frozenset(row["antigens"]),
            live=bool(row["live"]),
        )
        for row in data["codes"]
    ]
    return CvxTable(
        data["header"],
        {normalize(c.code): c for c in codes},
        {c.short.lower(): c for c in codes},
    )


def lookup(code: str) -> CvxCode | None:
    return table().lookup(code)


def named(short: str) -> CvxCode | None:
    return table().named(short)


def antigens(code: str) -> frozenset[str]:
    """The antigens of a code (empty for an unknown one)."""
    found = lookup(code)
    return found.antigens if found else frozenset()


def is_live(code: str) -> bool:
    found = lookup(code)
    return bool(found and found.live)


def problem(code: str) -> str:
    """Why a CVX code no ruleset product declares cannot be counted ('' if it can)."""
    found = lookup(code)
    if found is None:
        return f"is not in the CDC CVX table (snapshot of {table().header.get('snapshot_date', '?')})"
    return found.problem or ""


def implicit_name(code: str) -> str:
    """The product name a dose of an undeclared code gets: `CVX 146` (a declared name never has a
    space, so it cannot collide)."""
    return f"CVX {normalize(code)}"


@functools.cache
def implicit_product(code: str) -> ast.VaccineDecl:
    """An undeclared but usable code as a product: its table antigens and live flag."""
    entry = lookup(code)
    if entry is None or entry.problem is not None:
        raise ValueError(f"CVX code {code!r} {problem(code)}")
    return ast.VaccineDecl(
        name=ast.Name(text=implicit_name(entry.code)),
        description=entry.name,
        cvx=(normalize(entry.code),),
        antigens=tuple(ast.Name(text=a) for a in sorted(entry.antigens)),
        live=entry.live,
    )
