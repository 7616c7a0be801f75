"""Dashboard option-change latency on the 54k demo (issue 15): median uncached and cached
``/api/compare`` answers from ``patentq serve``, against the same ``compare`` call from Python
in the same run. Targets: uncached <= 1 s on an otherwise idle machine, cached <= 50 ms.

    python bench/dashboard.py                        # builds /tmp/patentq-bench/demo-54000-2024 once
    python bench/dashboard.py --lake DIR --rounds 2

An option change is what the page asks for when a control changes: the comparison (the table),
then the charts of the same comparison; the uncached figure is the first ``/api/compare`` for a
new parameter set, the cached one the same request again, and "page" adds the four main charts
and the chart list (cached, as the page fetches them right after).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, demo_lake, serving, timed_get, wait_ready  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
from patentq import open_lake  # noqa: E402
from patentq.compare import compare, conventions  # noqa: E402

#: The option changes a user makes, one after another (landscape, grouping, counting, window...).
CHANGES = [
    {"landscape": "genai"}, {"landscape": "genai", "by": "applicant-country"},
    {"landscape": "genai", "by": "applicant-group"}, {"landscape": "genai", "counting": "fractional"},
    {"landscape": "genai", "window": "all"}, {"landscape": "genai", "years": "2016-2021"},
    {"landscape": "genai", "by": "priority-office"}, {"landscape": "genai", "year-basis": "priority"},
    {"landscape": "", "by": "inventor-country"}, {"landscape": "genai", "by": "office"},
]
CHARTS = ("scatter", "slope", "intervals", "time")


def query(change: dict, seed: int) -> str:
    return "&".join(f"{k}={v}" for k, v in {**change, "seed": seed}.items())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lake", type=Path, default=None)
    ap.add_argument("--families", type=int, default=54000)
    ap.add_argument("--rounds", type=int, default=1, help="passes over the option changes (new seeds each)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/patentq-bench"))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    lake = args.lake or demo_lake(args.workdir, args.families)
    python, uncached, cached, page = [], [], [], []
    with open_lake(lake) as session:  # the same call from Python, warm (imports, lake views, tables built)
        compare(session, conventions(landscape="genai", replicates=10))
        for r in range(args.rounds):
            for change in CHANGES:
                options = {k.replace("-", "_"): v for k, v in change.items()}
                options["landscape"] = options["landscape"] or None
                started = time.perf_counter()
                compare(session, conventions(**options, seed=100 + r))
                python.append(time.perf_counter() - started)
    with serving(lake) as (host, port):
        wait_ready(host, port)
        for change in CHANGES:  # the worker processes warm: each grouping's tables and views opened once
            timed_get(host, port, "/api/compare?" + query(change, 0).replace("seed=0", "seed=0&replicates=0"))
        for r in range(args.rounds):
            for change in CHANGES:
                q = query(change, 100 + r)
                status, seconds = timed_get(host, port, "/api/compare?" + q)
                assert status == 200, (status, q)
                uncached.append(seconds)
                cached.append(timed_get(host, port, "/api/compare?" + q)[1])
                started = time.perf_counter()
                for path in [f"/api/compare?{q}", f"/api/charts?{q}"] + [f"/api/chart/{c}?{q}" for c in CHARTS]:
                    timed_get(host, port, path)
                page.append(time.perf_counter() - started)
    ms = lambda xs: round(1000 * statistics.median(xs), 1)  # noqa: E731
    report = {"lake": str(lake), "option_changes": len(uncached),
              "python_compare_median_ms": ms(python), "uncached_median_ms": ms(uncached),
              "cached_median_ms": ms(cached), "cached_page_median_ms": ms(page),
              "uncached_ms": [round(1000 * x) for x in uncached], "python_ms": [round(1000 * x) for x in python],
              "changes": CHANGES}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
