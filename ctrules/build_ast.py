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
    def ruleset_header(
        self, meta: Any, name: Token, title: Token | None, amends: tuple[str, ast.Name] | None, *settings: Any
    ) -> Any:
        fields: dict[str, Any] = {"name": self._name(name), "title": _string(title) if title else ""}
        versions: list[ast.Version] = []
        if amends is not None:
            fields["amends"] = amends[1]
        for key, value in settings:
            if key == "version":
                versions.append(value)
            else:
                fields[key] = value
        fields["versions"] = tuple(versions)
        return ("header", fields, self._span(meta))

    @_inline
    def amends(self, meta: Any, name: Token) -> tuple[str, ast.Name]:
        return ("amends", self._name(name))

    @_inline
    def version(
        self, meta: Any, text: Token, in_force: ast.InForce | None, description: Token | None
    ) -> tuple[str, ast.Version]:
        return (
            "version",
            ast.Version(
                id=_string(text),
                in_force=in_force or ast.InForce(),
                description=_string(description) if description else "",
                span=self._span(meta),
            ),
        )

    @_inline
    def titers_only(self, meta: Any, diseases: tuple[ast.Name, ...]) -> tuple[str, Any]:
        return ("titer_diseases", diseases)

    @_inline
    def covers(self, meta: Any, name: Token) -> tuple[str, Any]:
        return ("covers", self._name(name))

    @_inline
    def live_spacing(self, meta: Any, switch: Token) -> tuple[str, bool]:
        return ("live_vaccine_spacing", str(switch) == "on")

    @_inline
    def default_grace(self, meta: Any, amount: Token, unit: Token) -> tuple[str, int]:
        return ("default_grace", self._grace_days(meta, amount, unit))

    @_inline
    def include(self, meta: Any, path: Token, bundled: Token | None) -> ast.Include:
        return ast.Include(path=_string(path), bundled=self._name(bundled) if bundled else None, span=self._span(meta))

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
    def follows(self, meta: Any, name: Token) -> ast.Name:
        return self._name(name)

    @_inline
    def requirement(
        self,
        meta: Any,
        name: Token,
        title: Token | None,
        citation: ast.Citation | None,
        follows: ast.Name | None,
        protects: tuple[str, Any] | None,
        says: tuple[str, str] | None,
        *items: ast.Clause | ast.Rule | ast.Otherwise,
    ) -> ast.Requirement:
        otherwise = [i for i in items if isinstance(i, ast.Otherwise)]
        self._one_otherwise(otherwise)
        return ast.Requirement(
            name=self._name(name),
            title=_string(title) if title else "",
            citation=citation,
            follows=follows,
            antigens=protects[1] if protects else (),
            text=says[1] if says else "",
            clauses=tuple(i for i in items if isinstance(i, ast.Clause)),
            rules=tuple(i for i in items if isinstance(i, ast.Rule)),
            otherwise=otherwise[-1] if otherwise else None,
            span=self._span(meta),
        )

    @_inline
    def replace_requirement(self, meta: Any, _keyword: Token, *children: Any) -> ast.ReplaceDecl:
        return ast.ReplaceDecl(node=self.requirement(meta, *children), span=self._span(meta))

    @_inline
    def replace_group(self, meta: Any, _keyword: Token, *children: Any) -> ast.ReplaceDecl:
        return ast.ReplaceDecl(node=self.group_decl(meta, *children), span=self._span(meta))

    @_inline
    def replace_vaccine(self, meta: Any, _keyword: Token, *children: Any) -> ast.ReplaceDecl:
        return ast.ReplaceDecl(node=self.vaccine_decl(meta, *children), span=self._span(meta))

    def _one_otherwise(self, found: list[ast.Otherwise]) -> None:
        """A requirement has one `otherwise`: with two, one of them would silently be ignored."""
        for extra in found[1:]:
            self.diagnostics.append(
                Diagnostic(
                    code="CTR311",
                    message="a requirement has one `otherwise`",
                    span=extra.span,
                    help=f"keep one; the first is at {found[0].span}",
                )
            )

    @_inline
    def rule(
        self,
        meta: Any,
        name: Token,
        status: Token,
        citation: ast.Citation | None,
        says: tuple[str, str] | None,
        when: tuple[Any, ...] | None,
        body: ast.AnyOf | None,
    ) -> ast.Rule:
        return ast.Rule(
            name=_string(name),
            status=ast.RuleStatus.from_text(str(status)),
            citation=citation,
            text=says[1] if says else "",
            conditions=when or (),
            body=body,
            span=self._span(meta),
        )

    @_inline
    def otherwise(self, meta: Any, status: Token, says: tuple[str, str] | None) -> ast.Otherwise:
        return ast.Otherwise(
            status=ast.RuleStatus.from_text(str(status)), text=says[1] if says else "", span=self._span(meta)
        )

    # --- amendments -------------------------------------------------------------------------

    @_inline
    def remove_clause(self, meta: Any, _keyword: Token, citation: ast.Citation) -> tuple[str, Any]:
        return ("remove", citation)

    @_inline
    def remove_rule(self, meta: Any, _keyword: Token, name: Token) -> tuple[str, Any]:
        return ("remove", _string(name))

    @_inline
    def replace_clause(self, meta: Any, _keyword: Token, *children: Any) -> tuple[str, Any]:
        return ("replace", self.clause(meta, *children))

    @_inline
    def replace_also(self, meta: Any, _keyword: Token, *children: Any) -> tuple[str, Any]:
        return ("replace", self.also_clause(meta, *children))

    @_inline
    def replace_rule(self, meta: Any, _keyword: Token, *children: Any) -> tuple[str, Any]:
        return ("replace", self.rule(meta, *children))

    @_inline
    def amend_requirement(self, meta: Any, name: Token, *items: Any) -> ast.AmendRequirement:
        added = tuple(i for i in items if isinstance(i, (ast.Clause, ast.Rule)))
        otherwise = [i for i in items if isinstance(i, ast.Otherwise)]
        self._one_otherwise(otherwise)
        return ast.AmendRequirement(
            name=self._name(name),
            added=added,
            removed=tuple(i[1] for i in items if isinstance(i, tuple) and i[0] == "remove"),
            replaced=tuple(i[1] for i in items if isinstance(i, tuple) and i[0] == "replace"),
            otherwise=otherwise[-1] if otherwise else None,
            span=self._span(meta),
        )

    @_inline
    def remove_requirement(self, meta: Any, _keyword: Token, name: Token) -> ast.RemoveRequirement:
        return ast.RemoveRequirement(name=self._name(name), span=self._span(meta))

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

    @_inline
    def not_required(self, meta: Any) -> ast.NotRequired:
        return ast.NotRequired(span=self._span(meta))

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
    def grade_range(self, meta: Any, low: Any, high: Any) -> tuple[str, ...]:
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
        return tuple(GRADE_ORDER[lo : hi + 1])

    @_inline
    def grade_set(self, meta: Any, *items: Any) -> tuple[tuple[str, ...], bool]:
        """Grades in school order, each once; `written_as_range` for a single `X to Y`."""
        grades: list[str] = []
        for item in items:
            # a single grade is (code, token); a range is a tuple of codes
            grades += [item[0]] if len(item) == 2 and isinstance(item[1], Token) else list(item)
        ordered = tuple(g for g in GRADE_ORDER if g in grades)
        single_range = len(items) == 1 and not (len(items[0]) == 2 and isinstance(items[0][1], Token))
        return (ordered, single_range)

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
    def grace(self, meta: Any, amount: Token, unit: Token, word: Token) -> tuple[int, str]:
        return (self._grace_days(meta, amount, unit), str(word))

    @_inline
    def named_position(self, meta: Any, word: Token) -> ast.Position:
        return ast.Position(kind=ast.PositionKind(str(word)), span=self._span(meta))

    @_inline
    def nth_position(self, meta: Any, index: Token) -> ast.Position:
        return ast.Position(kind=ast.PositionKind.NTH, index=int(index), span=self._span(meta))

    @_inline
    def birthday_timing(self, meta: Any, comparator: Token, ordinal: Token, grace: tuple[int, str] | None) -> ast.AgeAt:
        years = int(str(ordinal)[:-2])
        return ast.AgeAt(
            comparator=ast.DateComparator.from_text(str(comparator)).as_comparator(),
            quantity=ast.Quantity(amount=years, unit=Unit.YEARS, span=self._span(meta)),
            as_birthday=True,
            **_grace_fields(grace),
            span=self._span(meta),
        )

    @_inline
    def age_timing(
        self, meta: Any, _at_age: Token, comparator: Token, quantity: ast.Quantity, grace: tuple[int, str] | None
    ) -> ast.AgeAt:
        return ast.AgeAt(
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            **_grace_fields(grace),
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
    def apart(self, meta: Any, comparator: Token, quantity: ast.Quantity, grace: tuple[int, str] | None) -> ast.Apart:
        return ast.Apart(
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            **_grace_fields(grace),
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
        grace: tuple[int, str] | None,
    ) -> ast.DoseAfter:
        return ast.DoseAfter(
            dose=int(dose),
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            reference=int(reference),
            **_grace_fields(grace),
            span=self._span(meta),
        )

    def _recency(
        self, meta: Any, position: ast.Position, comparator: Token, quantity: ast.Quantity, grace: Any
    ) -> ast.Recency:
        return ast.Recency(
            position=position,
            comparator=ast.Comparator.from_text(str(comparator)),
            quantity=quantity,
            **_grace_fields(grace),
            span=self._span(meta),
        )

    @_inline
    def nth_recency(self, meta: Any, dose: Token, comparator: Token, quantity: ast.Quantity, grace: Any) -> ast.Recency:
        position = ast.Position(kind=ast.PositionKind.NTH, index=int(dose), span=self._token_span(dose))
        return self._recency(meta, position, comparator, quantity, grace)

    @_inline
    def recency(self, meta: Any, word: Token, comparator: Token, quantity: ast.Quantity, grace: Any) -> ast.Recency:
        position = ast.Position(kind=ast.PositionKind(str(word)), span=self._token_span(word))
        return self._recency(meta, position, comparator, quantity, grace)

    @_inline
    def latest_recency(self, meta: Any, comparator: Token, quantity: ast.Quantity, grace: Any) -> ast.Recency:
        position = ast.Position(kind=ast.PositionKind.LATEST, span=self._span(meta))
        return self._recency(meta, position, comparator, quantity, grace)

    @_inline
    def no_doses(self, meta: Any, _dose: Token, group: Token) -> ast.NoDoses:
        return ast.NoDoses(group=self._name(group), span=self._span(meta))

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


def _grace_fields(grace: tuple[int, str] | None) -> dict[str, Any]:
    """`with 4 days grace` / `with 0 days tolerance` as AST fields (unstated: the default)."""
    return {} if grace is None else {"grace_days": grace[0], "grace_word": grace[1]}


def build(tree: lark.Tree[Token], source: SourceFile) -> ast.Ruleset:
    """Turn one file's parse tree into an `ast.Ruleset` (includes are listed, not followed)."""
    builder = _Builder(source)
    items = builder.transform(tree)
    if builder.diagnostics:
        raise RulesetError(builder.diagnostics, {source.name: source})
    header: dict[str, Any] = {}
    header_span: Span | None = None
    includes, vaccines, groups, requirements, exemptions, in_process = [], [], [], [], [], []
    amendments = []
    for item in items:
        match item:
            case ("header", fields, span):
                header, header_span = fields, span
            case ast.Include():
                includes.append(item)
            case ast.AmendRequirement() | ast.RemoveRequirement() | ast.ReplaceDecl():
                amendments.append(item)
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
        amendments=tuple(amendments),
        span=header_span or Span(file=source.name, line=1, column=1, end_line=1, end_column=1),
    )
