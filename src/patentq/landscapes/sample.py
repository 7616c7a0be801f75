"""``landscape sample``: a stratified random sample of families (in / near / out) to label."""

from __future__ import annotations

import csv
import io

from .. import sql
from ..spreadsheet import safe_row
from .apply import stage_sql
from .compile import Compiler, docs_sql
from .definition import Definition

SAMPLE_SHARES = {"in": 0.5, "near": 0.3, "out": 0.2}


def strata_sql(defn: Definition, seed: int) -> str:
    """Families with their stratum (in / near / out) and a seeded random draw (``strata.sql``)."""
    compiled = Compiler().compile(defn.membership)
    near = compiled.gate or compiled.predicate
    docs = docs_sql(compiled.flags, compiled.fields | {"title", "abstract"})
    return stage_sql("strata", docs=docs, member=compiled.prefiltered, near=near, seed=sql.literal(str(seed)))


def strata_sizes(defn: Definition, session, seed: int = 0) -> dict:
    return {r["stratum"]: r["n"] for r in session.engine.rows(stage_sql("strata_sizes", strata=strata_sql(defn, seed)))}


def allocate(n: int, available: dict) -> dict:
    """Split ``n`` over the strata by ``SAMPLE_SHARES``; what a small stratum cannot take goes to the others."""
    quotas = {k: 0 for k in SAMPLE_SHARES}
    left = min(n, sum(available.get(k, 0) for k in SAMPLE_SHARES))
    while left > 0:
        open_ = [k for k in SAMPLE_SHARES if quotas[k] < available.get(k, 0)]
        total = sum(SAMPLE_SHARES[k] for k in open_)
        step = {k: max(1, int(left * SAMPLE_SHARES[k] / total)) if left >= len(open_) else 1 for k in open_}
        for k in open_:
            take = min(step[k], available.get(k, 0) - quotas[k], left)
            quotas[k] += take
            left -= take
            if left == 0:
                break
    return quotas


def sample_csv(defn: Definition, session, n: int, seed: int) -> str:
    """A stratified random sample of families, one publication each, for analysts to label."""
    quotas = allocate(n, strata_sizes(defn, session, seed))
    where = " OR ".join(f"(r.stratum = {sql.literal(k)} AND r.k <= {int(v)})" for k, v in quotas.items())
    rows = session.engine.rows(stage_sql("sample", strata=strata_sql(defn, seed), quotas=where))
    seen, out = set(), io.StringIO()
    writer = csv.DictWriter(out, ["stratum", "family_id", "publication_number", "title", "abstract", "label"])
    writer.writeheader()
    for row in rows:
        if row["publication_number"] not in seen:  # a publication ingested from two sources
            seen.add(row["publication_number"])
            writer.writerow(safe_row(row))  # analysts open it in a spreadsheet
    return out.getvalue()


