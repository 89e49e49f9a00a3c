"""Compiled checkers: small frozen objects that test one student's facts and return findings.

The compiler builds them once per ruleset; evaluation calls them once per student. Each
returns structured findings (which doses counted, which did not and why, what is missing and
from when), never prose: `reasons` words them, so JSON, `explain` and `diff` read one truth.
With `Facts.trace` (for `explain`) they also keep every rule each dose met, and by how much.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple, Union

import attrs

from .ast import Comparator, DateSubject, Quantity
from .dates import SCHOOL_YEAR_START_MONTH, Unit, add_months, add_quantity, school_year_start
from .grades import grade_rank
from .records import Evidence, Student

__all__ = [
    "Check",
    "DoseFate",
    "DoseTrial",
    "Facts",
    "ResolvedDose",
    "SeriesChecker",
    "SeasonChecker",
    "EvidenceChecker",
    "Outcome",
]


class ResolvedDose(NamedTuple):
    """A dose whose product the ruleset knows. A named tuple, not an attrs class: one is built
    for every dose of every student, and a tuple is built several times faster."""

    date: date
    product: str
    label: str
    field: str
    live: bool
    antigens: frozenset[str] = frozenset()


@attrs.frozen(kw_only=True)
class LiveConflict:
    """A live vaccine given 1-27 days after a different live vaccine (one sharing no antigen
    with it): not counted (when switched on). Doses against the same disease are spaced by the
    requirement's own interval instead, where a grace period may apply; this rule has none."""

    dose: ResolvedDose
    earlier: ResolvedDose


@attrs.define(slots=True)
class Facts:
    """What evaluation needs about one student on one date, computed once."""

    student: Student
    as_of: date
    doses: tuple[ResolvedDose, ...]
    live_conflicts: dict[ResolvedDose, LiveConflict] = attrs.field(factory=dict)
    """Live doses that do not count (only when the ruleset switches live spacing on)."""
    live_spacing: bool = False
    """Whether the ruleset switches live vaccine spacing on."""
    trace: bool = False
    """Keep what `explain` shows besides the result: the rules each counted dose met, and every
    dose's fate. Off for `evaluate`, which needs only the failures."""
    _date_cache: dict[tuple[int, str, int], date] = attrs.field(factory=dict)
    _group_cache: dict[frozenset[str], tuple[ResolvedDose, ...]] = attrs.field(factory=dict)
    _daily_cache: dict[frozenset[str], list[ResolvedDose]] = attrs.field(factory=dict)
    _window_cache: dict[tuple[tuple[tuple[int, str, int], str], ...], tuple[date, date]] = attrs.field(factory=dict)
    counted_cache: dict[tuple[int, ...], tuple[object, list[ResolvedDose], list[Rejection]]] = attrs.field(factory=dict)
    """`SeriesChecker` counts, by rules and doses (see `SeriesChecker.evaluate`)."""

    @property
    def birth(self) -> date:
        return self.student.birth_date

    def doses_of(self, products: frozenset[str]) -> tuple[ResolvedDose, ...]:
        """The doses of these products in date order, computed once per set of products (several
        clauses and requirements look at the same group)."""
        found = self._group_cache.get(products)
        if found is None:
            found = self._group_cache[products] = tuple([d for d in self.doses if d.product in products])
        return found

    def one_a_day(self, products: frozenset[str]) -> list[ResolvedDose]:
        """`doses_of`, keeping the first dose of each day (a day's doses count once). Shared:
        callers must not change the list."""
        found = self._daily_cache.get(products)
        if found is None:
            group = self.doses_of(products)
            found = [dose for i, dose in enumerate(group) if i == 0 or group[i - 1].date != dose.date]
            self._daily_cache[products] = found
        return found

    def age_date(self, quantity: Quantity, grace_days: int = 0, key: tuple[int, str, int] | None = None) -> date:
        """birth + quantity − grace_days, cached (the same thresholds recur across clauses).
        `key`, if given, is `(quantity.amount, quantity.unit.value, grace_days)`, made once."""
        key = key or (quantity.amount, quantity.unit.value, grace_days)
        cached = self._date_cache.get(key)
        if cached is None:
            cached = add_quantity(self.birth, quantity.amount, quantity.unit, grace_days)
            self._date_cache[key] = cached
        return cached

    def age_window(self, rules: SlotRules) -> tuple[date, date]:
        """The first and last dates on which a dose meets every age rule of a position, once per
        student (the same test as each rule's `holds` against its `age_limit`, on whole days)."""
        cached = self._window_cache.get(rules.ages_key)
        if cached is None:
            earliest, latest = date.min, date.max
            for rule in rules.ages:
                limit = self.age_limit(rule)
                earliest = max(earliest, _earliest(rule.comparator, limit) or earliest)
                latest = min(latest, _latest(rule.comparator, limit) or latest)
            cached = self._window_cache[rules.ages_key] = (earliest, latest)
        return cached

    def age_limit(self, rule: AgeRule) -> date:
        """An age rule's limit (birth + age, moved by the grace the lenient way), by the key the
        rule computed once."""
        cached = self._date_cache.get(rule.key)
        if cached is None:
            cached = self._date_cache[rule.key] = rule.offset(self.birth)
        return cached

    @property
    def k12_entry(self) -> date | None:
        """When the student first enrolled in K-12: the record's `k12_entry_date`, else July 1 of
        the school year in which they were in kindergarten, counting one grade a year; None in
        preschool."""
        if self.student.k12_entry_date is not None:
            return self.student.k12_entry_date
        rank = grade_rank(self.student.grade)
        if rank < 0:
            return None
        return date(school_year_start(self.as_of) - rank, SCHOOL_YEAR_START_MONTH, 1)

    def evidence(self, kind: str) -> list[Evidence]:
        return [e for e in self.student.evidence if e.type == kind and (e.date is None or e.date <= self.as_of)]


LIVE_SPACING_DAYS = 28
"""Two live vaccines not given on the same day must be at least this many days apart."""


def live_conflicts(doses: tuple[ResolvedDose, ...]) -> dict[ResolvedDose, LiveConflict]:
    """Live doses given 1-27 days after a different live vaccine (on another day) do not count."""
    conflicts: dict[ResolvedDose, LiveConflict] = {}
    live = [d for d in doses if d.live]
    for i, dose in enumerate(live):
        for earlier in reversed(live[:i]):
            gap = (dose.date - earlier.date).days
            if gap >= LIVE_SPACING_DAYS:
                break
            if gap > 0 and not dose.antigens & earlier.antigens:
                conflicts[dose] = LiveConflict(dose=dose, earlier=earlier)
                break
    return conflicts


# --- applicability --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GradeIn:
    """The student's grade is listed, or (by cohort) they were in the top listed grade in a
    school year in which the clause was already in force."""

    grades: frozenset[str]
    cohort_rank: int | None = None
    cohort_since: int | None = None

    def holds(self, facts: Facts) -> bool:
        if facts.student.grade in self.grades:
            return True
        if self.cohort_rank is None:
            return False
        rank = grade_rank(facts.student.grade)
        if rank <= self.cohort_rank:
            return False
        # Counted back one grade a year from the current grade. (`k12_entry_date` is the first
        # enrolment in K or a later grade, so it cannot date the years in a given grade.)
        year_in_grade = school_year_start(facts.as_of) - (rank - self.cohort_rank)
        return self.cohort_since is None or year_in_grade >= self.cohort_since

    def applies_from(self, facts: Facts) -> date | None:
        return None


@attrs.frozen(kw_only=True)
class AgeIs:
    """The student's age on the evaluation date compares with a threshold."""

    comparator: Comparator
    quantity: Quantity
    key: tuple[int, str, int] = attrs.field(init=False, eq=False, repr=False)
    """`Facts.age_date`'s cache key, computed once."""
    compare: Callable[[date, date], bool] = attrs.field(init=False, eq=False, repr=False)
    """`comparator.holds`, chosen once: a condition is tested for every student."""

    @key.default
    def _key(self) -> tuple[int, str, int]:
        return (self.quantity.amount, self.quantity.unit.value, 0)

    @compare.default
    def _compare(self) -> Callable[[date, date], bool]:
        return _HOLDS[self.comparator]

    def holds(self, facts: Facts) -> bool:
        return self.compare(facts.as_of, facts.age_date(self.quantity, key=self.key))

    def applies_from(self, facts: Facts) -> date | None:
        """For a lower bound not yet reached, the date it will be."""
        if self.comparator is Comparator.GE:
            return facts.age_date(self.quantity)
        if self.comparator is Comparator.GT:
            return facts.age_date(self.quantity) + timedelta(days=1)
        return None


@attrs.frozen(kw_only=True)
class DateIs:
    """One of the student's dates (birth, K-12 entry, exemption on file) compares with a date."""

    subject: DateSubject
    comparator: Comparator
    on: date

    def compare(self, value: date | None) -> bool:
        return value is not None and self.comparator.holds(value, self.on)

    def holds(self, facts: Facts) -> bool:
        value = facts.birth if self.subject is DateSubject.BIRTH else facts.k12_entry
        return self.compare(value)

    def applies_from(self, facts: Facts) -> date | None:
        return None


Condition = Union[GradeIn, AgeIs, DateIs]


def all_hold(conditions: Sequence[Condition], facts: Facts) -> bool:
    return all(c.holds(facts) for c in conditions)


# --- outcomes -------------------------------------------------------------------------------


class FailureKind(enum.Enum):
    AGE = "age"
    INTERVAL = "interval"
    RECENCY = "recency"
    """How long before the evaluation date the dose was given."""


@attrs.frozen(kw_only=True)
class Check:
    """One age, interval or recency rule tested against one dose: what was compared with what
    limit, and whether it held. Kept for met rules too, so `explain` can show the margin."""

    kind: FailureKind
    comparator: Comparator
    quantity: Quantity | None
    grace_days: int
    anchor_dose: int | None
    """The counted dose an interval is measured from; None for an age (measured from birth) or
    a recency (measured from the dose itself to the evaluation date)."""
    anchor_date: date
    threshold: date
    as_birthday: bool = False
    grace_word: str = "grace"
    met: bool = False
    compared: date | None = None
    """The date held against the limit: the dose date, or the evaluation date for a recency."""

    @property
    def limit(self) -> date:
        """The first (for a minimum) or last (for a maximum) date on which the rule holds."""
        return _earliest(self.comparator, self.threshold) or _latest(self.comparator, self.threshold) or self.threshold

    @property
    def is_minimum(self) -> bool:
        return self.comparator in (Comparator.GE, Comparator.GT)

    @property
    def margin_days(self) -> int | None:
        """Days to spare (0 or more) when met, or minus the days by which it was missed."""
        if self.compared is None:
            return None
        days = (self.compared - self.limit).days
        return days if self.is_minimum else -days

    @property
    def nominal(self) -> date | None:
        """The limit as written, before any grace (the birthday itself, not 4 days before it)."""
        if self.quantity is None:
            return None
        return add_quantity(self.anchor_date, self.quantity.amount, self.quantity.unit)


Failure = Check
"""A check the dose did not meet (`met` is False): why it did not count."""


@attrs.frozen(kw_only=True)
class Rejection:
    dose: ResolvedDose
    slot: int
    failures: tuple[Failure, ...]
    conflict: LiveConflict | None = None


class DoseFate(enum.Enum):
    """What became of one dose of a series' group, in date order."""

    COUNTED = "counted"
    NOT_COUNTED = "not_counted"
    """It broke an age, interval or recency rule of the position it would have filled."""
    LIVE_SPACING = "live_spacing"
    """It came 1-27 days after a different live vaccine (with live spacing switched on)."""
    SAME_DAY = "same_day"
    """Another dose of the group was given the same day; a day's doses count once."""
    NOT_NEEDED = "not_needed"
    """The series was already complete when it was given."""


@attrs.frozen(kw_only=True)
class DoseTrial:
    """One dose as a series saw it: its fate, the position tried, every check and the dose
    counted before it (for the interval). Rejections say the same for the reasons; this also
    covers the doses that counted, so `explain` can show what each one met and by how much."""

    dose: ResolvedDose
    fate: DoseFate
    slot: int | None
    checks: tuple[Check, ...] = ()
    previous: ResolvedDose | None = None
    conflict: LiveConflict | None = None
    same_day_as: ResolvedDose | None = None
    """For a same-day dose: the dose of that day that was tried (or counted) instead."""


@attrs.frozen(kw_only=True)
class SeriesFinding:
    checker: SeriesChecker
    counted: tuple[ResolvedDose, ...]
    rejected: tuple[Rejection, ...]
    next_from: date | None
    next_until: date | None
    impossible: bool = False
    other_products: tuple[ResolvedDose, ...] = ()
    """Doses against the same disease that this series does not accept (MenB for MenACWY)."""
    latest: ResolvedDose | None = None
    latest_failures: tuple[Failure, ...] = ()
    """The student's most recent dose of the group, and the `latest dose` rules it breaks."""
    trials: tuple[DoseTrial, ...] = ()
    """When tracing: every dose of the group in date order, and what became of it (for `explain`)."""
    latest_checks: tuple[Check, ...] = ()
    """Every `latest dose` rule held against the most recent dose, met or not (as `explain` shows them)."""


@attrs.frozen(kw_only=True)
class SeasonFinding:
    checker: SeasonChecker
    window: tuple[date, date]
    season_doses: tuple[ResolvedDose, ...]
    first_time: bool
    second_dose: ResolvedDose | None
    needed: int
    next_from: date | None
    doses: tuple[ResolvedDose, ...] = ()
    """Every dose of the group up to the evaluation date, in this season or not (for `explain`)."""


@attrs.frozen(kw_only=True)
class EvidenceFinding:
    checker: EvidenceChecker
    found: Evidence | None
    rejected: Evidence | None = None


@attrs.frozen(kw_only=True)
class NoDosesFinding:
    checker: NoDosesChecker
    doses: tuple[ResolvedDose, ...]


Finding = Union[SeriesFinding, SeasonFinding, EvidenceFinding, NoDosesFinding, "AllFinding"]


@attrs.frozen(kw_only=True)
class Outcome:
    """Whether a term is met, how far along it is, and from/until when more can be done."""

    met: bool
    progress: float
    finding: Finding
    next_from: date | None = None
    due_by: date | None = None
    doses_based: bool = True

    def can_wait(self, as_of: date) -> bool:
        """Not yet completable (the next dose cannot count yet) or not yet due."""
        if self.next_from is not None and self.next_from > as_of:
            return True
        return self.due_by is not None and as_of <= self.due_by


@attrs.frozen(kw_only=True)
class AllFinding:
    parts: tuple[Outcome, ...]


# --- dose series ----------------------------------------------------------------------------


_HOLDS: dict[Comparator, Callable[[date, date], bool]] = {
    Comparator.GE: operator.ge,
    Comparator.GT: operator.gt,
    Comparator.LE: operator.le,
    Comparator.LT: operator.lt,
}
"""`Comparator.holds` as the operator itself, for the rules tested on every dose."""


@attrs.frozen
class Shift:
    """`add_quantity(start, amount, unit, grace)` with the arithmetic chosen once: a fixed day
    count for days and weeks, else calendar months then the grace (the order `dates.add` uses)."""

    days: timedelta | None
    months: int
    back: timedelta

    @classmethod
    def of(cls, quantity: Quantity, grace: int) -> Shift:
        amount, unit = quantity.amount, quantity.unit
        if unit is Unit.DAYS or unit is Unit.WEEKS:
            per = 7 if unit is Unit.WEEKS else 1
            return cls(days=timedelta(days=per * amount - grace), months=0, back=timedelta(0))
        return cls(days=None, months=12 * amount if unit is Unit.YEARS else amount, back=timedelta(days=-grace))

    def apply(self, start: date) -> date:
        if self.days is not None:
            return start + self.days
        return add_months(start, self.months) + self.back


@attrs.frozen(kw_only=True)
class AgeRule:
    comparator: Comparator
    quantity: Quantity
    grace_days: int
    as_birthday: bool
    grace_word: str = "grace"
    # Computed once, for the test on every dose: the cache key `Facts.age_date` uses too.
    key: tuple[int, str, int] = attrs.field(init=False, eq=False, repr=False)
    holds: Callable[[date, date], bool] = attrs.field(init=False, eq=False, repr=False)
    shift: Shift = attrs.field(init=False, eq=False, repr=False)

    @key.default
    def _key(self) -> tuple[int, str, int]:
        return (self.quantity.amount, self.quantity.unit.value, _signed_grace(self.comparator, self.grace_days))

    @holds.default
    def _holds(self) -> Callable[[date, date], bool]:
        return _HOLDS[self.comparator]

    @shift.default
    def _shift(self) -> Shift:
        return Shift.of(self.quantity, _signed_grace(self.comparator, self.grace_days))

    def offset(self, birth: date) -> date:
        return self.shift.apply(birth)


@attrs.frozen(kw_only=True)
class IntervalRule:
    comparator: Comparator
    quantity: Quantity
    grace_days: int
    reference: int | None  # None: the previous counted dose
    grace_word: str = "grace"
    holds: Callable[[date, date], bool] = attrs.field(init=False, eq=False, repr=False)
    shift: Shift = attrs.field(init=False, eq=False, repr=False)

    @holds.default
    def _holds(self) -> Callable[[date, date], bool]:
        return _HOLDS[self.comparator]

    @shift.default
    def _shift(self) -> Shift:
        return Shift.of(self.quantity, _signed_grace(self.comparator, self.grace_days))

    def anchor(self, slot: int, counted: int) -> int | None:
        """The number of the dose the interval runs from, for a dose in position `slot` when
        `counted` doses count so far (the previous one unless the rule names one); None when
        that dose is not counted yet."""
        index = self.reference if self.reference is not None else slot - 1
        return index if 1 <= index <= counted else None


@attrs.frozen(kw_only=True)
class RecencyRule:
    """The evaluation date compared with (dose date + quantity): `at most 56 days before the
    evaluation date` holds while as_of <= dose + 56 days."""

    comparator: Comparator
    quantity: Quantity
    grace_days: int
    grace_word: str = "grace"
    shift: Shift = attrs.field(init=False, eq=False, repr=False)

    @shift.default
    def _shift(self) -> Shift:
        return Shift.of(self.quantity, _signed_grace(self.comparator, self.grace_days))

    def met(self, given: date, as_of: date) -> bool:
        """`check(given, as_of).met`, without building the check."""
        return _HOLDS[self.comparator](as_of, self.shift.apply(given))

    def check(self, given: date, as_of: date) -> Check:
        threshold = self.shift.apply(given)
        return Check(
            kind=FailureKind.RECENCY,
            comparator=self.comparator,
            quantity=self.quantity,
            grace_days=self.grace_days,
            anchor_dose=None,
            anchor_date=given,
            threshold=threshold,
            grace_word=self.grace_word,
            met=_HOLDS[self.comparator](as_of, threshold),
            compared=as_of,
        )

    def failure(self, given: date, as_of: date) -> Failure | None:
        check = self.check(given, as_of)
        return None if check.met else check


@attrs.frozen(kw_only=True)
class SlotRules:
    ages: tuple[AgeRule, ...]
    intervals: tuple[IntervalRule, ...]
    recency: tuple[RecencyRule, ...] = ()
    ages_key: tuple[tuple[tuple[int, str, int], str], ...] = attrs.field(init=False, eq=False, repr=False)
    """What the age rules' window depends on besides the birth date (`Facts.age_window`'s key;
    comparators by value: an enum member hashes in Python, slowly)."""

    @ages_key.default
    def _ages_key(self) -> tuple[tuple[tuple[int, str, int], str], ...]:
        return tuple((rule.key, rule.comparator.value) for rule in self.ages)


def _signed_grace(comparator: Comparator, grace: int) -> int:
    """Grace moves a limit the lenient way: earlier for a minimum, later for a maximum."""
    return grace if comparator in (Comparator.GE, Comparator.GT) else -grace


def _earliest(comparator: Comparator, threshold: date) -> date | None:
    if comparator is Comparator.GE:
        return threshold
    if comparator is Comparator.GT:
        return threshold + timedelta(days=1)
    return None


def _latest(comparator: Comparator, threshold: date) -> date | None:
    if comparator is Comparator.LE:
        return threshold
    if comparator is Comparator.LT:
        return threshold - timedelta(days=1)
    return None


@attrs.frozen(kw_only=True)
class GroupTerm:
    """What the checkers of a vaccine group share: the products it takes, declared (`products`)
    or undeclared CDC CVX codes (`implicit_products`, e.g. `CVX 146`: those whose table antigens
    include every antigen of a `vaccines containing …` part of the group; see ctrules.cvx)."""

    group: str
    group_title: str
    products: frozenset[str]
    implicit_products: frozenset[str] = frozenset()
    accepts: frozenset[str] = attrs.field(init=False, eq=False, repr=False)
    """`products | implicit_products`, once: what `Facts.doses_of` groups doses by."""

    @accepts.default
    def _accepts(self) -> frozenset[str]:
        return self.products | self.implicit_products

    def takes(self, dose: ResolvedDose) -> bool:
        """Whether a dose is of a product in this group."""
        return dose.product in self.accepts


@attrs.frozen(kw_only=True)
class SeriesChecker(GroupTerm):
    """`N doses of GROUP` with age and interval rules per position, evaluated as CDSi does:
    doses in date order fill positions 1..N; a dose that breaks a rule for the position it
    would fill is not counted, and the next dose is tried for the same position."""

    count: int
    slots: tuple[SlotRules, ...]
    related_products: frozenset[str] = frozenset()
    """Products against the requirement's diseases that are not in the group."""
    latest: tuple[RecencyRule, ...] = ()
    """Rules on the student's most recent dose of the group (`latest dose …`)."""
    live: bool = False
    """Whether the group holds live vaccines (for live vaccine spacing)."""
    antigens: frozenset[str] = frozenset()
    """Antigens of the group's products (a live dose sharing one is the same vaccine)."""

    def doses(self, facts: Facts) -> list[ResolvedDose]:
        """The group's doses in date order, one a day (shared with other checkers: read only)."""
        return facts.one_a_day(self.accepts)

    def _passes(self, slot: int, when: date, counted: list[ResolvedDose], facts: Facts) -> bool:
        """Whether a dose given on `when` meets every rule of position `slot`: what `_checks`
        finds with no failure, without building the checks (evaluation without tracing)."""
        rules = self.slots[slot - 1]
        if rules.ages:
            earliest, latest = facts.age_window(rules)
            if not earliest <= when <= latest:
                return False
        for interval in rules.intervals:
            index = interval.anchor(slot, len(counted))
            if index is not None and not interval.holds(when, interval.shift.apply(counted[index - 1].date)):
                return False
        return not rules.recency or all(recency.met(when, facts.as_of) for recency in rules.recency)

    def _checks(self, slot: int, when: date, counted: list[ResolvedDose], facts: Facts) -> list[Check]:
        """The rules of position `slot` held against a dose given on `when`: those it breaks, and
        (when tracing) those it meets."""
        rules = self.slots[slot - 1]
        keep = facts.trace
        checks = []
        for rule in rules.ages:
            threshold = facts.age_limit(rule)
            met = rule.holds(when, threshold)
            if met and not keep:
                continue
            checks.append(
                Check(
                    kind=FailureKind.AGE,
                    comparator=rule.comparator,
                    quantity=rule.quantity,
                    grace_days=rule.grace_days,
                    anchor_dose=None,
                    anchor_date=facts.birth,
                    threshold=threshold,
                    as_birthday=rule.as_birthday,
                    grace_word=rule.grace_word,
                    met=met,
                    compared=when,
                )
            )
        for interval in rules.intervals:
            index = interval.anchor(slot, len(counted))
            if index is None:
                continue
            anchor = counted[index - 1]
            threshold = interval.shift.apply(anchor.date)
            met = interval.holds(when, threshold)
            if met and not keep:
                continue
            checks.append(
                Check(
                    kind=FailureKind.INTERVAL,
                    comparator=interval.comparator,
                    quantity=interval.quantity,
                    grace_days=interval.grace_days,
                    anchor_dose=index,
                    anchor_date=anchor.date,
                    threshold=threshold,
                    grace_word=interval.grace_word,
                    met=met,
                    compared=when,
                )
            )
        for recency in rules.recency:
            check = recency.check(when, facts.as_of)
            if keep or not check.met:
                checks.append(check)
        return checks

    def _window(self, slot: int, counted: list[ResolvedDose], facts: Facts) -> tuple[date, date | None]:
        """The first and last dates on which a dose would count in position `slot`."""
        earliest, latest = facts.birth, None
        rules = self.slots[slot - 1]
        # The same limits `_passes` and `_checks` hold doses against.
        bounds = [(rule.comparator, facts.age_limit(rule)) for rule in rules.ages]
        for interval in rules.intervals:
            index = interval.anchor(slot, len(counted))
            if index is not None:
                bounds.append((interval.comparator, interval.shift.apply(counted[index - 1].date)))
        if counted:
            earliest = max(earliest, counted[-1].date + timedelta(days=1))
        if facts.live_spacing and self.live:
            # A further live dose must also come 28 days after the last different live vaccine.
            live = [d.date for d in facts.doses if d.live and not d.antigens & self.antigens]
            if live:
                earliest = max(earliest, live[-1] + timedelta(days=LIVE_SPACING_DAYS))
        for comparator, threshold in bounds:
            low = _earliest(comparator, threshold)
            high = _latest(comparator, threshold)
            if low is not None:
                earliest = max(earliest, low)
            if high is not None:
                latest = high if latest is None else min(latest, high)
        return earliest, latest

    def _trials(self, tried: dict[int, DoseTrial], facts: Facts) -> tuple[DoseTrial, ...]:
        """The tried doses (by identity) in date order, with the same-day doses `doses` passed over."""
        trials: list[DoseTrial] = []
        for dose in facts.doses:
            if id(dose) in tried:
                trials.append(tried[id(dose)])
            elif self.takes(dose):
                first = trials[-1]
                counted = first.dose if first.fate is DoseFate.COUNTED else first.previous
                trials.append(
                    DoseTrial(dose=dose, fate=DoseFate.SAME_DAY, slot=None, previous=counted, same_day_as=first.dose)
                )
        return tuple(trials)

    def _count(
        self, doses: list[ResolvedDose], facts: Facts
    ) -> tuple[list[ResolvedDose], list[Rejection], dict[int, DoseTrial]]:
        """The doses counted, in position order, and those rejected; when tracing, also each
        dose's fate, by the dose's identity."""
        counted: list[ResolvedDose] = []
        rejected: list[Rejection] = []
        tried: dict[int, DoseTrial] = {}
        for dose in doses:
            previous = counted[-1] if counted else None
            if len(counted) == self.count:
                if not facts.trace:
                    break
                tried[id(dose)] = DoseTrial(dose=dose, fate=DoseFate.NOT_NEEDED, slot=None, previous=previous)
                continue
            slot = len(counted) + 1
            conflict = facts.live_conflicts.get(dose) if facts.live_conflicts else None
            if conflict is not None:
                rejected.append(Rejection(dose=dose, slot=slot, failures=(), conflict=conflict))
                if facts.trace:
                    tried[id(dose)] = DoseTrial(
                        dose=dose, fate=DoseFate.LIVE_SPACING, slot=slot, previous=previous, conflict=conflict
                    )
                continue
            if not facts.trace and self._passes(slot, dose.date, counted, facts):
                counted.append(dose)
                continue
            checks = self._checks(slot, dose.date, counted, facts)
            failures = tuple(c for c in checks if not c.met)
            if failures:
                rejected.append(Rejection(dose=dose, slot=slot, failures=failures))
            else:
                counted.append(dose)
            if facts.trace:
                fate = DoseFate.NOT_COUNTED if failures else DoseFate.COUNTED
                tried[id(dose)] = DoseTrial(dose=dose, fate=fate, slot=slot, checks=tuple(checks), previous=previous)
        return counted, rejected, tried

    def evaluate(self, facts: Facts) -> Outcome:
        doses = self.doses(facts)
        if facts.trace:
            counted, rejected, tried = self._count(doses, facts)
        else:
            # Series with the same rules over the same doses count alike (measles, mumps and
            # rubella over a student's MMR doses): counted once per student. The slots are
            # shared by such series (the compiler interns them); the entry keeps them alive, so
            # their id cannot be reused while it is in the cache.
            key = (id(self.slots), self.count, *map(id, doses))
            found = facts.counted_cache.get(key)
            if found is None:
                counted, rejected, _ = self._count(doses, facts)
                facts.counted_cache[key] = (self.slots, counted, rejected)
            else:
                _, counted, rejected = found
            tried = {}
        met = len(counted) == self.count
        latest = doses[-1] if doses else None
        stale: list[Failure] = []
        latest_checks: tuple[Check, ...] = ()
        if self.latest:
            latest_checks = tuple(r.check(latest.date, facts.as_of) for r in self.latest) if latest else ()
            stale = [c for c in latest_checks if not c.met]
            if latest is None:
                met = False
        complete = met
        met = met and not stale
        next_from = next_until = None
        impossible = False
        if not complete:
            next_from, next_until = self._window(len(counted) + 1, counted, facts)
            # The next dose's window is empty, or closed before the evaluation date.
            impossible = next_until is not None and next_until < max(next_from, facts.as_of)
        finding = SeriesFinding(
            checker=self,
            counted=tuple(counted),
            rejected=tuple(rejected),
            next_from=next_from,
            next_until=next_until,
            impossible=impossible,
            # Only the reasons for a series short of doses, and `explain`, name the other products.
            other_products=facts.doses_of(self.related_products) if facts.trace or not complete else (),
            latest=latest if self.latest else None,
            latest_failures=tuple(stale),
            trials=self._trials(tried, facts) if facts.trace else (),
            latest_checks=latest_checks,
        )
        return Outcome(
            met=met,
            progress=len(counted) / self.count - (0.5 if impossible else 0.0) - (0.25 if stale else 0.0),
            finding=finding,
            next_from=None if impossible else next_from,
        )


# --- influenza: a dose every season ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class SeasonChecker(GroupTerm):
    """`1 dose … every year between August 1 and December 31, 2 doses at least 28 days apart in
    a first season`. The season is the latest window that has opened by the evaluation date;
    while it is open, a missing dose is still due (by its last day)."""

    count: int
    window_start: tuple[int, int]
    window_end: tuple[int, int]
    first_season_count: int
    first_season_apart: IntervalRule | None

    def window(self, on: date) -> tuple[date, date]:
        year = on.year if (on.month, on.day) >= self.window_start else on.year - 1
        start = date(year, *self.window_start)
        end_year = year if self.window_end >= self.window_start else year + 1
        return start, date(end_year, *self.window_end)

    def evaluate(self, facts: Facts) -> Outcome:
        start, end = self.window(facts.as_of)
        doses = facts.doses_of(self.accepts)
        season = tuple(d for d in doses if start <= d.date <= end)
        first_time = bool(self.first_season_count) and not any(d.date < start for d in doses)
        needed = self.first_season_count if first_time else self.count
        second: ResolvedDose | None = None
        next_from: date | None = None
        waits_for_second = False
        if len(season) < self.count:
            met = False
            # While the window is open the dose is still due; once closed, the season was missed.
            next_from = max(start, facts.as_of) if facts.as_of <= end else date(end.year + 1, *self.window_start)
        elif first_time and self.first_season_count > self.count:
            # A first-time recipient's second dose need not fall in the window (reading A-16).
            rule = self.first_season_apart
            earliest = season[0].date + timedelta(days=1)
            if rule is not None:
                earliest = _earliest(rule.comparator, rule.shift.apply(season[0].date)) or earliest
            second = next((d for d in doses if d.date >= earliest), None)
            met = second is not None
            if not met:
                next_from = earliest
                waits_for_second = earliest > facts.as_of
        else:
            met = True
        finding = SeasonFinding(
            checker=self,
            window=(start, end),
            season_doses=season,
            first_time=first_time,
            second_dose=second,
            needed=needed,
            next_from=next_from,
            doses=tuple(doses),
        )
        have = min(len(season), self.count) + (1 if second else 0)
        return Outcome(
            met=met,
            progress=have / max(needed, 1),
            finding=finding,
            next_from=next_from if waits_for_second else None,
            due_by=end if not met and facts.as_of <= end else None,
        )


# --- other evidence -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EvidenceChecker:
    """Laboratory-confirmed immunity, a documented disease history, or herpes zoster history."""

    kind: str  # "lab_immunity" | "disease_history" | "zoster_history"
    disease: str = ""
    at_age: AgeRule | None = None

    def evaluate(self, facts: Facts) -> Outcome:
        found = None
        rejected = None
        for item in facts.evidence(self.kind):
            if self.disease and item.disease != self.disease:
                continue
            at_age = self.at_age
            if at_age is not None and (item.date is None or not at_age.holds(item.date, facts.age_limit(at_age))):
                rejected = item
                continue
            found = item
            break
        return Outcome(
            met=found is not None,
            progress=0.0,
            finding=EvidenceFinding(checker=self, found=found, rejected=rejected),
            doses_based=False,
        )


@attrs.frozen(kw_only=True)
class NoDosesChecker(GroupTerm):
    """`no doses of GROUP`: met when the student has received none by the evaluation date."""

    def evaluate(self, facts: Facts) -> Outcome:
        doses = facts.doses_of(self.accepts)
        return Outcome(
            met=not doses, progress=0.0, finding=NoDosesFinding(checker=self, doses=doses), doses_based=False
        )


Term = Union[SeriesChecker, SeasonChecker, EvidenceChecker, NoDosesChecker, "AllOfChecker"]


@attrs.frozen(kw_only=True)
class AllOfChecker:
    parts: tuple[Term, ...]

    def evaluate(self, facts: Facts) -> Outcome:
        outcomes = tuple(p.evaluate(facts) for p in self.parts)
        unmet = [o for o in outcomes if not o.met]
        next_dates = [o.next_from for o in unmet if o.next_from is not None]
        due = [o.due_by for o in unmet if o.due_by is not None]
        return Outcome(
            met=not unmet,
            progress=sum(o.progress for o in outcomes) / len(outcomes),
            finding=AllFinding(parts=outcomes),
            next_from=max(next_dates) if next_dates and len(next_dates) == len(unmet) else None,
            due_by=min(due) if due else None,
            doses_based=any(o.doses_based for o in outcomes),
        )
