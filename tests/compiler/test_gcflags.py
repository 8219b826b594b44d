"""The plan mark rulec adds to an advised standard-library package's
-gcflags keeps the flags the go command would give that package itself."""

from __future__ import annotations

import pytest

from rulec.compiler.gocommand import gcflags

GOROOT = "/usr/local/go/src"


@pytest.mark.parametrize(
    ("values", "package", "expected"),
    [
        ([], "net/http", []),
        (["all=-N -l"], "net/http", ["-N", "-l"]),
        (["std=-B"], "log", ["-B"]),
        (["cmd=-B"], "log", []),
        (["log/...=-N"], "log", ["-N"]),  # x/... matches x itself
        (["log/...=-N"], "log/slog", ["-N"]),
        (["log/...=-N"], "net/http", []),
        (["net/...=-N"], "vendor/golang.org/x/net/http2/hpack", []),  # ... skips vendored packages
        (["net/http=-m"], "net/http", ["-m"]),
        (["net/http=-m"], "net/http/httptrace", []),
        (["-N -l"], "net/http", []),  # no pattern: the packages on the command line only
        (["all=-N", "net/http=-m"], "net/http", ["-m"]),  # the last matching value wins
        (["net/http=-m", "all="], "net/http", []),
        (["all='-d=checkptr' -l"], "os", ["-d=checkptr", "-l"]),
        (["./...=-N"], "log", []),  # relative to the module, not GOROOT
    ],
)
def test_for_package(values: list[str], package: str, expected: list[str]) -> None:
    assert gcflags.for_package(values, package, f"{GOROOT}/{package}", "/home/me/app") == expected


def test_a_relative_pattern_inside_goroot_matches_by_directory() -> None:
    assert gcflags.for_package(["./...=-N"], "log/slog", f"{GOROOT}/log/slog", f"{GOROOT}/log") == ["-N"]


def test_values_come_from_goflags_then_the_command_line() -> None:
    args = ["-gcflags=all=-N", "-o", "x", "-gcflags", "net/http=-m", "./pkg", "-args", "-gcflags=all=-B"]
    assert gcflags.user_values("-mod=mod -gcflags=std=-l", args) == ["std=-l", "all=-N", "net/http=-m"]


def test_the_mark_keeps_the_users_flags_and_comes_off_again() -> None:
    (flag,) = gcflags.marked(["all=-N -l"], {"net/http": (f"{GOROOT}/net/http", "abc123")}, "/home/me/app")
    assert flag == "-gcflags=net/http=-N -l -rulec.plan=abc123"
    compile_argv = ["compile", "-o", "out.a", "-N", "-l", "-rulec.plan=abc123", "-p", "net/http", "a.go"]
    assert gcflags.unmark(compile_argv) == (["compile", "-o", "out.a", "-N", "-l", "-p", "net/http", "a.go"], "abc123")
    assert gcflags.unmark(["compile", "a.go"]) == (["compile", "a.go"], None)


def test_an_instrumented_standard_compile_without_its_mark_stops_the_build(tmp_path) -> None:
    from rulec.compiler.gocommand.compile import rewrite_args
    from rulec.compiler.plan import PackagePlan

    generated = tmp_path / "zz_rulec_generated.go"
    generated.write_text("package log\n")
    plan = tmp_path / "log.json"
    plan.write_text(PackagePlan("log", "abc123", generated=(str(generated), f"{GOROOT}/log/zz_rulec_generated.go")).to_json())
    argv = ["compile", "-o", str(tmp_path / "b001" / "_pkg_.a"), "-trimpath", "$WORK/b001=>", "-p", "log", f"{GOROOT}/log/log.go"]
    for mark in ([], ["-rulec.plan=other"]):
        with pytest.raises(SystemExit) as e:
            rewrite_args([*argv[:3], *mark, *argv[3:]], str(plan), "log")
        assert "cannot instrument log: its compile lacks rulec's mark -rulec.plan=abc123" in str(e.value)
    done = rewrite_args([*argv[:3], "-rulec.plan=abc123", *argv[3:]], str(plan), "log")
    assert done[-1] == str(generated) and not any(a.startswith("-rulec.plan") for a in done)
    # Named in the output as the file it stands for, as an overlay file would be.
    assert done[done.index("-trimpath") + 1] == f"$WORK/b001=>;{generated}=>{GOROOT}/log/zz_rulec_generated.go"
