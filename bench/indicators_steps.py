"""The families and indicators stages step by step: time, peak RSS, peak spill and DuckDB's profile of each step.

Each step (each derived table the two stages write: family_members, family_values, families,
family_subclasses, family_citation_targets, family_citations, family_applicants,
family_shared_applicants, the context tables, family_origin_bits, each family_ind_* group,
family_indicator_base, family_ind_qi_ranks and the cohort pass writing family_indicators) runs
in its own process, in the order the stages use, on a lake where the steps before it have run
(run them all once, or start with ``--steps all``). Every step process runs the stage's own
``build`` through an engine wrapper that skips the writes before the step and stops at the
write after it, so the bench follows the stage's real SQL and step order; what the stage does
between two writes (the unknown counts after ``families``, for example) belongs to the step
before. The applicant groups (``patentq applicants``) must be in the lake.

Per step it reports:

- wall and CPU seconds, peak RSS of the process tree (sampled every 0.2 s);
- peak spill: the bytes allocated in the DuckDB temp folder (``LAKE/.tmp`` unless
  ``--temp-directory``), sampled every 0.2 s, and the least free disk seen there;
- DuckDB's own figures for the step's query (``PRAGMA enable_profiling='json'``):
  peak buffer memory, peak temp size, bytes spilled, and the operators taking most time;
- the peak of ``duckdb_memory()`` per tag (HASH_TABLE, ORDER_BY, WINDOW, ...), polled every
  second from a second connection: buffer-managed memory by kind. A step whose RSS lies far
  above DuckDB's buffer memory holds state outside the buffer manager, which cannot spill.

    python bench/indicators_steps.py --lake DIR/lake-30m --landscape genai
    python bench/indicators_steps.py --lake DIR/lake-30m --landscape genai --memory-limit 4GB \\
        --steps family_citations,family_ind_oecd --profile-dir /tmp/prof

Results go to ``--out`` (JSON, default ``LAKE/../indicators_steps.json``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import run_measured  # noqa: E402

FAMILY_STEPS = ("family_members", "family_values", "families")
STEPS = FAMILY_STEPS + (
    "family_subclasses", "family_citation_targets", "family_citations", "family_applicants", "family_shared_applicants",
    "family_context_members", "family_context_citations", "family_context_shared", "family_origin_bits",
    "family_ind_citations", "family_ind_oecd", "family_ind_fields", "family_indicator_base", "family_ind_qi_ranks",
    "family_indicators")


# ---------------------------------------------------------------------------------------------
# the child: one step


class _StepDone(Exception):
    pass


class _OneStep:
    """Wraps the session's engine: writes before ``target`` are skipped (the
    tables are in the lake already), the target is written (profiled), and the next write stops
    the run. A step's name may also be the prefix of several writes (``family_citations`` when
    the stage writes it in parts): all writes whose name starts with the target belong to it."""

    def __init__(self, engine, target: str, profile: Path | None):
        self._engine, self._target, self._profile = engine, target, profile
        self._state = "before"
        self.written = 0  # not "rows": that is an engine method the stages call
        self.profiles: list[dict] = []

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def _mine(self, name: str) -> bool:
        return name == self._target or name.startswith(self._target + "__")

    def write_buckets(self, sql_text, bucket, folder, name):
        """Bucket passes (parts.buckets) of the steps before the target are skipped like their
        writes, the target's own are part of its step, and the next step's stops the run."""
        table = re.match(r"patentq-buckets-(\w+)-\d+-[0-9a-f]{12}$", Path(folder).parent.name).group(1)
        if not self._mine(table):
            if self._state == "in":
                raise _StepDone()
            return None
        return self._engine.write_buckets(sql_text, bucket, folder, name)

    def write_derived(self, name, sql, **meta):
        return self.write_with(name, lambda: self._engine.write_derived(name, sql, **meta))

    def write_with(self, name, write):
        """Skip, run (profiled: one JSON profile per query) or stop at the write of ``name``."""
        if self._mine(name):
            self._state = "in"
            con = self._engine.con
            original = self._engine.write_parquet

            def write_parquet(sql_text, folder):
                out = None
                if self._profile:
                    out = self._profile.with_name(f"{self._profile.stem}-{len(self.profiles)}.json")
                    con.execute("SET enable_profiling = 'json'")
                    con.execute(f"SET profiling_output = '{out}'")
                    con.execute("SET profiling_coverage = 'ALL'")
                try:
                    return original(sql_text, folder)
                finally:
                    if out:
                        con.execute("PRAGMA disable_profiling")
                        if out.exists():
                            self.profiles.append(summarise_profile(json.loads(out.read_text()), name))

            self._engine.write_parquet = write_parquet
            try:
                rows = write()
            finally:
                del self._engine.write_parquet
            self.written += rows
            return rows
        if self._state == "in":
            raise _StepDone()
        # a skipped write returns the rows it wrote before, as the stage sizes later parts by them
        from patentq import parts

        return parts.table_rows(self._engine.lake, name)


def summarise_profile(profile: dict, name: str, top: int = 8) -> dict:
    """DuckDB's profile of one query, cut to what the table needs: the system peaks and the
    operators with the most time (with their row counts and extra info)."""
    ops = []

    def walk(node, depth=0):
        for child in node.get("children", []):
            walk(child, depth + 1)
        if node.get("name"):
            info = node.get("extra_info") or {}
            ops.append({"name": node["name"], "seconds": round(node.get("timing") or 0.0, 2),
                        "rows": node.get("intermediate_rows") or node.get("operator_cardinality"),
                        "info": {k: (v if len(str(v)) < 200 else str(v)[:200] + "…") for k, v in info.items()
                                 if k in ("Groups", "Aggregates", "Join Type", "Conditions", "Function",
                                          "Partitions", "Projections", "Estimated Cardinality")}})

    for root in profile.get("operator", []) or [profile]:
        walk(root)
    ops.sort(key=lambda o: -o["seconds"])
    system = profile.get("system", {})
    return {"table": name, "seconds": (profile.get("query") or {}).get("total_time"),
            "peak_buffer_memory": system.get("peak_buffer_memory"),
            "peak_temp_dir_size": system.get("peak_temp_dir_size"),
            "total_bytes_spilled": system.get("total_bytes_spilled"), "top_operators": ops[:top]}


def merge_profiles(profiles: list[dict]) -> dict | None:
    """One step's queries (its parts) as one: peaks are maxima, spill and operator time sums
    (operators matched by name and extra info, so the same operator of every part adds up)."""
    if not profiles:
        return None
    ops: dict[str, dict] = {}
    for p in profiles:
        for op in p["top_operators"]:
            key = op["name"] + json.dumps(op["info"], sort_keys=True, default=str)
            if key in ops:
                ops[key]["seconds"] = round(ops[key]["seconds"] + op["seconds"], 2)
                ops[key]["rows"] = (ops[key]["rows"] or 0) + (op["rows"] or 0)
            else:
                ops[key] = dict(op)
    return {"peak_buffer_memory": max(p["peak_buffer_memory"] or 0 for p in profiles),
            "peak_temp_dir_size": max(p["peak_temp_dir_size"] or 0 for p in profiles),
            "total_bytes_spilled": sum(p["total_bytes_spilled"] or 0 for p in profiles),
            "top_operators": sorted(ops.values(), key=lambda o: -o["seconds"])}


def run_step(args) -> None:
    import patentq
    from patentq import families, indicators, parts

    settings = {}
    if args.memory_limit:
        settings["memory_limit"] = args.memory_limit
    if args.threads:
        settings["threads"] = args.threads
    if args.temp_directory:
        settings["temp_directory"] = args.temp_directory
    session = patentq.open_lake(args.lake, **settings)
    engine = session.engine
    profile = Path(args.profile_dir) / f"{args.run_step}.json" if args.profile_dir else None
    if profile:
        profile.parent.mkdir(parents=True, exist_ok=True)
    step = _OneStep(engine, args.run_step, profile)
    session._engine = step  # the stages' writes go through the wrapper
    plain = parts.write  # multi-part writes (parts.py) go through the same skip / run / stop
    parts.write = lambda eng, name, queries, **meta: step.write_with(
        name, lambda: plain(engine, name, queries, **meta))

    peaks: dict[str, int] = {}
    stop = threading.Event()

    def poll():  # buffer-managed memory by tag, from a second connection of the same database
        cur = engine.con.cursor()
        while not stop.is_set():
            try:
                for tag, used, temp in cur.execute(
                        "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory()").fetchall():
                    peaks[tag] = max(peaks.get(tag, 0), used)
                    peaks[tag + ":spilled"] = max(peaks.get(tag + ":spilled", 0), temp)
            except Exception:  # noqa: BLE001 - the sampler must never fail the step
                pass
            stop.wait(1.0)

    sampler = threading.Thread(target=poll, daemon=True)
    sampler.start()
    error = None
    try:
        if args.run_step in FAMILY_STEPS:
            families.build(session)
        else:
            indicators.build(session, landscape=args.landscape)
    except _StepDone:
        pass
    except Exception as exc:  # noqa: BLE001 - reported in the table
        error = f"{type(exc).__name__}: {exc}"
    stop.set()
    sampler.join()
    print(json.dumps({"rows": step.written, "error": error, "profiles": step.profiles,
                      "memory_by_tag": {k: v for k, v in sorted(peaks.items()) if v}}))


# ---------------------------------------------------------------------------------------------
# the parent: one process per step, measured


def measure(cmd: list[str], spill: Path, on_sample=None, timeout: float | None = None) -> dict:
    """Run ``cmd``: seconds, CPU seconds, peak RSS of the tree, peak spill folder size and the
    least free disk where it spills (sampled every 0.2 s). Past ``timeout`` seconds the process
    tree is killed (``timed_out``)."""
    result = run_measured(cmd, spill=spill, on_sample=on_sample, timeout=timeout)
    result["cpu_seconds"] = result["tree_cpu_seconds"]
    return result


def main() -> None:
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lake", required=True)
    parser.add_argument("--landscape", default=None)
    parser.add_argument("--memory-limit", default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--temp-directory", default=None)
    parser.add_argument("--steps", default="all", help="comma separated, or 'all' (in the stage's order)")
    parser.add_argument("--from", dest="start", default=None, help="run the steps from this one on")
    parser.add_argument("--profile-dir", default=None, help="keep DuckDB's JSON profile of each step here")
    parser.add_argument("--out", default=None, help="JSON results (default LAKE/../indicators_steps[-LIMIT].json)")
    parser.add_argument("--run-step", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_step:
        run_step(args)
        return

    steps = list(STEPS) if args.steps == "all" else args.steps.split(",")
    if args.start:
        steps = steps[steps.index(args.start):]
    lake = Path(args.lake)
    spill = Path(args.temp_directory) if args.temp_directory else lake / ".tmp"
    console = Console(width=max(Console().width, 140))
    rows: list[dict] = []
    live_row: dict = {}

    def table() -> Table:
        t = Table(title=f"indicators step by step: {lake.name}, memory limit {args.memory_limit or 'default'}")
        for col in ("step", "rows", "wall s", "CPU s", "peak RSS GB", "peak spill GB", "min free disk GB",
                    "DuckDB buffer peak GB", "status"):
            t.add_column(col, justify="right" if col not in ("step", "status") else "left")
        for r in rows + ([live_row] if live_row else []):
            buf = max((p.get("peak_buffer_memory") or 0 for p in r.get("profiles", [])), default=0)
            t.add_row(r["step"], f"{r.get('rows', 0):,}" if r.get("rows") is not None else "",
                      f"{r['seconds']:.1f}", f"{r.get('cpu_seconds', 0):.1f}" if "cpu_seconds" in r else "",
                      f"{r['peak_rss_mb'] / 1e3:.2f}", f"{r['peak_spill_mb'] / 1e3:.2f}",
                      f"{r['min_free_disk_gb']:.1f}", f"{buf / 1e9:.2f}" if buf else "", r["status"])
        return t

    base = [sys.executable, __file__, "--lake", str(lake)]
    for flag in ("landscape", "memory_limit", "threads", "temp_directory", "profile_dir"):
        if getattr(args, flag):
            base += [f"--{flag.replace('_', '-')}", str(getattr(args, flag))]
    suffix = f"-{args.memory_limit}" if args.memory_limit else ""
    out = Path(args.out) if args.out else lake.parent / f"indicators_steps-{lake.name}{suffix}.json"
    with Live(table(), console=console, refresh_per_second=2) as live:
        for step in steps:
            peaks = {"rss": 0, "spill": 0, "free": None}

            def on_sample(elapsed, rss, used, free, step=step, peaks=peaks):
                peaks["rss"], peaks["spill"] = max(peaks["rss"], rss), max(peaks["spill"], used)
                peaks["free"] = free if peaks["free"] is None else min(peaks["free"], free)
                live_row.clear()
                live_row.update({"step": step, "seconds": elapsed, "peak_rss_mb": peaks["rss"] / 1e6,
                                 "peak_spill_mb": peaks["spill"] / 1e6, "min_free_disk_gb": peaks["free"] / 1e9,
                                 "status": f"running (RSS {rss / 1e9:.1f} GB, spill {used / 1e9:.1f} GB)",
                                 "rows": None})
                live.update(table())

            result = measure(base + ["--run-step", step], spill, on_sample)
            live_row.clear()
            detail = {}
            try:
                detail = json.loads(result["stdout"].strip().splitlines()[-1])
            except (ValueError, IndexError):
                pass
            error = detail.get("error") or (result["stderr"].strip().splitlines()[-1:] or [""])[0]
            ok = result["rc"] == 0 and not detail.get("error")
            rows.append({"step": step, **{k: v for k, v in result.items() if k not in ("stdout", "stderr")},
                         "rows": detail.get("rows"), "profiles": detail.get("profiles", []),
                         "memory_by_tag": detail.get("memory_by_tag", {}),
                         "status": "ok" if ok else f"FAILED: {error[:120]}", "error": None if ok else error})
            live.update(table())
            r = rows[-1]
            live.console.log(f"{step}: {r['status']}, {r['seconds']:.1f} s, peak RSS {r['peak_rss_mb'] / 1e3:.2f} GB, "
                             f"peak spill {r['peak_spill_mb'] / 1e3:.2f} GB")
            out.write_text(json.dumps(rows, indent=2, default=str))  # kept as the steps finish
            if not ok:
                break
    for r in rows:
        merged = merge_profiles(r["profiles"])
        if merged:
            console.print(f"[bold]{r['step']}[/] ({len(r['profiles'])} quer{'y' if len(r['profiles']) == 1 else 'ies'}): "
                          f"DuckDB peak buffer {merged['peak_buffer_memory'] / 1e9:.2f} GB, peak temp "
                          f"{merged['peak_temp_dir_size'] / 1e9:.2f} GB, spilled {merged['total_bytes_spilled'] / 1e9:.2f} GB")
            for op in merged["top_operators"][:6]:
                info = "; ".join(f"{k}: {v}" for k, v in op["info"].items() if k != "Estimated Cardinality")
                console.print(f"   {op['seconds']:8.1f} s  {op['name']:<22} rows {op['rows'] or 0:>14,}  {info[:110]}",
                              soft_wrap=True)
        if r["memory_by_tag"]:
            console.print("   memory by tag (peak MB): " + ", ".join(
                f"{k} {v / 1e6:,.0f}" for k, v in r["memory_by_tag"].items()))
    total = sum(r["seconds"] for r in rows)
    console.print(f"total {total:.1f} s; peak RSS {max(r['peak_rss_mb'] for r in rows) / 1e3:.2f} GB; "
                  f"peak spill {max(r['peak_spill_mb'] for r in rows) / 1e3:.2f} GB")
    out.write_text(json.dumps(rows, indent=2, default=str))
    console.print(f"results: {out}")


if __name__ == "__main__":
    main()
