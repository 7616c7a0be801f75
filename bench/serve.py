"""The dashboard server under load (issue 17, F3/F14): 2,000 requests from 20 loopback clients
while 8 uncached comparisons run. Reports p50/p99 of the static, cached and uncached routes;
the target is static p99 <= 50 ms.

    python bench/serve.py                           # a 2,000-family demo lake, as in F3's reproduction
    python bench/serve.py --lake DIR --requests 4000

Each client is its own process (one connection per request, as a browser without keep-alive);
the 8 uncached comparisons ask for 10,000 bootstrap replicates each with distinct seeds, so none
is cached, and start before the clients. Only the client requests that finished while at least
one comparison was still running are counted (the overlap is printed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import demo_lake, quantiles, serving, timed_get, wait_ready  # noqa: E402

CACHED = "/api/compare?landscape=genai&replicates=200&seed=1"
ROUTES = [("static", "/static/dashboard.js"), ("static", "/"), ("static", "/static/dashboard.css"),
          ("cached", CACHED), ("cached", "/api/chart/scatter?landscape=genai&replicates=200&seed=1"),
          ("metadata", "/api/lake")]


def client(args) -> list:
    host, port, n, offset = args
    out = []
    for i in range(n):
        kind, path = ROUTES[(i + offset) % len(ROUTES)]
        status, seconds = timed_get(host, port, path)
        out.append((kind, status, time.time(), seconds))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lake", type=Path, default=None)
    ap.add_argument("--families", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--uncached", type=int, default=8)
    ap.add_argument("--replicates", type=int, default=10000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/patentq-bench"))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    lake = args.lake or demo_lake(args.workdir, args.families)
    with serving(lake) as (host, port):
        ready = wait_ready(host, port)
        for _, path in ROUTES:  # the cached answers are cached
            timed_get(host, port, path)
        slow, spans = [], []

        def uncached(seed):
            started = time.time()
            status, seconds = timed_get(host, port, f"/api/compare?landscape=genai&replicates={args.replicates}"
                                                    f"&seed={1000 + seed}")
            slow.append((status, seconds))
            spans.append((started, time.time()))

        threads = [threading.Thread(target=uncached, args=(i,)) for i in range(args.uncached)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        per = args.requests // args.clients
        with multiprocessing.get_context("fork").Pool(args.clients) as pool:
            results = [r for part in pool.map(client, [(host, port, per, i) for i in range(args.clients)]) for r in part]
        for t in threads:
            t.join()
    busy_until = max(end for _, end in spans)
    during = [r for r in results if r[2] <= busy_until]
    report = {"lake": str(lake), "workers": 2, "ready_seconds": round(ready, 1), "requests": len(results),
              "during_uncached": len(during), "errors": sum(1 for r in results if r[1] != 200)}
    for kind in ("static", "cached", "metadata"):
        report[kind] = quantiles([r[3] for r in during if r[0] == kind and r[1] == 200])
    report["uncached"] = quantiles([s for status, s in slow if status == 200])
    report["uncached_statuses"] = sorted(status for status, _ in slow)
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0 if report["static"].get("p99_ms", 1e9) <= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
