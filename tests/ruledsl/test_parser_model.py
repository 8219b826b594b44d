"""ruledsl.parser: what a .gorule file becomes in ruledsl.model, with positions."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

from rulec.ruledsl.diagnostics import Diagnostic, Pos
from rulec.ruledsl.load import BUILTIN_RULES, parse_all
from rulec.ruledsl.model import MAIN_PACKAGE, FuncTarget
from rulec.ruledsl.parser import parse_file, parse_text

SAMPLE = textwrap.dedent(
    """\
    # A comment line does not move anything.
    plugin sample

    import http  "net/http"
    import hooks "rulec.dev/runtime/plugins/nethttp"
    import core  "rulec.dev/runtime/core"

    target std version ">= 1.23, < 2"

    rule server {
        on handler http.serverHandler
        before hooks.ServerBefore
        after  hooks.ServerAfter
    }

    rule client {
      on call http.(*Transport).RoundTrip   # trailing comment
      before hooks.ClientBefore
    }

    rule header { on call http.Header.Get after core.MainReturn }

    rule main_return {
        on call main.main
        after core.MainReturn
    }
    """
)


def parse_ok(text: str, file: str = "sample.gorule"):
    plugin, diagnostics = parse_text(text, file)
    assert diagnostics == []
    assert plugin is not None
    return plugin


def test_plugin_header() -> None:
    p = parse_ok(SAMPLE)
    assert p.name == "sample"
    assert p.file == "sample.gorule"
    assert p.module is None
    assert str(p.versions) == ">= 1.23, < 2"
    assert p.versions.contains("go1.26.8") and not p.versions.contains("1.22.9")
    assert p.target_label == "go >= 1.23, < 2"
    assert p.pos == Pos("sample.gorule", 2, 1)
    assert p.target_pos == Pos("sample.gorule", 8, 1)
    assert p.digest == hashlib.sha256(SAMPLE.encode()).hexdigest()
    assert [r.name for r in p.rules] == ["server", "client", "header", "main_return"]
    assert all(r.plugin == "sample" for r in p.rules)


def test_handler_join_point_is_servehttp_of_the_type() -> None:
    server = parse_ok(SAMPLE).rules[0]
    assert server.id == "sample.server"
    assert server.pos == Pos("sample.gorule", 10, 1)
    jp = server.joinpoint
    assert jp.kind == "handler"
    # Either receiver form: pointer is None.
    assert jp.target == FuncTarget("net/http", "ServeHTTP", recv="serverHandler", pointer=None)
    assert str(jp.target) == "net/http.serverHandler.ServeHTTP"
    assert jp.pos == Pos("sample.gorule", 11, 5)
    assert str(server.before) == "rulec.dev/runtime/plugins/nethttp.ServerBefore"
    assert server.before.pos == Pos("sample.gorule", 12, 12)
    assert server.after.name == "ServerAfter"
    assert server.after.pos == Pos("sample.gorule", 13, 12)


def test_pointer_receiver() -> None:
    client = parse_ok(SAMPLE).rules[1]
    assert client.joinpoint.kind == "call"
    assert client.joinpoint.target == FuncTarget("net/http", "RoundTrip", recv="Transport", pointer=True)
    assert str(client.joinpoint.target) == "net/http.(*Transport).RoundTrip"
    assert client.joinpoint.pos == Pos("sample.gorule", 17, 3)
    assert client.before.pos == Pos("sample.gorule", 18, 10)
    assert client.after is None


def test_value_receiver_on_one_line() -> None:
    header = parse_ok(SAMPLE).rules[2]
    assert header.joinpoint.target == FuncTarget("net/http", "Get", recv="Header", pointer=False)
    assert str(header.joinpoint.target) == "net/http.Header.Get"
    assert header.pos == Pos("sample.gorule", 21, 1)
    assert header.joinpoint.pos == Pos("sample.gorule", 21, 15)
    assert header.before is None
    assert header.after.package == "rulec.dev/runtime/core"
    assert header.after.pos == Pos("sample.gorule", 21, 45)


def test_function_and_main_need_no_import_for_main() -> None:
    main_return = parse_ok(SAMPLE).rules[3]
    assert main_return.joinpoint.target == FuncTarget(MAIN_PACKAGE, "main")
    assert main_return.joinpoint.target.recv is None and main_return.joinpoint.target.pointer is None


def test_imports_resolve_aliases_to_paths() -> None:
    text = textwrap.dedent(
        """\
        plugin aliases
        import h "net/http"
        import sig "os/signal"
        import c "rulec.dev/runtime/core"
        target module "golang.org/x/text" version ">= v0.16.0"
        rule a {
            on call sig.Notify
            before c.NotifyBefore
        }
        rule b {
            on call h.Get
            after c.MainReturn
        }
        """
    )
    p = parse_ok(text)
    assert p.module == "golang.org/x/text"
    assert p.target_label == "golang.org/x/text >= v0.16.0"
    assert p.rules[0].joinpoint.target == FuncTarget("os/signal", "Notify")
    assert p.rules[0].before.package == "rulec.dev/runtime/core"
    assert p.rules[1].joinpoint.target.package == "net/http"


def test_target_without_version_is_any() -> None:
    p = parse_ok("plugin p\ntarget std\nrule r { on call main.main after main.main }\n")
    assert str(p.versions) == "any"
    assert p.rules[0].after.package == MAIN_PACKAGE


def test_semantic_errors_are_all_reported_with_positions() -> None:
    text = textwrap.dedent(
        """\
        plugin bad
        import a "net/http"
        import a "os"
        target std version "~1.22"
        rule r {
            on call b.Get
            before a.X
            before a.Y
            after c.Z
            within a.W
        }
        rule r {
            on method a.T
            after a.Z
        }
        """
    )
    plugin, diagnostics = parse_text(text, "bad.gorule")
    assert plugin is None
    got = [(d.pos.line, d.pos.col, d.code) for d in diagnostics]
    assert sorted(got) == [
        (3, 1, "duplicate"),
        (4, 1, "version-range"),
        (6, 13, "unknown-import"),
        (8, 5, "advice"),
        (9, 11, "unknown-import"),
        (10, 5, "unknown-advice"),
        (12, 1, "duplicate"),
        (13, 5, "unknown-joinpoint"),
    ]
    assert all(d.severity == "error" and d.pos.file == "bad.gorule" for d in diagnostics)
    joinpoint = next(d for d in diagnostics if d.code == "unknown-joinpoint")
    assert "'method'" in joinpoint.message
    assert str(joinpoint).startswith("bad.gorule:13:5: error[unknown-joinpoint]: ")


def test_syntax_error_position() -> None:
    plugin, diagnostics = parse_text("plugin p\ntarget std\nrule r\n  on call main.main after main.main }\n", "s.gorule")
    assert plugin is None
    assert [(d.pos.line, d.pos.col, d.code) for d in diagnostics] == [(4, 3, "syntax")]
    assert "'{'" in diagnostics[0].message
    assert " at position" not in diagnostics[0].message


def test_malformed_operands_are_syntax_errors_at_the_operand() -> None:
    # Regression: these were reported as unknown kind 'call' / unknown advice 'after'.
    text = textwrap.dedent(
        """\
        plugin p
        target std
        rule a {
            on call http.(Transport.X
            after main.main
        }
        rule b {
            on handler http.(*Mux)
            before
        }
        rule c {
            on call main.main
            after main.
        }
        """
    )
    plugin, diagnostics = parse_text(text, "m.gorule")
    assert plugin is None
    assert [(d.pos.line, d.pos.col, d.code) for d in diagnostics] == [
        (4, 13, "syntax"),
        (8, 16, "syntax"),
        (9, 5, "syntax"),
        (13, 11, "syntax"),
    ]
    messages = [d.message for d in diagnostics]
    assert messages[0] == "`on call` needs PKG.Func, PKG.Type.Method or PKG.(*Type).Method; got 'http.(Transport.X'"
    assert messages[1] == "`on handler` needs PKG.Type; got 'http.(*Mux)'"
    assert messages[2] == "`before` needs a hook, PKG.Func; got nothing"
    assert messages[3] == "`after` needs a hook, PKG.Func; got 'main.'"


def test_empty_text_is_a_syntax_error_and_never_reads_the_file(tmp_path: Path) -> None:
    # Regression: textX read `file` from disk when the text was empty.
    real = tmp_path / "real.gorule"
    real.write_text("plugin real\ntarget std\nrule r { on call main.main after main.main }\n")
    for file in (str(real), str(tmp_path / "absent.gorule")):
        plugin, diagnostics = parse_text("", file)
        assert plugin is None
        assert diagnostics == [Diagnostic(Pos(file, 1, 1), "syntax", diagnostics[0].message)]


def test_parse_file_and_unreadable_files(tmp_path: Path) -> None:
    good = tmp_path / "good.gorule"
    good.write_text(SAMPLE)
    plugin, diagnostics = parse_file(good)
    assert diagnostics == [] and plugin.file == str(good)
    assert plugin.rules[0].pos == Pos(str(good), 10, 1)

    latin1 = tmp_path / "latin1.gorule"
    latin1.write_bytes(b"plugin caf\xe9\n")
    for path in (latin1, tmp_path / "absent.gorule"):
        plugin, diagnostics = parse_file(path)
        assert plugin is None
        assert [(d.pos, d.code) for d in diagnostics] == [(Pos(str(path), 1, 1), "read")]


def test_builtin_rules_parse() -> None:
    plugins, diagnostics = parse_all([BUILTIN_RULES])
    assert diagnostics == []
    names = {p.name: p for p in plugins}
    # One plugin per file, named as `rulec rules` lists them.
    assert len(plugins) == len(list(BUILTIN_RULES.glob("*.gorule")))
    assert {"lifecycle", "logcorrelation", "nethttp", "databasesql", "goredis", "grpc"} <= set(names)
    server = next(r for r in names["nethttp"].rules if r.name == "server")
    assert server.joinpoint.target == FuncTarget("net/http", "ServeHTTP", recv="serverHandler", pointer=None)


def test_duplicate_plugin_across_files_and_empty_dir(tmp_path: Path) -> None:
    text = "plugin same\ntarget std\nrule r { on call main.main after main.main }\n"
    (tmp_path / "a.gorule").write_text(text)
    (tmp_path / "b.gorule").write_text("\n" + text)
    plugins, diagnostics = parse_all([tmp_path])
    assert [p.file for p in plugins] == [str(tmp_path / "a.gorule")]
    assert [(d.pos, d.code) for d in diagnostics] == [(Pos(str(tmp_path / "b.gorule"), 2, 1), "duplicate")]
    assert f"also defined at {tmp_path / 'a.gorule'}:1:1" in diagnostics[0].message

    empty = tmp_path / "empty"
    empty.mkdir()
    plugins, diagnostics = parse_all([empty])
    assert plugins == [] and [d.code for d in diagnostics] == ["read"]
