"""Scale benchmark: the full pipeline on synthetic families, 1M to 100M.

For each size it reports time, CPU, peak RSS and peak spill (bytes in the DuckDB temp folder,
``LAKE/.tmp``, sampled every 0.2 s) per stage (landscape genai, indicators, compare by inventor
country), and the ratio of each stage to one hand-written DuckDB query doing the same core work
(the floor; for the indicators stage also the narrow floor, 5-year forward citations alone, see
bench/indicators_floor.py), where the floor finishes: floors run with the same memory limit
and at most ``FLOOR_SPILL`` of temp space, so one that cannot finish fails instead of
filling the disk. At 1M it also runs the pipeline on Spark local, and it reruns the largest
size under ``--memory-limit 4GB`` to show DuckDB finishing by spilling.

Lakes below 30M families get 10 citations per family (the 1M-10M figures of docs/scale.md);
from 30M on, 4 per family, about PATSTAT's ratio (``--citations-per-family`` overrides both).

    python bench/scale.py                    # 1M, 3M, 10M (about 15 minutes on 2 cores)
    python bench/scale.py --sizes 1 --spark  # quick: 1M, with the Spark comparison
    python bench/scale.py --sizes 30,100 --reuse --work DIR   # PATSTAT size (lakes: DIR/lake-30m, lake-100m)
    python bench/scale.py --sizes 10 --context 30  # issue 13: 10M families, 100M citations, 30M citing
                                                   # documents outside the lake and population baselines
"""

from __future__ import annotations

import argparse
import ast
import json
import resource
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).parent))
from _measure import run_measured  # noqa: E402
import context_floor  # noqa: E402
import indicators_floor  # noqa: E402
from indicators_steps import measure as measure_spill  # noqa: E402
from landscape_floor import floor_sql  # noqa: E402

PY = sys.executable

FLOORS = {
    # genai membership and categories, hand-written (bench/landscape_floor.py); one row:
    # (families, matched publications, category rows), checked against the stage's tables
    "landscape": floor_sql(),
    # the same per-family measures, hand-written (bench/indicators_floor.py); one row of
    # checksums, checked against the tables the stage wrote
    "indicators": indicators_floor.floor_sql(),
    "compare": """
        SELECT pa.country_code, count(DISTINCT pu.family_id)
        FROM parties pa JOIN publications pu USING (publication_number)
        WHERE pa.role = 'inventor' GROUP BY 1 ORDER BY 2 DESC""",
}


def stage_commands(lake: Path, engine: str, memory_limit: str | None) -> dict[str, list[str]]:
    common = ["--lake", str(lake), "--engine", engine] + (["--memory-limit", memory_limit] if memory_limit else [])
    cli = [PY, "-m", "patentq.cli"]
    return {
        "landscape": cli + ["landscape", "apply", str(Path(__file__).parent / "genai_floor.yaml"), *common],
        "indicators": cli + ["indicators", "--landscape", "genai", *common],
        "compare": cli + ["compare", "--landscape", "genai", "--by", "inventor-country", "--json", *common],
    }


#: Temp space a floor may use (DuckDB's max_temp_directory_size): a floor that needs more fails
#: rather than filling the disk (the same-work floor is one query; at 100M it spills tens of GB).
FLOOR_SPILL = "20GB"


def floor_command(lake: Path, sql: str, memory_limit: str | None, max_spill: str | None = None) -> list[str]:
    max_spill = max_spill or FLOOR_SPILL
    code = (
        "import patentq; con = patentq.open_lake(%r).connect(); "
        "%s"
        "print(con.execute(%r).fetchall()[:3])"
    ) % (str(lake), (f"con.execute(\"SET memory_limit='{memory_limit}'\"); " if memory_limit else "")
         + f"con.execute(\"SET max_temp_directory_size='{max_spill}'\"); ", sql)
    return [PY, "-c", code]


def measured(cmd: list[str], spill: Path | None = None, timeout: float | None = None) -> dict:
    """The command's seconds, CPU seconds (user + system of its process tree: wall time alone
    misleads on cores shared with other jobs), peak RSS of the tree, and the peak size of the
    spill folder ``spill`` with the least free disk seen there (bench/indicators_steps.py)."""
    if spill is not None:
        result = measure_spill(cmd, spill, timeout=timeout)
        result["tree_cpu_seconds"] = result["cpu_seconds"]
        return result
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_measured(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # the sampled tree also counts processes nobody waits for (Spark's JVM)
    result["cpu_seconds"] = max(reaped, result["tree_cpu_seconds"])
    result["peak_spill_mb"] = result["min_free_disk_gb"] = None
    return result


#: Seconds after which a floor is stopped (``--floor-timeout``; None: no limit).
FLOOR_TIMEOUT: float | None = None


def run_floor(lake: Path, sql: str, memory_limit: str | None, name: str, console) -> dict | None:
    """A floor's measured run, or None (with its error printed) when it failed or timed out."""
    floor = measured(floor_command(lake, sql, memory_limit), lake / ".tmp", FLOOR_TIMEOUT)
    if floor.get("timed_out"):
        console.print(f"[red]{name} floor stopped after {floor['seconds']:.0f} s[/] (--floor-timeout), "
                      f"peak RSS {floor['peak_rss_mb'] / 1e3:.1f} GB, peak spill {floor['peak_spill_mb'] / 1e3:.1f} GB")
        return None
    if floor["rc"] != 0:
        console.print(f"[red]{name} floor failed[/] after {floor['seconds']:.0f} s, peak spill "
                      f"{(floor.get('peak_spill_mb') or 0) / 1e3:.1f} GB: {floor['stderr'][-2000:]}")
        return None
    return floor


def check_landscape(lake: Path, floor: dict, console) -> dict:
    """The floor must select what the stage selected: same member families, matched
    publications and category rows. A mismatch means the floor is not the same work: fail."""
    import patentq

    con = patentq.open_lake(str(lake)).connect()
    stage = con.execute("SELECT (SELECT count(*) FROM landscape_genai), "
                        "(SELECT sum(matched_publications) FROM landscape_genai), "
                        "(SELECT count(*) FROM landscape_genai_categories)").fetchone()
    found = ast.literal_eval(floor["stdout"].strip().splitlines()[-1])[0]
    console.print(f"landscape families: stage {stage[0]:,}, floor {found[0]:,}; matched publications: stage "
                  f"{stage[1]:,}, floor {found[1]:,}; category rows: stage {stage[2]:,}, floor {found[2]:,}")
    if tuple(stage) != tuple(found):
        raise SystemExit(f"landscape floor and stage disagree on {lake}: stage {tuple(stage)} != floor {found}; "
                         "fix bench/landscape_floor.py (or the stage) before comparing times")
    return {"stage_counts": list(stage), "floor_counts": list(found)}


def check_indicators(lake: Path, floor: dict, console, context: dict | None = None) -> dict:
    """The floor must compute what the stage computed: the same count and sum of every
    measure (bench/indicators_floor.py; with context documents, the forward counts by
    bench/context_floor.py). A mismatch means the floor is not the same work: fail."""
    import patentq

    found = ast.literal_eval(floor["stdout"].strip().splitlines()[-1])[0]
    con = patentq.open_lake(str(lake)).connect()
    skip = tuple(n for n, _ in context_floor.MEASURES) if context else ()
    stage = indicators_floor.checked(con, found, str(lake), skip)
    if context:
        forward = ast.literal_eval(context["stdout"].strip().splitlines()[-1])[0]
        stage.update(context_floor.checked(con, forward, str(lake)))
    console.print(f"indicators: floor and stage agree on {len(stage)} checksums "
                  f"({stage['families']:,} families, {stage['fwd_5']:,} five-year citations)")
    return {"stage_checksums": list(stage.values())}


def make_stale(lake: Path) -> None:
    """Mark every derived table of ``lake`` stale, so each measured stage builds from the
    canonical tables: the stage registry skips a stage whose inputs and options have not
    changed, which would make a rerun (``--reuse``, the ``--memory-limit 4GB`` pass) time nothing."""
    import patentq
    from patentq.stages import forget

    with patentq.open_lake(str(lake)) as session:
        forget(session)


def drop_derived(lake: Path) -> None:
    """Leave ``lake`` as synth wrote it: no derived table and no part retired by an earlier run
    (``--first-build``). A rebuild over stale tables keeps the replaced parts for an hour
    (lake.RETIRE_SECONDS), so its least free disk counts the previous run's tables as well."""
    from patentq.lake import Lake

    opened = Lake.open(lake)
    with opened.writer():
        manifest = {**opened.manifest, "derived": {}, "retired": []}
        opened._write_manifest(manifest)
        opened.manifest = manifest
        opened._clean_strays()  # the derived parts no manifest entry lists now


def run_pipeline(lake: Path, engine: str, memory_limit: str | None, with_floor: bool, console,
                 stages: list[str] | None = None, context: bool = False, first_build: bool = False) -> list[dict]:
    rows = []
    if not stages or "landscape" in stages:  # a whole run: every stage builds, none is skipped
        if first_build:
            drop_derived(lake)
        else:
            make_stale(lake)
    for stage, cmd in stage_commands(lake, engine, memory_limit).items():
        if stages and stage not in stages:
            continue
        result = measured(cmd, lake / ".tmp" if engine == "duckdb" else None)
        if result["rc"] != 0:
            console.print(f"[red]{stage} failed[/]: {result['stderr'][-2000:]}")
        floor = run_floor(lake, FLOORS[stage], memory_limit, stage, console) if with_floor else None
        narrow = (run_floor(lake, indicators_floor.narrow_floor_sql(), memory_limit, "narrow indicators", console)
                  if with_floor and stage == "indicators" else None)
        # with context documents the same work adds the forward counts over the world (context_floor.py)
        extra = (run_floor(lake, context_floor.floor_sql(), memory_limit, "context", console)
                 if with_floor and context and stage == "indicators" else None)
        if floor and extra:
            floor = {**floor, "seconds": floor["seconds"] + extra["seconds"],
                     "cpu_seconds": floor["cpu_seconds"] + extra["cpu_seconds"]}
        elif floor and context and stage == "indicators":
            # without the world's forward counts the floor is not the same work: no ratio, and
            # the stage's figures (and the --memory-limit pass) still stand
            console.print(f"[yellow]indicators: the context floor did not finish; the plain floor took "
                          f"{floor['seconds']:.1f} s but is not the same work, so no ratio is given[/]")
            floor = None
        rows.append({"stage": stage, "engine": engine, "memory_limit": memory_limit, "seconds": result["seconds"],
                     "cpu_seconds": result["cpu_seconds"], "peak_rss_mb": result["peak_rss_mb"],
                     "peak_spill_mb": result["peak_spill_mb"], "min_free_disk_gb": result["min_free_disk_gb"],
                     "ok": result["rc"] == 0, "floor_seconds": floor["seconds"] if floor else None,
                     "floor_cpu_seconds": floor["cpu_seconds"] if floor else None,
                     "ratio": result["seconds"] / floor["seconds"] if floor else None,
                     "cpu_ratio": result["cpu_seconds"] / floor["cpu_seconds"] if floor else None,
                     "narrow_floor_seconds": narrow["seconds"] if narrow else None,
                     "narrow_ratio": result["seconds"] / narrow["seconds"] if narrow else None})
        if floor and stage == "landscape" and result["rc"] == 0:
            rows[-1].update(check_landscape(lake, floor, console))
        if floor and stage == "indicators" and result["rc"] == 0:
            rows[-1].update(check_indicators(lake, floor, console, extra))
        console.print(rows[-1])
    return rows


def main() -> None:
    global FLOOR_TIMEOUT, FLOOR_SPILL
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,3,10", help="millions of families, comma separated")
    parser.add_argument("--work", default="/tmp/patentq-bench-scale")
    parser.add_argument("--spark", action="store_true", help="also run Spark local at the smallest size")
    parser.add_argument("--no-spill", action="store_true", help="skip the --memory-limit 4GB run")
    parser.add_argument("--spill-only", action="store_true",
                        help="run only the --memory-limit 4GB pass (of the largest size)")
    parser.add_argument("--first-build", action="store_true",
                        help="drop a reused lake's derived tables before each pass, so it builds as on a lake "
                             "straight from synth (else they are marked stale and rebuilt: the replaced parts "
                             "stay on disk for an hour)")
    parser.add_argument("--reuse", action="store_true", help="keep a lake already generated in --work")
    parser.add_argument("--citations-per-family", type=float, default=None,
                        help="citations per family of generated lakes (default 10 below 30M families, 4 from 30M)")
    parser.add_argument("--no-floor", action="store_true", help="skip the floors (stage figures only)")
    parser.add_argument("--floor-timeout", type=float, default=None, help="stop a floor after this many seconds")
    parser.add_argument("--floor-spill", default=FLOOR_SPILL,
                        help=f"temp space a floor may use (default {FLOOR_SPILL}; the same-work floor spilled "
                             "33.5 GB at 10M families)")
    parser.add_argument("--context", type=float, default=0,
                        help="millions of context citing documents (with population baselines): issue 13's case")
    parser.add_argument("--stages", default="landscape,indicators,compare",
                        help="stages to run, comma separated (each needs the ones before it to have run once)")
    args = parser.parse_args()
    FLOOR_TIMEOUT, FLOOR_SPILL = args.floor_timeout, args.floor_spill
    console = Console(width=max(Console().width, 200))
    work = Path(args.work)
    results = []
    sizes = [float(s) for s in args.sizes.split(",")]
    stages = args.stages.split(",")
    for size in sizes:
        families = int(size * 1_000_000)
        context = int(args.context * 1_000_000)
        lake = work / (f"lake-{size:g}m" + (f"-context-{args.context:g}m" if context else ""))
        if not (args.reuse and (lake / "manifest.json").exists()):
            shutil.rmtree(lake, ignore_errors=True)
            per_family = args.citations_per_family or (4 if size >= 30 else 10)
            gen = run_measured([PY, "-m", "patentq.cli", "synth", "--families", str(families),
                                "--citations", str(int(families * per_family)), "--out", str(lake)]
                               + (["--context-documents", str(context), "--baselines"] if context else []))
            console.print(f"[bold]{size:g}M families[/]: synth {gen['seconds']:.1f}s, peak {gen['peak_rss_mb']:.0f} MB")
        rows = [] if args.spill_only else run_pipeline(lake, "duckdb", None, not args.no_floor, console, stages,
                                                       context=bool(context), first_build=args.first_build)
        for r in rows:
            r["families"] = families
        results += rows
        if args.spark and size == sizes[0]:
            spark_rows = run_pipeline(lake, "spark", None, False, console, stages)
            for r, d in zip(spark_rows, rows):
                r["families"] = families
                r["ratio_to_duckdb"] = r["seconds"] / d["seconds"]
            results += spark_rows
        if not args.no_spill and size == sizes[-1]:
            limited = run_pipeline(lake, "duckdb", "4GB", False, console, stages, context=bool(context),
                                   first_build=args.first_build)
            for r in limited:
                r["families"] = families
            results += limited
    table = Table(title="patentq pipeline at scale (2 cores)")
    for col in ("families", "engine", "memory_limit", "stage", "seconds", "cpu_s", "peak_rss_mb", "peak_spill_mb",
                "min free disk GB", "floor_seconds", "floor_cpu_s", "ratio", "cpu_ratio", "narrow floor (ratio)", "ok"):
        table.add_column(col)
    for r in results:
        table.add_row(f"{r['families']:,}", r["engine"], str(r["memory_limit"] or "-"), r["stage"], f"{r['seconds']:.1f}",
                      f"{r['cpu_seconds']:.1f}", f"{r['peak_rss_mb']:.0f}",
                      f"{r['peak_spill_mb']:.0f}" if r.get("peak_spill_mb") is not None else "-",
                      f"{r['min_free_disk_gb']:.1f}" if r.get("min_free_disk_gb") is not None else "-",
                      f"{r['floor_seconds']:.1f}" if r["floor_seconds"] else "-",
                      f"{r['floor_cpu_seconds']:.1f}" if r["floor_cpu_seconds"] else "-",
                      f"{r['ratio']:.2f}×" if r["ratio"] else (f"spark/duckdb {r['ratio_to_duckdb']:.1f}×"
                                                               if r.get("ratio_to_duckdb") else "-"),
                      f"{r['cpu_ratio']:.2f}×" if r.get("cpu_ratio") else "-",
                      f"{r['narrow_floor_seconds']:.1f} ({r['narrow_ratio']:.2f}×)" if r.get("narrow_ratio") else "-",
                      str(r["ok"]))
    console.print(table)
    for size in sizes:
        fam = int(size * 1_000_000)
        for limit in (None, "4GB"):
            mine = [r for r in results if r["families"] == fam and r["engine"] == "duckdb" and r["memory_limit"] == limit]
            if mine:
                console.print(f"{fam:,} families, memory limit {limit or 'default'}: pipeline "
                              f"{sum(r['seconds'] for r in mine):.1f} s, peak RSS {max(r['peak_rss_mb'] for r in mine) / 1e3:.2f} GB, "
                              f"peak spill {max(r['peak_spill_mb'] or 0 for r in mine) / 1e3:.2f} GB, least free disk "
                              f"{min(r['min_free_disk_gb'] or 1e9 for r in mine):.1f} GB"
                              + ("" if all(r["ok"] for r in mine) else " (a stage FAILED)"))
    (work / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
