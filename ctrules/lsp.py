"""The language server for `.ctr` files (`ctrules lsp`, on stdio): what `ctrules check` finds,
as you type; hover and go to definition for names and clauses; formatting.

It holds no rules logic: it runs the loader and the analysis on the editor's text and turns
their data (diagnostics with spans, the AST) into LSP messages. pygls is imported only when
the server starts, so ctrules (and the pure helpers here) work without it.

Spans are 1-based lines and columns counted in characters; LSP positions are 0-based, their
columns in the client's code units (UTF-16 unless it asks otherwise): `span_place` does the
first step, pygls' position codec the second.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from urllib.parse import unquote

import attrs

from . import __version__, ast
from .diagnostics import Diagnostic, Severity
from .errors import RulesetError
from .loader import check_sources, load_ast, resolve_ruleset_path
from .source import SourceFile, Span

if TYPE_CHECKING:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

__all__ = [
    "Place",
    "Target",
    "analyse",
    "create_server",
    "definition_at",
    "diagnostic_message",
    "file_path",
    "formatted",
    "hover_at",
    "serve",
    "span_place",
    "word_at",
]

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.15
"""After a change, wait this long for the next keystroke before checking (a check takes ~0.1 s)."""

_T = TypeVar("_T")


# --- positions -----------------------------------------------------------------------------


class Place(NamedTuple):
    """A range as LSP counts lines (0-based) and Python counts characters (0-based)."""

    line: int
    character: int
    end_line: int
    end_character: int


def span_place(span: Span) -> Place:
    """A span's 0-based range, never ending before it starts.

    >>> span_place(Span(file="r.ctr", line=8, column=25, end_line=8, end_column=39))
    Place(line=7, character=24, end_line=7, end_character=38)
    """
    start = (max(span.line - 1, 0), max(span.column - 1, 0))
    end = max(start, (max(span.end_line - 1, 0), max(span.end_column - 1, 0)))
    return Place(*start, *end)


_NAME_CHAR = re.compile(r"[A-Za-z0-9_\-/]")


def word_at(line: str, character: int) -> tuple[int, int, str] | None:
    """The name under (or just before) a cursor column, as the grammar's NAME spells names:
    start, end and the name; None when there is none.

    >>> word_at("  requires 2 doses of DTaP-IPV/Hib, first", 27)
    (22, 34, 'DTaP-IPV/Hib')
    >>> word_at("group measles-vaccine = MMR", 21)
    (6, 21, 'measles-vaccine')
    >>> word_at("  at least 28 days apart", 12) is None
    True
    """
    start = end = min(max(character, 0), len(line))
    while start > 0 and _NAME_CHAR.match(line[start - 1]):
        start -= 1
    while end < len(line) and _NAME_CHAR.match(line[end]):
        end += 1
    word = line[start:end]
    if not word or not ("A" <= word[0].upper() <= "Z"):
        return None
    return start, end, word


def _lines(text: str) -> list[str]:
    """Lines as Lark counts them (only a newline ends one), so line numbers agree with spans."""
    return text.split("\n")


# --- files ---------------------------------------------------------------------------------

_BUNDLED_NAME = re.compile(r"<([^<>/\\]+)>[/\\](.+)")


def file_path(name: str) -> Path | None:
    """The file behind a span's file name: `<ct>/vaccines.ctr` (a bundled ruleset's file, as the
    loader names it) or an absolute path; None for `<builtin>` and names not on disk."""
    bundled = _BUNDLED_NAME.fullmatch(name)
    if bundled is not None:
        try:
            return resolve_ruleset_path(bundled[1]).parent / bundled[2]
        except FileNotFoundError:
            return None
    path = Path(name)
    return path if path.is_absolute() else None


def analyse(
    source: SourceFile, folder: Path | None
) -> tuple[ast.Ruleset | None, dict[str, SourceFile], list[Diagnostic]]:
    """What `ctrules check` finds in this text: the merged AST (None when the file cannot be
    loaded: a syntax error, a bad include), the text of every file read, every diagnostic."""
    try:
        ruleset, sources, diagnostics = check_sources(source, folder)
    except RulesetError as error:
        return None, {source.name: source, **error.sources}, list(error.diagnostics)
    return ruleset, sources, list(diagnostics)


def diagnostic_message(diagnostic: Diagnostic) -> str:
    """The message an editor shows: the problem, then the label, help and context lines that
    `ctrules check` prints under the caret."""
    d = diagnostic
    lines = [d.message]
    if d.label:
        lines.append(d.label)
    if d.help:
        lines.append(f"help: {d.help}")
    if d.context:
        lines.append(f"in: {d.context}")
    return "\n".join(lines)


def formatted(text: str, name: str) -> str | None:
    """`ctrules.fmt.format_source` applied to the text; None when nothing changes, on a syntax
    error, or when this ctrules has no formatter."""
    try:
        fmt = importlib.import_module(".fmt", __package__)
    except ImportError:
        log.info("ctrules.fmt is not available: no formatting")
        return None
    try:
        result = fmt.format_source(text, name)
    except RulesetError:
        return None
    return None if result == text else str(result)


# --- names and what they refer to ----------------------------------------------------------

PRODUCT = "vaccine or group"
REQUIREMENT = "requirement"
RULESET = "ruleset"

# What a name written in a node's field refers to; a name elsewhere (an antigen, a disease, a
# dose position) has no declaration to show.
_REFERS_TO: dict[tuple[type, str], str] = {
    (ast.Series, "group"): PRODUCT,
    (ast.SeasonalSeries, "group"): PRODUCT,
    (ast.NoDoses, "group"): PRODUCT,
    (ast.GroupDecl, "members"): PRODUCT,
    (ast.GroupDecl, "name"): PRODUCT,
    (ast.VaccineDecl, "name"): PRODUCT,
    (ast.Requirement, "name"): REQUIREMENT,
    (ast.Requirement, "follows"): REQUIREMENT,
    (ast.Exemption, "requirements"): REQUIREMENT,
    (ast.AmendRequirement, "name"): REQUIREMENT,
    (ast.RemoveRequirement, "name"): REQUIREMENT,
    (ast.Ruleset, "amends"): RULESET,
    (ast.Include, "bundled"): RULESET,
}

# Nodes a hover on any of their lines describes (the innermost one wins).
_DESCRIBED = (
    ast.Requirement,
    ast.Clause,
    ast.Rule,
    ast.Otherwise,
    ast.Exemption,
    ast.InProcess,
    ast.VaccineDecl,
    ast.GroupDecl,
    ast.Include,
)


def _walk(node: Any, ancestors: tuple[Any, ...] = (), field: str = "") -> Iterator[tuple[Any, tuple[Any, ...], str]]:
    """Every node below `node`, itself first, with its ancestors and the field of the parent
    that holds it. Follows the fields that are compared (so not spans, nor `base`/`changes`)."""
    yield node, ancestors, field
    for attribute in attrs.fields(type(node)):
        if not attribute.eq:
            continue
        value = getattr(node, attribute.name)
        for item in value if isinstance(value, tuple) else (value,):
            if attrs.has(type(item)):
                yield from _walk(item, (*ancestors, node), attribute.name)


def _trees(ruleset: ast.Ruleset) -> Iterator[tuple[Any, tuple[Any, ...], str]]:
    """The merged ruleset's nodes, then (for an amendment) those of the amendment as written."""
    yield from _walk(ruleset)
    if ruleset.changes is not None:
        yield from _walk(ruleset.changes)


def _declarations(ruleset: ast.Ruleset) -> dict[tuple[str, str], Any]:
    table: dict[tuple[str, str], Any] = {}
    products: tuple[ast.VaccineDecl | ast.GroupDecl, ...] = (*ruleset.vaccines, *ruleset.groups)
    for decl in products:
        table.setdefault((PRODUCT, decl.name.text), decl)
    for requirement in ruleset.requirements:
        table.setdefault((REQUIREMENT, requirement.name.text), requirement)
    return table


def _reference_at(
    ruleset: ast.Ruleset, file: str, line: int, character: int, text: str, fresh: bool
) -> tuple[str, str, Span | None] | None:
    """(kind, name, where it is written) of the name at a 0-based position of `file`.

    With an AST of the current text (`fresh`) the name must be one the AST holds there, so
    words in quotes and comments are not names; with an older AST (the text does not parse
    now) the word under the cursor is looked up among the declarations instead.
    """
    if fresh:
        for node, ancestors, field in _trees(ruleset):
            if not isinstance(node, ast.Name) or node.span.file != file or not ancestors:
                continue
            kind = _REFERS_TO.get((type(ancestors[-1]), field))
            place = span_place(node.span)
            if kind and place.line == line and place.character <= character <= place.end_character:
                return kind, node.text, node.span
        return None
    lines = _lines(text)
    found = word_at(lines[line], character) if 0 <= line < len(lines) else None
    if found is None:
        return None
    table = _declarations(ruleset)
    kind = next((k for k in (PRODUCT, REQUIREMENT) if (k, found[2]) in table), None)
    return (kind, found[2], None) if kind else None


def _node_at(ruleset: ast.Ruleset, file: str, line: int) -> tuple[Any, tuple[Any, ...]] | None:
    """The innermost described node of `file` whose lines include `line` (0-based)."""
    best: tuple[Any, tuple[Any, ...]] | None = None
    best_height = 0
    for node, ancestors, _ in _trees(ruleset):
        if not isinstance(node, _DESCRIBED) or node.span.file != file:
            continue
        place = span_place(node.span)
        height = place.end_line - place.line
        if place.line <= line <= place.end_line and (best is None or height < best_height):
            best, best_height = (node, ancestors), height
    return best


class Target(NamedTuple):
    """Where a definition is: a span's file name (`<ct>/vaccines.ctr`, an absolute path), the
    declaration's span there (None: the top of the file) and its name's span; and where the
    name was written in the current text (None when not known)."""

    file: str
    span: Span | None = None
    name: Span | None = None
    origin: Span | None = None


def definition_at(ruleset: ast.Ruleset, file: str, line: int, character: int, text: str, fresh: bool) -> Target | None:
    """The declaration of the vaccine, group or requirement named at a 0-based position; the
    file of an `include`; a bundled ruleset's main file for `amends ct` or `from ct`."""
    reference = _reference_at(ruleset, file, line, character, text, fresh)
    if reference is not None:
        kind, name, written = reference
        if kind == RULESET:
            return Target(f"<{name}>/ruleset.ctr", origin=written)
        decl = _declarations(ruleset).get((kind, name))
        return Target(decl.span.file, decl.span, decl.name.span, written) if decl is not None else None
    found = _node_at(ruleset, file, line) if fresh else None
    if found is not None and isinstance(found[0], ast.Include):
        include: ast.Include = found[0]
        if include.bundled is not None:
            return Target(f"<{include.bundled.text}>/{include.path}", origin=include.span)
        return Target(str(Path(file).parent / include.path), origin=include.span)
    return None


# --- hover text ----------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_\[\]<>|])")


def _escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def _names(names: tuple[ast.Name, ...]) -> str:
    return ", ".join(f"`{n.text}`" for n in names)


def _citation(citation: ast.Citation | None) -> str:
    if citation is None:
        return ""
    return f"{citation} (provisional)" if citation.provisional else str(citation)


def _where(span: Span) -> str:
    """`vaccines.ctr, line 12`, or `<ct>/vaccines.ctr, line 12` for a bundled ruleset's file."""
    file = span.file if span.file.startswith("<") else Path(span.file).name
    return f"*{_escape(file)}, line {span.line}*"


def _describe(node: Any, ancestors: tuple[Any, ...]) -> str:
    """Markdown for a hover: what the node is, its citation and title, and its `says` text."""
    head: list[str] = []
    text = ""
    if isinstance(node, ast.VaccineDecl):
        described = f" — {_escape(node.description)}" if node.description else ""
        head = [f"**vaccine `{node.name.text}`**{described}"]
        if node.cvx:
            head.append(f"CVX {', '.join(node.cvx)}")
        head.append(f"contains {_names(node.antigens)}{' (live)' if node.live else ''}")
        head.append(f"declared in {_where(node.span)}")
    elif isinstance(node, ast.GroupDecl):
        described = f" — {_escape(node.description)}" if node.description else ""
        head = [f"**group `{node.name.text}`**{described}"]
        head.append(f"vaccines containing {_names(node.containing)}" if node.containing else _names(node.members))
        head.append(f"declared in {_where(node.span)}")
    elif isinstance(node, ast.Requirement):
        title = f" — {_escape(node.title)}" if node.title else ""
        head = [f"**requirement `{node.name.text}`**{title}"]
        if node.citation is not None:
            head.append(_escape(_citation(node.citation)))
        if node.follows is not None:
            head.append(f"follows `{node.follows.text}`")
        if node.antigens:
            head.append(f"protects against {_names(node.antigens)}")
        text = node.text
    elif isinstance(node, ast.Clause | ast.Rule | ast.Otherwise):
        if isinstance(node, ast.Clause):
            head = [f"**{node.kind.value} {_escape(_citation(node.citation))}**"]
        elif isinstance(node, ast.Rule):
            cited = f" {_escape(_citation(node.citation))}" if node.citation else ""
            head = [f'**rule "{_escape(node.name)}"** {node.status.value}{cited}']
        else:
            head = [f"**otherwise** {node.status.value}"]
        owner = next((a for a in reversed(ancestors) if isinstance(a, ast.Requirement | ast.AmendRequirement)), None)
        if isinstance(owner, ast.Requirement):
            title = f" — {_escape(owner.title)}" if owner.title else ""
            cited = f" {_escape(_citation(owner.citation))}" if owner.citation else ""
            head.append(f"in requirement `{owner.name.text}`{title}{cited}")
        elif isinstance(owner, ast.AmendRequirement):
            head.append(f"in the amendment of requirement `{owner.name.text}`")
        text = node.text
    elif isinstance(node, ast.Exemption):
        cited = f" {_escape(_citation(node.citation))}" if node.citation else ""
        head = [f"**exemption {node.kind.value}**{cited}"]
        if node.requirements:
            head.append(f"for {_names(node.requirements)}")
        text = node.text
    elif isinstance(node, ast.InProcess):
        cited = f" {_escape(_citation(node.citation))}" if node.citation else ""
        head = [f"**in process**{cited}"]
        text = node.text
    elif isinstance(node, ast.Include):
        source = f" from bundled ruleset `{node.bundled.text}`" if node.bundled else ""
        head = [f'**include** "{_escape(node.path)}"{source}']
    parts = ["  \n".join(head)]
    if text:
        parts.append("> " + _escape(text))
    return "\n\n".join(parts)


def hover_at(
    ruleset: ast.Ruleset, file: str, line: int, character: int, text: str, fresh: bool
) -> tuple[str, Span | None] | None:
    """Markdown for the name or the clause (rule, requirement, declaration) at a 0-based
    position, and the span it describes in `file` (None when not known in the current text)."""
    reference = _reference_at(ruleset, file, line, character, text, fresh)
    if reference is not None and reference[0] != RULESET:
        kind, name, written = reference
        decl = _declarations(ruleset).get((kind, name))
        if decl is not None:
            return _describe(decl, ()), written
    found = _node_at(ruleset, file, line) if fresh else None
    if found is None:
        return None
    return _describe(*found), found[0].span


# --- the server ----------------------------------------------------------------------------


@attrs.define
class _Document:
    """What the server knows of an open document: its name for messages, the folder includes
    are read from, the last AST loaded from it and from which text."""

    name: str
    folder: Path | None
    text: str = ""
    ruleset: ast.Ruleset | None = None
    fresh: bool = False
    """`ruleset` was loaded from `text` (else it is the last one that loaded, from older text)."""
    sources: dict[str, SourceFile] = attrs.Factory(dict)


class _Session:
    """The server's state and handlers. Every handler is guarded: an exception is logged and
    answered with nothing, never allowed to stop the server."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.documents: dict[str, _Document] = {}
        self.published: dict[str, dict[str, list[types.Diagnostic]]] = {}
        """Diagnostics by the document whose check found them, then by the file they are in."""
        self.shut_down = False

    def guarded(self, what: str, default: _T, call: Callable[[], _T]) -> _T:
        try:
            return call()
        except Exception as error:
            log.exception("%s failed", what)
            try:
                from lsprotocol import types

                self.server.window_log_message(
                    types.LogMessageParams(type=types.MessageType.Error, message=f"ctrules: {what} failed: {error!r}")
                )
            except Exception:
                pass
            return default

    # - documents -

    def document(self, uri: str) -> _Document:
        from pygls.uris import to_fs_path

        if uri not in self.documents:
            path = to_fs_path(uri)
            if path:
                self.documents[uri] = _Document(path, Path(path).parent)
            else:
                self.documents[uri] = _Document(uri, None)
        return self.documents[uri]

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.server.workspace.text_documents  # pygls keys them unquoted

    def text(self, uri: str) -> str:
        return self.server.workspace.get_text_document(uri).source

    def current(self, uri: str) -> _Document:
        """The document with the AST of its current text if that loads, else the last one that did
        (a hover can come before the check of the last keystroke)."""
        document = self.document(uri)
        text = self.text(uri)
        if text != document.text:
            document.text, document.fresh = text, False
            try:
                document.ruleset, document.sources = load_ast(SourceFile(document.name, text), document.folder)
                document.fresh = True
            except RulesetError:
                pass
        return document

    def uri_of(self, file: str, uri: str) -> str | None:
        """The URI of a span's file; `uri` for the document's own file; None when not on disk."""
        from pygls.uris import from_fs_path

        if file == self.document(uri).name:
            return uri
        path = file_path(file)
        return from_fs_path(str(path)) if path is not None else None

    def client_range(self, place: Place, text: str | None) -> types.Range:
        """A range in the client's units; counted in characters when the text is not known."""
        from lsprotocol import types

        plain = types.Range(
            start=types.Position(line=place.line, character=place.character),
            end=types.Position(line=place.end_line, character=place.end_character),
        )
        if text is None:
            return plain
        return self.server.workspace.position_codec.range_to_client_units(_lines(text), plain)

    def position(self, uri: str, position: types.Position) -> tuple[int, int]:
        """A client position as (line, character) in Python characters."""
        from lsprotocol import types

        copied = types.Position(line=position.line, character=position.character)
        found = self.server.workspace.position_codec.position_from_client_units(_lines(self.text(uri)), copied)
        return found.line, found.character

    # - diagnostics -

    def check(self, uri: str) -> None:
        """Check the document's current text and publish what is found, file by file."""
        from lsprotocol import types

        document = self.document(uri)
        text = self.text(uri)
        ruleset, sources, diagnostics = analyse(SourceFile(document.name, text), document.folder)
        document.text, document.fresh = text, ruleset is not None
        if ruleset is not None:
            document.ruleset, document.sources = ruleset, sources
        found: dict[str, list[types.Diagnostic]] = {uri: []}
        for d in diagnostics:
            target = self.uri_of(d.span.file, uri)
            source = sources.get(d.span.file)
            if target is None or source is None:  # `<builtin>`, or a file not read: say it at the top
                target, place, source_text = uri, Place(0, 0, 0, 0), text
            else:
                place, source_text = span_place(d.span), source.text
            found.setdefault(target, []).append(
                types.Diagnostic(
                    range=self.client_range(place, source_text),
                    message=diagnostic_message(d),
                    severity=types.DiagnosticSeverity.Error
                    if d.severity is Severity.ERROR
                    else types.DiagnosticSeverity.Warning,
                    code=d.code,
                    source="ctrules",
                )
            )
        self.publish(uri, found)

    def check_unless_changed(self, changed: types.VersionedTextDocumentIdentifier) -> None:
        """Check a changed document, unless it was closed or changed again since (then the later
        change's own check will run)."""
        if self.is_open(changed.uri) and self.server.workspace.get_text_document(changed.uri).version in (
            None,
            changed.version,
        ):
            self.check(changed.uri)

    def publish(self, owner: str, found: dict[str, list[types.Diagnostic]]) -> None:
        """Replace `owner`'s diagnostics, and send every file they touch (before or now) all the
        diagnostics any open document's check found in it, so fixed ones are cleared."""
        from lsprotocol import types

        before = self.published.pop(owner, {})
        if found:
            self.published[owner] = found
        for target in sorted({*before, *found}):
            merged: dict[tuple[object, ...], types.Diagnostic] = {}
            for by_file in self.published.values():
                for d in by_file.get(target, []):
                    key = (d.code, d.message, d.severity, d.range.start.line, d.range.start.character)
                    merged.setdefault(key, d)
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=list(merged.values()))
            )

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)
        self.publish(uri, {})

    # - requests -

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        from lsprotocol import types

        uri = params.text_document.uri
        document = self.current(uri)
        if document.ruleset is None:
            return None
        line, character = self.position(uri, params.position)
        found = hover_at(document.ruleset, document.name, line, character, document.text, document.fresh)
        if found is None:
            return None
        markdown, span = found
        within = span is not None and span.file == document.name
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
            range=self.client_range(span_place(span), document.text) if span is not None and within else None,
        )

    def definition(self, params: types.DefinitionParams) -> types.Location | list[types.LocationLink] | None:
        """A `LocationLink` (the whole declaration, its name selected) for clients that take one,
        else a `Location` of the whole declaration."""
        from lsprotocol import types

        uri = params.text_document.uri
        document = self.current(uri)
        if document.ruleset is None:
            return None
        line, character = self.position(uri, params.position)
        target = definition_at(document.ruleset, document.name, line, character, document.text, document.fresh)
        target_uri = self.uri_of(target.file, uri) if target is not None else None
        if target is None or target_uri is None:
            return None
        text = self.text_of(target.file, document)
        whole = self.client_range(span_place(target.span) if target.span else Place(0, 0, 0, 0), text)
        client = self.server.client_capabilities.text_document
        definition = client.definition if client is not None else None
        if definition is None or not definition.link_support:
            return types.Location(uri=target_uri, range=whole)
        origin = target.origin if target.origin is not None and target.origin.file == document.name else None
        return [
            types.LocationLink(
                target_uri=target_uri,
                target_range=whole,
                target_selection_range=self.client_range(span_place(target.name), text) if target.name else whole,
                origin_selection_range=self.client_range(span_place(origin), document.text) if origin else None,
            )
        ]

    def text_of(self, file: str, document: _Document) -> str | None:
        """The text of a span's file, to count its columns in the client's units."""
        if file == document.name:
            return document.text
        if file in document.sources:
            return document.sources[file].text
        path = file_path(file)
        try:
            return path.read_text(encoding="utf-8") if path is not None else None
        except (OSError, UnicodeDecodeError):
            return None

    def formatting(self, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        from lsprotocol import types

        uri = params.text_document.uri
        text = self.text(uri)
        new = formatted(text, self.document(uri).name)
        if new is None:
            return []
        lines = re.split(r"\r\n|\r|\n", text)
        end = Place(0, 0, len(lines) - 1, len(lines[-1]))
        return [types.TextEdit(range=self.client_range(end, "\n".join(lines)), new_text=new)]


def create_server() -> tuple[LanguageServer, _Session]:
    """The pygls server with every feature registered (raises ImportError without pygls)."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("ctrules", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
    session = _Session(server)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        session.guarded("checking", None, lambda: session.check(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(params: types.DidChangeTextDocumentParams) -> None:
        await asyncio.sleep(DEBOUNCE_SECONDS)
        session.guarded("checking", None, lambda: session.check_unless_changed(params.text_document))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        # Other open files may include the saved one (includes are read from disk).
        saved = params.text_document.uri
        for uri in [saved, *(u for u in session.documents if u != saved)]:
            if session.is_open(uri):
                session.guarded("checking", None, functools.partial(session.check, uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        session.guarded("closing", None, lambda: session.close(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        return session.guarded("hover", None, lambda: session.hover(params))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> types.Location | list[types.LocationLink] | None:
        return session.guarded("go to definition", None, lambda: session.definition(params))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit]:
        return session.guarded("formatting", [], lambda: session.formatting(params))

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        session.shut_down = True

    return server, session


def serve() -> int:
    """Run the server on stdin/stdout until the client says `exit`: 0 after a `shutdown`
    request, 1 otherwise (as LSP asks)."""
    logging.basicConfig(level=logging.WARNING, format="ctrules lsp: %(levelname)s: %(message)s")
    server, session = create_server()
    server.start_io()
    return 0 if session.shut_down else 1
