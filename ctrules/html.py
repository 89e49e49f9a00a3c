"""A ruleset as one self-contained HTML page (`ctrules render`), for regulators and policy
analysts: the regulation's words beside the rule that encodes them, and example students that
show where each clause's thresholds fall, with what the engine says about them.

The page has inline CSS only: no script, no font, no image, no link off the page, so it can be
mailed, archived and opened offline. Every piece of text from a ruleset or a result is escaped
(a `says` can hold any text). The output depends only on the ruleset, never on today's date or
the folder it was read from, so two renderings of one ruleset compare equal.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from datetime import date
from html import escape
from pathlib import PurePath

from pygments import highlight  # type: ignore[import-untyped]
from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]

from . import __version__, ast
from .amend import describe_changes
from .api import Ruleset
from .compiler import CompiledClause, CompiledRequirement, CompiledRule
from .dates import age_parts
from .examples import REFERENCE_DATE, ClauseExamples, ExampleStudent, examples_for
from .highlight import CtrLexer
from .source import Span

__all__ = ["render_page"]

_STATUS_WORDS = {
    "compliant": "compliant",
    "in_progress": "in progress",
    "non_compliant": "non-compliant",
    "not_required": "not required",
    "exempt": "exempt",
    "error": "error",
}

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d9dce1; --paper: #fff; --tint: #f6f7f9;
  --ok: #1b6e2e; --okbg: #e6f4ea; --no: #a50e0e; --nobg: #fce8e6; --wait: #8a5a00; --waitbg: #fef7e0;
  --na: #3c4043; --nabg: #eceff1; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 1.5rem 2rem 4rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .6rem; padding-top: .6rem; border-top: 3px solid var(--ink); }
h3 { font-size: 1.08rem; margin: 0 0 .3rem; }
h4 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .35rem; }
p { margin: .35rem 0; }
code, pre, .mono { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .86rem; }
a { color: #0b57d0; }
.lede { color: var(--muted); }
nav ol { columns: 3 16rem; padding-left: 1.4rem; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .25rem .6rem .25rem 0; border-bottom: 1px solid var(--rule); }
th { font-size: .8rem; color: var(--muted); font-weight: 600; }
.badge { display: inline-block; font-size: .72rem; font-weight: 600; padding: .05rem .45rem; border-radius: 999px;
  vertical-align: middle; background: var(--nabg); color: var(--na); }
.badge.provisional { background: var(--waitbg); color: var(--wait); }
.badge.changed { background: #e8f0fe; color: #174ea6; }
.requirement > .meta, .item .meta { color: var(--muted); font-size: .88rem; }
.item { border: 1px solid var(--rule); border-radius: 8px; padding: 1rem 1.1rem; margin: 1rem 0; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.2rem; margin-top: .6rem; }
@media (max-width: 900px) { .pair { grid-template-columns: minmax(0, 1fr); } }
blockquote { margin: 0; padding: .5rem .9rem; border-left: 4px solid #9aa0a6; background: var(--tint);
  font-family: Georgia, "Times New Roman", serif; font-size: 1rem; }
.none { color: var(--muted); font-style: italic; }
pre.ctr { margin: 0; padding: .6rem .8rem; border-radius: 6px; overflow-x: auto; white-space: pre; }
.where { font-weight: normal; text-transform: none; letter-spacing: 0; }
.examples { margin-top: 1rem; }
.students { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: .8rem; }
.student { border: 1px solid var(--rule); border-left-width: 5px; border-radius: 6px; padding: .6rem .8rem;
  font-size: .9rem; }
.student.meets { border-left-color: var(--ok); }
.student.misses { border-left-color: var(--no); }
.student table { width: 100%; font-size: .84rem; }
.student .why { color: var(--muted); }
.outcome { margin-top: .5rem; }
.status { font-weight: 700; padding: .05rem .4rem; border-radius: 4px; }
.status.compliant { color: var(--ok); background: var(--okbg); }
.status.non_compliant { color: var(--no); background: var(--nobg); }
.status.in_progress { color: var(--wait); background: var(--waitbg); }
.status.not_required, .status.exempt { color: var(--na); background: var(--nabg); }
ul.reasons { margin: .3rem 0 0; padding-left: 1.1rem; }
ul.notes { color: var(--muted); padding-left: 1.1rem; }
details { margin-top: .4rem; }
details pre { background: var(--tint); padding: .4rem .6rem; overflow-x: auto; }
summary { cursor: pointer; color: var(--muted); font-size: .84rem; }
@media print { .item, .student { break-inside: avoid; } nav { display: none; } }
"""


def _style() -> str:
    """The page's CSS and Pygments' rules for the highlighted source (scoped to `.ctr`)."""
    rules = HtmlFormatter(style="default").get_style_defs(".ctr").splitlines()
    scoped = [r for r in rules if r.startswith(".ctr")]
    # The default style leaves dates and month names plain; give them a colour of their own.
    scoped.append(".ctr .ld { color: #0b6e6e }")
    return _CSS + "\n".join(scoped) + "\n"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", p) for p in parts)


# --- source text --------------------------------------------------------------------------


def _shown_file(name: str) -> str:
    """`ct/ruleset.ctr`: a source's folder and file name, never the absolute path it was read from."""
    path = PurePath(name)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _shown_start(text: str, position: int) -> int:
    """The start of the line holding `position`, moved up over the comment lines right above it
    (a `# NOTE` or a reading written on the lines before a clause belongs to it)."""
    start = text.rfind("\n", 0, position) + 1
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        if not text[above : start - 1].lstrip().startswith("#"):
            break
        start = above
    return start


def source_of(ruleset: Ruleset, span: Span, end: int | None = None) -> tuple[str, str]:
    """The exact text of a node (up to `end`, if given) with the comment lines right above it
    and a comment ending its last line, dedented; and where it is (`ct/ruleset.ctr:41`)."""
    source = ruleset.sources.get(span.file)
    stop = span.end if end is None else end
    if source is None or stop <= span.start:
        return "", ""
    text = source.text
    start = _shown_start(text, span.start)
    line_end = text.find("\n", stop)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[stop:line_end].strip()
    if end is None and (not rest or rest.startswith("#")):
        stop = line_end
    line = text.count("\n", 0, start) + 1
    return textwrap.dedent(text[start:stop]).strip("\n").rstrip(), f"{_shown_file(span.file)}:{line}"


def _code(ruleset: Ruleset, span: Span, end: int | None = None) -> str:
    text, where = source_of(ruleset, span, end)
    if not text:
        return '<p class="none">(source not available)</p>'
    code = highlight(text, CtrLexer(), HtmlFormatter(nowrap=True))
    return (
        f'<h4>The rule <span class="where mono">{_e(where)}</span></h4>\n'
        f'<pre class="ctr"><code>{code.rstrip()}</code></pre>'
    )


def _says(text: str, heading: str) -> str:
    if not text:
        return f'<h4>{_e(heading)}</h4>\n<p class="none">No text quoted.</p>'
    return f"<h4>{_e(heading)}</h4>\n<blockquote>{_e(text)}</blockquote>"


def _pair(ruleset: Ruleset, says: str, heading: str, span: Span, end: int | None = None) -> str:
    return (
        f'<div class="pair">\n<section class="says">\n{_says(says, heading)}\n</section>\n'
        f'<section class="source">\n{_code(ruleset, span, end)}\n</section>\n</div>'
    )


# --- small words --------------------------------------------------------------------------


def _citation(citation: ast.Citation | None) -> str:
    if citation is None:
        return ""
    provisional = ' <span class="badge provisional">provisional</span>' if citation.provisional else ""
    return f"{_e(citation)}{provisional}"


def _in_force(in_force: ast.InForce) -> str:
    if in_force.start and in_force.end:
        return f"in force from {in_force.start} until {in_force.end}"
    if in_force.start:
        return f"in force from {in_force.start}"
    if in_force.end:
        return f"in force until {in_force.end}"
    return "in force on every date"


def _age(birth: date, on: date) -> str:
    """`5 years, 0 months and 20 days` on `on` (calendar months, as the rules count them)."""
    years, months, days = age_parts(birth, on)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{unit(years, 'year')}, {unit(months, 'month')} and {unit(days, 'day')}"


def _origin(ruleset: Ruleset, span: Span) -> str:
    """For an amendment: whether a clause is the amended ruleset's, unchanged, or the amendment's."""
    base = ruleset.amends
    if base is None:
        return ""
    if span.file.startswith(f"<{base}>"):
        return f' <span class="badge">from {_e(base)}, unchanged</span>'
    return f' <span class="badge changed">from {_e(ruleset.name)}</span>'


# --- example students ---------------------------------------------------------------------


def _decided_by(requirement: CompiledRequirement, clause: str | None) -> str:
    if clause is None:
        return ""
    return f' by rule "{_e(clause)}"' if requirement.by_rules else f" under § {_e(clause)}"


def _student(requirement: CompiledRequirement, student: ExampleStudent) -> str:
    record = student.record
    birth = date.fromisoformat(record["birth_date"])
    result = student.result
    kind = "meets" if student.meets else "misses"
    option = f'<p class="why">{_e(student.option.capitalize())}</p>\n' if student.option else ""
    rows = []
    why = iter(student.why)
    for n, dose in enumerate(record["doses"], start=1):
        rows.append(
            f"<tr><td>{n}</td><td>{_e(dose['vaccine'])}</td><td class=mono>{_e(dose['date'])}</td>"
            f'<td class="why">{_e(next(why))}</td></tr>'
        )
    doses = (
        "<table><thead><tr><th>#</th><th>Vaccine</th><th>Date</th><th>Why this date</th></tr></thead>"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody></table>"
        if rows
        else '<p class="none">No doses.</p>'
    )
    evidence = ""
    if record.get("evidence"):
        items = [
            f"<tr><td>{_e(item['type'].replace('_', ' '))}{_e(' of ' + item['disease']) if item.get('disease') else ''}"
            f'</td><td class=mono>{_e(item["date"])}</td><td class="why">{_e(next(why))}</td></tr>'
            for item in record["evidence"]
        ]
        evidence = (
            "<table><thead><tr><th>Evidence</th><th>Date</th><th>Why this date</th></tr></thead>"
            f"<tbody>\n{chr(10).join(items)}\n</tbody></table>\n"
        )
    reasons = "\n".join(f"<li>{_e(r)}</li>" for r in result.reasons)
    status = result.status.value
    as_json = json.dumps(record, indent=2, ensure_ascii=False)
    return (
        f'<div class="student {kind}" data-requirement="{_e(requirement.name)}" data-as-of="{student.as_of}"'
        f' data-status="{_e(status)}" data-clause="{_e(result.clause or "")}">\n'
        f"<p><strong>{_e(student.label)}</strong>: {_e(student.detail)}</p>\n{option}"
        f"<p>Born <span class=mono>{birth}</span>, grade {_e(record['grade'])}; "
        f"{_e(_age(birth, student.as_of))} old on <span class=mono>{student.as_of}</span>.</p>\n"
        f"{doses}\n{evidence}"
        f'<p class="outcome"><span class="status {_e(status)}">{_e(_STATUS_WORDS.get(status, status))}</span>'
        f"{_decided_by(requirement, result.clause)}</p>\n"
        f'<ul class="reasons">\n{reasons}\n</ul>\n'
        f'<details><summary>Student record (JSON)</summary><pre class="record">{_e(as_json)}</pre></details>\n'
        "</div>"
    )


def _examples(requirement: CompiledRequirement, examples: ClauseExamples) -> str:
    parts = ['<section class="examples"><h4>Example students</h4>']
    if examples.as_of is not None:
        parts.append(
            f"<p>Evaluated as of <span class=mono>{examples.as_of}</span>"
            + (f" (version {_e(examples.version)})" if examples.version else "")
            + f" with the whole ruleset: the status and reasons are the engine's, for {_e(requirement.name)}.</p>"
        )
    if examples.students:
        parts.append('<div class="students">')
        parts += [_student(requirement, s) for s in examples.students]
        parts.append("</div>")
    if examples.notes:
        parts.append('<ul class="notes">\n' + "\n".join(f"<li>{_e(n)}</li>" for n in examples.notes) + "\n</ul>")
    parts.append("</section>")
    return "\n".join(parts)


# --- sections -----------------------------------------------------------------------------


def _versions(ruleset: Ruleset) -> str:
    def table(versions: tuple[ast.Version, ...]) -> str:
        if not versions:
            return '<p class="none">One set of rules for every date (no versions declared).</p>'
        rows = "\n".join(
            f"<tr><td class=mono>{_e(v.id)}</td><td class=mono>{v.in_force.start or '…'}</td>"
            f"<td class=mono>{v.in_force.end or 'today'}</td><td>{_e(v.description)}</td></tr>"
            for v in versions
        )
        return (
            "<table><thead><tr><th>Version</th><th>From</th><th>Until</th><th>What it is</th></tr></thead>"
            f"<tbody>\n{rows}\n</tbody></table>"
        )

    parts = ['<section id="versions">', "<h2>Versions</h2>", table(ruleset.versions)]
    changes = ruleset.ast.changes
    base = ruleset.amends
    if base is not None:
        parts.append(
            f"<h3>Amends {_e(base)}</h3>\n<p>This ruleset is <code>{_e(base)}</code> with the changes below; "
            f"everything else is <code>{_e(base)}</code> as in force on the evaluation date. "
            f"The versions of <code>{_e(base)}</code>:</p>"
        )
        parts.append(table(ruleset.compiled.base_versions))
        lines = describe_changes(changes) if changes is not None else []
        parts.append(
            "<h4>What it changes</h4>\n<ul>\n" + "\n".join(f"<li>{_e(line)}</li>" for line in lines) + "\n</ul>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _item_span_start(ruleset: Ruleset, node: ast.Clause | ast.Rule | ast.Otherwise) -> int:
    """Where an item's shown text starts (its comment lines included), to end the header before it."""
    source = ruleset.sources.get(node.span.file)
    if source is None:
        return node.span.start
    return _shown_start(source.text, node.span.start)


def _clause_item(
    ruleset: Ruleset, requirement: CompiledRequirement, item: CompiledClause | CompiledRule, anchor: str, position: str
) -> str:
    node = item.node
    if isinstance(item, CompiledRule):
        assert isinstance(node, ast.Rule)
        title = f"Rule “{_e(item.name)}” → {_e(node.status.value)}"
        if item.citation is not None:
            title += f" <small>{_citation(item.citation)}</small>"
        meta = f"{position}; {_in_force(item.in_force)}"
        heading = "The source text says"
    else:
        kind = {ast.ClauseKind.ALTERNATIVE: "Clause", ast.ClauseKind.ADDITIONAL: "Also"}[item.kind]
        title = f"{kind} {_citation(item.citation)}"
        if item.deemed:
            meaning = "deems the student protected (not required)"
        elif item.kind is ast.ClauseKind.ADDITIONAL:
            meaning = "must hold as well, wherever it applies"
        else:
            meaning = "one way to be adequately protected"
        meta = f"{position}; {meaning}; {_in_force(item.in_force)}"
        heading = "The regulation says"
    return (
        f'<article class="item" id="{anchor}">\n<h3>{title}{_origin(ruleset, node.span)}</h3>\n'
        f'<p class="meta">{_e(meta)}</p>\n'
        f"{_pair(ruleset, item.text, heading, node.span)}\n"
        f"{_examples(requirement, examples_for(ruleset, requirement, item))}\n"
        "</article>"
    )


def _requirement(ruleset: Ruleset, compiled: CompiledRequirement, node: ast.Requirement) -> str:
    anchor = _anchor("req", compiled.name)
    parts = [f'<section class="requirement" id="{anchor}">']
    cited = f" <small>{_citation(node.citation)}</small>" if node.citation else ""
    parts.append(f"<h2>{_e(node.title or compiled.name)}{cited}</h2>")
    facts = [f"requirement <code>{_e(compiled.name)}</code>"]
    if node.antigens:
        facts.append("protects against " + ", ".join(_e(a.text) for a in node.antigens))
    if node.follows is not None:
        facts.append(
            f'decided by the {"rules" if compiled.by_rules else "clauses"} of <a href="#'
            f'{_anchor("req", node.follows.text)}">{_e(node.follows.text)}</a>, reported as {_e(compiled.name)}'
        )
    elif compiled.by_rules:
        facts.append(
            "status rules, tried in order: the first in force whose conditions hold and whose requirement "
            "is met decides, with the status it names"
        )
    else:
        facts.append("compliant when a clause that applies is met, and every <code>also</code> clause that applies")
    parts.append(f'<p class="meta">{"; ".join(facts)}.</p>')
    items: list[ast.Clause | ast.Rule | ast.Otherwise] = [*node.clauses, *node.rules]
    end = _item_span_start(ruleset, items[0]) if items else None
    heading = "The source text says" if compiled.by_rules else "The regulation says"
    parts.append(_pair(ruleset, node.text, heading, node.span, end))
    if node.follows is None:
        entries: list[CompiledClause | CompiledRule] = [*compiled.rules] if compiled.by_rules else [*compiled.clauses]
        for n, item in enumerate(entries, start=1):
            noun = "rule" if compiled.by_rules else "clause"
            parts.append(
                _clause_item(
                    ruleset, compiled, item, _anchor("req", compiled.name, str(n)), f"{noun} {n} of {len(entries)}"
                )
            )
        if node.otherwise is not None:
            otherwise = node.otherwise
            parts.append(
                f'<article class="item" id="{_anchor("req", compiled.name, "otherwise")}">\n'
                f"<h3>Otherwise → {_e(otherwise.status.value)}{_origin(ruleset, otherwise.span)}</h3>\n"
                '<p class="meta">the status when no rule decides</p>\n'
                f"{_pair(ruleset, otherwise.text, 'The source text says', otherwise.span)}\n</article>"
            )
    parts.append("</section>")
    return "\n".join(parts)


def _exemptions(ruleset: Ruleset) -> str:
    tree = ruleset.ast
    if not tree.exemptions and not tree.in_process:
        return ""
    parts = [
        '<section id="exemptions">',
        "<h2>Certificates in process and exemptions</h2>",
        '<p class="lede">No example students are generated for these: they turn on records '
        "(a certificate, a statement on file) rather than on dates a rule computes.</p>",
    ]
    for n, in_process in enumerate(tree.in_process, start=1):
        parts.append(
            f'<article class="item" id="{_anchor("in-process", str(n))}">\n<h3>In process '
            f"{_citation(in_process.citation)}{_origin(ruleset, in_process.span)}</h3>\n"
            '<p class="meta">a certificate that immunizations are in process turns non-compliant into in progress</p>\n'
            f"{_pair(ruleset, in_process.text, 'The law says', in_process.span)}\n</article>"
        )
    for n, exemption in enumerate(tree.exemptions, start=1):
        covers = ", ".join(r.text for r in exemption.requirements) or "every requirement"
        parts.append(
            f'<article class="item" id="{_anchor("exemption", str(n))}">\n'
            f"<h3>{_e(exemption.kind.value.capitalize())} exemption {_citation(exemption.citation)}"
            f"{_origin(ruleset, exemption.span)}</h3>\n"
            f'<p class="meta">{_e("for " + covers)}</p>\n'
            f"{_pair(ruleset, exemption.text, 'The law says', exemption.span)}\n</article>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _contents(ruleset: Ruleset) -> str:
    entries = ['<li><a href="#versions">Versions</a></li>']
    for requirement, node in zip(ruleset.compiled.requirements, ruleset.ast.requirements, strict=True):
        entries.append(
            f'<li><a href="#{_anchor("req", requirement.name)}">{_e(node.title or requirement.name)}</a></li>'
        )
    if ruleset.ast.exemptions or ruleset.ast.in_process:
        entries.append('<li><a href="#exemptions">Certificates in process and exemptions</a></li>')
    return "<nav><h4>Contents</h4>\n<ol>\n" + "\n".join(entries) + "\n</ol></nav>"


def _sections(ruleset: Ruleset) -> Iterator[str]:
    yield _contents(ruleset)
    yield _versions(ruleset)
    for requirement, node in zip(ruleset.compiled.requirements, ruleset.ast.requirements, strict=True):
        yield _requirement(ruleset, requirement, node)
    yield _exemptions(ruleset)


def render_page(ruleset: Ruleset) -> str:
    """The whole page for a loaded ruleset."""
    title = ruleset.compiled.title or ruleset.name
    intro = (
        f"Ruleset <code>{_e(ruleset.name)}</code>, {len(ruleset.compiled.requirements)} requirements. "
        "For each requirement, each clause or rule: the words it encodes, beside the rule as written "
        "(its <code>.ctr</code> source, comments included), and example students built from the rule's own "
        "thresholds: one who meets it at the boundary (each dose on the first day it counts), and, where a "
        "minimum age or interval sets a date, one who misses it by that dose being a day early. Each student "
        "is evaluated with the whole ruleset, as of "
        f"<span class=mono>{REFERENCE_DATE}</span> where the rule is in force then, and the page shows what the "
        "engine says. Where no such student could be built or confirmed, the page says so."
    )
    body = "\n".join(_sections(ruleset))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="ctrules {_e(__version__)}">'
        f"<title>{_e(title)}</title><style>{_style()}</style></head>\n"
        f'<body><main><header><h1>{_e(title)}</h1><p class="lede">{intro}</p></header>\n'
        f"{body}\n"
        f'<footer><p class="lede">Rendered by ctrules {_e(__version__)} '
        f"(<code>ctrules render {_e(ruleset.name)}</code>).</p></footer></main></body></html>\n"
    )
