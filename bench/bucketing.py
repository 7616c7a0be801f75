"""Sliced parts against one bucketing pass, on one canonical table of a lake (issue 18).

A step written in ``n`` hash slices by a predicate (as before ``parts.buckets``) runs one query per slice over the
whole input, so it reads and hashes every row ``n`` times. The alternative is one
``COPY ... (PARTITION_BY (bucket))`` pass that writes each row into its slice's bucket, after
which each part reads only its own. This prints both costs on the same table in the same run,
with raw DuckDB: one slice's scan (times ``n``) and the bucketing pass, and their ratio.

    python bench/bucketing.py --lake DIR/lake-100m --table classifications --slices 11

At 100M families (2026-12-07, beside a CI run): one slice's scan of ``classifications`` 8.7 s,
x 11 = 95.5 s; the bucketing pass 61.6 s.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lake", required=True)
    parser.add_argument("--table", default="classifications")
    parser.add_argument("--column", default="publication_number", help="the slice key")
    parser.add_argument("--slices", type=int, default=11)
    parser.add_argument("--memory-limit", default="6GB")
    args = parser.parse_args()
    n = args.slices
    source = f"read_parquet('{Path(args.lake) / 'data' / args.table}/*.parquet')"
    work = Path(tempfile.mkdtemp(prefix="bucketing-", dir=args.lake))
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{args.memory_limit}'; SET threads=2; SET temp_directory='{work / 'tmp'}'")
    try:
        start = time.perf_counter()
        con.execute(f"SELECT count(*), sum(hash({args.column}) % 7) FROM {source} "
                    f"WHERE hash({args.column}) % {n} = 0").fetchall()
        scan = time.perf_counter() - start
        start = time.perf_counter()
        con.execute(f"COPY (SELECT *, hash({args.column}) % {n} AS bucket FROM {source}) TO '{work / 'buckets'}' "
                    "(FORMAT parquet, PARTITION_BY (bucket), COMPRESSION snappy)")
        bucketing = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.table}: one slice's scan {scan:.1f} s, x {n} slices = {scan * n:.1f} s; "
          f"one bucketing pass {bucketing:.1f} s; slices / bucketing = {scan * n / bucketing:.2f}x")


if __name__ == "__main__":
    main()
