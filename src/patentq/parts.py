"""Derived tables written in parts: how the families and indicators stages stay inside DuckDB's memory limit.

At 100M families and 400M citations several steps hold state that grows with the data (hash
tables of joins on publication numbers, list aggregates of 500M codes and countries, group-bys
over 400M citation pairs). DuckDB spills such state beyond its memory limit, but slowly (list
states and the probe side of joins are written out and read back, 30-40 GB at 100M) and, for
some operators, not at all (a join's pointer table is one allocation). So the steps split their
work themselves: each part is one query over a slice of the keys, small enough to run in memory,
written as one Parquet file of the same derived table, all in one lake transaction. The slices are

- **key ranges** (``family_key >= lo AND family_key < hi``) for work grouped by family: the
  tables keyed by family are written in key order, so a range reads only its row groups;
- **hash slices** (``hash(x) % n = i``) for joins on text keys (publication numbers), where
  both sides of the join are sliced alike; and ranges of a key over unsorted tables (family ids
  of the publications). These are **buckets** (``buckets``): each input is copied once, in one
  pass, into a folder per part, so that a part reads its own slice and not every row. With a
  slicing predicate instead, every part scanned the whole input, and as the parts grow with the
  data the scanning grew with its square (100M families: 11 slices of ``family_values`` read the
  1.03 billion rows of codes, parties and priorities 11 times; bench/bucketing.py).

A step's number of parts comes from its input rows, a per-row byte estimate (measured, see
bench/SCALE-NOTES.md) and the engine's memory limit; one part (the plain query: every key-range
predicate is ``TRUE``, the inputs read as they are) when the work fits, and always on Spark,
which partitions by itself.
``$PATENTQ_PARTS`` forces a number of parts (tests run the stages in several parts on small lakes).
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import uuid
from pathlib import Path

from .errors import ResourceError

#: Share of DuckDB's memory limit one part may plan for: the rest is the engine's own (Parquet
#: readers and writers, sort runs, estimates that are off).
BUDGET_SHARE = 0.5


class DiskSpaceError(ResourceError):
    """The lake's (or the spill folder's) disk has less free space than a stage needs (exit 3)."""


def _bytes(text: str) -> int:
    """``'5.5 GiB'`` / ``'4GB'`` / ``'512.0 MiB'`` → bytes."""
    units = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
             "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
    text = text.strip().upper().replace(" ", "")
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * units[unit])
    return int(float(text))


def memory_budget(engine) -> int | None:
    """Bytes one part may use, or None where the engine partitions by itself (Spark)."""
    if engine.name != "duckdb":
        return None
    return int(_bytes(engine.scalar("SELECT current_setting('memory_limit')")) * BUDGET_SHARE)


def count(engine, rows: int, bytes_per_row: float) -> int:
    """Parts for a step whose state is about ``rows * bytes_per_row`` bytes."""
    budget = memory_budget(engine)
    if not budget or rows <= 0:
        return 1
    if os.environ.get("PATENTQ_PARTS"):  # tests: the multi-part path on a small lake
        return max(1, int(os.environ["PATENTQ_PARTS"]))
    return max(1, math.ceil(rows * bytes_per_row / budget))


def table_rows(lake, table: str) -> int:
    """Rows of a lake table from the manifest / Parquet footers (no scan); 0 when absent."""
    meta = lake.derived(table)
    if meta and "rows" in meta:
        return int(meta["rows"])
    return lake.counts_of(table)


def key_ranges(keys: int, parts: int) -> list[tuple[int, int] | None]:
    """``parts`` half-open ranges [lo, hi) covering family keys 1..keys; ``[None]`` (the whole
    table, no predicate) for one part."""
    parts = max(1, min(parts, keys or 1))
    if parts == 1:
        return [None]
    step = math.ceil(keys / parts)
    return [(1 + i * step, 1 + min(keys, (i + 1) * step)) for i in range(parts)]


def key_filter(column: str, bounds: tuple[int, int] | None) -> str:
    """SQL predicate for one key range; TRUE for the whole table."""
    if bounds is None:
        return "TRUE"
    return f"({column} >= {int(bounds[0])} AND {column} < {int(bounds[1])})"


def hash_bucket(column: str, n: int) -> str:
    """The hash slice (0..n-1) of ``column`` as an expression, for ``buckets``."""
    return f"hash({column}) % {int(n)}"


def range_bucket(column: str, ranges: list[tuple[int, int] | None]) -> str:
    """The index of the key range (of ``key_ranges``) that ``column`` falls in, for ``buckets``."""
    if ranges == [None]:
        return "0"
    step = ranges[0][1] - ranges[0][0]
    return f"({column} - {int(ranges[0][0])}) // {int(step)}"


#: Bucket folders in the spill folder: ``patentq-buckets-TABLE-PID-ID``.
BUCKETS_PREFIX = "patentq-buckets-"


def _remove_orphan_buckets(spill: Path) -> None:
    """Remove the bucket folders that a killed run left behind (its process is gone)."""
    for folder in spill.glob(BUCKETS_PREFIX + "*"):
        try:
            os.kill(int(folder.name.rsplit("-", 2)[1]), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue


@contextlib.contextmanager
def buckets(engine, table: str, n: int, inputs: dict[str, tuple[str | list[str], str]]):
    """The inputs of the derived ``table``'s parts split once into ``n`` buckets: ``inputs`` maps a name to ``(query,
    bucket)``, where ``bucket`` is an expression over the query's columns in 0..n-1
    (``hash_bucket``, ``range_bucket``) and ``query`` may be a list of queries whose union is the
    input. Yields ``slice_of(i) -> {name: source}``, the SQL sources (parenthesised, usable after
    FROM) of bucket ``i``. Inputs bucketed by the same expression of the same key meet in the
    same bucket.

    One part (and so Spark) reads the query itself, as a view. Several parts: one ``COPY ... PARTITION_BY``
    pass per query writes every bucket into its own folder in the spill folder (DuckDB), removed
    when the block ends; the columns a part needs are computed there once, not once per part.
    """
    queries = {name: [query] if isinstance(query, str) else list(query) for name, (query, _bucket) in inputs.items()}
    union = {name: " UNION ALL ".join(f"SELECT * FROM ({q}) s" for q in qs) for name, qs in queries.items()}
    if n <= 1:  # a view per input (Spark's parser refuses a WITH nested where it is inlined)
        views = {}
        for name, query in union.items():
            views[name] = f"_pq_{table}_{name}"
            engine.create_view(views[name], query)
        yield lambda _i: views
        return
    _remove_orphan_buckets(Path(engine.temp_directory))
    folder = Path(engine.temp_directory) / f"{BUCKETS_PREFIX}{table}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        for name, (_query, bucket) in inputs.items():
            (folder / name).mkdir(parents=True, exist_ok=True)
            for k, q in enumerate(queries[name]):
                engine.write_buckets(q, bucket, folder / name, f"q{k}")

        def slice_of(i: int) -> dict[str, str]:
            sources = {}
            for name, query in union.items():
                files = sorted((folder / name / f"_bucket={int(i)}").glob("*.parquet"))
                sources[name] = engine.bucket_source(files) if files else f"(SELECT * FROM ({query}) s WHERE false)"
            return sources

        yield slice_of
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def max_of(files: list[Path], column: str):
    """Largest value of ``column`` in Parquet ``files`` (from row-group statistics), or None."""
    import pyarrow.parquet as pq

    best = None
    for f in files:
        meta = pq.ParquetFile(f).metadata
        idx = meta.schema.to_arrow_schema().get_field_index(column)
        for r in range(meta.num_row_groups):
            stats = meta.row_group(r).column(idx).statistics
            if stats is not None and stats.has_min_max and (best is None or stats.max > best):
                best = stats.max
    return best


def write(engine, name: str, queries, **meta) -> int:
    """Write the derived table ``name`` from several queries, one Parquet file each, in one lake
    transaction: ``Engine.write_derived``, which it is for a single query.

    ``queries`` is a list of SQL strings, or a callable ``(i, files_so_far) -> sql | None`` for
    parts that depend on the ones before (family keys numbered on from the last part's).
    """
    import pyarrow.parquet as pq

    if isinstance(queries, (list, tuple)) and len(queries) == 1:
        return engine.write_derived(name, queries[0], **meta)
    sql_for = queries if callable(queries) else (lambda i, _files: queries[i] if i < len(queries) else None)
    with engine.lake.transaction() as txn:
        target = txn.staging / "derived" / name
        files: list[Path] = []
        i = 0
        while (sql := sql_for(i, list(files))) is not None:
            scratch = txn.staging / "parts" / name / f"p{i:05d}"
            scratch.mkdir(parents=True, exist_ok=True)
            target.mkdir(parents=True, exist_ok=True)
            for written in engine.write_parquet(sql, scratch):
                files.append(Path(written).rename(target / f"{txn.id}-{len(files):05d}.parquet"))
            i += 1
        shutil.rmtree(txn.staging / "parts", ignore_errors=True)
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        txn.derived[name] = {"parts": [txn.relative(f) for f in files], "rows": rows, "engine": engine.name,
                             "partitions": i, **meta}
    engine.refresh()
    return rows


# --- disk -------------------------------------------------------------------------------------

#: Disk a run of the families + indicators stages needs, as multiples of the lake's bytes: their
#: derived tables come to ~1.5x the canonical tables (30M families: 3.8 GB of derived tables from
#: 2.6 GB of data, 1.3 GB of it citations), and the spill folder holds up to ~3x the citations:
#: the buckets of the citation steps (100M families: 12.75 GB at the peak of family_citations
#: for 4.4 GB of citations); the parts are sized to run in memory, and sorts and group-bys beyond
#: the limit spill a part at a time.
OUTPUT_SHARE, SPILL_SHARE = 1.5, 3.0


def table_bytes(lake, table: str) -> int:
    """Bytes of a lake table's Parquet files (0 when absent)."""
    return sum(p.stat().st_size for p in lake.parts(table) if p.exists())


def disk_needed(lake, canonical: tuple[str, ...], rewritten: tuple[str, ...], share: float = OUTPUT_SHARE) -> int:
    """Bytes of free disk a run needs: its output (``share`` of the ``canonical`` tables' bytes)
    and spill, less what the tables it rewrites free (but the largest of them, which lives
    beside its replacement until that commits)."""
    data = sum(table_bytes(lake, t) for t in canonical)
    old = [table_bytes(lake, t) for t in rewritten]
    return int(share * data + SPILL_SHARE * table_bytes(lake, "citations") - sum(old) + max(old, default=0))


def check_disk(engine, needed: int, what: str) -> None:
    """Stop before a stage that needs ``needed`` bytes of disk (its spill and its output) when the
    lake's disk, or the spill folder's where that is another disk, has less free space."""
    if engine.name != "duckdb":  # Spark's lake may be remote, and it spills where it is configured to
        return
    folders = [engine.lake.path, Path(engine.temp_directory)]
    by_disk: dict[int, tuple[Path, int]] = {}
    for folder in folders:
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        by_disk.setdefault(os.stat(probe).st_dev, (folder, shutil.disk_usage(probe).free))
    if len(by_disk) == 1:  # output and spill come out of the same free space
        short = [(f, free, needed) for f, free in by_disk.values() if free < needed]
    else:
        spill = int(SPILL_SHARE * table_bytes(engine.lake, "citations"))
        (lake_folder, lake_free), (spill_folder, spill_free) = by_disk.values()
        short = ([(lake_folder, lake_free, needed - spill)] if lake_free < needed - spill else []) + \
                ([(spill_folder, spill_free, spill)] if spill_free < spill else [])
    if short:
        where = "; ".join(f"{f} has {free / 1e9:.1f} GB free, {need / 1e9:.1f} GB needed" for f, free, need in short)
        raise DiskSpaceError(
            f"not enough free disk for the {what} stage's output and spill ({where}); nothing was written",
            hint="free disk there, or move the lake to a bigger disk; DuckDB spills to LAKE/.tmp unless "
                 "--temp-directory (or $PATENTQ_TEMP_DIRECTORY) names a folder on another disk. The lake is unchanged.",
            stage=engine.stage, step=engine.current_step)
