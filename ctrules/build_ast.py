"""Parse tree into the typed AST (`ctrules.ast`): reshaping and literal conversion only.

One method per grammar rule, named like the rule. No name lookups and no evaluation happen
here; a literal that cannot be converted (a date such as 2011-02-30, an unknown grade) becomes
a diagnostic and the build goes on, so a file reports all such mistakes at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import lark
from lark import Token, Transformer, v_args

from . import ast
from .dates import Unit
from .diagnostics import Diagnostic
from .errors import RulesetError
from .grades import GRADE_ORDER, canonical_grade
from .source import SourceFile, Span

__all__ = ["build"]

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}

_inline = v_args(inline=True, meta=True)


def _unit(token: Token) -> Unit:
    text = str(token)
    return Unit(text if text.endswith("s") else text + "s")


def _string(token: Token) -> str:
    """A quoted string's text with its line breaks and indentation folded to single spaces."""
    return " ".join(str(token)[1:-1].split())


class _Builder(Transformer[Token, Any]):
    def __init__(self, source: SourceFile):
        super().__init__()
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    # --- helpers ----------------------------------------------------------------------------

    def _span(self, meta: Any) -> Span:
        return Span.from_meta(meta, self.source.name)

    def _token_span(self, token: Token) -> Span:
        return Span.from_token(token, self.source.name)

    def _name(self, token: Token) -> ast.Name:
        return ast.Name(text=str(token), span=self._token_span(token))

    def _date(self, token: Token) -> date:
        try:
            return date.fromisoformat(str(token))
        except ValueError:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR104",
                    message=f"{token} is not a real date",
                    span=self._token_span(token),
                    label="no such day",
                    help="write the date as YYYY-MM-DD, with a day that exists in that month",
                )
            )
            return date(1900, 1, 1)

    # --- file and header --------------------------------------------------------------------

    def start(self, items: list[Any]) -> list[Any]:
        return items

    @_inline
    def ruleset_header(self, meta: Any, name: Token, title: Token | None, *settings: Any) -> Any:
        fields: dict[str, Any] = {"name": self._name(name), "title": _string(title) if title else ""}
        for key, value in settings:
            fields[key] = value
        return ("header", fields, self._span(meta))

    @_inline
    def version(self, meta: Any, text: Token) -> tuple[str, str]:
        return ("version", _string(text))

    @_inline
    def live_spacing(self, meta: Any, switch: Token) -> tuple[str, bool]:
        return ("live_vaccine_spacing", str(switch) == "on")

    @_inline
    def default_grace(self, meta: Any, amount: Token, unit: Token) -> tuple[str, int]:
        return ("default_grace", self._grace_days(meta, amount, unit))

    @_inline
    def include(self, meta: Any, path: Token) -> ast.Name:
        return ast.Name(text=_string(path), span=self._span(meta))

    # --- declarations -----------------------------------------------------------------------

    @_inline
    def name_list(self, meta: Any, *names: Token | None) -> tuple[ast.Name, ...]:
        return tuple(self._name(n) for n in names if n is not None)

    @_inline
    def cvx_codes(self, meta: Any, *codes: Token) -> tuple[str, ...]:
        return tuple(str(int(str(c))) for c in codes)

    @_inline
    def vaccine_decl(
        self,
        meta: Any,
        name: Token,
        description: Token | None,
        cvx: tuple[str, ...] | None,
        antigens: tuple[ast.Name, ...],
        live: Token | None,
    ) -> ast.VaccineDecl:
        return ast.VaccineDecl(
            name=self._name(name),
            description=_string(description) if description else "",
            cvx=cvx or (),
            antigens=antigens,
            live=live is not None,
            span=self._span(meta),
        )

    @_inline
    def containing(self, meta: Any, antigens: tuple[ast.Name, ...]) -> tuple[str, Any]:
        return ("containing", antigens)

    @_inline
    def group_decl(self, meta: Any, name: Token, description: Token | None, members: Any) -> ast.GroupDecl:
        containing: tuple[ast.Name, ...] = ()
        listed: tuple[ast.Name, ...] = ()
        if isinstance(members, tuple) and members and members[0] == "containing":
            containing = members[1]
        else:
            listed = members
        return ast.GroupDecl(
            name=self._name(name),
            description=_string(description) if description else "",
            containing=containing,
            members=listed,
            span=self._span(meta),
        )

    # --- requirements and clauses -----------------------------------------------------------

    @_inline
    def citation(self, meta: Any, text: Token, provisional: Token | None) -> ast.Citation:
        body = str(text)[1:].strip()
        return ast.Citation(text=body, provisional=provisional is not None, span=self._span(meta))

    @_inline
    def says(self, meta: Any, *parts: Token) -> tuple[str, str]:
        return ("says", " ".join(_string(p) for p in parts))

    @_inline
    def protects(self, meta: Any, antigens: tuple[ast.Name, ...]) -> tuple[str, Any]:
        return ("protects", antigens)

    @_inline
    def requirement(
        self,
        meta: Any,
        name: Token,
        title: Token | None,
        citation: ast.Citation | None,
        protects: tuple[str, Any] | None,
        says: tuple[str, str] | None,
        *clauses: ast.Clause,
    ) -> ast.Requirement:
        return ast.Requirement(
            name=self._name(name),
            title=_string(title) if title else "",
            citation=citation,
            antigens=protects[1] if protects else (),
            text=says[1] if says else "",
            clauses=clauses,
            span=self._span(meta),
        )

    def _clause(self, kind: ast.ClauseKind, meta: Any, citation: Any, says: Any, when: Any, body: Any) -> ast.Clause:
        return ast.Clause(
            kind=kind,
            citation=citation,
            text=says[1] if says else "",
            conditions=when or (),
            body=body,
            span=self._span(meta),
        )

    @_inline
    def clause(self, meta: Any, citation: Any, says: Any, when: Any, body: Any) -> ast.Clause:
        return self._clause(ast.ClauseKind.ALTERNATIVE, meta, citation, says, when, body)

    @_inline
    def also_clause(self, meta: Any, citation: Any, says: Any, when: Any, body: Any) -> ast.Clause:
        return self._clause(ast.ClauseKind.ADDITIONAL, meta, citation, says, when, body)

    @_inline
    def deemed(self, meta: Any) -> ast.DeemedProtected:
        return ast.DeemedProtected(span=self._span(meta))

    # --- conditions -------------------------------------------------------------------------

    @_inline
    def when(self, meta: Any, *conditions: Any) -> tuple[Any, ...]:
        return conditions

    @_inline
    def grade(self, meta: Any, token: Token) -> tuple[str, Token]:
        grade = canonical_grade(str(token))
        if grade is None:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR104",
                    message=f"{token!s} is not a grade",
                    span=self._token_span(token),
                    label="unknown grade",
                    help="grades are P3, PK, K and 1 to 12",
                )
            )
            grade = "K"
        return (grade, token)

    @_inline
    def grade_range(self, meta: Any, low: Any, high: Any) -> tuple[tuple[str, ...], bool]:
        lo, hi = GRADE_ORDER.index(low[0]), GRADE_ORDER.index(high[0])
        if hi < lo:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR303",
                    message=f"grades {low[0]} to {high[0]} is an empty range",
                    span=self._span(meta),
                    help=f"write the lower grade first: grades {high[0]} to {low[0]}",
                )
            )
        return (tuple(GRADE_ORDER[lo : hi + 1]), True)

    @_inline
    def grade_list(self, meta: Any, *grades: Any) -> tuple[tuple[str, ...], bool]:
        return (tuple(g[0] for g in grades), False)

    @_inline
    def grade_condition(
        self, meta: Any, word: Token, grades: tuple[tuple[str, ...], bool], cohort: Token | None
    ) -> ast.GradeCondition:
        return ast.GradeCondition(
            grades=grades[0],
            written_as_range=grades[1],
            by_cohort=cohort is not None,
            span=self._span(meta),
        )

    @_inline
    def age_between(self, meta: Any, low: Token, high: Token, unit: Token) -> ast.AgeBetween:
        if int(high) < int(low):
            self.diagnostics.append(
                Diagnostic(
                    code="CTR303",
                    message=f"age {low} to {high} is an empty range",
                    span=self._span(meta),
                    help="write the younger age first",
                )
            )
        return ast.AgeBetween(low=int(low), high=int(high), unit=_unit(unit), span=self._span(meta))

    @_inline
    def age_compare(self, meta: Any, comparator: Token, quantity: ast.Quantity) -> ast.AgeCompare:
        return ast.AgeCompare(
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            span=self._span(meta),
        )

    def _date_condition(self, meta: Any, subject: ast.DateSubject, comparator: Token, on: Token) -> ast.DateCondition:
        return ast.DateCondition(
            subject=subject,
            comparator=ast.DateComparator.from_text(str(comparator)),
            on=self._date(on),
            span=self._span(meta),
        )

    @_inline
    def born(self, meta: Any, comparator: Token, on: Token) -> ast.DateCondition:
        return self._date_condition(meta, ast.DateSubject.BIRTH, comparator, on)

    @_inline
    def in_force_from(self, meta: Any, start: Token, end: Token | None) -> ast.InForce:
        first = self._date(start)
        last = self._date(end) if end is not None else None
        if last is not None and last < first:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR302",
                    message=f"from {start} until {end} is an empty date range",
                    span=self._span(meta),
                    help="the end date must be on or after the start date",
                )
            )
        return ast.InForce(start=first, end=last, span=self._span(meta))

    @_inline
    def in_force_until(self, meta: Any, end: Token) -> ast.InForce:
        return ast.InForce(end=self._date(end), span=self._span(meta))

    # --- requirements -----------------------------------------------------------------------

    @_inline
    def requires(self, meta: Any, alternatives: ast.AnyOf) -> ast.AnyOf:
        return alternatives

    @_inline
    def alternatives(self, meta: Any, *options: Any) -> ast.AnyOf:
        return ast.AnyOf(options=options, span=self._span(meta))

    @_inline
    def all_of(self, meta: Any, *parts: Any) -> ast.AllOf:
        return ast.AllOf(parts=parts, span=self._span(meta))

    @_inline
    def quantity(self, meta: Any, amount: Token, unit: Token) -> ast.Quantity:
        return ast.Quantity(amount=int(amount), unit=_unit(unit), span=self._span(meta))

    def _grace_days(self, meta: Any, amount: Token, unit: Token) -> int:
        days_per_unit = {Unit.DAYS: 1, Unit.WEEKS: 7}.get(_unit(unit))
        if days_per_unit is None:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR304",
                    message=f"a grace period is counted in days, not {_unit(unit).value}",
                    span=self._span(meta),
                    help="write it as `with 4 days grace`",
                )
            )
            return 0
        return int(amount) * days_per_unit

    @_inline
    def grace(self, meta: Any, amount: Token, unit: Token) -> int:
        return self._grace_days(meta, amount, unit)

    @_inline
    def named_position(self, meta: Any, word: Token) -> ast.Position:
        return ast.Position(kind=ast.PositionKind(str(word)), span=self._span(meta))

    @_inline
    def nth_position(self, meta: Any, index: Token) -> ast.Position:
        return ast.Position(kind=ast.PositionKind.NTH, index=int(index), span=self._span(meta))

    @_inline
    def birthday_timing(self, meta: Any, comparator: Token, ordinal: Token, grace: int | None) -> ast.AgeAt:
        years = int(str(ordinal)[:-2])
        return ast.AgeAt(
            comparator=ast.DateComparator.from_text(str(comparator)).as_comparator(),
            quantity=ast.Quantity(amount=years, unit=Unit.YEARS, span=self._span(meta)),
            as_birthday=True,
            grace_days=grace,
            span=self._span(meta),
        )

    @_inline
    def age_timing(
        self, meta: Any, _at_age: Token, comparator: Token, quantity: ast.Quantity, grace: int | None
    ) -> ast.AgeAt:
        return ast.AgeAt(
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            grace_days=grace,
            span=self._span(meta),
        )

    @_inline
    def dose_timing(self, meta: Any, position: ast.Position | None, *bounds: ast.AgeAt) -> ast.DoseTiming:
        return ast.DoseTiming(
            position=position or ast.Position(kind=ast.PositionKind.EACH),
            bounds=bounds,
            span=self._span(meta),
        )

    @_inline
    def apart(self, meta: Any, comparator: Token, quantity: ast.Quantity, grace: int | None) -> ast.Apart:
        return ast.Apart(
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            grace_days=grace,
            span=self._span(meta),
        )

    @_inline
    def dose_after(
        self,
        meta: Any,
        dose: Token,
        comparator: Token,
        quantity: ast.Quantity,
        reference: Token,
        grace: int | None,
    ) -> ast.DoseAfter:
        return ast.DoseAfter(
            dose=int(dose),
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            reference=int(reference),
            grace_days=grace,
            span=self._span(meta),
        )

    @_inline
    def series(self, meta: Any, count: Token, _dose: Token, group: Token, *constraints: Any) -> ast.Series:
        return ast.Series(count=int(count), group=self._name(group), constraints=constraints, span=self._span(meta))

    @_inline
    def month_day(self, meta: Any, month: Token, day: Token) -> tuple[int, int]:
        pair = (_MONTHS[str(month)], int(day))
        try:
            date(2001, *pair)  # a common year: a yearly window cannot use February 29
        except ValueError:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR104",
                    message=f"{month} {day} cannot bound a yearly window",
                    span=self._span(meta),
                    help="use a day that exists in every year (February 29 is missing in common years)",
                )
            )
            pair = (1, 1)
        return pair

    @_inline
    def first_season(
        self, meta: Any, count: Token, _dose: Token, comparator: Token, quantity: ast.Quantity
    ) -> tuple[int, ast.Apart]:
        return (
            int(count),
            ast.Apart(
                comparator=ast.Comparator.from_text(str(comparator)),
                quantity=quantity,
                span=self._span(meta),
            ),
        )

    @_inline
    def seasonal_series(
        self,
        meta: Any,
        count: Token,
        _dose: Token,
        group: Token,
        start: tuple[int, int],
        end: tuple[int, int],
        first: tuple[int, ast.Apart] | None,
    ) -> ast.SeasonalSeries:
        return ast.SeasonalSeries(
            count=int(count),
            group=self._name(group),
            window_start=start,
            window_end=end,
            first_season_count=first[0] if first else 0,
            first_season_apart=first[1] if first else None,
            span=self._span(meta),
        )

    @_inline
    def lab_immunity(self, meta: Any, disease: Token) -> ast.LabImmunity:
        return ast.LabImmunity(disease=self._name(disease), span=self._span(meta))

    @_inline
    def disease_history(self, meta: Any, disease: Token, at_age: ast.AgeAt | None) -> ast.DiseaseHistory:
        return ast.DiseaseHistory(disease=self._name(disease), at_age=at_age, span=self._span(meta))

    @_inline
    def zoster_history(self, meta: Any) -> ast.ZosterHistory:
        return ast.ZosterHistory(span=self._span(meta))

    # --- exemptions -------------------------------------------------------------------------

    @_inline
    def on_file(self, meta: Any, comparator: Token, on: Token) -> ast.DateCondition:
        return self._date_condition(meta, ast.DateSubject.ON_FILE, comparator, on)

    @_inline
    def enrolled_k12(self, meta: Any, comparator: Token, on: Token) -> ast.DateCondition:
        return self._date_condition(meta, ast.DateSubject.K12_ENTRY, comparator, on)

    @_inline
    def history_of_the_disease(self, meta: Any) -> ast.HistoryOfTheDisease:
        return ast.HistoryOfTheDisease(span=self._span(meta))

    @_inline
    def exemption_for(self, meta: Any, names: tuple[ast.Name, ...]) -> tuple[str, Any]:
        return ("for", names)

    @_inline
    def exemption_when(self, meta: Any, *conditions: Any) -> tuple[str, Any]:
        return ("when", conditions)

    @_inline
    def exemption(
        self,
        meta: Any,
        kind: Token,
        citation: ast.Citation | None,
        says: tuple[str, str] | None,
        covers: tuple[str, Any] | None,
        when: tuple[str, Any] | None,
    ) -> ast.Exemption:
        return ast.Exemption(
            kind=ast.ExemptionKind(str(kind)),
            citation=citation,
            text=says[1] if says else "",
            requirements=covers[1] if covers else (),
            conditions=when[1] if when else (),
            span=self._span(meta),
        )

    @_inline
    def in_process(self, meta: Any, citation: ast.Citation | None, says: tuple[str, str] | None) -> ast.InProcess:
        return ast.InProcess(citation=citation, text=says[1] if says else "", span=self._span(meta))


def build(tree: lark.Tree[Token], source: SourceFile) -> ast.Ruleset:
    """Turn one file's parse tree into an `ast.Ruleset` (includes are listed, not followed)."""
    builder = _Builder(source)
    items = builder.transform(tree)
    if builder.diagnostics:
        raise RulesetError(builder.diagnostics, {source.name: source})
    header: dict[str, Any] = {}
    header_span: Span | None = None
    includes, vaccines, groups, requirements, exemptions, in_process = [], [], [], [], [], []
    for item in items:
        match item:
            case ("header", fields, span):
                header, header_span = fields, span
            case ast.Name():
                includes.append(item)
            case ast.VaccineDecl():
                vaccines.append(item)
            case ast.GroupDecl():
                groups.append(item)
            case ast.Requirement():
                requirements.append(item)
            case ast.Exemption():
                exemptions.append(item)
            case ast.InProcess():
                in_process.append(item)
    return ast.Ruleset(
        **header,
        includes=tuple(includes),
        vaccines=tuple(vaccines),
        groups=tuple(groups),
        requirements=tuple(requirements),
        exemptions=tuple(exemptions),
        in_process=tuple(in_process),
        span=header_span or Span(file=source.name, line=1, column=1, end_line=1, end_column=1),
    )
