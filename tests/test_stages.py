"""The stage registry: derived tables are built when missing, rebuilt exactly when their inputs,
parameters or definitions change, and never silently stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import patentq
from patentq import stages
from patentq.cli import main
from patentq.errors import LakeError
from patentq.ingest import ingest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-lens.csv"
GROUPS = """groups:
  - name: Acme Robotics Holding
    names: [{name}]
"""


@pytest.fixture
def lake(tmp_path):
    ingest("lens", [EXAMPLE], tmp_path / "lake")
    return tmp_path / "lake"


def _actions(rows) -> dict:
    return {(r["stage"] + (f" {r['instance']}" if r["instance"] else "")): r["action"] for r in rows}


def _keys(path) -> dict:
    derived = json.loads((Path(path) / "manifest.json").read_text())["derived"]
    return {name: meta.get("key") for name, meta in derived.items() if meta.get("key")}


def test_a_fresh_lake_builds_what_is_needed_then_nothing(lake):
    session = patentq.open_lake(lake)
    assert _actions(session.require("family_indicators")) == {
        "profile": "built", "families": "built", "applicants": "built", "indicators": "built"}
    manifest = (lake / "manifest.json").read_bytes()
    again = patentq.open_lake(lake).require("family_indicators")
    assert _actions(again) == {"profile": "current", "families": "current", "applicants": "current",
                               "indicators": "current"}
    assert (lake / "manifest.json").read_bytes() == manifest  # nothing written, not even a timestamp


def test_status_says_why_without_building(lake):
    session = patentq.open_lake(lake)
    rows = stages.status(session, ["family_indicators"])
    assert [r["action"] for r in rows] == ["stale", "stale", "stale", "stale"]
    assert rows[1]["reason"] == "no family_members table yet"
    assert not session.lake.derived("families")


def test_a_new_input_makes_everything_downstream_stale(lake, tmp_path):
    patentq.open_lake(lake).require("family_indicators", "landscape_genai")
    before = _keys(lake)
    other = tmp_path / "other.csv"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    other.write_text(lines[0] + "".join(lines[1:6]).replace("US", "GB"), encoding="utf-8")  # other content, same layout
    ingest("lens", [other], lake)
    done = _actions(patentq.open_lake(lake).require("family_indicators", "landscape_genai"))
    assert done == {"profile": "built", "families": "built", "applicants": "built", "indicators": "built",
                    "landscape genai": "built"}
    assert all(_keys(lake)[k] != before[k] for k in ("families", "applicant_groups", "family_indicators"))


def test_a_group_file_rebuilds_applicant_groups_and_indicators_only(lake, tmp_path):
    from patentq.harmonize import record_group_files

    session = patentq.open_lake(lake)
    session.require("family_indicators", "landscape_genai")
    name = session.query("SELECT name FROM parties WHERE role = 'applicant' ORDER BY name LIMIT 1").column(0)[0].as_py()
    groups = tmp_path / "mine.yaml"
    groups.write_text(GROUPS.format(name=json.dumps(name)), encoding="utf-8")
    before = _keys(lake)
    record_group_files(session.lake, [groups])
    done = _actions(patentq.open_lake(lake).require("family_indicators", "landscape_genai"))
    assert done == {"profile": "current", "families": "current", "applicants": "built", "indicators": "built",
                    "landscape genai": "current"}
    after = _keys(lake)
    assert after["families"] == before["families"] and after["landscape_genai"] == before["landscape_genai"]
    assert after["applicant_groups"] != before["applicant_groups"]
    got = patentq.open_lake(lake).query(
        f"SELECT group_name FROM applicant_groups WHERE name = {patentq.sql.literal(name)}").column(0)[0].as_py()
    assert got == "Acme Robotics Holding"
    # the recorded file is the lake's copy: editing or deleting the original changes nothing
    groups.unlink()
    assert _actions(patentq.open_lake(lake).require("applicant_groups")) == {"applicants": "current"}


def test_parameters_are_sticky_and_explicit_ones_win(lake):
    session = patentq.open_lake(lake)
    session.require("family_indicators", hall_correction=True)
    assert session.lake.derived("family_indicators")["params"]["hall_correction"] is True
    assert _actions(patentq.open_lake(lake).require("family_indicators")) == {
        "profile": "current", "families": "current", "applicants": "current", "indicators": "current"}
    session = patentq.open_lake(lake)
    assert _actions(session.require("family_indicators", hall_correction=False))["indicators"] == "built"
    assert session.lake.derived("family_indicators")["params"]["hall_correction"] is False


def test_an_edited_definition_file_rebuilds_its_landscape(lake, tmp_path):
    from patentq.landscapes import load
    from patentq.landscapes.apply import apply

    path = tmp_path / "mine.yaml"
    text = ("name: mine\nversion: '1'\ndescription: test\nsources: [test]\n"
            "membership: 'cpc:G06N'\n")
    path.write_text(text, encoding="utf-8")
    session = patentq.open_lake(lake)
    first = apply(load(path), session)
    assert first["rebuilt"] and first["families"] > 0
    assert apply(load(path), patentq.open_lake(lake))["rebuilt"] is False
    path.write_text(text.replace("cpc:G06N", "cpc:G06N OR cpc:G06F"), encoding="utf-8")
    second = apply(load(path), patentq.open_lake(lake))
    assert second["rebuilt"] and second["families"] >= first["families"]
    # stale by the file's content even when nobody re-applies it: compare rebuilds it
    path.write_text(text, encoding="utf-8")
    rows = stages.status(patentq.open_lake(lake), ["landscape_mine"])
    assert rows[-1]["action"] == "stale"


def test_no_build_names_what_is_missing_and_how_to_build_it(lake):
    session = patentq.open_lake(lake)
    session.build = False
    with pytest.raises(LakeError) as err:
        session.require("family_indicators")
    assert "no lake_profile table yet" in str(err.value)
    assert err.value.hint == f"run `patentq lake profile --lake {lake}`, or drop --no-build"


def test_compare_without_indicators_and_no_build_exits_3_naming_the_table(lake):
    out = CliRunner().invoke(main, ["compare", "--lake", str(lake), "--no-build", "--years", "all"])
    assert out.exit_code == 3
    assert "lake_profile" in out.output and "patentq lake profile" in out.output


def test_applicant_groups_are_harmonised_without_running_applicants(lake):
    """`compare --by applicant-group` and `family --json` on a fresh lake use harmonised groups."""
    out = CliRunner().invoke(main, ["compare", "--lake", str(lake), "--by", "applicant-group", "--years", "all",
                                    "--top", "0", "--replicates", "0", "--json"])
    assert out.exit_code == 0, out.output
    groups = {r["group"] for r in json.loads(out.output)["rows"]}
    mapped = patentq.open_lake(lake).query(
        "SELECT name, group_name FROM applicant_groups WHERE group_source = 'curated' AND name <> group_name"
    ).to_pylist()
    assert mapped, "the example has applicants under curated parents (e.g. Baidu's subsidiaries)"
    assert {m["group_name"] for m in mapped} <= groups
    assert not {m["name"] for m in mapped} & groups  # raw spellings never appear as groups


def test_rebuild_after_forget(lake):
    session = patentq.open_lake(lake)
    session.require("applicant_groups")
    stages.forget(session, "applicant_groups")
    assert _actions(patentq.open_lake(lake).require("applicant_groups")) == {"applicants": "built"}


def test_unknown_table_is_a_usage_error():
    from patentq.errors import UsageError

    with pytest.raises(UsageError):
        stages.target("no_such_table")
