"""Real data: ``compare --by office`` on the CSET AI patent lake (offices, no inventors, no
publication dates: priority year), checked against an independent DuckDB query."""

from __future__ import annotations

import json

import duckdb
import pytest

from conftest import shared_file
from patentq import open_lake
from patentq.ingest import ingest
from patentq.lake import Lake

INDEPENDENT = """
WITH fo AS (SELECT DISTINCT family_id, country_code AS office FROM read_parquet({files}))
SELECT a.office, count(DISTINCT a.family_id) AS families,
       count(DISTINCT CASE WHEN b.family_id IS NOT NULL THEN a.family_id END) AS elsewhere
FROM fo a LEFT JOIN fo b ON b.family_id = a.family_id AND b.office <> a.office AND b.office <> 'WO'
GROUP BY a.office ORDER BY families DESC
"""


@pytest.fixture(scope="module")
def cset_lake(tmp_path_factory):
    zipped = shared_file("cset-ai-patents/patent_database.csv.zip")
    lake = tmp_path_factory.mktemp("cset") / "lake"
    ingest("cset", [zipped], lake)
    with open_lake(lake) as session:
        session.require("families")
    return lake


def test_compare_by_office_matches_independent_query(cset_lake, cli):
    out = cli("compare", "--lake", cset_lake, "--by", "office", "--years", "all", "--year-basis", "priority",
              "--top", "0", "--replicates", "200", "--json")
    data = json.loads(out.output)
    assert data["totals"]["families"] == 155_770
    files = [str(p) for p in Lake.open(cset_lake).parts("publications")]
    want = {r[0]: (r[1], r[2]) for r in duckdb.sql(INDEPENDENT.format(files=files)).fetchall()}
    rows = {r["group"]: r for r in data["rows"]}
    assert set(rows) == set(want)
    for office, (n, elsewhere) in want.items():
        assert rows[office]["families"] == n, office
        assert rows[office]["share_outside_group_office"] == pytest.approx(elsewhere / n, abs=1e-12), office
        lo, hi = rows[office]["share_outside_group_office_ci"]
        assert lo <= elsewhere / n <= hi
    # no citations in CSET: citation measures stay empty and the notes say so
    assert all(r["mean_fwd_cits_5_rel"] is None for r in data["rows"])
    assert any(n.startswith("Not measurable on this lake") and "cohort (no patent citation lists" in n
               for n in data["notes"])
    top = [r["group"] for r in data["rows"][:5]]
    assert top[0] == "CN"
    print("\noffice families share_outside_office")
    for r in data["rows"][:12]:
        print(f"{r['group']} {r['families']:.0f} {r['share_outside_group_office']:.4f}")
