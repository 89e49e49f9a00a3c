"""The language server (`ctrules lsp`): spoken to over stdio as an editor would, with
Content-Length framed JSON-RPC, and its pure helpers tested directly.

Every wait has a timeout and the server process is killed at the end whatever happens, so a
broken server fails these tests instead of hanging them.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from ctrules import lsp
from ctrules.cli import main
from ctrules.errors import RulesetError
from ctrules.loader import load_ast
from ctrules.parse import data_dir
from ctrules.source import SourceFile, Span

TIMEOUT = 30.0

VACCINES = """\
vaccine MMR "measles, mumps and rubella virus vaccine, live" cvx 3 contains measles, mumps and rubella live
group measles-vaccine "live attenuated measles vaccine" = vaccines containing measles
"""

SAYS = "is enrolled in kindergarten through grade 12 and was immunized with two doses"

RULESET = f"""\
ruleset t "test rules"
include "vaccines.ctr"

requirement measles "Measles" § 10-204a-2a(a)
  clause § 10-204a-2a(a)(2)
    says "{SAYS}"
    when grades K to 12
    requires 2 doses of measles-vaccine, first on or after 1st birthday, at least 28 days apart
"""
BROKEN = RULESET.replace("doses of measles-vaccine", "doses of measles-vacine")


class Client:
    """A minimal LSP client: a reader thread turns the server's frames into a queue."""

    def __init__(self, log: IO[bytes]) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ctrules", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,  # a file, not a pipe nobody reads (which could fill and block the server)
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.backlog: list[dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stdout.readline()
                if not line:
                    self.messages.put(None)
                    return
                if not line.strip():
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            self.messages.put(json.loads(stdout.read(int(headers["content-length"]))))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        number = self.next_id
        self.send({"id": number, "method": method, "params": params})
        reply = self.expect(lambda m: m.get("id") == number and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def expect(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first message `wanted` accepts, within TIMEOUT; the others are kept, in order,
        for later calls (the server may publish several files' diagnostics in any order)."""
        for index, message in enumerate(self.backlog):
            if wanted(message):
                return self.backlog.pop(index)
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                received = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail("the language server did not answer in time")
            if received is None:
                pytest.fail("the language server closed its output")
            if wanted(received):
                return received
            self.backlog.append(received)

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        message = self.expect(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        )
        return list(message["params"]["diagnostics"])

    def initialize(self, root: Path, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.request(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities or {}, "workspaceFolders": None},
        )
        self.notify("initialized", {})
        return dict(result["capabilities"])

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "ctr", "version": 1, "text": text}}
        )
        return uri

    def stop(self) -> int:
        """`shutdown`, `exit`, and the exit code."""
        assert self.request("shutdown", None) is None
        self.notify("exit", None)
        assert self.process.stdin is not None
        self.process.stdin.close()
        return self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def client() -> Iterator[Client]:
    with tempfile.TemporaryFile() as log:
        started = Client(log)
        try:
            yield started
        finally:
            if started.process.poll() is None:
                started.process.kill()
            started.process.wait(timeout=TIMEOUT)
            for stream in (started.process.stdin, started.process.stdout):
                if stream is not None:
                    stream.close()
            log.seek(0)
            print(log.read().decode("utf-8", "replace"))  # the server's log, shown if the test fails


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A ruleset and the file it includes, in a folder whose URI needs quoting."""
    rules = tmp_path / "school rules"
    rules.mkdir()
    (rules / "vaccines.ctr").write_text(VACCINES, encoding="utf-8")
    (rules / "ruleset.ctr").write_text(RULESET, encoding="utf-8")
    return rules


def _at(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def test_a_session_diagnoses_fixes_hovers_and_finds_definitions(client: Client, folder: Path) -> None:
    capabilities = client.initialize(folder)
    assert capabilities["hoverProvider"]
    assert capabilities["definitionProvider"]
    assert capabilities["documentFormattingProvider"]
    assert capabilities["textDocumentSync"]["openClose"]
    assert capabilities["textDocumentSync"]["change"] in (1, 2)  # full or incremental

    # A misspelt group: CTR201 where `ctrules check` puts it (line 8, columns 25 to 39, 1-based).
    uri = client.open(folder / "ruleset.ctr", BROKEN)
    (diagnostic,) = client.diagnostics(uri)
    assert diagnostic["code"] == "CTR201"
    assert diagnostic["severity"] == 1
    assert diagnostic["source"] == "ctrules"
    assert diagnostic["range"] == {"start": _at(7, 24), "end": _at(7, 38)}
    assert 'unknown vaccine "measles-vacine"' in diagnostic["message"]
    assert 'did you mean "measles-vaccine"?' in diagnostic["message"]

    # The whole text replaced by the fixed one: the diagnostic is cleared.
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": RULESET}]},
    )
    assert client.diagnostics(uri) == []

    # Hover on the clause line: its citation, its requirement's title and its `says` text.
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(4, 4)})
    assert hover["contents"]["kind"] == "markdown"
    text = hover["contents"]["value"]
    assert "§ 10-204a-2a(a)(2)" in text and "Measles" in text and SAYS in text
    assert hover["range"]["start"] == _at(4, 2)

    # Hover on the group name: its declaration.
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(7, 30)})
    assert "live attenuated measles vaccine" in hover["contents"]["value"]
    assert "vaccines containing `measles`" in hover["contents"]["value"]

    # Definition of the group name: its declaration in the included file.
    location = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": _at(7, 30)})
    declaration = VACCINES.splitlines()[1]
    assert location == {
        "uri": (folder / "vaccines.ctr").as_uri(),
        "range": {"start": _at(1, 0), "end": _at(1, len(declaration))},
    }

    # Nothing to say on a blank line between statements.
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(2, 0)}) is None

    assert client.stop() == 0


def test_included_files_bundled_rulesets_syntax_errors_and_formatting(client: Client, folder: Path) -> None:
    # This client takes LocationLinks: the declaration, its name to select, and the name clicked.
    client.initialize(folder, {"textDocument": {"definition": {"linkSupport": True}}})

    # A problem in an included file is published under that file's URI, its columns counted in
    # UTF-16 code units as LSP asks by default (the syringe takes two).
    bad_group = 'group mmr-vaccine "MMR \N{SYRINGE}" = MMR and MMX'
    (folder / "vaccines.ctr").write_text(VACCINES + bad_group + "\n", encoding="utf-8")
    uri = client.open(folder / "ruleset.ctr", RULESET)
    included = (folder / "vaccines.ctr").as_uri()
    (diagnostic,) = [d for d in client.diagnostics(included) if d["severity"] == 1]
    assert diagnostic["code"] == "CTR201"
    column = bad_group.index("MMX") + 1
    assert diagnostic["range"] == {"start": _at(2, column), "end": _at(2, column + 3)}
    assert client.diagnostics(uri) == []

    # Fixed on disk and saved: cleared there too.
    (folder / "vaccines.ctr").write_text(VACCINES, encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(included) == []
    assert client.diagnostics(uri) == []

    # A syntax error is a diagnostic too; hover and definition still find declared names.
    broken = RULESET.replace("2 doses", "two doses")
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": broken}]},
    )
    assert [d["code"] for d in client.diagnostics(uri)][:1] == ["CTR101"]
    location = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": _at(7, 30)})
    (link,) = location
    assert link["targetUri"] == included
    assert link["targetSelectionRange"] == {"start": _at(1, 6), "end": _at(1, 21)}
    assert "originSelectionRange" not in link  # the text does not parse: where the name is is not known

    # A group of a bundled ruleset: its declaration in the installed ct/vaccines.ctr.
    bundled = RULESET.replace('include "vaccines.ctr"', 'include "vaccines.ctr" from ct')
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": bundled}]},
    )
    assert client.diagnostics(uri) == []
    location = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": _at(7, 30)})
    ct_vaccines = data_dir("rulesets") / "ct" / "vaccines.ctr"
    (link,) = location
    assert link["targetUri"] == ct_vaccines.resolve().as_uri()
    assert link["originSelectionRange"] == {"start": _at(7, 24), "end": _at(7, 39)}
    line = link["targetRange"]["start"]["line"]
    assert ct_vaccines.read_text(encoding="utf-8").splitlines()[line].startswith("group measles-vaccine ")

    # Formatting: one edit replacing the whole text by what `ctrules.fmt` makes of it (none when
    # there is nothing to change, or when this ctrules has no formatter yet).
    messy = bundled.replace("\n    when", "\n        when")
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": messy}]},
    )
    options = {"tabSize": 2, "insertSpaces": True}
    edits = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": options})
    expected = lsp.formatted(messy, str(folder / "ruleset.ctr"))
    if expected is None:
        assert edits == []
    else:
        last = messy.split("\n")
        assert edits == [{"range": {"start": _at(0, 0), "end": _at(len(last) - 1, len(last[-1]))}, "newText": expected}]

    # A request about a file that is not open and does not exist is answered, not fatal.
    missing = (folder / "missing.ctr").as_uri()
    assert client.request("textDocument/hover", {"textDocument": {"uri": missing}, "position": _at(0, 0)}) is None
    logged = client.expect(lambda m: m.get("method") == "window/logMessage")
    assert "hover failed" in logged["params"]["message"]
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(4, 4)}) is not None

    assert client.stop() == 0


def test_lsp_without_pygls_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)
    assert main(["lsp"]) == 1
    assert "pip install 'ctrules[lsp]'" in capsys.readouterr().err


# --- the pure helpers ------------------------------------------------------------------------


def test_span_place_is_zero_based_and_never_reversed() -> None:
    span = Span(file="r.ctr", line=8, column=25, end_line=8, end_column=39)
    assert lsp.span_place(span) == (7, 24, 7, 38)
    assert lsp.span_place(Span(file="r.ctr", line=3, column=5, end_line=2, end_column=1)) == (2, 4, 2, 4)
    assert lsp.span_place(Span(file="<builtin>", line=1, column=1, end_line=1, end_column=1)) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("line", "character", "expected"),
    [
        ("    requires 2 doses of measles-vaccine, first", 24, (24, 39, "measles-vaccine")),
        ("    requires 2 doses of measles-vaccine, first", 39, (24, 39, "measles-vaccine")),  # just after
        ("    requires 2 doses of measles-vaccine, first", 30, (24, 39, "measles-vaccine")),
        ("group ic-mmr = DTaP-IPV/Hib and MMR", 20, (15, 27, "DTaP-IPV/Hib")),
        ("exemption medical for hepatitis_b", 25, (22, 33, "hepatitis_b")),
        ("  clause § 10-204a-2a(a)(2)", 12, None),  # a citation is not a name
        ("    requires 2 doses", 13, None),  # a number
        ("", 0, None),
        ("MMR", 99, (0, 3, "MMR")),  # past the end of the line
    ],
)
def test_word_at(line: str, character: int, expected: tuple[int, int, str] | None) -> None:
    assert lsp.word_at(line, character) == expected


def test_file_path_maps_bundled_names_to_the_installed_files() -> None:
    assert lsp.file_path("<ct>/vaccines.ctr") == data_dir("rulesets").resolve() / "ct" / "vaccines.ctr"
    assert lsp.file_path("<no-such-ruleset>/x.ctr") is None
    assert lsp.file_path("<builtin>") is None
    assert lsp.file_path("relative.ctr") is None
    assert lsp.file_path("/abs/rules.ctr") == Path("/abs/rules.ctr")


def test_diagnostic_messages_carry_label_help_and_context(folder: Path) -> None:
    path = folder / "ruleset.ctr"
    ruleset, sources, diagnostics = lsp.analyse(SourceFile(str(path), BROKEN), folder)
    assert ruleset is not None and sorted(sources) == [str(path), str(folder / "vaccines.ctr")]
    assert lsp.diagnostic_message(diagnostics[0]).splitlines() == [
        'unknown vaccine "measles-vacine"',
        "no vaccine of this name is declared",
        'help: did you mean "measles-vaccine"?',
        "in: § 10-204a-2a(a)(2) in requirement measles",
    ]
    ruleset, _, diagnostics = lsp.analyse(SourceFile(str(path), "ruleset t\nrequirement"), folder)
    assert ruleset is None and diagnostics[0].code.startswith("CTR1")


MORE = (
    RULESET
    + """
requirement mumps "Mumps" follows measles
  says "two doses of MMR"

exemption medical § 10-204a(a)(2)
  for measles and mumps
"""
)


def _position(text: str, line: int, word: str) -> tuple[int, int]:
    return line, text.splitlines()[line].index(word) + 1


def test_definitions_of_groups_requirements_and_includes(folder: Path) -> None:
    path = str(folder / "ruleset.ctr")
    ruleset, _ = load_ast(SourceFile(path, MORE), folder)

    def definition(line: int, word: str) -> lsp.Target | None:
        return lsp.definition_at(ruleset, path, *_position(MORE, line, word), MORE, fresh=True)

    group = definition(7, "measles-vaccine")
    assert group is not None and group.file == str(folder / "vaccines.ctr")
    assert group.span is not None and (group.span.line, group.span.column) == (2, 1)
    assert group.name is not None and (group.name.column, group.name.end_column) == (7, 22)
    assert group.origin is not None and (group.origin.line, group.origin.column) == (8, 25)
    followed = definition(9, "measles")  # `follows` names a requirement
    assert followed is not None and followed.span is not None and (followed.file, followed.span.line) == (path, 4)
    exempted = definition(13, "mumps")  # so does an exemption's `for` list
    assert exempted is not None and exempted.span is not None and exempted.span.line == 10
    include = definition(1, "include")
    assert include is not None and (include.file, include.span) == (str(folder / "vaccines.ctr"), None)
    # A vaccine's name in quotes is not a reference; nor is a word that names nothing.
    assert definition(10, "MMR") is None
    assert definition(5, "kindergarten") is None


def test_hover_texts(folder: Path) -> None:
    path = str(folder / "ruleset.ctr")
    ruleset, _ = load_ast(SourceFile(path, MORE), folder)

    def hover(line: int, word: str, text: str = MORE, fresh: bool = True) -> str:
        found = lsp.hover_at(ruleset, path, *_position(text, line, word), text, fresh=fresh)
        assert found is not None
        return found[0]

    assert hover(3, "measles").startswith("**requirement `measles`** — Measles  \n§ 10-204a-2a(a)")
    clause = hover(6, "grades")  # any line of the clause
    assert clause.startswith("**clause § 10-204a-2a(a)(2)**  \nin requirement `measles` — Measles § 10-204a-2a(a)")
    assert clause.endswith(f"> {SAYS}")
    assert hover(9, "measles").startswith("**requirement `measles`**")
    assert hover(10, "MMR").startswith("**requirement `mumps`** — Mumps  \nfollows `measles`")
    assert hover(12, "medical") == "**exemption medical** § 10-204a(a)(2)  \nfor `measles`, `mumps`"
    group = hover(7, "measles-vaccine")
    assert group == (
        "**group `measles-vaccine`** — live attenuated measles vaccine  \n"
        "vaccines containing `measles`  \ndeclared in *vaccines.ctr, line 2*"
    )
    # With an AST of older text (the current one does not parse), the word is looked up.
    stale = 'requires 2 doses of MMR "'
    assert hover(0, "MMR", stale, fresh=False).startswith(
        "**vaccine `MMR`** — measles, mumps and rubella virus vaccine, live  \nCVX 3  \n"
        "contains `measles`, `mumps`, `rubella` (live)"
    )
    assert lsp.hover_at(ruleset, path, 0, 1, "ruleset t", fresh=False) is None
    # Markdown in quoted text is shown as written.
    assert "\\*not\\* \\[sic\\]" in lsp._describe(
        lsp.ast.Exemption(kind=lsp.ast.ExemptionKind.MEDICAL, text="*not* [sic]"), ()
    )


def test_formatting_uses_fmt_when_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    def format_source(text: str, name: str = "<string>") -> str:
        if "broken" in text:
            raise RulesetError([], {})
        return text.replace("  ", " ")

    monkeypatch.setitem(sys.modules, "ctrules.fmt", types.SimpleNamespace(format_source=format_source))
    assert lsp.formatted("a  b", "r.ctr") == "a b"
    assert lsp.formatted("a b", "r.ctr") is None  # unchanged: no edit
    assert lsp.formatted("broken", "r.ctr") is None
    monkeypatch.setitem(sys.modules, "ctrules.fmt", None)  # a ctrules without fmt
    assert lsp.formatted("a  b", "r.ctr") is None
