"""Indicator benchmark: the full ``patentq indicators`` suite vs a hand-written floor and pandas.

Generates a lake of ``--families`` DOCDB families (about 2 publications each) and
``--citations`` citation rows (10% non-patent literature) as canonical Parquet, written straight
from DuckDB (``COPY (SELECT ... FROM range(n))``, streamed), then measures in one run:

- the full suite: ``patentq indicators`` (families, family_members, family_subclasses,
  family_citations, family_indicators with every group and the cohort measures);
- the floor: one hand-written DuckDB query computing 5-year family-to-family forward citations;
- pandas: the same 5-year count with pandas merges and groupbys.

Each runs in its own process; time and peak resident memory (process tree) are reported, with
the ratios suite ÷ floor (target ≤ 3) and pandas ÷ suite (target ≥ 10). The three 5-year counts
are checked to agree.

    python bench/indicators.py                                   # 1M families, 10M citations
    python bench/indicators.py --families 100000 --citations 1000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from _measure import run_measured, timed  # noqa: E402

from patentq.capabilities import EVERYTHING  # noqa: E402

PY = sys.executable
SAME_WORK = "same-work SQL (indicators_floor.py)"
ROOT = Path(__file__).resolve().parents[1]

# --- the generated lake ---------------------------------------------------------------------

#: Offices besides the US member every family has: (office, kind, every n-th family, days after US).
EXTRA_MEMBERS = (("EP", "A1", 3, 200), ("CN", "A", 2, 120), ("WO", "A1", 5, 30), ("JP", "A", 7, 400))


def _h(expr: str, salt: str) -> str:
    return f"CAST(hash({expr}, '{salt}') >> 1 AS BIGINT)"


def _us_number(fam: str) -> str:
    return f"'US-' || ({fam} + 1000000) || '-' || CASE WHEN {fam} % 2 = 0 THEN 'B1' ELSE 'A1' END"


def _subclasses() -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from patentq.indicators import concordance_rows

    return sorted({r["ipc_prefix"] for r in concordance_rows() if len(r["ipc_prefix"]) == 4})[::4]


def generate(lake_dir: Path, families: int, citations: int) -> dict:
    from patentq.lake import Lake
    from patentq.schema import select_list

    if lake_dir.exists():
        shutil.rmtree(lake_dir)
    lake = Lake.create(lake_dir)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    subclasses = "[" + ", ".join(f"'{s}'" for s in _subclasses()) + "]"
    n_sub = len(_subclasses())
    first_day = f"DATE '2000-01-01' + CAST({_h('i', 'day')} % 6000 AS INTEGER)"
    us = {
        "publication_number": _us_number("i"), "country_code": "'US'",
        "kind_code": "CASE WHEN i % 2 = 0 THEN 'B1' ELSE 'A1' END", "family_id": "CAST(i AS VARCHAR)",
        "publication_date": first_day, "filing_date": f"{first_day} - 540", "priority_date": f"{first_day} - 540",
        "priority_year": f"year({first_day} - 540)", "is_grant": "i % 2 = 0",
        "grant_date": f"CASE WHEN i % 2 = 0 THEN {first_day} END",
        "claims_count": f"CAST(5 + {_h('i', 'claims')} % 30 AS INTEGER)", "source": "'bench'",
    }
    parts = [f"SELECT {select_list('publications', us)} FROM range({families}) t(i)"]
    for office, kind, every, days in EXTRA_MEMBERS:
        member = dict(us, publication_number=f"'{office}-' || (i + 1000000) || '-{kind}'",
                      country_code=f"'{office}'", kind_code=f"'{kind}'", publication_date=f"{first_day} + {days}",
                      is_grant="false", grant_date="NULL", claims_count="NULL")
        parts.append(f"SELECT {select_list('publications', member)} FROM range({families}) t(i) WHERE i % {every} = 0")
    code1 = f"{subclasses}[1 + {_h('i', 'c1')} % {n_sub}] || '3/04'"
    code2 = f"{subclasses}[1 + {_h('i', 'c2')} % {n_sub}] || '17/00'"
    classified = [select_list("classifications", {"publication_number": _us_number("i"), "scheme": "'ipc'", "code": c})
                  for c in (code1, code2)]
    applicant = select_list("parties", {"publication_number": _us_number("i"), "role": "'applicant'", "seq": "1",
                                        "name": f"concat('APPLICANT ', {_h('i', 'app')} % 200000)",
                                        "country_code": "'US'"})
    inventor = select_list("parties", {"publication_number": _us_number("i"), "role": "'inventor'", "seq": "1",
                                       "name": "'X'", "country_code": "['US', 'CN', 'JP', 'KR', 'DE'][1 + i % 5]"})
    citing = _us_number(f"({_h('k', 'a')} % {families})")
    cited = _us_number(f"({_h('k', 'b')} % {families})")
    citation = select_list("citations", {
        "citing_publication_number": citing,
        "cited_publication_number": f"CASE WHEN k % 10 = 0 THEN NULL ELSE {cited} END",
        "npl_text": "CASE WHEN k % 10 = 0 THEN 'NPL ' || (k % 100000) END",
        "category": "CASE WHEN k % 7 = 0 THEN 'X' END", "origin": "'examiner'"})
    tables = {
        "publications": " UNION ALL ".join(parts),
        "classifications": " UNION ALL ".join(f"SELECT {c} FROM range({families}) t(i)" for c in classified),
        "parties": " UNION ALL ".join(f"SELECT {p} FROM range({families}) t(i)" for p in (applicant, inventor)),
        "citations": f"SELECT {citation} FROM range({citations}) t(k)",
    }
    with lake.transaction() as txn:
        written, files = {}, {}
        for table, sql in tables.items():
            target = txn.staging / "data" / table / f"{txn.id}-00000.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            written[table] = con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)").fetchone()[0]
            files[table] = [txn.relative(target)]
        txn.inputs.append({"file": f"generated:{families}x{citations}", "format": "bench", "size": 0, "sha256": txn.id,
                           "rows_read": written["publications"], "rows_written": written, "rejected": 0,
                           "reject_reasons": {}, "notes": [], "parts": files, "quarantine": None,
                           "provides": EVERYTHING})
    return written


# --- the three measured runs ----------------------------------------------------------------

FLOOR_SQL = """
WITH pf AS (SELECT publication_number, family_id, publication_date FROM publications),
first AS (SELECT family_id, min(publication_date) AS first_pub FROM publications GROUP BY family_id),
edges AS (
  SELECT cited.family_id AS cited_family, citing.family_id AS citing_family, min(citing.publication_date) AS cited_on
  FROM citations c
  JOIN pf citing ON citing.publication_number = c.citing_publication_number
  JOIN pf cited ON cited.publication_number = c.cited_publication_number
  WHERE citing.family_id <> cited.family_id
  GROUP BY 1, 2)
SELECT count(*) AS families_cited, sum(n) AS fwd_cits_5 FROM (
  SELECT e.cited_family, count(*) AS n FROM edges e JOIN first f ON f.family_id = e.cited_family
  WHERE e.cited_on <= CAST(f.first_pub + INTERVAL 5 YEAR AS DATE) GROUP BY 1)
"""

FLOOR_SCRIPT = """
import json, sys
from patentq import open_lake
con = open_lake(sys.argv[1]).connect()
con.execute("SET enable_progress_bar = false")
n, total = con.execute(sys.argv[2]).fetchone()
print(json.dumps({"families_cited": n, "fwd_cits_5": int(total)}))
"""

PANDAS_SCRIPT = """
import json, sys
import pandas as pd
from patentq.lake import Lake
lake = Lake.open(sys.argv[1])
pubs = pd.concat([pd.read_parquet(p, columns=["publication_number", "family_id", "publication_date"])
                  for p in lake.parts("publications")])
cits = pd.concat([pd.read_parquet(p, columns=["citing_publication_number", "cited_publication_number"])
                  for p in lake.parts("citations")]).dropna()
pubs["publication_date"] = pd.to_datetime(pubs["publication_date"])
first = pubs.groupby("family_id")["publication_date"].min().rename("first_pub")
e = cits.merge(pubs.rename(columns={"publication_number": "citing_publication_number", "family_id": "citing_family",
                                    "publication_date": "cited_on"}), on="citing_publication_number")
e = e.merge(pubs[["publication_number", "family_id"]].rename(columns={"publication_number": "cited_publication_number",
                                                                     "family_id": "cited_family"}),
            on="cited_publication_number")
e = e[e["citing_family"] != e["cited_family"]]
e = e.groupby(["cited_family", "citing_family"], as_index=False)["cited_on"].min()
e = e.join(first, on="cited_family")
e = e[e["cited_on"] <= e["first_pub"] + pd.DateOffset(years=5)]
n = e.groupby("cited_family").size()
print(json.dumps({"families_cited": int(len(n)), "fwd_cits_5": int(n.sum())}))
"""

SAME_WORK_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[2])
from indicators_floor import floor_sql
from patentq import open_lake
con = open_lake(sys.argv[1]).connect()
con.execute("SET enable_progress_bar = false")
print(json.dumps({"checksums": list(con.execute(floor_sql(citing_with_kind=True)).fetchone())}))
"""

SUITE_CHECK = """
SELECT count(*) FILTER (WHERE fwd_cits_5 > 0) AS families_cited, sum(fwd_cits_5) AS fwd_cits_5 FROM family_indicators
"""


def same_work_counts(lake: Path, checksums: list, console) -> dict:
    """The same-work SQL must compute what the suite computed (bench/indicators_floor.py):
    every checksum equal, or no ratio is printed."""
    from indicators_floor import checked

    from patentq import open_lake

    stage = checked(open_lake(lake).connect(), checksums, str(lake))
    console.print(f"same-work SQL and suite agree on {len(stage)} checksums")
    return {"families_cited": stage["fwd_5_families"], "fwd_cits_5": stage["fwd_5"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--citations", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/patentq-bench/indicators"))
    parser.add_argument("--no-pandas", action="store_true", help="Skip the (slow, memory-hungry) pandas run.")
    args = parser.parse_args(argv)
    console = Console()
    lake = args.workdir / f"lake-{args.families}"
    seconds, rows = timed(generate, lake, args.families, args.citations)
    console.print(f"generated {lake} in {seconds:.1f}s: " + ", ".join(f"{t} {n:,}" for t, n in rows.items()))

    runs = {"suite (patentq indicators)": [PY, "-m", "patentq", "indicators", "--lake", str(lake), "--json"],
            "floor (one DuckDB query)": [PY, "-c", FLOOR_SCRIPT, str(lake), FLOOR_SQL],
            SAME_WORK: [PY, "-c", SAME_WORK_SCRIPT, str(lake), str(Path(__file__).parent)]}
    if not args.no_pandas:
        runs["pandas (same 5-year count)"] = [PY, "-c", PANDAS_SCRIPT, str(lake)]
    results = {}
    for name, cmd in runs.items():
        with console.status(f"running {name}"):
            results[name] = run_measured(cmd)
        if results[name]["rc"] != 0:
            console.print(f"[red]{name} failed[/]\n{results[name]['stderr'][-2000:]}")
            return 1
    from patentq import open_lake

    suite_counts = open_lake(lake).connect().execute(SUITE_CHECK).fetchone()
    counts = {"suite (patentq indicators)": {"families_cited": suite_counts[0], "fwd_cits_5": int(suite_counts[1])}}
    for name in runs:
        if name not in counts:
            # the last JSON line: DuckDB's progress bar shares stdout and may be flushed after it
            lines = [line for line in results[name]["stdout"].splitlines() if line.startswith("{")]
            counts[name] = json.loads(lines[-1])
    same_work = same_work_counts(lake, counts.pop(SAME_WORK)["checksums"], console)

    suite = results["suite (patentq indicators)"]["seconds"]
    table = Table(title=f"indicators on {args.families:,} families, {args.citations:,} citations")
    for col in ("run", "seconds", "peak RSS MB", "families cited (5y)", "sum fwd_cits_5", "ratio"):
        table.add_column(col, justify="right" if col != "run" else "left")
    for name, res in results.items():
        ratio = {"floor (one DuckDB query)": f"suite ÷ floor = {suite / res['seconds']:.2f}",
                 SAME_WORK: f"suite ÷ same-work = {suite / res['seconds']:.2f}",
                 "pandas (same 5-year count)": f"pandas ÷ suite = {res['seconds'] / suite:.1f}"}.get(name, "")
        found = counts.get(name, same_work)
        table.add_row(name, f"{res['seconds']:.1f}", f"{res['peak_rss_mb']:,.0f}",
                      f"{found['families_cited']:,}", f"{found['fwd_cits_5']:,}", ratio)
    console.print(table)
    agree = len({(c["families_cited"], c["fwd_cits_5"]) for c in counts.values()}) == 1
    console.print("5-year counts agree across runs" if agree else "[red]5-year counts differ between runs[/]")
    console.print("targets: suite ≤ 3× floor, pandas ≥ 10× suite (the same-work SQL is for reference)")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
