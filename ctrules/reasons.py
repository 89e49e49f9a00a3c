"""Findings into sentences a school nurse can act on: what counted, what did not and why, and
from what date a further dose would count. The only place findings become English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from .ast import Citation, Comparator, Quantity
from .checkers import (
    LIVE_SPACING_DAYS,
    AllFinding,
    EvidenceFinding,
    Failure,
    FailureKind,
    NoDosesFinding,
    Outcome,
    Rejection,
    SeasonFinding,
    SeriesFinding,
)

__all__ = [
    "declared_not_required",
    "deemed",
    "exemption_ended",
    "exemption_honoured",
    "exemption_not_honoured",
    "in_process",
    "no_rule_decided",
    "not_applicable",
    "ordinal",
    "rule_decided",
    "under_rule",
    "outcome_reasons",
    "statutory_exemption",
    "under",
]

_EVIDENCE_WORDS = {
    "lab_immunity": "laboratory-confirmed immunity to {disease}",
    "disease_history": "history of {disease}",
    "zoster_history": "history of herpes zoster",
}

# How an antigen identifier reads in a sentence, where plain `_` to space is not enough.
_DISEASE_WORDS = {"hepatitis_a": "hepatitis A", "hepatitis_b": "hepatitis B", "hib": "Hib"}


def disease_words(antigen: str) -> str:
    return _DISEASE_WORDS.get(antigen, antigen.replace("_", " "))


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st: how birthdays and doses are counted in words."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _grace(days: int, word: str = "grace") -> str:
    """`(allowing 4 days of grace)`, in the rule's own word (`grace` or `tolerance`)."""
    return f" (allowing {_plural(days, 'day')} of {word})" if days else ""


def describe_age(quantity: Quantity, as_birthday: bool, on: date) -> str:
    """`the 1st birthday (2017-05-10)` or `age 24 weeks (2019-06-20)`."""
    if as_birthday:
        return f"the {ordinal(quantity.amount)} birthday ({on})"
    return f"age {quantity} ({on})"


def _age_failure(failure: Failure) -> str:
    assert failure.quantity is not None
    age = describe_age(failure.quantity, failure.as_birthday, failure.threshold)
    grace = _grace(failure.grace_days, failure.grace_word)
    match failure.comparator:
        case Comparator.GE:
            return f"it was given before {age}{grace}"
        case Comparator.GT:
            return f"it was given on or before {age}{grace}"
        case Comparator.LT:
            return f"it was given on or after {age}{grace}, which is too late"
        case Comparator.LE:
            return f"it was given after {age}{grace}, which is too late"


def _interval_failure(failure: Failure, given: date) -> str:
    gap = (given - failure.anchor_date).days
    verb = "is" if failure.quantity is not None and failure.quantity.amount == 1 else "are"
    return (
        f"it was {_plural(gap, 'day')} after dose {failure.anchor_dose} ({failure.anchor_date}); "
        f"{failure.comparator.words} {failure.quantity} {verb} required{_grace(failure.grace_days, failure.grace_word)}"
    )


def _recency_failure(failure: Failure) -> str:
    """A dose given too long (or not long enough) before the evaluation date."""
    assert failure.quantity is not None
    held = {
        Comparator.LE: f"that held until {failure.threshold}",
        Comparator.LT: f"that held until {failure.threshold - timedelta(days=1)}",
        Comparator.GE: f"that holds from {failure.threshold}",
        Comparator.GT: f"that holds from {failure.threshold + timedelta(days=1)}",
    }[failure.comparator]
    return (
        f"it must have been given {failure.comparator.words} {failure.quantity} before the evaluation date"
        f"{_grace(failure.grace_days, failure.grace_word)}; {held}"
    )


def _failure_text(failure: Failure, given: date) -> str:
    match failure.kind:
        case FailureKind.INTERVAL:
            return _interval_failure(failure, given)
        case FailureKind.RECENCY:
            return _recency_failure(failure)
        case _:
            return _age_failure(failure)


def _rejection_body(rejection: Rejection) -> str:
    """Why a dose did not count, starting "it was …", with the date from which one would count."""
    dose = rejection.dose
    if rejection.conflict is not None:
        earlier = rejection.conflict.earlier
        gap = (dose.date - earlier.date).days
        return (
            f"it was given {_plural(gap, 'day')} after the live vaccine {earlier.label} on {earlier.date}; "
            f"live vaccines not given on the same day must be at least {LIVE_SPACING_DAYS} days apart"
        )
    parts = []
    next_date: date | None = None
    for failure in rejection.failures:
        parts.append(_failure_text(failure, dose.date))
        if failure.kind is not FailureKind.RECENCY and failure.comparator in (Comparator.GE, Comparator.GT):
            earliest = failure.threshold + timedelta(days=failure.comparator is Comparator.GT)
            next_date = earliest if next_date is None else max(next_date, earliest)
    text = "; ".join(parts)
    if next_date is not None and next_date > dose.date:
        text += f"; a dose on or after {next_date} would count"
    return text


def _rejections_text(rejections: list[Rejection]) -> Iterator[str]:
    """One sentence per rejected dose; doses rejected for the same reason share one sentence."""
    groups: list[tuple[int, str, list[Rejection]]] = []
    for rejection in rejections:
        body = _rejection_body(rejection)
        if groups and groups[-1][0] == rejection.slot and groups[-1][1] == body:
            groups[-1][2].append(rejection)
        else:
            groups.append((rejection.slot, body, [rejection]))
    for slot, body, members in groups:
        if len(members) == 1:
            dose = members[0].dose
            yield f"{dose.label} on {dose.date} was not counted as dose {slot}: {body}"
        else:
            doses = ", ".join(f"{r.dose.label} on {r.dose.date}" for r in members[:-1])
            last = members[-1].dose
            plural_body = body.replace("it was given", "each was given", 1)
            yield f"{doses} and {last.label} on {last.date} were not counted as dose {slot}: {plural_body}"


def _series_reasons(finding: SeriesFinding, met: bool, brief: bool = False) -> Iterator[str]:
    checker = finding.checker
    if finding.counted:
        dates = ", ".join([d.date.isoformat() for d in finding.counted])
        valid = "valid dose" if len(finding.counted) == 1 else "valid doses"
        yield f"{len(finding.counted)} {valid} of {checker.group_title}: {dates}"
    if finding.rejected and not (met and brief):
        yield from _rejections_text(list(finding.rejected))
    if finding.latest is not None:
        latest = finding.latest
        for failure in finding.latest_failures:
            why = _recency_failure(failure)
            yield f"the most recent dose, {latest.label} on {latest.date}, does not qualify: {why}"
    elif checker.latest:
        yield f"no dose of {checker.group_title} is recorded"
    if met or len(finding.counted) == checker.count:
        return
    missing = checker.count - len(finding.counted)
    doses = "dose" if missing == 1 else "doses"
    need = f"{missing} more {doses} of {checker.group_title} needed ({checker.count} required)"
    start, end = finding.next_from, finding.next_until
    if finding.impossible:
        yield f"{need}; this clause can no longer be met: the next dose would have had to count by {end}"
    elif start is not None:
        window = f" and on or before {end}" if end else ""
        yield f"{need}; a dose on or after {start}{window} would count"
    else:
        yield need
    if finding.other_products:
        others = _listing([f"{d.label} on {d.date}" for d in finding.other_products])
        verb = "does" if len(finding.other_products) == 1 else "do"
        yield f"{others} {verb} not count: not {checker.group_title}"


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _season_reasons(finding: SeasonFinding, met: bool, as_of: date) -> Iterator[str]:
    checker = finding.checker
    start, end = finding.window
    season = f"the season {start} to {end}"
    if finding.season_doses:
        dates = ", ".join(str(d.date) for d in finding.season_doses)
        yield f"{checker.group_title} in {season}: {dates}"
    else:
        yield f"no dose of {checker.group_title} in {season}"
    if finding.first_time and finding.season_doses:
        if finding.second_dose is not None:
            yield f"first season: second dose on {finding.second_dose.date}, at least 28 days after the first"
        elif not met:
            yield (
                f"first season of {checker.group_title}: a second dose is needed; "
                f"a dose on or after {finding.next_from} would count"
            )
    elif not met and finding.next_from is not None:
        if finding.first_time and checker.first_season_count > checker.count:
            yield f"a first-time recipient needs {checker.first_season_count} doses at least 28 days apart"
        if as_of < end:
            yield f"a dose between {max(start, as_of)} and {end} would count; it is due by {end}"
        elif as_of == end:
            yield f"a dose given today ({end}) would count; it is due today"
        else:
            yield f"the next season opens on {finding.next_from}"


def _evidence_reasons(finding: EvidenceFinding, met: bool) -> Iterator[str]:
    checker = finding.checker
    words = _EVIDENCE_WORDS[checker.kind].format(disease=disease_words(checker.disease))
    if finding.found is not None:
        when = f" ({finding.found.date})" if finding.found.date else ""
        yield f"{words} is documented{when}"
    elif finding.rejected is not None:
        yield f"{words} is documented, but not at the age the clause requires"
    else:
        yield f"no {words} is documented"


def _no_doses_reasons(finding: NoDosesFinding) -> Iterator[str]:
    title = finding.checker.group_title
    if not finding.doses:
        yield f"no dose of {title} is recorded"
    else:
        yield f"{_plural(len(finding.doses), 'dose')} of {title} recorded: " + ", ".join(
            str(d.date) for d in finding.doses
        )


def outcome_reasons(outcome: Outcome, as_of: date, brief: bool = False) -> Iterator[str]:
    """Sentences for one outcome; `brief` leaves out the doses that did not count when met."""
    finding = outcome.finding
    match finding:
        case SeriesFinding():
            yield from _series_reasons(finding, outcome.met, brief)
        case SeasonFinding():
            yield from _season_reasons(finding, outcome.met, as_of)
        case EvidenceFinding():
            yield from _evidence_reasons(finding, outcome.met)
        case NoDosesFinding():
            yield from _no_doses_reasons(finding)
        case AllFinding(parts=parts):
            for part in parts:
                yield from outcome_reasons(part, as_of, brief)


# --- how a requirement was decided, beyond the clause outcomes ------------------------------


def under(citation: Citation, sentence: str) -> str:
    """A sentence that belongs to a clause other than the deciding one."""
    return f"{citation}: {sentence}"


def _status_words(status: str) -> str:
    """`non_compliant` as a sentence says it: non-compliant."""
    return "non-compliant" if status == "non_compliant" else status.replace("_", " ")


def rule_decided(name: str, status: str) -> str:
    """The first rule that matched, and the status it gives."""
    return f'rule "{name}" decided: {_status_words(status)}'


def no_rule_decided(status: str) -> str:
    return f"no rule matched; the requirement's default is {_status_words(status)}"


def under_rule(name: str, sentence: str) -> str:
    """A sentence about a rule that did not match."""
    return f'rule "{name}": {sentence}'


def declared_not_required(citation: Citation, text: str) -> str:
    return f"not required under {citation}" + (f": {text}" if text else "")


def deemed(citation: Citation, text: str) -> str:
    return f"deemed protected by {citation}" + (f": {text}" if text else "")


def not_applicable(as_of: date, grade: str, birth: date, start: tuple[date, Citation] | None) -> list[str]:
    lines = [f"does not apply on {as_of} to a student in grade {grade} born {birth}"]
    if start is not None:
        lines.append(f"{start[1]} applies from {start[0]}")
    return lines


def statutory_exemption(citation: Citation | None, text: str) -> str:
    cite = f" under {citation}" if citation else ""
    return f"statutory exemption{cite}" + (f": {text}" if text else "")


def exemption_honoured(kind: str, on_file: date | None, until: date | None, citation: Citation | None) -> str:
    since = f" (on file since {on_file})" if on_file else ""
    cite = f" under {citation}" if citation else ""
    ends = f" until {until}" if until else ""
    return f"{kind} exemption{since} honoured{cite}{ends}"


def exemption_ended(until: date) -> str:
    return f"the medical exemption ended on {until}"


def exemption_not_honoured(
    kind: str, on_file: date | None, as_of: date, provisions: list[tuple[Citation | None, str]]
) -> str:
    since = f" on file since {on_file}" if on_file else ""
    text = f"the {kind} exemption{since} is not honoured on {as_of}"
    if provisions:
        text += "; in force: " + "; ".join(f"{c}: {t}" if c else t for c, t in provisions)
    return text


def in_process(since: date | None, citation: Citation | None) -> str:
    on_file = f" since {since}" if since else ""
    cite = f" ({citation})" if citation else ""
    return f"a certificate that immunizations are in process is on file{on_file}{cite}"
