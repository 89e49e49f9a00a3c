"""One student's evaluation, explained requirement by requirement for a school nurse.

`explain` runs the same evaluation as `ctrules evaluate` (`Evaluator.trace`) and words what it
kept: the clause or status rule that decided each requirement and every other one tried, each
dose of the relevant vaccines with its age, interval and every rule it met or missed (and by
how many days), and from when a further dose would count. Nothing here decides a status.

`explain` builds one JSON-ready structure; `render_text` lays that structure out, so the text
and the JSON never disagree. The structure (`--format json`) is stable: keys are only added.

    {
      "id": "stu-0016", "as_of": "2024-09-01",
      "ruleset": {"name": "ct", "version": "2022-09-01", "description": "…"},  # + "amends"
      "policy": {"grace_days": 0, "live_vaccine_spacing": false},
      "student": {"birth_date": "2018-12-11", "grade": "K", "age": {"years": 5, "months": 8, "days": 21},
                  "age_days": 2091},
      "status": "non_compliant",                   # overall, as `evaluate`
      "doses_not_considered": [{"date", "vaccine"}],   # dated after as_of
      "evidence": [{"type", "disease", "date", "considered"}],
      "exemptions": [{"type", "vaccines", "requirements", "until", "on_file_since"}],
      "requirements": [{
        "requirement": "measles", "title": "Measles",
        "status", "clause", "reasons",              # exactly as `evaluate` gives them
        "decided_by": {"basis": "met" | "unmet" | "deemed" | "not_applicable" | "exempt" | "rule" | "otherwise",
                       "clause": "10-204a-2a(a)(2)" | null, "rule": "3 doses" | null, "text": "…"},
        "tried": [{"kind": "clause" | "also" | "rule", "clause", "provisional", "rule", "rule_status",
                   "in_force": bool, "conditions": [{"text", "held"}],
                   "result": "not_in_force" | "not_applicable" | "not_reached" | "not_evaluated"
                             | "deemed" | "not_required" | "met" | "not_met" | "matched",
                   "role": "decided" | "closest" | "also" | "toward" | null, "summary": "…", "options": ["…"],
                   "reasons": ["…"]}],                # what `evaluate` would say of its outcome
        "terms": [{"kind": "series", "clause", "rule", "role", "group", "title", "required", "counted", "met",
                   "doses": [{"date", "vaccine", "product", "field",
                              "result": "counted" | "not_counted" | "live_spacing" | "same_day" | "not_needed",
                              "counted": bool, "position": int | null,
                              "age": {"years", "months", "days"}, "age_days": int,
                              "interval_days": int | null, "previous_counted": date | null,
                              "constraints": [{"kind": "age" | "interval" | "recency", "rule": "…",
                                               "limit": date, "nominal": date, "grace_days": int,
                                               "met": bool, "missed_by_days": int | null,
                                               "days_to_spare": int | null, "text": "…"}],
                              "live_conflict": {"vaccine", "date", "days_apart", "required_days",
                                                "missed_by_days"} | null,
                              "text": "…"}],
                   "other_products": [{"date", "vaccine", "product", "text"}],
                   "latest": {"date", "vaccine", "constraints"} | null,
                   "next_from", "next_until", "impossible"}
                  | {"kind": "season", …} | {"kind": "evidence", …} | {"kind": "no_doses", …}
                  | {"kind": "all", "parts": […]}],
        "next_from": date | null, "next_until": date | null,
        "exemptions": [{"type", "honoured", "ended", "provision", "text"}],
        "in_process": {"date", "citation"} | null}]
    }

`docs/explain.md` describes every key with an example.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from . import reasons
from .api import Ruleset
from .ast import ClauseKind, Comparator, DateSubject
from .checkers import (
    LIVE_SPACING_DAYS,
    AgeIs,
    AllFinding,
    Check,
    Condition,
    DateIs,
    DoseFate,
    DoseTrial,
    EvidenceFinding,
    Facts,
    FailureKind,
    GradeIn,
    NoDosesFinding,
    Outcome,
    ResolvedDose,
    SeasonFinding,
    SeriesFinding,
)
from .dates import age_parts
from .evaluate import Basis, Decision, Evaluator, ExemptionTrial, Trial
from .grades import GRADE_ORDER, grade_rank
from .reasons import ordinal
from .records import Evidence, Student
from .results import RequirementResult, Status

__all__ = ["explain", "render_text"]

Json = dict[str, Any]


# --- small words -----------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _age(birth: date, on: date) -> Json:
    years, months, days = age_parts(birth, on)
    return {"years": years, "months": months, "days": days}


def _age_text(age: Mapping[str, int]) -> str:
    return f"{age['years']}y {age['months']}m {age['days']}d"


_STATUS_WORDS = {
    Status.COMPLIANT: "compliant",
    Status.IN_PROGRESS: "in progress",
    Status.NON_COMPLIANT: "non-compliant",
    Status.NOT_REQUIRED: "not required",
    Status.EXEMPT: "exempt",
    Status.ERROR: "error",
}

_ON_DATE = {
    Comparator.GE: "on or after",
    Comparator.GT: "after",
    Comparator.LE: "on or before",
    Comparator.LT: "before",
}


def _grades(grades: frozenset[str]) -> str:
    """`K to 12`, `P3 or PK`, `7`: the grades in school order, runs written as ranges."""
    ranks = sorted(grade_rank(g) for g in grades)
    runs: list[list[int]] = []
    for rank in ranks:
        if runs and rank == runs[-1][-1] + 1:
            runs[-1].append(rank)
        else:
            runs.append([rank])
    name = {grade_rank(g): g for g in GRADE_ORDER}
    parts = [f"{name[r[0]]} to {name[r[-1]]}" if len(r) > 2 else " or ".join(name[x] for x in r) for r in runs]
    return ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]


# --- conditions ------------------------------------------------------------------------------


def _condition(condition: Condition, held: bool, facts: Facts) -> str:
    """Where a clause or rule applies, said of this student on the evaluation date."""
    grade = facts.student.grade
    match condition:
        case GradeIn(grades=grades, cohort_rank=cohort):
            listed = _grades(grades)
            if grade in grades:
                return f"in grade {grade}" + (f" ({listed})" if listed != grade else "")
            if cohort is None:
                return f"in grade {grade}, not {listed}"
            top = next(g for g in GRADE_ORDER if grade_rank(g) == cohort)
            if held:
                return f"in grade {grade}, and in grade {top} when the clause was already in force (by cohort)"
            if grade_rank(grade) <= cohort:
                return f"in grade {grade}, not {listed} (nor past it, by cohort)"
            return f"in grade {grade}, but in grade {top} before the clause was in force (by cohort)"
        case AgeIs(comparator=comparator, quantity=quantity):
            on = facts.age_date(quantity)
            if comparator in (Comparator.GE, Comparator.LT):
                # Whether the student has reached the age: `age >= 18 months`, `age < 72 months`.
                reached = held == (comparator is Comparator.GE)
                return f"{quantity} old or older (since {on})" if reached else f"younger than {quantity} (until {on})"
            # `age > N` and `age <= N`: measured against the day the student turns N.
            older = held == (comparator is Comparator.GT)
            return f"older than {quantity} (after {on})" if older else f"not older than {quantity} (until {on})"
        case DateIs(subject=subject, comparator=comparator, on=limit):
            words = _ON_DATE[comparator]
            if subject is DateSubject.BIRTH:
                return f"born {facts.birth}, {'' if held else 'not '}{words} {limit}"
            entry = facts.k12_entry
            if entry is None:
                return f"not enrolled in K-12 (needs enrolment {words} {limit})"
            return f"enrolled in K-12 on {entry}, {'' if held else 'not '}{words} {limit}"
    return str(condition)


# --- one dose, one rule ----------------------------------------------------------------------


def _rule_words(check: Check) -> str:
    """The rule as a sentence fragment: `on or after the 1st birthday (2019-12-11)`."""
    grace = f", allowing {_days(check.grace_days)} of {check.grace_word}" if check.grace_days else ""
    quantity = check.quantity
    assert quantity is not None
    match check.kind:
        case FailureKind.AGE:
            nominal = check.nominal
            subject = f"the {ordinal(quantity.amount)} birthday" if check.as_birthday else f"age {quantity}"
            return f"{_ON_DATE[check.comparator]} {subject} ({nominal}){grace}"
        case FailureKind.INTERVAL:
            return f"{check.comparator.words} {quantity} after dose {check.anchor_dose} ({check.anchor_date}){grace}"
        case _:
            return f"{check.comparator.words} {quantity} before the evaluation date ({check.compared}){grace}"


def _relation(check: Check) -> str:
    """Where the dose fell against the rule's own date: `given 3 days before it`."""
    compared = check.compared
    assert compared is not None
    if check.kind is FailureKind.INTERVAL:
        return f"given {_days((compared - check.anchor_date).days)} after dose {check.anchor_dose}"
    if check.kind is FailureKind.RECENCY:
        return f"given {_days((compared - check.anchor_date).days)} before it"
    nominal = check.nominal
    assert nominal is not None
    gap = (compared - nominal).days
    if gap == 0:
        return "given on that day"
    return f"given {_days(abs(gap))} {'before' if gap < 0 else 'after'} it"


def _check(check: Check) -> Json:
    margin = check.margin_days
    assert margin is not None
    rule = _rule_words(check)
    text = f"{rule}: {_relation(check)}"
    nominal = check.nominal
    exact = check.kind is FailureKind.AGE and check.comparator is Comparator.GE and not check.grace_days
    if check.met:
        if not exact:
            text += f" ({_days(margin)} to spare)"
    else:
        if not exact:
            early = "soon" if check.kind is FailureKind.INTERVAL else "early"
            text += f", {_days(-margin)} too {early if check.is_minimum else 'late'}"
        if check.kind is FailureKind.RECENCY:
            text += f"; it held until {check.limit}" if not check.is_minimum else f"; it holds from {check.limit}"
        elif check.is_minimum:
            text += f"; a dose on or after {check.limit} counts"
        else:
            text += f"; only a dose on or before {check.limit} counts"
    return {
        "kind": check.kind.value,
        "rule": rule,
        "limit": _iso(check.limit),
        "nominal": _iso(nominal),
        "grace_days": check.grace_days,
        "met": check.met,
        "missed_by_days": None if check.met else -margin,
        "days_to_spare": margin if check.met else None,
        "text": text,
    }


_FATE_WORDS = {
    DoseFate.COUNTED: "counted as dose {slot}",
    DoseFate.NOT_COUNTED: "not counted (tried as dose {slot})",
    DoseFate.LIVE_SPACING: "not counted (tried as dose {slot})",
    DoseFate.SAME_DAY: "not counted separately: {same_day} was given the same day (a day's doses count once)",
    DoseFate.NOT_NEEDED: "not needed: the series was already complete",
}


def _dose(trial: DoseTrial, birth: date) -> Json:
    dose = trial.dose
    conflict: Json | None = None
    same_day = trial.same_day_as.label if trial.same_day_as is not None else ""
    text = _FATE_WORDS[trial.fate].format(slot=trial.slot, same_day=same_day)
    if trial.conflict is not None:
        earlier = trial.conflict.earlier
        apart = (dose.date - earlier.date).days
        conflict = {
            "vaccine": earlier.label,
            "date": _iso(earlier.date),
            "days_apart": apart,
            "required_days": LIVE_SPACING_DAYS,
            "missed_by_days": LIVE_SPACING_DAYS - apart,
            "text": (
                f"at least {LIVE_SPACING_DAYS} days after the live vaccine {earlier.label} ({earlier.date}), "
                f"a different vaccine: given {_days(apart)} after it, {_days(LIVE_SPACING_DAYS - apart)} too soon"
            ),
        }
    checks = [_check(c) for c in trial.checks]
    previous = trial.previous
    return {
        "date": _iso(dose.date),
        "vaccine": dose.label,
        "product": dose.product,
        "field": dose.field,
        "result": trial.fate.value,
        "counted": trial.fate is DoseFate.COUNTED,
        "position": trial.slot,
        "age": _age(birth, dose.date),
        "age_days": (dose.date - birth).days,
        "interval_days": (dose.date - previous.date).days if previous is not None else None,
        "previous_counted": _iso(previous.date) if previous is not None else None,
        "constraints": checks,
        "live_conflict": conflict,
        "text": text,
    }


# --- terms -----------------------------------------------------------------------------------


def _series(outcome: Outcome, finding: SeriesFinding, birth: date) -> Json:
    checker = finding.checker
    latest = None
    if finding.latest is not None:
        latest = {
            "date": _iso(finding.latest.date),
            "vaccine": finding.latest.label,
            "constraints": [_check(c) for c in finding.latest_checks],
        }
    return {
        "kind": "series",
        "group": checker.group,
        "title": checker.group_title,
        "required": checker.count,
        "counted": len(finding.counted),
        "met": outcome.met,
        "doses": [_dose(t, birth) for t in finding.trials],
        "other_products": [
            {
                "date": _iso(d.date),
                "vaccine": d.label,
                "product": d.product,
                "text": f"does not count: not {checker.group_title}",
            }
            for d in finding.other_products
        ],
        "latest": latest,
        "next_from": _iso(finding.next_from),
        "next_until": _iso(finding.next_until),
        "impossible": finding.impossible,
    }


def _season(outcome: Outcome, finding: SeasonFinding, as_of: date) -> Json:
    start, end = finding.window
    # A first-time recipient's second dose need not fall in the window (reading A-16).
    second = finding.first_time and bool(finding.season_doses) and finding.second_dose is None

    def fate(dose: ResolvedDose) -> str:
        if dose in finding.season_doses:
            return "this_season"
        if dose == finding.second_dose:
            return "second_dose"
        return "other_season"

    return {
        "kind": "season",
        "title": finding.checker.group_title,
        "window": {"from": _iso(start), "until": _iso(end)},
        "first_season": finding.first_time,
        "required": finding.needed,
        "met": outcome.met,
        "doses": [{"date": _iso(d.date), "vaccine": d.label, "result": fate(d)} for d in finding.doses],
        "next_from": _iso(finding.next_from),
        "next_until": _iso(end) if finding.next_from is not None and finding.next_from <= end and not second else None,
        "text": list(reasons.outcome_reasons(outcome, as_of)),
    }


def _term(outcome: Outcome, facts: Facts) -> Json:
    finding = outcome.finding
    match finding:
        case SeriesFinding():
            return _series(outcome, finding, facts.birth)
        case SeasonFinding():
            return _season(outcome, finding, facts.as_of)
        case EvidenceFinding(checker=checker, found=found, rejected=rejected):
            return {
                "kind": "evidence",
                "evidence": checker.kind,
                "disease": checker.disease or None,
                "met": outcome.met,
                "found": _evidence(found) if found else None,
                "rejected": _evidence(rejected) if rejected else None,
                "text": list(reasons.outcome_reasons(outcome, facts.as_of)),
            }
        case NoDosesFinding(checker=checker, doses=doses):
            return {
                "kind": "no_doses",
                "title": checker.group_title,
                "met": outcome.met,
                "doses": [{"date": _iso(d.date), "vaccine": d.label} for d in doses],
                "text": list(reasons.outcome_reasons(outcome, facts.as_of)),
            }
        case AllFinding(parts=parts):
            return {"kind": "all", "met": outcome.met, "parts": [_term(p, facts) for p in parts]}
    raise TypeError(f"not a finding: {finding!r}")


def _summary(outcome: Outcome, as_of: date) -> str:
    """One line for a clause or rule tried: how far its requirement got."""
    finding = outcome.finding
    match finding:
        case SeriesFinding(checker=checker, counted=counted):
            doses = "dose" if checker.count == 1 else "doses"
            text = f"{len(counted)} of {checker.count} {doses} of {checker.group_title} counted"
            if finding.latest_failures:
                text += "; the most recent dose does not qualify"
            elif checker.latest and finding.latest is None:
                text += "; no dose is recorded"
            if finding.impossible:
                text += "; can no longer be met"
            return text
        case AllFinding(parts=parts):
            return "; ".join(_summary(p, as_of) for p in parts)
    return next(iter(reasons.outcome_reasons(outcome, as_of)), "")


def _evidence(item: Evidence) -> Json:
    return {"type": item.type, "disease": item.disease or None, "date": _iso(item.date)}


# --- clauses and rules tried -----------------------------------------------------------------


def _name(trial: Trial) -> str:
    """`rule "3 doses"`, `§ 10-204a-2a(a)(2)` or `also § 10-204a-2a(c)(2)`."""
    if trial.rule is not None:
        return f'rule "{trial.rule.name}"'
    assert trial.clause is not None
    prefix = "also " if trial.clause.kind is ClauseKind.ADDITIONAL else ""
    return f"{prefix}{trial.clause.citation}"


def _result(trial: Trial) -> str:
    if not trial.reached:
        return "not_reached"
    if not trial.in_force:
        return "not_in_force"
    if not trial.applies:
        return "not_applicable"
    clause = trial.clause
    if clause is not None and clause.deemed:
        return "deemed"
    if clause is not None and clause.not_required:
        return "not_required"
    if trial.rule is not None and not trial.rule.options:
        return "matched"
    if trial.outcome is None:
        return "not_evaluated"
    if trial.rule is not None:
        return "matched" if trial.outcome.met else "not_met"
    return "met" if trial.outcome.met else "not_met"


def _in_force_words(trial: Trial, as_of: date) -> str:
    item = trial.clause or trial.rule
    assert item is not None
    window = item.in_force
    span = []
    if window.start is not None:
        span.append(f"from {window.start}")
    if window.end is not None:
        span.append(f"until {window.end}")
    return f"not in force on {as_of} (in force {' '.join(span)})"


def _not_evaluated(decision: Decision) -> str:
    """Why a clause that applies was not looked at: something settled the requirement first."""
    if decision.basis is Basis.DEEMED and decision.deciding:
        return f"applies, but not needed: {_name(decision.deciding[0])} settles the requirement"
    if decision.basis is Basis.NOT_APPLICABLE:
        return "applies, but not needed: the requirement does not apply"
    return "applies, but was not needed to decide"


def _tried(trial: Trial, role: str | None, facts: Facts, decision: Decision) -> Json:
    result = _result(trial)
    conditions: list[Json] = [{"text": _condition(c, held, facts), "held": held} for c, held in trial.conditions]
    as_of = facts.as_of
    if result == "not_reached":
        decider = decision.deciding[0] if decision.deciding else None
        summary = f"not tried: {_name(decider)} decided first" if decider else "not tried"
    elif result == "not_in_force":
        summary = _in_force_words(trial, as_of)
    elif result == "not_applicable":
        summary = "does not apply: " + "; ".join(c["text"] for c in conditions if not c["held"])
    elif result == "deemed":
        summary = "applies: deemed protected"
    elif result == "not_required":
        summary = "applies: nothing is required here"
    elif result == "not_evaluated":
        summary = _not_evaluated(decision)
    elif trial.outcome is None:
        summary = "matched: it asks for no doses"
    else:
        met = trial.outcome.met
        word = ("matched" if met else "not met") if trial.rule is not None else ("met" if met else "not met")
        summary = f"{word}: {_summary(trial.outcome, as_of)}"
    rule = trial.rule
    clause = trial.clause
    return {
        "kind": "rule" if rule is not None else (clause.kind.value if clause is not None else "clause"),
        "clause": clause.citation.text if clause is not None else None,
        "provisional": clause.citation.provisional if clause is not None else False,
        "rule": rule.name if rule is not None else None,
        "rule_status": rule.status.value if rule is not None else None,
        "in_force": trial.in_force,
        "conditions": conditions,
        "result": result,
        "role": role,
        "summary": summary,
        "options": [_summary(o, as_of) for o in trial.options] if len(trial.options) > 1 else [],
        "reasons": list(reasons.outcome_reasons(trial.outcome, as_of)) if trial.outcome is not None else [],
    }


def _waiting(decision: Decision, as_of: date) -> str:
    """Why an unmet requirement is in progress rather than non-compliant."""
    if decision.in_process is not None:
        return "a certificate that immunizations are in process is on file"
    outcomes = [t.outcome for t in decision.deciding if t.outcome is not None]
    later = [o.next_from for o in outcomes if o.next_from is not None and o.next_from > as_of]
    due = [o.due_by for o in outcomes if o.due_by is not None and as_of <= o.due_by]
    if later:
        return f"the next dose cannot count before {max(later)}"
    if due:
        return f"the dose is not due until {min(due)}"
    return "the status rule says so"


def _decided_by(decision: Decision, status: Status, as_of: date) -> Json:
    first = decision.deciding[0] if decision.deciding else None
    clause = first.clause.citation.text if first is not None and first.clause is not None else None
    rule = first.rule.name if first is not None and first.rule is not None else None
    name = _name(first) if first is not None else ""
    # The clauses that must hold as well, by citation (the sentence says `also` itself).
    also = ", ".join(str(t.clause.citation) for t in decision.deciding[1:] if t.clause is not None)
    match decision.basis:
        case Basis.MET:
            text = f"{name} is met" + (f", and {also}, which must hold as well, is met too" if also else "")
        case Basis.UNMET:
            if first is not None and first.clause is not None and first.clause.kind is ClauseKind.ADDITIONAL:
                text = f"{name}, which must hold as well, is not met"
            else:
                text = f"no clause is met; {name} came closest"
                if also:
                    text += f", and {also}, which must hold as well, is not met either"
        case Basis.DEEMED:
            assert first is not None and first.clause is not None
            text = f"{name} applies: " + ("deemed protected" if first.clause.deemed else "nothing is required")
            text += f' ("{first.clause.text}")' if first.clause.text else ""
        case Basis.NOT_APPLICABLE:
            text = f"no clause that asks for doses applies on {as_of}"
            if decision.applies_from is not None:
                start, starting = decision.applies_from
                text += f"; {starting.citation} applies from {start}"
        case Basis.EXEMPT:
            honoured = decision.exemptions[0] if decision.exemptions else None
            text = "not met, but " + (_exemption_words(honoured, as_of) if honoured else "an exemption is honoured")
        case Basis.RULE:
            text = f"{name} is the first rule that matched: {_STATUS_WORDS[status]}"
        case _:
            text = f"no rule matched; the requirement's default is {_STATUS_WORDS[status]}"
            if first is not None:
                text += f"; {name} came closest"
    if status is Status.IN_PROGRESS and decision.basis in (Basis.UNMET, Basis.OTHERWISE):
        text += f"; in progress because {_waiting(decision, as_of)}"
    return {"basis": decision.basis.value, "clause": clause, "rule": rule, "text": text}


def _exemption_words(trial: ExemptionTrial, as_of: date) -> str:
    record = trial.record
    if trial.honoured and trial.declaration is not None:
        declaration = trial.declaration
        if record is None:
            return reasons.statutory_exemption(declaration.citation, declaration.text)
        return reasons.exemption_honoured(record.type, record.on_file_since, record.until, declaration.citation)
    assert record is not None
    if trial.ended is not None:
        return reasons.exemption_ended(trial.ended)
    provisions = [(d.citation, d.text) for d in trial.provisions]
    return reasons.exemption_not_honoured(record.type, record.on_file_since, as_of, provisions)


def _exemption(trial: ExemptionTrial, as_of: date) -> Json:
    declaration = trial.declaration
    citation = declaration.citation if declaration is not None else None
    return {
        "type": trial.record.type if trial.record is not None else "statutory",
        "honoured": trial.honoured,
        "ended": _iso(trial.ended),
        "provision": citation.text if citation is not None else None,
        "text": _exemption_words(trial, as_of),
    }


def _next(terms: list[Json]) -> tuple[str | None, str | None]:
    """The earliest date a further dose would count toward every unmet term shown, and the
    last, where a window closes."""
    starts: list[str] = []
    ends: list[str] = []
    for term in _leaves(terms):
        if term["met"] or term["kind"] not in ("series", "season"):
            continue
        if term["kind"] == "series" and term["impossible"]:
            continue
        if term["next_from"]:
            starts.append(term["next_from"])
        if term["next_until"]:
            ends.append(term["next_until"])
    return (max(starts) if starts else None), (min(ends) if ends else None)


def _leaves(terms: list[Json]) -> Iterator[Json]:
    for term in terms:
        if term["kind"] == "all":
            yield from _leaves(term["parts"])
        else:
            yield term


def _roles(decision: Decision) -> dict[int, str]:
    """How each shown clause or rule took part: decided it, came closest, held (or failed)
    alongside, or is the compliant rule the student is working toward."""
    roles: dict[int, str] = {}
    closest = decision.basis in (Basis.UNMET, Basis.EXEMPT, Basis.OTHERWISE)
    for index, trial in enumerate(decision.deciding):
        roles[id(trial)] = "also" if index else ("closest" if closest else "decided")
    if decision.toward is not None:
        roles[id(decision.toward)] = "toward"
    return roles


def _requirement(decision: Decision, facts: Facts, result: RequirementResult, in_process: str | None) -> Json:
    status = result.status
    as_of = facts.as_of
    roles = _roles(decision)
    shown = [*decision.deciding, *([decision.toward] if decision.toward is not None else [])]
    terms = []
    for trial in shown:
        if trial.outcome is None:
            continue
        term = _term(trial.outcome, facts)
        term["clause"] = trial.clause.citation.text if trial.clause is not None else None
        term["rule"] = trial.rule.name if trial.rule is not None else None
        term["role"] = roles[id(trial)]
        terms.append(term)
    unmet = status in (Status.NON_COMPLIANT, Status.IN_PROGRESS)
    next_from, next_until = _next(terms) if unmet else (None, None)
    certificate = decision.in_process
    return {
        "requirement": result.requirement,
        "title": decision.requirement.title,
        "status": status.value,
        "clause": result.clause,
        "reasons": list(result.reasons),
        "decided_by": _decided_by(decision, status, as_of),
        "tried": [_tried(t, roles.get(id(t)), facts, decision) for t in decision.trials],
        "terms": terms,
        "next_from": next_from,
        "next_until": next_until,
        "exemptions": [_exemption(t, as_of) for t in decision.exemptions],
        "in_process": {"date": _iso(certificate.date), "citation": in_process} if certificate else None,
    }


# --- the whole student -----------------------------------------------------------------------


def explain(ruleset: Ruleset, student: Student, as_of: date) -> Json:
    """One student's evaluation on `as_of`, explained; a record that cannot be evaluated gives
    `"status": "error"` with its `errors`, as `evaluate` does."""
    compiled = ruleset.compiled
    traced = Evaluator(compiled).trace(student, as_of)
    result = traced.result
    version = compiled.version_on(as_of)
    described = next((v.description for v in compiled.versions if v.id == version.id), "")
    ruleset_json: Json = {"name": result.ruleset_name, "version": result.ruleset_version, "description": described}
    if result.ruleset_amends is not None:
        ruleset_json["amends"] = {"name": result.ruleset_amends[0], "version": result.ruleset_amends[1]}
    data: Json = {
        "id": student.id,
        "as_of": as_of.isoformat(),
        "ruleset": ruleset_json,
        "policy": {
            "grace_days": ruleset.ast.default_grace or 0,
            "live_vaccine_spacing": compiled.live_vaccine_spacing,
        },
        "student": {
            "birth_date": _iso(student.birth_date),
            "grade": student.grade,
            "age": _age(student.birth_date, as_of) if student.birth_date <= as_of else None,
            "age_days": (as_of - student.birth_date).days,
        },
        "status": result.status.value,
    }
    if traced.facts is None:
        data["errors"] = list(result.errors)
        return data
    facts = traced.facts
    data["doses_not_considered"] = [{"date": _iso(d.date), "vaccine": d.label} for d in student.doses if d.date > as_of]
    data["evidence"] = [{**_evidence(e), "considered": e.date is None or e.date <= as_of} for e in student.evidence]
    data["exemptions"] = [
        {
            "type": e.type,
            "vaccines": list(e.vaccines),
            "requirements": list(e.requirements),
            "until": _iso(e.until),
            "on_file_since": _iso(e.on_file_since),
        }
        for e in student.exemptions
    ]
    provision = compiled.in_process
    citation = provision.citation.text if provision is not None and provision.citation is not None else None
    data["requirements"] = [
        _requirement(decision, facts, result.requirements[name], citation)
        for name, decision in traced.decisions.items()
    ]
    return data


# --- text ------------------------------------------------------------------------------------

WIDTH = 100
"""Text lines are wrapped to this width, continuation lines indented under their first."""

_EVIDENCE_NAMES = {
    "lab_immunity": "laboratory-confirmed immunity",
    "disease_history": "documented history of disease",
    "zoster_history": "documented history of herpes zoster",
    "in_process": "certificate of immunizations in process",
}

_MARKS = {"decided": "> ", "closest": "> ", "also": "+ ", "toward": "~ "}
"""Beside a clause or rule tried: `>` the one cited, `+` an `also` clause with it, `~` the
compliant rule the student is working toward."""


def _wrap(text: str, indent: str, hang: str = "  ") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang, break_on_hyphens=False
    ) or [indent]


def _status_text(value: str) -> str:
    return _STATUS_WORDS[Status(value)].upper()


def render_text(data: Mapping[str, Any]) -> str:
    """The explanation as plain aligned text for a person (no colour, whatever the output)."""
    student = data["student"]
    as_of = data["as_of"]
    lines = [f"Student {data['id']}: {_status_text(data['status'])} on {as_of}"]
    age = f", age {_age_text(student['age'])}" if student.get("age") else ""
    lines.append(f"  born {student['birth_date']}{age}, grade {student['grade']}")
    ruleset = data["ruleset"]
    version = f"ruleset {ruleset['name']}, version {ruleset['version'] or '(none)'}"
    if "amends" in ruleset:
        version += f" (amending {ruleset['amends']['name']}, version {ruleset['amends']['version']})"
    lines += _wrap(version + (f": {ruleset['description']}" if ruleset["description"] else ""), "  ")
    lines += _wrap("policy: " + _policy(data["policy"]), "  ")
    if "errors" in data:
        lines += [f"  error: {e}" for e in data["errors"]]
        return "\n".join(lines) + "\n"
    lines += _wrap("evidence on record: " + _listing_evidence(data["evidence"]), "  ")
    lines += _wrap("exemptions on record: " + _listing_exemptions(data["exemptions"]), "  ")
    if data["doses_not_considered"]:
        later = ", ".join(f"{d['vaccine']} on {d['date']}" for d in data["doses_not_considered"])
        lines += _wrap(f"not considered (dated after {as_of}): {later}", "  ")
    wanting = [r for r in data["requirements"] if r["status"] in ("non_compliant", "in_progress", "exempt")]
    if wanting:
        listed = ", ".join(f"{r['requirement']} ({_STATUS_WORDS[Status(r['status'])]})" for r in wanting)
        lines += _wrap(f"needs attention: {listed}", "  ")
    for requirement in data["requirements"]:
        lines.append("")
        lines += _requirement_text(requirement, data)
    return "\n".join(lines) + "\n"


def _policy(policy: Mapping[str, Any]) -> str:
    grace = policy["grace_days"]
    if grace:
        text = (
            f"{_days(grace)} of grace on minimum ages and intervals (a dose up to {_days(grace)} early "
            "counts) unless a rule states its own"
        )
    else:
        text = "no grace period: minimum ages and intervals are exact unless a rule states a tolerance"
    if policy["live_vaccine_spacing"]:
        text += (
            f"; live vaccine spacing on: a live vaccine given 1 to {LIVE_SPACING_DAYS - 1} days after a "
            "different live vaccine does not count"
        )
    else:
        text += "; live vaccine spacing off"
    return text


def _listing_evidence(items: list[Json]) -> str:
    if not items:
        return "none"
    words = []
    for item in items:
        text: str = _EVIDENCE_NAMES.get(item["type"]) or str(item["type"])
        if item["disease"]:
            text += f" ({reasons.disease_words(item['disease'])})"
        if item["date"]:
            text += f" dated {item['date']}"
        if not item["considered"]:
            text += " (after the evaluation date: not considered)"
        words.append(text)
    return "; ".join(words)


def _listing_exemptions(items: list[Json]) -> str:
    if not items:
        return "none"
    words = []
    for item in items:
        text = item["type"]
        named = [*item["vaccines"], *item["requirements"]]
        if named:
            text += f" for {', '.join(named)}"
        if item["on_file_since"]:
            text += f", on file since {item['on_file_since']}"
        if item["until"]:
            text += f", until {item['until']}"
        words.append(text)
    return "; ".join(words)


def _requirement_text(requirement: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    lines = [f"{requirement['title']} [{requirement['requirement']}]: {_status_text(requirement['status'])}"]
    lines += _wrap(f"Decided: {requirement['decided_by']['text']}", "  ")
    cited = next((t for t in requirement["tried"] if t["role"] in ("decided", "closest")), None)
    if cited is not None and cited["conditions"]:
        lines += _wrap(f"Applies: {'; '.join(c['text'] for c in cited['conditions'])}", "  ")
    for term in requirement["terms"]:
        lines += _term_text(term, "  ")
    if requirement["next_from"]:
        lines += _wrap(_next_text(requirement, data["as_of"]), "  ")
    if requirement["in_process"]:
        certificate = requirement["in_process"]
        cited = f", § {certificate['citation']}" if certificate["citation"] else ""
        lines += _wrap(
            f"In process: a certificate that immunizations are in process is on file (dated "
            f"{certificate['date']}{cited}), so the requirement is in progress",
            "  ",
        )
    lines.append("  Tried, in order:")
    labels = [_tried_label(t) for t in requirement["tried"]]
    width = min(max(len(label) for label in labels), 44) if labels else 0
    for tried, label in zip(requirement["tried"], labels, strict=True):
        mark = _MARKS.get(tried["role"] or "", "  ")
        lines += _wrap(f"{mark}{label:<{width}}  {tried['summary']}", "    ", " " * (width + 4))
        for option in tried["options"]:
            lines += _wrap(f"option: {option}", "    " + " " * (width + 4))
        if tried["result"] == "not_met" and tried["role"] is None:
            # Why a clause or rule not shown above did not match, in `evaluate`'s own words.
            for reason in tried["reasons"]:
                if reason not in tried["summary"]:
                    lines += _wrap(f"- {reason}", "    " + " " * (width + 4), "  ")
    if requirement["exemptions"]:
        lines.append("  Exemptions considered:")
        for exemption in requirement["exemptions"]:
            lines += _wrap(exemption["text"], "    ")
    elif data["exemptions"] and requirement["status"] in ("compliant", "not_required"):
        lines.append("  Exemptions: not needed")
    return lines


def _tried_label(tried: Mapping[str, Any]) -> str:
    if tried["rule"] is not None:
        return f'rule "{tried["rule"]}" ({_STATUS_WORDS[Status(tried["rule_status"])]})'
    prefix = "also " if tried["kind"] == "also" else ""
    return f"{prefix}§ {tried['clause']}" + (" provisional" if tried["provisional"] else "")


def _where(term: Mapping[str, Any]) -> str:
    if term.get("rule"):
        return f'rule "{term["rule"]}"'
    return f"§ {term['clause']}" if term.get("clause") else ""


def _next_text(requirement: Mapping[str, Any], as_of: str) -> str:
    """When the next dose counts, whether one given today would, and whether it would be the last
    one needed (only one dose of one series missing; nothing is predicted beyond the next dose)."""
    start, end = requirement["next_from"], requirement["next_until"]
    text = f"Next dose: counts if given on or after {start}" + (f" and on or before {end}" if end else "")
    unmet = [t for t in _leaves(requirement["terms"]) if not t["met"] and t.get("role") != "toward"]
    shown = unmet or [t for t in requirement["terms"] if t.get("role") == "toward"]
    missing = [t["required"] - t["counted"] for t in shown if t["kind"] == "series"]
    completes = missing == [1] and len(shown) == 1 and not shown[0].get("latest")
    if start <= as_of and (end is None or as_of <= end):
        text += f"; a dose given now ({as_of}) would count"
        text += f" and complete {_where(shown[0])}, meeting this requirement" if completes else ""
    elif completes:
        text += f"; it would complete {_where(shown[0])}, meeting this requirement"
    if sum(missing) > 1:
        text += f" ({sum(missing)} more doses are needed in all)"
    return text


def _term_text(term: Mapping[str, Any], indent: str) -> list[str]:
    where = _where(term)
    if term.get("role") == "toward":
        where = f"Toward compliance, {where}"
    match term["kind"]:
        case "series":
            return _series_text(term, indent, where)
        case "all":
            lines = []
            for part in term["parts"]:
                lines += _term_text({**part, "clause": term.get("clause"), "rule": term.get("rule")}, indent)
            return lines
        case _:
            lines = [f"{indent}{where}:" if where else f"{indent}Evidence:"]
            for line in term["text"]:
                lines += _wrap(line, indent + "  ")
            if term["kind"] == "season" and term["doses"]:
                marks = {"this_season": "this season", "second_dose": "second dose", "other_season": "other season"}
                listed = ", ".join(f"{d['vaccine']} {d['date']} ({marks[d['result']]})" for d in term["doses"])
                lines += _wrap(f"doses: {listed}", indent + "  ")
            return lines


def _series_text(term: Mapping[str, Any], indent: str, where: str) -> list[str]:
    asked = f"{term['required']} {'dose' if term['required'] == 1 else 'doses'} of {term['title']}"
    lines = _wrap(f"{where} asks for {asked}; {term['counted']} counted:", indent)
    pad = indent + "  "
    if not term["doses"]:
        lines.append(f"{pad}no dose of {term['title']} is recorded")
    rows = [
        (
            d["date"],
            d["vaccine"],
            _age_text(d["age"]),
            f"{d['interval_days']}d" if d["interval_days"] is not None else "-",
            d["text"],
        )
        for d in term["doses"]
    ]
    if rows:
        header = ("date", "vaccine", "age", "interval", "result")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]

        def row(cells: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)) + "  " + cells[4]

        lines.append(pad + row(header))
        hang = " " * (sum(widths) + 2 * 4)
        for dose, cells in zip(term["doses"], rows, strict=True):
            lines += _wrap(row(cells), pad, hang)
            conflict = dose["live_conflict"]
            spacing = [{"met": False, "text": conflict["text"]}] if conflict else []
            lines += _checks_text([*spacing, *dose["constraints"]], pad + "    ")
    for other in term["other_products"]:
        lines += _wrap(f"{other['vaccine']} on {other['date']}: {other['text']}", pad)
    latest = term["latest"]
    if latest is not None:
        lines += _wrap(f"most recent dose: {latest['vaccine']} on {latest['date']}", pad)
        lines += _checks_text(latest["constraints"], pad + "    ")
    if term["impossible"]:
        lines += _wrap(f"this can no longer be met: the next dose would have had to count by {term['next_until']}", pad)
    return lines


def _checks_text(checks: list[Json], indent: str) -> list[str]:
    lines = []
    for check in checks:
        word = "met   " if check["met"] else "MISSED"
        lines += _wrap(f"{word}  {check['text']}", indent, " " * 8)
    return lines
