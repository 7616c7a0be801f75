"""Ingest throughput per source adapter, each against a reference run on the same bytes.

    python bench/ingest.py                      # lens, cset, uspto-xml
    python bench/ingest.py --adapters uspto-xml --xml-mb 200 --workers 2

The real files in ../shared/data are small, so larger inputs are generated under the work
folder (default /tmp/patentq-bench, never the repository) by repeating them:

* lens: ``lens/jet-engines-2021.csv`` rows repeated to ``--csv-mb``; reference: DuckDB
  ``read_csv`` of the same file into a table.
* cset: ``patent_database.csv.zip`` as shipped (the adapter unzips it); reference: DuckDB
  ``read_csv`` of the unzipped CSV. MB/s counts the unzipped bytes for both.
* uspto-xml: the nine weekly slices concatenated and repeated, every document renumbered
  (publication and application number) so none is a duplicate, cut into ``--xml-files``
  weekly-style files of ``--xml-mb`` in total; reference: lxml parsing the same documents
  with no mapping, one core. Targets: Lens/CSET ≥ 0.5× the DuckDB scan, XML ≥ 30 MB/s on 2 cores.

Adding an adapter (google, patentsview, epo-ops, ...): write ``prepare_<name>(args) -> Case``
that builds its input and, where one exists, a reference callable, and add it to ``CASES``.
A case whose adapter module or real data is missing is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PATENTQ_SHARED_DATA", ROOT.parent / "shared" / "data"))


@dataclass
class Case:
    format: str
    paths: list[Path]
    nbytes: int  # bytes the MB/s figures count (uncompressed)
    reference: Callable[[], object] | None = None
    reference_name: str = ""
    target: str = ""


class Skip(Exception):
    """The adapter or its real data is not available here."""


def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        raise Skip(f"real data missing: {path}")
    return path


def _duckdb_scan(csv: Path) -> Callable[[], int]:
    def scan():
        import duckdb

        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}')")
        return con.execute("SELECT count(*) FROM t").fetchone()[0]
    return scan


# --- cases --------------------------------------------------------------------------------

def prepare_lens(args) -> Case:
    source = _shared("lens/jet-engines-2021.csv")
    target = args.workdir / "lens" / f"lens-{args.csv_mb}mb.csv"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        header, _, body = source.read_bytes().partition(b"\n")
        body = body if body.endswith(b"\n") else body + b"\n"
        copies = max(1, -(-args.csv_mb * 1_000_000 // len(body)))
        with open(target, "wb") as out:
            out.write(header + b"\n")
            for _ in range(copies):
                out.write(body)
    return Case("lens", [target], target.stat().st_size, _duckdb_scan(target), "duckdb read_csv",
                "≥ 0.5× duckdb")


def prepare_cset(args) -> Case:
    source = _shared("cset-ai-patents/patent_database.csv.zip")
    unzipped = args.workdir / "cset" / "patent_database.csv"
    if not unzipped.exists():
        unzipped.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(source) as archive, archive.open(archive.namelist()[0]) as src, open(unzipped, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
    return Case("cset", [source], unzipped.stat().st_size, _duckdb_scan(unzipped), "duckdb read_csv (unzipped)",
                "≥ 0.5× duckdb")


_NUMBER = re.compile(rb"<doc-number>[^<]*</doc-number>")


def _renumbered(doc: bytes, serial: int) -> bytes:
    """The document with its publication and application numbers (the first two) made unique."""
    numbers = iter([f"{9_000_000 + serial:08d}".encode(), f"{90_000_000 + serial:08d}".encode()])
    return _NUMBER.sub(lambda m: b"<doc-number>" + next(numbers) + b"</doc-number>", doc, count=2)


def prepare_uspto_xml(args) -> Case:
    from patentq.sources.uspto_xml_split import documents

    slices = sorted(_shared("uspto-xml/weekly-slices").glob("*.xml"))
    folder = args.workdir / f"xml-{args.xml_mb}mb-{args.xml_files}"
    paths = [folder / f"ipgbench{i:02d}.xml" for i in range(args.xml_files)]
    if not all(p.exists() for p in paths):
        folder.mkdir(parents=True, exist_ok=True)
        docs = [doc for path in slices for _, _, doc in documents(path)]
        per_file = args.xml_mb * 1_000_000 // args.xml_files
        serial = 0
        for path in paths:
            written = 0
            with open(path, "wb") as out:
                while written < per_file:
                    doc = _renumbered(docs[serial % len(docs)], serial)
                    out.write(doc)
                    written += len(doc)
                    serial += 1
    nbytes = sum(p.stat().st_size for p in paths)

    def lxml_parse_only():
        from lxml import etree

        from patentq.sources.uspto_xml import _parser

        parser = _parser()
        n = 0
        for path in paths:
            for _, _, doc in documents(path):
                etree.fromstring(doc, parser)
                n += 1
        return n
    return Case("uspto-xml", paths, nbytes, lxml_parse_only, "lxml full parse, no mapping, 1 core", "≥ 30 MB/s on 2 cores")


#: Benchmarked adapters, in order. Add google / patentsview / epo-ops here.
CASES: dict[str, Callable] = {"lens": prepare_lens, "cset": prepare_cset, "uspto-xml": prepare_uspto_xml}


# --- running ------------------------------------------------------------------------------

class PeakRSS:
    """Samples the resident memory of this process and its children (the ingest workers)."""

    def __enter__(self):
        import psutil

        self.peak, self._stop, me = 0, threading.Event(), psutil.Process()

        def sample():
            while not self._stop.is_set():
                try:
                    procs = [me] + me.children(recursive=True)
                    self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
                except psutil.Error:
                    pass
                time.sleep(0.05)
        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads) and of its finished children
    (spawned ingest workers). Unlike wall time it hardly moves when other jobs share the cores."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def measured(func) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of ``func()``."""
    cpu, started = cpu_seconds(), time.perf_counter()
    value = func()
    return time.perf_counter() - started, cpu_seconds() - cpu, value


def run_case(case: Case, workers: int | None, repeat: int = 1) -> dict:
    """Ingest and reference run alternately ``repeat`` times; the best (least) wall and CPU
    time of each is kept, the usual way to see through other load on a shared machine."""
    from patentq.ingest import ingest

    best = {"seconds": float("inf"), "cpu": float("inf"), "reference_seconds": float("inf"),
            "reference_cpu": float("inf"), "peak_rss_mb": 0.0}
    for _ in range(repeat):
        lake = Path(tempfile.mkdtemp(prefix="lake-", dir=case.paths[0].parent)) / "lake"
        try:
            with PeakRSS() as rss:
                seconds, cpu, result = measured(lambda: ingest(case.format, case.paths, lake, workers=workers))
        finally:
            shutil.rmtree(lake.parent, ignore_errors=True)
        best.update(seconds=min(best["seconds"], seconds), cpu=min(best["cpu"], cpu),
                    peak_rss_mb=max(best["peak_rss_mb"], rss.peak / 1e6))
        if case.reference is not None:
            seconds, cpu, _ = measured(case.reference)
            best.update(reference_seconds=min(best["reference_seconds"], seconds),
                        reference_cpu=min(best["reference_cpu"], cpu))
    rows = result.rows_written
    out = {"format": case.format, "workers": workers, "mb": case.nbytes / 1e6, "repeat": repeat,
           "publications": rows.get("publications", 0), "rows": sum(rows.values()), "rejected": result.rejected,
           **best}
    if case.reference is None:
        del out["reference_seconds"], out["reference_cpu"]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adapters", default=",".join(CASES), help="comma-separated formats")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "patentq-bench")
    parser.add_argument("--csv-mb", type=int, default=100, help="size of the repeated Lens CSV")
    parser.add_argument("--xml-mb", type=int, default=200, help="total size of the generated USPTO XML")
    parser.add_argument("--xml-files", type=int, default=4, help="weekly-style files the XML is cut into")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best wall and CPU time count")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)

    from rich.console import Console
    from rich.table import Table

    from patentq.errors import UsageError
    from patentq.sources import get_adapter

    console = Console(width=max(150, Console().width))
    results = []
    for name in [a.strip() for a in args.adapters.split(",") if a.strip()]:
        if name not in CASES:
            console.print(f"[yellow]skip {name}: no benchmark case yet (add prepare_{name.replace('-', '_')} to CASES)")
            continue
        try:
            get_adapter(name)
            with console.status(f"preparing {name} input in {args.workdir}"):
                case = CASES[name](args)
        except (Skip, UsageError) as exc:
            console.print(f"[yellow]skip {name}: {str(exc).splitlines()[0]}")
            continue
        with console.status(f"ingesting {name} ({case.nbytes / 1e6:,.0f} MB)"):
            results.append((case, run_case(case, args.workers, args.repeat)))
            if case.format == "uspto-xml" and args.workers > 1:
                results.append((case, run_case(case, 1, args.repeat)))

    table = Table(title=f"patentq ingest throughput ({os.cpu_count()} cores)")
    for col in ("adapter", "workers", "MB", "s", "CPU s", "MB/s", "pubs/s", "rows/s", "peak RSS MB", "reference",
                "ref s", "ref CPU s", "ratio", "CPU ratio", "target"):
        table.add_column(col, justify="left" if col in ("adapter", "reference", "target") else "right")
    for case, r in results:
        mbps = r["mb"] / r["seconds"]
        ref, ref_cpu = r.get("reference_seconds"), r.get("reference_cpu")
        table.add_row(case.format, str(r["workers"]), f"{r['mb']:,.1f}", f"{r['seconds']:.2f}", f"{r['cpu']:.2f}",
                      f"{mbps:,.1f}", f"{r['publications'] / r['seconds']:,.0f}", f"{r['rows'] / r['seconds']:,.0f}",
                      f"{r['peak_rss_mb']:,.0f}", case.reference_name,
                      f"{ref:.2f}" if ref else "-", f"{ref_cpu:.2f}" if ref_cpu else "-",
                      f"{ref / r['seconds']:.2f}×" if ref else "-", f"{ref_cpu / r['cpu']:.2f}×" if ref_cpu else "-",
                      case.target)
    console.print(table)
    console.print(f"best of {args.repeat} runs each. ratio = reference wall time ÷ patentq wall time on the same bytes "
                  "(= patentq MB/s ÷ reference MB/s); CPU ratio = reference CPU time ÷ patentq CPU time (user + system, "
                  "all threads and workers), the steadier signal when other jobs share the cores. For uspto-xml the "
                  "reference parses whole documents with lxml on one core and maps nothing.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
