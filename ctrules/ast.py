"""The typed, frozen syntax tree of a `.ctr` ruleset.

Every node is an immutable attrs class. Each carries a `span` for messages, excluded from
equality, so two differently formatted files that say the same thing compare equal (what
`fmt` and `diff` rely on). The tree says what the text says, nothing more: names are not yet
resolved and nothing is evaluated here.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Union

import attrs

from .dates import Unit
from .source import NO_SPAN, Span

__all__ = [
    "AgeAt",
    "AmendRequirement",
    "Amendment",
    "AgeBetween",
    "AgeCompare",
    "AllOf",
    "AnyOf",
    "Apart",
    "DateCondition",
    "DateSubject",
    "Citation",
    "Clause",
    "ClauseKind",
    "Comparator",
    "DateComparator",
    "DeemedProtected",
    "DiseaseHistory",
    "DoseAfter",
    "DoseTiming",
    "Exemption",
    "ExemptionKind",
    "GradeCondition",
    "GroupDecl",
    "InForce",
    "LabImmunity",
    "NoDoses",
    "NotRequired",
    "Otherwise",
    "Recency",
    "RemoveRequirement",
    "ReplaceDecl",
    "Rule",
    "RuleStatus",
    "Version",
    "Name",
    "HistoryOfTheDisease",
    "InProcess",
    "Include",
    "Position",
    "PositionKind",
    "Quantity",
    "Requirement",
    "Ruleset",
    "SeasonalSeries",
    "Series",
    "VaccineDecl",
    "ZosterHistory",
]


def _span() -> Span:
    return attrs.field(default=NO_SPAN, eq=False, repr=False)


class Comparator(enum.Enum):
    """How a measured age or interval compares with a threshold."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"

    @classmethod
    def from_text(cls, text: str) -> Comparator:
        words = " ".join(text.split())
        return _COMPARATOR_WORDS.get(words) or cls(words)

    def holds(self, measured: date, threshold: date) -> bool:
        match self:
            case Comparator.GE:
                return measured >= threshold
            case Comparator.GT:
                return measured > threshold
            case Comparator.LE:
                return measured <= threshold
            case Comparator.LT:
                return measured < threshold

    @property
    def words(self) -> str:
        return _COMPARATOR_PHRASES[self]


_COMPARATOR_WORDS = {
    "at least": Comparator.GE,
    "more than": Comparator.GT,
    "at most": Comparator.LE,
    "less than": Comparator.LT,
}
_COMPARATOR_PHRASES = {
    Comparator.GE: "at least",
    Comparator.GT: "more than",
    Comparator.LE: "at most",
    Comparator.LT: "less than",
}


class DateComparator(enum.Enum):
    """`on or after`, `after`, `on or before`, `before` a date or birthday."""

    ON_OR_AFTER = "on or after"
    AFTER = "after"
    ON_OR_BEFORE = "on or before"
    BEFORE = "before"

    @classmethod
    def from_text(cls, text: str) -> DateComparator:
        return cls(" ".join(text.split()))

    def as_comparator(self) -> Comparator:
        return {
            DateComparator.ON_OR_AFTER: Comparator.GE,
            DateComparator.AFTER: Comparator.GT,
            DateComparator.ON_OR_BEFORE: Comparator.LE,
            DateComparator.BEFORE: Comparator.LT,
        }[self]


@attrs.frozen(kw_only=True)
class Name:
    """A reference to a declared vaccine, group, antigen or requirement, with its place."""

    text: str
    span: Span = _span()


@attrs.frozen(kw_only=True)
class Citation:
    """Where a rule comes from, e.g. `§ 10-204a-2a(a)(2)`; `text` is without the `§`."""

    text: str
    provisional: bool = False
    span: Span = _span()

    def __str__(self) -> str:
        return f"§ {self.text}"


@attrs.frozen(kw_only=True)
class Quantity:
    amount: int
    unit: Unit
    span: Span = _span()

    def __str__(self) -> str:
        unit = self.unit.singular() if self.amount == 1 else self.unit.value
        return f"{self.amount} {unit}"


# --- applicability -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GradeCondition:
    """`grades K to 12`, `grades PK or K`, `grade 7 by cohort` (canonical grade codes)."""

    grades: tuple[str, ...]
    written_as_range: bool = False
    by_cohort: bool = False
    span: Span = _span()


@attrs.frozen(kw_only=True)
class AgeBetween:
    """`age 18 to 83 months`: from the 18-month date up to (not including) the 84-month date."""

    low: int
    high: int
    unit: Unit
    span: Span = _span()


@attrs.frozen(kw_only=True)
class AgeCompare:
    """`age >= 48 months`, `age < 5 years`."""

    comparator: Comparator
    quantity: Quantity
    span: Span = _span()


class DateSubject(enum.Enum):
    """Which of the student's dates a `DateCondition` compares."""

    BIRTH = "born"
    ON_FILE = "on file"
    K12_ENTRY = "enrolled in K-12"


@attrs.frozen(kw_only=True)
class DateCondition:
    """`born on or after 2007-01-01`; for exemptions also `on file before 2021-04-28` (when the
    statement was presented) and `enrolled in K-12 on or before 2021-04-28` (first enrolment in
    kindergarten or a later grade)."""

    subject: DateSubject
    comparator: DateComparator
    on: date
    span: Span = _span()


@attrs.frozen(kw_only=True)
class InForce:
    """`from 2011-08-01`, `until 2011-07-31`: the evaluation dates a rule is in force (inclusive)."""

    start: date | None = None
    end: date | None = None
    span: Span = _span()

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


Condition = Union[GradeCondition, AgeBetween, AgeCompare, DateCondition, InForce]


# --- what a clause requires -----------------------------------------------------------------


class PositionKind(enum.Enum):
    FIRST = "first"
    LAST = "last"
    EACH = "each"
    NTH = "dose"
    LATEST = "latest dose"
    """The student's most recent dose of the group, whether or not it counts in the series."""


@attrs.frozen(kw_only=True)
class Position:
    """Which counted dose a timing applies to: `first`, `last`, `each` or `dose 3`."""

    kind: PositionKind
    index: int = 0
    span: Span = _span()


@attrs.frozen(kw_only=True)
class AgeAt:
    """A bound on the age at a dose: `on or after 1st birthday`, `at age >= 24 weeks`."""

    comparator: Comparator
    quantity: Quantity
    as_birthday: bool = False
    grace_days: int | None = None
    """Days of grace written on this rule; None when not stated (the ruleset default applies)."""
    grace_word: str = attrs.field(default="grace", eq=False, repr=False)
    """`grace` or `tolerance`: the same meaning, kept so the file reads as its source does."""
    span: Span = _span()


@attrs.frozen(kw_only=True)
class DoseTiming:
    """`first on or after 1st birthday and before 13th birthday` (no position: each dose)."""

    position: Position
    bounds: tuple[AgeAt, ...]
    span: Span = _span()


@attrs.frozen(kw_only=True)
class Apart:
    """`at least 28 days apart`: between each pair of consecutive counted doses."""

    comparator: Comparator
    quantity: Quantity
    grace_days: int | None = None
    grace_word: str = attrs.field(default="grace", eq=False, repr=False)
    span: Span = _span()


@attrs.frozen(kw_only=True)
class DoseAfter:
    """`dose 3 at least 16 weeks after dose 1`."""

    dose: int
    comparator: Comparator
    quantity: Quantity
    reference: int
    grace_days: int | None = None
    grace_word: str = attrs.field(default="grace", eq=False, repr=False)
    span: Span = _span()


@attrs.frozen(kw_only=True)
class Recency:
    """`dose 2 at most 56 days before the evaluation date`: how long before the evaluation date
    a dose was given (vendors' "difference between the dose and the effective date")."""

    position: Position
    comparator: Comparator
    quantity: Quantity
    grace_days: int | None = None
    grace_word: str = attrs.field(default="grace", eq=False, repr=False)
    span: Span = _span()


Constraint = Union[DoseTiming, Apart, DoseAfter, Recency]


@attrs.frozen(kw_only=True)
class Series:
    """`2 doses of measles-containing, first on or after 1st birthday, at least 28 days apart`."""

    count: int
    group: Name
    constraints: tuple[Constraint, ...] = ()
    span: Span = _span()


@attrs.frozen(kw_only=True)
class SeasonalSeries:
    """Influenza: `1 dose of flu every year between August 1 and December 31, 2 doses at least
    28 days apart in a first season`."""

    count: int
    group: Name
    window_start: tuple[int, int]
    window_end: tuple[int, int]
    first_season_count: int = 0
    first_season_apart: Apart | None = None
    span: Span = _span()


@attrs.frozen(kw_only=True)
class LabImmunity:
    """`laboratory-confirmed immunity to measles`."""

    disease: Name
    span: Span = _span()


@attrs.frozen(kw_only=True)
class DiseaseHistory:
    """`documented history of varicella`, optionally `at age >= 24 months`."""

    disease: Name
    at_age: AgeAt | None = None
    span: Span = _span()


@attrs.frozen(kw_only=True)
class ZosterHistory:
    """`documented history of herpes zoster`."""

    span: Span = _span()


@attrs.frozen(kw_only=True)
class NoDoses:
    """`no doses of meningococcal-vaccine`: met when the student has received none."""

    group: Name
    span: Span = _span()


Evidence = Union[Series, SeasonalSeries, LabImmunity, DiseaseHistory, ZosterHistory, NoDoses, "AllOf"]


@attrs.frozen(kw_only=True)
class AllOf:
    """`A as well as B`: every part must hold."""

    parts: tuple[Evidence, ...]
    span: Span = _span()


@attrs.frozen(kw_only=True)
class AnyOf:
    """`A or B`: one option is enough."""

    options: tuple[Evidence, ...]
    span: Span = _span()


@attrs.frozen(kw_only=True)
class DeemedProtected:
    """`deemed protected`: the regulation deems the student protected, so nothing is required."""

    span: Span = _span()


@attrs.frozen(kw_only=True)
class NotRequired:
    """`not required`: the requirement does not apply where the clause's conditions hold, and
    the ruleset says so on purpose (so `check` does not report a gap there)."""

    span: Span = _span()


class ClauseKind(enum.Enum):
    ALTERNATIVE = "clause"
    ADDITIONAL = "also"


@attrs.frozen(kw_only=True)
class Clause:
    """One numbered provision: where it applies, and what it requires there."""

    kind: ClauseKind
    citation: Citation
    text: str = ""
    conditions: tuple[Condition, ...] = ()
    body: AnyOf | DeemedProtected | NotRequired = attrs.field(factory=DeemedProtected)
    span: Span = _span()


class RuleStatus(enum.Enum):
    """The outcome a status rule names, in the vendor's words (and the result status it gives)."""

    COMPLIANT = "compliant"
    IN_PROGRESS = "in progress"
    NON_COMPLIANT = "non-compliant"
    NO_REQUIREMENT = "no requirement"
    NOT_REQUIRED = "not required"

    @classmethod
    def from_text(cls, text: str) -> RuleStatus:
        return cls(" ".join(text.split()))


@attrs.frozen(kw_only=True)
class Rule:
    """One ordered status rule (`rule "3 doses K-12" compliant …`): it decides when it is in
    force, its conditions hold and its requirement (if any) is met, unless an earlier rule did."""

    name: str
    status: RuleStatus
    citation: Citation | None = None
    text: str = ""
    conditions: tuple[Condition, ...] = ()
    body: AnyOf | None = None
    span: Span = _span()


@attrs.frozen(kw_only=True)
class Otherwise:
    """`otherwise non-compliant`: the status when no rule decides."""

    status: RuleStatus
    text: str = ""
    span: Span = _span()


@attrs.frozen(kw_only=True)
class Requirement:
    """One disease's requirement (`measles`): its clauses in the regulation's order (alternatives
    and `also` conditions), or its ordered status `rules` (first match decides)."""

    name: Name
    title: str = ""
    citation: Citation | None = None
    follows: Name | None = None
    """`follows measles`: decided by another requirement's clauses or rules, reported under this id."""
    antigens: tuple[Name, ...] = ()
    text: str = ""
    clauses: tuple[Clause, ...] = ()
    rules: tuple[Rule, ...] = ()
    otherwise: Otherwise | None = None
    span: Span = _span()


# --- declarations ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Include:
    """`include "vaccines.ctr"`, or `include "vaccines.ctr" from ct` (a bundled ruleset's file)."""

    path: str
    bundled: Name | None = None
    span: Span = _span()


@attrs.frozen(kw_only=True)
class VaccineDecl:
    """A product: its name, CDC CVX codes, the antigens it contains, and whether it is live."""

    name: Name
    description: str = ""
    cvx: tuple[str, ...] = ()
    antigens: tuple[Name, ...] = ()
    live: bool = False
    span: Span = _span()


@attrs.frozen(kw_only=True)
class GroupDecl:
    """A named set of vaccines: by the antigens they contain, or by listing members."""

    name: Name
    description: str = ""
    containing: tuple[Name, ...] = ()
    members: tuple[Name, ...] = ()
    span: Span = _span()


# --- exemptions -----------------------------------------------------------------------------


class ExemptionKind(enum.Enum):
    MEDICAL = "medical"
    RELIGIOUS = "religious"
    STATUTORY = "statutory"


@attrs.frozen(kw_only=True)
class HistoryOfTheDisease:
    """`documented history of the disease`: of the requirement's own disease."""

    span: Span = _span()


ExemptionCondition = Union[Condition, HistoryOfTheDisease]


@attrs.frozen(kw_only=True)
class Exemption:
    """A statutory ground on which a requirement is waived (`exempt`)."""

    kind: ExemptionKind
    citation: Citation | None = None
    text: str = ""
    requirements: tuple[Name, ...] = ()
    conditions: tuple[ExemptionCondition, ...] = ()
    span: Span = _span()


@attrs.frozen(kw_only=True)
class InProcess:
    """`in process § …`: a certificate that immunizations are in process turns a requirement
    that is not yet met into `in_progress` instead of `non_compliant`."""

    citation: Citation | None = None
    text: str = ""
    span: Span = _span()


# --- versions and amendments ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Version:
    """`version "2011-08-01" from 2011-08-01 until 2021-04-27 "…"`: a named period in which one
    set of rules is in force. Evaluation on a date uses the version covering it."""

    id: str
    in_force: InForce = attrs.field(factory=InForce)
    description: str = ""
    span: Span = _span()


@attrs.frozen(kw_only=True)
class AmendRequirement:
    """`amend requirement varicella …`: clauses or rules added, removed (by citation or rule
    name) or replaced, in an amendment of another ruleset."""

    name: Name
    added: tuple[Clause | Rule, ...] = ()
    removed: tuple[Citation | str, ...] = ()
    replaced: tuple[Clause | Rule, ...] = ()
    otherwise: Otherwise | None = None
    span: Span = _span()


@attrs.frozen(kw_only=True)
class RemoveRequirement:
    name: Name
    span: Span = _span()


@attrs.frozen(kw_only=True)
class ReplaceDecl:
    """`replace requirement|group|vaccine …`: a new declaration for a name the base declares."""

    node: Union[Requirement, GroupDecl, VaccineDecl]
    span: Span = _span()


Amendment = Union[AmendRequirement, RemoveRequirement, ReplaceDecl]


# --- the whole file -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Ruleset:
    """A parsed ruleset (one file, or a file and those it includes, merged)."""

    name: Name | None = None
    title: str = ""
    versions: tuple[Version, ...] = ()
    amends: Name | None = None
    """`amends ct`: this file states changes to the named ruleset (see `loader`)."""
    base: Ruleset | None = attrs.field(default=None, eq=False, repr=False)
    """For an amendment once applied: the ruleset it amends, as loaded."""
    changes: Ruleset | None = attrs.field(default=None, eq=False, repr=False)
    """For an amendment once applied: the amendment file itself (what it states it changes)."""
    live_vaccine_spacing: bool | None = None
    """None when not stated: off, or the amended ruleset's setting."""
    default_grace: int | None = None
    """`grace 4 days` in the header: days of grace for every rule that does not state its own."""
    titer_diseases: tuple[Name, ...] | None = None
    """`laboratory confirmation only for …`: the diseases for which a titer may be accepted."""
    covers: Name | None = None
    """`covers every connecticut requirement`: the ruleset claims every id of that list."""
    includes: tuple[Include, ...] = ()
    vaccines: tuple[VaccineDecl, ...] = ()
    groups: tuple[GroupDecl, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    in_process: tuple[InProcess, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    span: Span = _span()

    @property
    def version(self) -> str:
        """The latest version's id (or "" when none is declared)."""
        return self.versions[-1].id if self.versions else ""
