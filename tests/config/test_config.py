"""rulec.toml: loading, validation messages, discovery and `--config`."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import rulec, write_module

from rulec.compiler.config import CONFIG_NAME, Config, ConfigError, Pack, find, for_build, load

GOOD = """
[rules]
dirs = ["rules"]
disable = ["gorm", "zap"]

[build]
exclude = ["example.com/shop/legacy", "example.com/shop/gen/..."]
flags = ["-trimpath"]

[runtime]
exporters = ["prometheus"]

[[packs]]
name = "acme"
git = "https://git.example.com/acme/rules.git"
ref = "v1.2.0"
subdir = "rules"

[[packs]]
name = "mine"
git = "file:///srv/mine.git"
ref = "main"
"""


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules").mkdir(exist_ok=True)
    (folder / CONFIG_NAME).write_text(text)
    return folder / CONFIG_NAME


def test_good_file(tmp_path: Path) -> None:
    cfg = load(write(tmp_path, GOOD))
    assert cfg.path == tmp_path / CONFIG_NAME and cfg.text == GOOD
    assert cfg.rule_dirs == (tmp_path / "rules",)  # relative to the file's folder
    assert cfg.disable == ("gorm", "zap")
    assert cfg.flags == ("-trimpath",)
    assert cfg.exporters == ("prometheus",)
    assert cfg.packs == (
        Pack("acme", "https://git.example.com/acme/rules.git", "v1.2.0", "rules"),
        Pack("mine", "file:///srv/mine.git", "main", ""),
    )


def test_empty_file_and_no_file_mean_defaults(tmp_path: Path) -> None:
    assert load(write(tmp_path / "a", "")) == Config(tmp_path / "a" / CONFIG_NAME, "")
    (tmp_path / "b").mkdir()
    assert for_build(None, tmp_path / "b") == Config()


def test_exclude_takes_go_patterns(tmp_path: Path) -> None:
    cfg = load(write(tmp_path, GOOD))
    assert cfg.excludes("example.com/shop/legacy")
    assert not cfg.excludes("example.com/shop/legacy/sub")  # no /...: that package only
    assert cfg.excludes("example.com/shop/gen") and cfg.excludes("example.com/shop/gen/a/b")
    assert not cfg.excludes("example.com/shop/generator")
    assert not cfg.excludes("net/http")


def error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        load(path)
    assert str(e.value).startswith(f"{path}:")
    return str(e.value)


PACK = '[[packs]]\nname = "a"\ngit = "u"\nref = "r"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[build]\nflags = 3\n", "key 'build.flags': expected a list of strings, got 3"),
        ("[build]\nflags = [1, 2]\n", "key 'build.flags': expected a list of strings, got [1, 2]"),
        ('[rules]\ndirs = "rules"\n', "key 'rules.dirs': expected a list of strings, got 'rules'"),
        ("rules = true\n", "key 'rules': expected a table, got true"),
        ("[bulid]\n", "key 'bulid': unknown key (known: rules, build, runtime, packs)"),
        ('[build]\nflagz = ["-v"]\n', "key 'build.flagz': unknown key (known: exclude, flags)"),
        (PACK + 'gti = "x"\n', "key 'packs[0].gti': unknown key"),
        ('[[packs]]\nname = "a"\nref = "r"\n', "key 'packs[0].git': missing"),
        ('[[packs]]\nname = "a"\ngit = "u"\nref = 1.5\n', "key 'packs[0].ref': expected a string, got 1.5"),
        ('packs = ["a"]\n', "key 'packs': expected an array of tables ([[packs]]), got ['a']"),
        (PACK + PACK, "key 'packs[1].name': pack 'a' is defined twice"),
        ('[[packs]]\nname = "a b"\ngit = "u"\nref = "r"\n', "key 'packs[0].name': 'a b' is not a name"),
        (PACK + 'subdir = "../x"\n', "key 'packs[0].subdir': expected a folder inside the repository"),
        ('[rules]\ndirs = ["nowhere"]\n', "key 'rules.dirs': "),
        ('[build]\nexclude = ["./legacy"]\n', "key 'build.exclude': expected import path patterns"),
        ('[runtime]\nexporters = ["zipkin"]\n', "key 'runtime.exporters': unknown exporter 'zipkin' (known: otlp-grpc, prometheus)"),
    ],
)
def test_each_error_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    assert message in error(tmp_path, text)


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    msg = error(tmp_path, "[build]\n\nflags = -trimpath\n")  # unquoted
    assert msg.startswith(f"{tmp_path / CONFIG_NAME}:3:") and "TOML syntax error" in msg


def test_disable_must_name_a_loaded_plugin(tmp_path: Path) -> None:
    cfg = load(write(tmp_path, '[rules]\ndisable = ["gorm", "nosuch"]\n'))
    cfg.check_disable({"gorm", "nethttp", "nosuch"})
    with pytest.raises(ConfigError, match=r"key 'rules\.disable': no loaded rule file defines plugin 'nosuch'"):
        cfg.check_disable({"gorm", "nethttp"})


def test_found_by_walking_up_nearest_first(tmp_path: Path) -> None:
    top = write(tmp_path, "")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find(deep) == top
    inner = write(tmp_path / "a", "")
    assert find(deep) == inner
    assert for_build(None, deep).path == inner


def test_explicit_config_wins_over_the_search(tmp_path: Path) -> None:
    write(tmp_path, "")
    other = write(tmp_path / "elsewhere", '[build]\nflags = ["-trimpath"]\n')
    assert for_build(other, tmp_path).flags == ("-trimpath",)


def test_cli_reports_a_bad_file_and_stops(tmp_path: Path) -> None:
    root = write_module(tmp_path / "m", "example.com/m", {"main.go": "package main\n\nfunc main() {}\n"})
    path = write(root, "[build]\nflags = 3\n")
    for command in ("build", "plan", "vet"):
        proc = rulec(command, ".", cwd=root)
        assert proc.returncode == 2, proc.stderr
        assert f"{path}: key 'build.flags': expected a list of strings, got 3" in proc.stderr
        assert "Traceback" not in proc.stderr
    # -C: found from the go command's directory, like go.mod
    proc = rulec("build", "-C", str(root), ".", cwd=tmp_path)
    assert proc.returncode == 2 and f"{path}: key 'build.flags'" in proc.stderr
    # --config overrides the search, for build and for check
    good = write(tmp_path / "cfg", '[rules]\ndisable = ["nosuch"]\n')
    proc = rulec("check", "--config", str(good), cwd=root)
    assert proc.returncode == 2 and f"{good}: key 'rules.disable': no loaded rule file defines plugin 'nosuch'" in proc.stderr
    proc = rulec("build", "--config", str(tmp_path / "missing.toml"), ".", cwd=root)
    assert proc.returncode == 2 and "--config" in proc.stderr and "no such file" in proc.stderr
    assert not (root / "m").exists()
