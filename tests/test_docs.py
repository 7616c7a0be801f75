"""The docs say what the code does: generated tables are current, and the API example runs."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from patentq.compare.conventions import docs_table

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_conventions_table_in_docs_compare_is_generated_from_the_declaration():
    text = (DOCS / "compare.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- conventions:start -->\n(.*?)\n<!-- conventions:end -->", text, re.S)
    assert found, "docs/compare.md lost its generated conventions table"
    assert found.group(1) == docs_table(), "regenerate it: python -c 'from patentq.compare.conventions import docs_table; print(docs_table())'"


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory):
    from patentq.synthetic.demo.pipeline import run_demo

    return run_demo(tmp_path_factory.mktemp("api"), 600, 7, report=False, replicates=0, sensitivity=False).lake


def test_the_python_api_example_runs(demo_lake, tmp_path, capsys):
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    env = {"LAKE": str(demo_lake), "REPORT": str(tmp_path / "report.html")}
    exec(compile(code, "docs/api.md", "exec"), env)  # noqa: S102 - the documented example, run as written
    df = env["df"]
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    assert {"share_lo", "share_hi", "rank"} <= set(df.columns) and not any(c.endswith("_ci") for c in df.columns)
    assert df.attrs["conventions"]["by"] == "inventor-country"
    assert env["family"]["family_id"] and env["summary"]["families"] == len(env["members"])
    assert Path(env["path"]).exists() and "<svg" in Path(env["path"]).read_text()
    assert "families with indicators" in capsys.readouterr().out


def test_lake_compare_equals_compare_json(demo_lake, tmp_path):
    """The DataFrame holds exactly the rows `patentq compare --json` prints, intervals split."""
    import json

    from click.testing import CliRunner

    import patentq
    from patentq.cli import main
    from patentq.compare import flatten_intervals

    args = ["--landscape", "genai", "--by", "inventor-country", "--replicates", "300", "--seed", "4", "--top", "0"]
    out = CliRunner().invoke(main, ["compare", "--lake", str(demo_lake), "--json", *args])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)["rows"]
    df = patentq.open_lake(demo_lake).compare(landscape="genai", by="inventor-country", replicates=300, seed=4, top=0)
    want = pd.DataFrame([flatten_intervals(r) for r in rows])
    pd.testing.assert_frame_equal(df.reset_index(drop=True), want, check_exact=True, check_dtype=False)
    again = patentq.open_lake(demo_lake).compare(landscape="genai", by="inventor-country", replicates=300, seed=4, top=0)
    pd.testing.assert_frame_equal(df, again, check_exact=True)  # the same floats every time


def test_the_source_capability_table_is_generated_from_the_declarations():
    from patentq.capabilities import matrix_markdown

    text = (DOCS / "sources-capabilities.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- capabilities:start -->\n(.*?)\n<!-- capabilities:end -->", text, re.S)
    assert found and found.group(1) == matrix_markdown()
    assert "| `fwd_cits_total` | reported | absent |" in text  # Lens reports it, CSET has nothing
