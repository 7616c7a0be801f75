"""Calibration of compare's intervals on seeded demo worlds (issue 15's acceptance).

The planted quality of a demo world is each inventor country's share of the world's top-10 %
families by 5-year forward citations, over the matched families (those with a complete 5-year
window), and the matched gap (share of the matched families minus that quality share). Its
*planted* (expected) value is a property of the generating process, not of one world: the mean
of the realized values over ``--truth-worlds`` independent worlds (each world's realized value is
what the pipeline recovers exactly from its lake). The intervals of ``--worlds`` further worlds,
each from ``compare`` with ``--replicates`` bootstrap replicates, are then checked against it:
95 % intervals should cover it at least 90 % of the time.

    python bench/calibration.py                         # 50 + 50 worlds of 5,000 families
    python bench/calibration.py --worlds 10 --truth-worlds 10 --families 2000   # a quick look
    python bench/calibration.py --plant                 # also write the planted values into the demo

Prints a table per country and the overall coverage; ``--json`` writes everything.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from patentq import open_lake  # noqa: E402
from patentq.compare import Conventions, compare  # noqa: E402
from patentq.synthetic.demo.pipeline import run_demo  # noqa: E402
from patentq.synthetic.demo.truth import PLANTED_QUALITY  # noqa: E402

COUNTRIES = ("CN", "US", "KR", "JP")
FIGURES = {"quality_adjusted_share": "qa_share_ci", "number_over_quality_gap": "number_over_quality_gap_ci"}


def one_world(workdir: Path, families: int, seed: int, replicates: int) -> dict:
    out = workdir / f"world-{seed}"
    started = time.perf_counter()
    result = run_demo(out, families, seed, report=False, replicates=0, sensitivity=False)
    conv = Conventions(landscape="genai", by="inventor-country", years=(2014, 2023), top=None, replicates=replicates,
                       seed=seed, window="matched", min_families=0)
    with open_lake(result.lake) as session:
        rows = {r["group"]: r for r in compare(session, conv, extras=False).rows}
    shutil.rmtree(out, ignore_errors=True)
    got = {c: {k: rows[c].get(k) for k in (*FIGURES, *FIGURES.values(), "families_complete_window")}
           for c in COUNTRIES if c in rows}
    return {"seed": seed, "seconds": round(time.perf_counter() - started, 1), "countries": got}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worlds", type=int, default=50, help="worlds whose intervals are checked")
    ap.add_argument("--truth-worlds", type=int, default=50, help="worlds whose mean is the planted value")
    ap.add_argument("--families", type=int, default=5000)
    ap.add_argument("--replicates", type=int, default=1000)
    ap.add_argument("--first-seed", type=int, default=1000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/patentq-bench/calibration"))
    ap.add_argument("--json", type=Path, default=None, help="write every world's figures here")
    ap.add_argument("--plant", action="store_true", help=f"write the planted values to {PLANTED_QUALITY}")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    worlds = []
    total = args.truth_worlds + args.worlds
    for i in range(total):
        w = one_world(args.workdir, args.families, args.first_seed + i, args.replicates)
        worlds.append(w)
        print(f"world {i + 1}/{total} (seed {w['seed']}): {w['seconds']} s", file=sys.stderr, flush=True)
    truth_set, test_set = worlds[: args.truth_worlds], worlds[args.truth_worlds:]
    planted, spread = {}, {}
    for figure in FIGURES:
        planted[figure], spread[figure] = {}, {}
        for c in COUNTRIES:
            values = [w["countries"][c][figure] for w in truth_set if w["countries"].get(c, {}).get(figure) is not None]
            planted[figure][c] = float(np.mean(values))
            spread[figure][c] = {"sd": float(np.std(values, ddof=1)), "mc_se": float(np.std(values, ddof=1) / np.sqrt(len(values)))}
    print(f"\nCalibration: {args.worlds} worlds of {args.families:,} families, {args.replicates} replicates; planted "
          f"value = mean of {args.truth_worlds} other worlds\n")
    print("| figure | country | planted | Monte Carlo s.e. | s.d. across worlds | mean interval width | covered |")
    print("|---|---|---:|---:|---:|---:|---:|")
    covered_all, n_all, coverage = 0, 0, {}
    for figure, ci_key in FIGURES.items():
        coverage[figure] = {}
        for c in COUNTRIES:
            hits, widths = [], []
            for w in test_set:
                row = w["countries"].get(c) or {}
                ci = row.get(ci_key)
                if ci is None:
                    continue
                hits.append(ci[0] <= planted[figure][c] <= ci[1])
                widths.append(ci[1] - ci[0])
            coverage[figure][c] = sum(hits) / len(hits) if hits else None
            covered_all += sum(hits)
            n_all += len(hits)
            unit = " pp" if figure == "number_over_quality_gap" else " %"
            print(f"| {figure} | {c} | {100 * planted[figure][c]:+.2f}{unit} | {100 * spread[figure][c]['mc_se']:.2f} | "
                  f"{100 * spread[figure][c]['sd']:.2f} | {100 * np.mean(widths):.2f} | "
                  f"{sum(hits)}/{len(hits)} ({100 * coverage[figure][c]:.0f} %) |")
    overall = covered_all / n_all if n_all else None
    print(f"\noverall coverage: {covered_all}/{n_all} = {100 * overall:.1f} % (target >= 90 %)")
    report = {"families": args.families, "worlds": args.worlds, "truth_worlds": args.truth_worlds,
              "replicates": args.replicates, "first_seed": args.first_seed, "planted": planted, "spread": spread,
              "coverage": coverage, "overall_coverage": overall, "worlds_data": worlds}
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    if args.plant:
        PLANTED_QUALITY.write_text(json.dumps({
            "about": "Planted quality of the demo world: each inventor country's share of the top-10 % families by "
                     "5-year forward citations over the matched families (complete 5-year window), and the matched "
                     "gap; the expected value over seeded worlds (bench/calibration.py --plant).",
            "families": args.families, "worlds": args.truth_worlds, "first_seed": args.first_seed,
            "years": [2014, 2023], "quality_adjusted_share": planted["quality_adjusted_share"],
            "number_over_quality_gap": planted["number_over_quality_gap"],
            "monte_carlo_se": {f: {c: v["mc_se"] for c, v in spread[f].items()} for f in FIGURES}}, indent=1) + "\n")
    return 0 if overall is not None and overall >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
