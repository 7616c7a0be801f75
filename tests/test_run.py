"""``patentq run``: a project file brings a fresh lake up to date from real exports, a second run
does nothing, and an edited group file rebuilds only what depends on it."""

from __future__ import annotations

import json

import pytest

from patentq.project import EXAMPLE, load, parse

pytestmark = pytest.mark.shared_data

PROJECT = """
[project]
lake = "lake"

[[sources]]
format = "lens"
paths = ["{lens}"]

[[sources]]
format = "cset"
paths = ["{cset}"]

[landscapes]
apply = ["ai"]

[applicants]
groups = ["groups.yaml"]

[compare]
by = "office"
years = "all"
year_basis = "priority"
replicates = 50

[[outputs]]
report = "report.html"
formats = ["csv"]
"""
GROUPS = """groups:
  - name: {name}
    patterns: ["rolls royce"]
"""


def _steps(out) -> dict:
    return {s["step"]: s["action"] for s in json.loads(out.output)["steps"]}


@pytest.fixture(scope="module")
def project(tmp_path_factory, request):
    from tests.conftest import shared_file

    folder = tmp_path_factory.mktemp("project")
    lens, cset = shared_file("lens/jet-engines-2021.csv"), shared_file("cset-ai-patents/patent_database.csv.zip")
    (folder / "patentq.toml").write_text(PROJECT.format(lens=lens, cset=cset), encoding="utf-8")
    (folder / "groups.yaml").write_text(GROUPS.format(name="Rolls-Royce Group"), encoding="utf-8")
    return folder


def test_run_builds_everything_on_a_fresh_lake_then_nothing(project, cli):
    first = _steps(cli("run", project / "patentq.toml", "--json"))
    assert first == {"ingest lens": "ingested", "ingest cset": "ingested", "applicant group files": "recorded",
                     "landscape ai": "built", "profile": "built", "families": "built", "applicants": "built",
                     "indicators": "built", "report report.html": "written"}
    report = (project / "report.html").read_text(encoding="utf-8")
    assert "number vs quality" in report and "by office" in report
    assert (project / "report.comparison.csv").exists() or list(project.glob("report*.csv"))
    manifest = (project / "lake" / "manifest.json").read_bytes()
    second = cli("run", project / "patentq.toml")
    assert "nothing to do: the lake and the outputs are up to date" in second.output
    assert (project / "lake" / "manifest.json").read_bytes() == manifest


def test_an_edited_group_file_rebuilds_applicant_groups_and_what_depends_on_them(project, cli):
    cli("run", project / "patentq.toml", "--json")
    (project / "groups.yaml").write_text(GROUPS.format(name="Rolls-Royce plc (group)"), encoding="utf-8")
    steps = _steps(cli("run", project / "patentq.toml", "--json"))
    assert steps == {"ingest lens": "current", "ingest cset": "current", "applicant group files": "recorded",
                     "landscape ai": "current", "profile": "current", "families": "current",
                     "applicants": "built", "indicators": "built", "report report.html": "written"}
    import patentq

    groups = patentq.open_lake(project / "lake").query(
        "SELECT DISTINCT group_name FROM applicant_groups WHERE name ILIKE '%rolls%royce%'").column(0).to_pylist()
    assert groups == ["Rolls-Royce plc (group)"]


def test_init_writes_an_example_that_parses(tmp_path, cli):
    cli("init", tmp_path / "p.toml")
    project = load(tmp_path / "p.toml")
    assert project.lake == tmp_path / "lake" and project.sources[0].format == "lens"
    assert project.compare["by"] == "inventor-country"
    assert cli("init", tmp_path / "p.toml", expect=2).exit_code == 2  # exists: not overwritten


def test_a_bad_project_is_a_usage_error(tmp_path):
    from patentq.errors import UsageError

    with pytest.raises(UsageError, match="unknown section"):
        parse({"sourcez": []}, tmp_path)
    with pytest.raises(UsageError, match="needs a format and paths"):
        parse({"sources": [{"format": "lens"}]}, tmp_path)
    assert "[[sources]]" in EXAMPLE
