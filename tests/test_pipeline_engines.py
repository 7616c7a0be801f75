"""One pipeline on every engine: a seeded synthetic lake (1,500 families, 12,000 citations) through
landscape → families → applicant groups → indicators gives the same pinned figures on DuckDB and
on Spark (the stage SQL is written once in DuckDB's dialect and transpiled with sqlglot).

The pins (tests/fixtures/engines/synth_1500.json) are checksums of every derived table: its row
count and the sum of each numeric or boolean column, floats to 1e-9 relative. Re-pin with
``python tests/test_pipeline_engines.py`` when a stage's figures change on purpose, and say why.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import pytest

import patentq
from patentq import landscapes
from patentq.landscapes import apply as landscape_apply
from patentq.synthetic import scale as synth

PINS = Path(__file__).parent / "fixtures" / "engines" / "synth_1500.json"
TABLES = ["landscape_genai", "landscape_genai_categories", "families", "family_indicators"]
NUMERIC = ("BIGINT", "INTEGER", "DOUBLE", "SMALLINT", "HUGEINT", "BOOLEAN")


def run_pipeline(base: Path, lake: Path, engine: str) -> dict:
    shutil.copytree(base, lake)
    with patentq.open_lake(lake, engine=engine) as session:
        summary = landscape_apply.apply(landscapes.load("genai"), session)
        session.require("family_indicators", landscape="genai")
    con = patentq.open_lake(lake).connect()
    sums = {}
    for table in TABLES:
        columns = [r[:2] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        numeric = sorted(c for c, t in columns if t in NUMERIC)
        row = con.execute("SELECT " + ", ".join(["count(*)"] + [f"sum(CAST({c} AS DOUBLE))" for c in numeric])
                          + f" FROM {table}").fetchone()
        sums[table] = {"rows": row[0], **dict(zip(numeric, row[1:]))}
    return {"landscape": {k: summary[k] for k in ("families", "publications", "categories")}, "checksums": sums}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "base"
    synth.run(folder, 1500, 12000, seed=11)
    return folder


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_the_pipeline_gives_the_pinned_figures(base, tmp_path, engine_name):
    got = run_pipeline(base, tmp_path / "lake", engine_name)
    pins = json.loads(PINS.read_text())
    assert got["landscape"] == pins["landscape"]
    for table, want in pins["checksums"].items():
        assert sorted(got["checksums"][table]) == sorted(want), table
        wrong = {c: (got["checksums"][table][c], v) for c, v in want.items() if not _same(got["checksums"][table][c], v)}
        assert wrong == {}, (table, wrong)
    derived = patentq.open_lake(tmp_path / "lake").lake.manifest["derived"]
    assert derived["family_indicators"]["engine"] == engine_name


if __name__ == "__main__":  # re-pin on DuckDB
    import tempfile

    work = Path(tempfile.mkdtemp())
    synth.run(work / "base", 1500, 12000, seed=11)
    PINS.write_text(json.dumps(run_pipeline(work / "base", work / "lake", "duckdb"), indent=1, sort_keys=True))
    print(f"pinned {PINS}", file=sys.stderr)
