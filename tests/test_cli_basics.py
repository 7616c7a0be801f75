"""The CLI's contract: `lake info --json`, exit codes, where --lake points by default, and that
every command and subcommand is documented (help text and README)."""

from __future__ import annotations

import json

import click
import pytest

from conftest import FIXTURES, ROOT

SAMPLE = ROOT / "examples" / "sample-lens.csv"


def _commands():
    """Every command path under ``patentq`` (groups and their subcommands), collected from main."""
    from patentq.cli import main

    found = []

    def walk(command, path):
        found.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                walk(sub, path + (name,))

    walk(main, ())
    return found


def test_lake_info_json_has_the_documented_keys(cli, lake_dir):
    cli("ingest", "lens", SAMPLE, FIXTURES / "lens" / "broken-quote.csv", "--lake", lake_dir)
    info = json.loads(cli("lake", "info", "--lake", lake_dir, "--json").output)
    assert {"schema_version", "tables", "families", "rejected", "inputs"} <= set(info)
    assert info["schema_version"] == 2
    assert info["tables"]["publications"] == 44
    assert {"publications", "parties", "classifications", "citations", "priorities"} <= set(info["tables"])
    assert info["families"] == 25  # 21 in the sample, 4 one-member families in the fixture
    assert info["rejected"] == 1
    assert [sorted({"file", "sha256", "rows", "rejected"} & set(i)) for i in info["inputs"]] == [
        ["file", "rejected", "rows", "sha256"]] * 2
    assert [(i["rows"], i["rejected"]) for i in info["inputs"]] == [(40, 0), (5, 1)]


def test_lake_info_human_readable(cli, lake_dir):
    cli("ingest", "lens", SAMPLE, "--lake", lake_dir)
    out = cli("lake", "info", "--lake", lake_dir).output
    assert "publications" in out and "sample-lens.csv" in out


@pytest.mark.parametrize("args", [
    ("ingest", "no-such-format", "x.csv"),  # unknown format
    ("ingest", "lens"),  # missing PATH
    ("no-such-command",),
    ("lake", "info", "--no-such-option"),
])
def test_usage_errors_exit_2(cli, lake_dir, args):
    cli(*args, "--lake", lake_dir, expect=2)


@pytest.mark.parametrize("args", [
    ("ingest", "lens", FIXTURES / "bad" / "binary.csv"),
    ("ingest", "lens", FIXTURES / "bad" / "no-such-file.csv"),
    ("lake", "info"),  # no lake there
])
def test_bad_input_exits_3(cli, lake_dir, args):
    result = cli(*args, "--lake", lake_dir, expect=3)
    assert result.output.strip().startswith("error:") and "hint:" in result.output


def test_lake_defaults_to_env_then_cwd(cli, tmp_path, monkeypatch):
    env_lake = tmp_path / "from-env"
    monkeypatch.setenv("PATENTQ_LAKE", str(env_lake))
    monkeypatch.chdir(tmp_path)
    cli("ingest", "lens", SAMPLE)
    assert (env_lake / "manifest.json").is_file()
    assert json.loads(cli("lake", "info", "--json").output)["lake"] == str(env_lake)

    monkeypatch.delenv("PATENTQ_LAKE")
    cli("ingest", "lens", SAMPLE)
    assert (tmp_path / "patentq-lake" / "manifest.json").is_file()
    info = json.loads(cli("lake", "info", "--json").output)
    assert info["lake"] == "patentq-lake" and info["tables"]["publications"] == 40

    explicit = tmp_path / "explicit"
    monkeypatch.setenv("PATENTQ_LAKE", str(env_lake))
    cli("ingest", "lens", FIXTURES / "lens" / "broken-quote.csv", "--lake", explicit)
    assert json.loads(cli("lake", "info", "--json", "--lake", explicit).output)["tables"]["publications"] == 4
    assert json.loads(cli("lake", "info", "--json").output)["tables"]["publications"] == 40


@pytest.mark.parametrize("path, command", _commands(), ids=[" ".join(("patentq",) + p) for p, _ in _commands()])
def test_every_command_has_help_and_is_in_the_readme(cli, path, command):
    assert (command.help or command.short_help or "").strip(), f"`patentq {' '.join(path)}` has no help text"
    result = cli(*path, "--help")
    assert "Usage:" in result.output
    readme = (ROOT / "README.md").read_text()
    spelled = " ".join(("patentq",) + path)
    assert spelled in readme, f"README.md does not mention `{spelled}`"
