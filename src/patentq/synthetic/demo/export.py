"""The demo world exported as a user receives it from Google Patents Public Data.

The whole world (candidates and population) is laid out as BigQuery's
``patents-public-data.patents.publications`` in an in-memory DuckDB (``google_world.sql``), and
the three queries ``patentq export-query google`` prints are run on it, transpiled by sqlglot
exactly as ``tests/test_google_context.py`` runs them on its fixture:

- the candidate query (``calibration.EXPORT_CPC_PREFIXES``) → ``google-synthetic.ndjson``;
- the citing-documents query → ``google-citing-synthetic.ndjson``;
- the baselines query → ``google-baselines-synthetic.csv``.

So the demo's population reaches the lake only as citing documents and histograms, as a real
world does, and the export queries are exercised end to end on every demo run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import sqlglot

from ... import sql
from ...sources.sql import google_export_query
from ...sources.sql.context import google_baselines_query, google_citing_query
from . import calibration as cal
from .world import World
from .writers import yyyymmdd

SYNTHETIC_NOTE = "SYNTHETIC DEMO DATA (patentq demo world) - not real patents."
NPL = ["Goodfellow I. et al., Generative adversarial nets, NeurIPS 2014",
       "Kingma D.P., Welling M., Auto-encoding variational Bayes, ICLR 2014",
       "Vaswani A. et al., Attention is all you need, NeurIPS 2017",
       "Ho J. et al., Denoising diffusion probabilistic models, NeurIPS 2020",
       "Brown T. et al., Language models are few-shot learners, NeurIPS 2020"]
FILES = {"candidates": "google-synthetic.ndjson", "citing": "google-citing-synthetic.ndjson",
         "baselines": "google-baselines-synthetic.csv"}


def _claims_texts(max_claims: int = 60, short: bool = False) -> list[str]:
    """Claims numbered 1..k (the population's shorter: only their count is read)."""
    first = "1. A method." if short else \
        "1. A computer-implemented method comprising training a model and generating an output with it."
    texts = [first]
    for k in range(2, max_claims + 1):
        texts.append(texts[-1] + (f"\n{k}. As {k - 1}." if short else f"\n{k}. The method of claim {k - 1}."))
    return texts


def _tables(world: World, rng) -> dict[str, pa.Table]:
    """Flat Arrow tables of every document, party, code and citation of the world."""
    f, m, p, c = world.fam, world.members, world.parties, world.cites
    n = len(f["family_id"])
    candidate = f["candidate"]
    k = np.clip(f["claims"], 1, 60) - 1
    claims = np.where(candidate, np.array(_claims_texts(), dtype=object)[k],
                      np.array(_claims_texts(short=True), dtype=object)[k])
    first_pn = np.empty(n, dtype=object)
    first_pn[m["fam"][m["is_first"]]] = m["publication_number"][m["is_first"]]
    prio_app = f["priority_office"] + "-" + (10_000_000 + np.arange(n)).astype(str).astype(object) + "-A"
    pubs = pa.table({
        "fam": m["fam"], "publication_number": m["publication_number"], "application_number": m["application_number"],
        "country_code": m["office"], "kind_code": m["kind"], "family_id": f["family_id"][m["fam"]],
        "title": f["title"][m["fam"]], "abstract": f["abstract"][m["fam"]], "claims": claims[m["fam"]],
        "publication_date": yyyymmdd(m["pub_day"]), "filing_date": yyyymmdd(m["filing_day"]),
        "grant_date": yyyymmdd(m["grant_day"]), "priority_date": yyyymmdd(f["priority_day"][m["fam"]]),
        "is_first": m["is_first"], "prio_app": prio_app[m["fam"]],
        "blank_inventor_country": m["is_first"] & f["partial_inventor_country"][m["fam"]],
    })
    parties = pa.table({k: p[k] for k in ("fam", "role", "seq", "name", "country")})
    cpc = pa.table({"fam": f["cpc"]["fam"], "code": f["cpc"]["code"], "is_first": f["cpc"]["is_first"]})
    # candidates also cite documents outside the world and non-patent literature
    cands = np.flatnonzero(candidate)
    ext_fam = np.repeat(cands, rng.poisson(3.0, len(cands)))
    ext_pn = "US-" + rng.integers(6_000_000, 9_900_000, len(ext_fam)).astype(str).astype(object) + "-B2"
    npl_fam = np.repeat(cands, rng.poisson(1.2, len(cands)))
    npl_text = np.array(NPL, dtype=object)[rng.integers(0, len(NPL), len(npl_fam))]
    total = len(c["citing"]) + len(ext_fam) + len(npl_fam)
    cites = pa.table({
        "citing": np.concatenate([first_pn[c["citing"]], first_pn[ext_fam], first_pn[npl_fam]]),
        "cited": np.concatenate([first_pn[c["cited"]], ext_pn, np.full(len(npl_fam), "", dtype=object)]),
        "npl_text": np.concatenate([np.full(len(c["citing"]) + len(ext_fam), "", dtype=object), npl_text]),
        "category": np.concatenate([c["category"], np.full(len(ext_fam) + len(npl_fam), "A", dtype=object)]),
        "type": np.where(rng.random(total) < 0.6, "SEA", "APP"),
    })
    return {"pubs": pubs, "parties": parties, "cpc": cpc, "cites": cites}


def world_table(world: World, seed: int = 0) -> duckdb.DuckDBPyConnection:
    """DuckDB holding the world as `patents-public-data`.patents.publications."""
    rng = np.random.default_rng(seed + 17)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    for name, table in _tables(world, rng).items():
        con.register(name, table)
    con.execute('ATTACH \':memory:\' AS "patents-public-data"')
    con.execute('CREATE SCHEMA "patents-public-data".patents')
    con.execute('CREATE TABLE "patents-public-data".patents.publications AS '
                + sql.load(__name__, "google_world", note=SYNTHETIC_NOTE))
    return con


def bigquery(query: str) -> str:
    """A BigQuery query as DuckDB runs it."""
    return sqlglot.transpile(query, read="bigquery", write="duckdb")[0]


def write_google_exports(world: World, folder: Path, seed: int = 0) -> dict:
    """The three query results as files in ``folder``; returns their row counts by query."""
    folder.mkdir(parents=True, exist_ok=True)
    con = world_table(world, seed)
    prefixes = cal.EXPORT_CPC_PREFIXES
    queries = {
        "candidates": (google_export_query(prefixes, "genai"), "publication_number", "(FORMAT json)"),
        "citing": (google_citing_query(prefixes, "genai"), "publication_number, cited_publication_number",
                   "(FORMAT json)"),
        "baselines": (google_baselines_query(), "cohort_year, cohort_field, measure, value, inventor_country",
                      "(FORMAT csv, HEADER true)"),
    }
    rows = {}
    for name, (query, order, options) in queries.items():
        target = folder / FILES[name]
        rows[name] = con.execute(f"COPY (SELECT * FROM ({bigquery(query)}) q ORDER BY {order}) TO "
                                 f"{sql.literal(str(target))} {options}").fetchone()[0]
    con.close()
    return rows
