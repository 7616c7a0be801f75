"""Compare + report benchmark: ``patentq report`` on a generated lake of 1M families.

The lake holds the derived tables compare reads (``families``, ``family_indicators``,
``landscape_genai`` and its categories), generated directly as Parquet with numpy from the
demo world's calibration (inventor-country shares, growth by year, planted foreign filing and
citation differences), with the other tables of their stages (members, empty helper tables)
and the stage registry's keys, so ``patentq report`` takes them as built. Measured in separate
processes, in the same run:

- patentq: ``patentq report --lake LAKE --landscape genai`` = compare (whole counting by
  inventor country, 1,000 Poisson-bootstrap replicates), sensitivity (6 conventions), time
  series, categories and the HTML report;
- the floor: one hand-written DuckDB query computing the per-country point estimates only
  (families, share filed abroad, grant rate, mean relative citations, top-10% count).

Prints time and peak resident memory of each and the ratio. Target: patentq ≤ 60 s on 2 cores.

    python bench/report.py                    # 1M families
    python bench/report.py --families 200000
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from _measure import run_measured, timed  # noqa: E402

from patentq import stages  # noqa: E402
from patentq.synthetic.demo import calibration as cal  # noqa: E402
from patentq.engines import get_engine  # noqa: E402
from patentq.lake import Lake  # noqa: E402

PY = sys.executable
IP5 = np.array(["US", "EP", "JP", "KR", "CN"])
FOREIGN = np.array(["US", "EP", "CN", "JP", "KR", "IN", "CA", "AU"])


def _lists(values_per_row: list[np.ndarray]) -> pa.Array:
    """Rows of up to k columns of strings ('' = absent) → a list<string> array."""
    stacked = np.stack(values_per_row, axis=1)
    keep = stacked != ""
    offsets = np.concatenate([[0], np.cumsum(keep.sum(axis=1))]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(stacked[keep].astype(str)))


def generate(n: int, seed: int = 7) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    shares = {**cal.INVENTOR_COUNTRY, **cal.REST_OF_WORLD, "": cal.UNKNOWN_COUNTRY}
    codes = np.array(list(shares))
    p = np.array(list(shares.values()), dtype=float)
    country = codes[rng.choice(len(codes), n, p=p / p.sum())]
    co = np.where((rng.random(n) < 0.05) & (country != ""), rng.choice(np.array(["US", "CN", "GB", "DE"]), n), "")
    co = np.where(co == country, "", co)
    years = np.array(list(cal.YEARS))
    yp = np.array(list(cal.YEARS.values()), dtype=float)
    year = years[rng.choice(len(years), n, p=yp / yp.sum())]
    prio = np.where(country == "", "CN", np.where(np.isin(country, ["GB", "DE", "FR", "NL", "SE", "CH"]), "EP", country))
    p_abroad = np.vectorize(lambda c: cal.FILED_ABROAD.get(c or "??", 0.4))(country)
    abroad = rng.random(n) < p_abroad
    f1 = np.where(abroad, FOREIGN[rng.integers(0, len(FOREIGN), n)], "")
    f2 = np.where(abroad & (rng.random(n) < 0.5), FOREIGN[rng.integers(0, len(FOREIGN), n)], "")
    f1 = np.where(f1 == prio, "", f1)
    f2 = np.where((f2 == prio) | (f2 == f1), "", f2)
    wo = np.where(rng.random(n) < np.where(abroad, 0.7, 0.05), "WO", "")
    offices = [prio, f1, f2, wo]
    n_ip5 = sum(np.isin(o, IP5).astype(int) for o in offices)
    mult = np.vectorize(lambda c: cal.CITATION_ATTRACTIVENESS.get(c or "??", 1.0))(country)
    fwd = rng.poisson(rng.gamma(0.6, 2.0, n) * mult)
    complete = year <= 2018
    rel = np.zeros(n)
    top10 = np.zeros(n, dtype=bool)
    for y in np.unique(year):
        sel = year == y
        rel[sel] = fwd[sel] / max(fwd[sel].mean(), 1e-9)
        top10[sel] = fwd[sel] >= np.quantile(fwd[sel], 0.9)
    fid = np.char.add("B", np.arange(n).astype(str))
    granted = rng.random(n) < 0.55
    families = pa.table({
        "family_id": fid, "members": 1 + (f1 != "") + (f2 != "") + (wo != ""),
        "offices": _lists(offices), "n_offices": 1 + (f1 != "") + (f2 != "") + (wo != ""),
        "first_publication_year": year.astype(np.int32), "priority_year": (year - 1).astype(np.int32),
        "priority_office": prio, "granted": granted, "claims": rng.poisson(12, n).astype(np.int32),
        "inventor_countries": _lists([country, co]), "applicant_countries": _lists([country]),
        "extended_family_id": pa.nulls(n, pa.string()),
    })
    indicators = pa.table({
        "family_id": fid, "filed_abroad": (f1 != "") | (f2 != ""), "ip5_offices": n_ip5.astype(np.int32),
        "triadic": sum((o == "US") | (o == "EP") | (o == "JP") for o in offices) == 3,
        "granted": granted, "pending": ~granted & (year >= 2021), "fwd_cits_5": np.where(complete, fwd, 0),
        "fwd_cits_5_rel": rel, "top10_cohort": top10 & complete, "window_complete_5": complete,
        "quality_index_4": rng.beta(2, 5, n), "claims": families["claims"], "fwd_cits_source": np.full(n, "computed"),
        "fwd_cits_total": fwd, "reach_basis": np.full(n, "members"), "breakthrough": top10 & complete & (rel > 3),
    })
    model = np.array(["gan", "vae", "llm", "diffusion", "other"])[rng.choice(5, n, p=[.18, .03, .03, .02, .74])]
    landscape = pa.table({"family_id": fid, "matched_publications": np.ones(n, dtype=np.int64)})
    cats = pa.table({"family_id": fid, "dimension": np.full(n, "model"), "category": model})
    members = pa.table({"publication_number": np.char.add(fid, "-A"), "family_id": fid})
    empty = pa.table({"family_id": pa.array([], pa.string())})
    groups = pa.table({"name": pa.array([], pa.string()), "name_normalized": pa.array([], pa.string()),
                       "group_name": pa.array([], pa.string())})
    return {"families": families, "family_members": members, "family_indicators": indicators,
            "landscape_genai": landscape, "landscape_genai_categories": cats, "applicant_groups": groups,
            "family_subclasses": empty, "family_citations": empty, "family_shared_applicants": empty}


FLOOR = """
SELECT g.c AS grp, count(*) AS families, avg(CASE WHEN i.filed_abroad THEN 1.0 ELSE 0.0 END) AS abroad,
  sum(CASE WHEN i.granted THEN 1.0 ELSE 0.0 END) / sum(CASE WHEN i.granted OR NOT i.pending THEN 1.0 END) AS grant_rate,
  avg(CASE WHEN i.window_complete_5 THEN i.fwd_cits_5_rel END) AS rel,
  sum(CASE WHEN i.top10_cohort THEN 1 ELSE 0 END) AS top10
FROM (SELECT family_id, unnest(inventor_countries) AS c FROM read_parquet('{fam}')) g
JOIN read_parquet('{ind}') i USING (family_id)
GROUP BY g.c ORDER BY families DESC
"""


def build(root: Path, n: int) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "gen").mkdir(parents=True)
    lake = Lake.create(root / "lake")
    engine = get_engine("duckdb", lake)
    for name, table in generate(n).items():
        path = root / "gen" / f"{name}.parquet"
        pq.write_table(table, path)
        engine.write_derived(name, f"SELECT * FROM read_parquet('{path}')", definition="genai", version="bench",
                             definition_hash="bench")
    engine.close()
    from patentq import open_lake
    from patentq.profile import build as build_profile

    with open_lake(lake.path) as session:  # the profile of the (empty) canonical tables, as a build writes it
        build_profile(session)
    mark_built(Lake.open(lake.path))
    return lake.path


def mark_built(lake: Lake) -> None:
    """Stamp the generated tables with the keys the stage registry computes for this lake (as a
    build does), so ``patentq report`` reads them instead of rebuilding them from canonical
    tables this lake does not have."""
    for name, instance in (("profile", None), ("families", None), ("applicants", None), ("landscape", "genai"),
                           ("indicators", None)):
        stage = stages.STAGES[name]
        params = stages.params_for(lake, stage, instance, None)
        stamp = {"stage": name, "key": stages.key(lake, stage, instance, params), "params": params}
        with lake.transaction() as txn:
            for table in stage.tables(instance):
                txn.stamps[table] = dict(stamp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/patentq-bench-report"))
    args = parser.parse_args()
    console = Console()
    seconds, lake = timed(build, args.out, args.families)
    console.print(f"generated {args.families:,} families in {seconds:.1f}s → {lake}")
    report = args.out / "report.html"
    ours = run_measured([PY, "-m", "patentq", "report", "--lake", str(lake), "--landscape", "genai",
                         "--out", str(report)])
    if ours["rc"] != 0:
        console.print(ours["stderr"])
        raise SystemExit("patentq report failed")
    sql = FLOOR.format(fam=args.out / "gen" / "families.parquet", ind=args.out / "gen" / "family_indicators.parquet")
    floor = run_measured([PY, "-c", f"import duckdb; print(duckdb.sql({sql!r}).fetchall()[:3])"])
    table = Table(title=f"compare + report on {args.families:,} families")
    for col in ("run", "seconds", "peak RSS MB"):
        table.add_column(col, justify="right" if col != "run" else "left")
    table.add_row("patentq report (compare, 1,000 bootstrap replicates, sensitivity, HTML)",
                  f"{ours['seconds']:.1f}", f"{ours['peak_rss_mb']:.0f}")
    table.add_row("floor: one DuckDB GROUP BY (point estimates only)", f"{floor['seconds']:.1f}",
                  f"{floor['peak_rss_mb']:.0f}")
    console.print(table)
    console.print(f"ratio patentq / floor: {ours['seconds'] / floor['seconds']:.1f}x; target ≤ 60 s: "
                  f"{'met' if ours['seconds'] <= 60 else 'NOT met'}; report {report} ({report.stat().st_size:,} bytes)")
    console.print(f"DuckDB {duckdb.__version__}")


if __name__ == "__main__":
    main()
