"""A scale generator: canonical Parquet for N families and M citations, written in streamed chunks.

Everything is computed inside DuckDB from ``range()`` with seeded hashes, so memory stays flat
and the same seed always gives the same lake. The distributions are those of the demo world
(``patentq.synthetic.demo``), coarsened: inventor countries by WIPO's 2014–2023 GenAI shares, growth by
year, heavy-tailed family sizes and citations, office-dependent grant rates.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import duckdb

from ..capabilities import EVERYTHING
from ..lake import PARQUET_COPY_OPTIONS, Lake
from ..schema import select_list
from ..sql import literal

#: Inventor country → share of families (WIPO GenAI landscape 2024, 2014–2023, rounded; rest = other).
_COUNTRY_FAMILIES = [("CN", 38210), ("US", 6276), ("KR", 4155), ("JP", 3409), ("IN", 1350), ("GB", 714),
                     ("DE", 708), ("FR", 420), ("CA", 400), ("IL", 330), ("TW", 330)]
_OTHER_FAMILIES = 1500
COUNTRY_SHARES = [(c, n / (sum(n for _, n in _COUNTRY_FAMILIES) + _OTHER_FAMILIES)) for c, n in _COUNTRY_FAMILIES]
#: Publication year → share of families (growth from 733 in 2014 to ~14,000 in 2023).
YEAR_SHARES = [(2014, 0.014), (2015, 0.018), (2016, 0.027), (2017, 0.045), (2018, 0.075), (2019, 0.105),
               (2020, 0.135), (2021, 0.165), (2022, 0.155), (2023, 0.261)]
#: Grant rate of a member by office.
GRANT_RATE = {"US": 0.62, "EP": 0.45, "JP": 0.68, "KR": 0.62, "CN": 0.38, "WO": 0.0}
#: Title template → (weight, CPC codes). A worldwide lake: about 12% of families are GenAI-like,
#: as a GenAI landscape is a small slice of all patents; the rest are other AI and other fields.
TEMPLATES = [
    ("Generative adversarial network for {x} image synthesis", 0.025, ["G06N3/0475", "G06N3/094", "G06T11/00"]),
    ("Method for training a large language model for {x}", 0.025, ["G06N3/045", "G06F40/56", "G06N3/08"]),
    ("Diffusion model based {x} generation", 0.02, ["G06N3/0475", "G06T11/00", "G06N3/08"]),
    ("Variational autoencoder for {x} data augmentation", 0.015, ["G06N3/0455", "G06N3/08", "G16B40/00"]),
    ("Text-to-speech synthesis using a neural vocoder for {x}", 0.015, ["G10L13/02", "G06N3/045", "G06N3/08"]),
    ("System for {x} using a generative pre-trained transformer", 0.02, ["G06N3/045", "G06F40/56", "G06N3/08"]),
    ("Image recognition method for {x}", 0.15, ["G06V10/82", "G06N3/08", "G06T7/00"]),
    ("Battery management system for {x}", 0.15, ["H01M10/44", "H02J7/00", "B60L58/12"]),
    ("Control method of a {x} vehicle powertrain", 0.15, ["B60W10/06", "F02D41/00", "B60W20/00"]),
    ("Wireless communication method for {x} terminals", 0.15, ["H04W72/04", "H04L5/00", "H04B7/06"]),
    ("Pharmaceutical composition for {x} treatment", 0.14, ["A61K31/00", "A61P35/00", "C07D401/04"]),
    ("Semiconductor device and {x} manufacturing method", 0.14, ["H01L21/02", "H01L29/78", "H01L23/00"]),
]
TITLES = [t for t, _, _ in TEMPLATES]
TOPICS = ["medical", "retail", "vehicle", "protein", "music", "code", "video", "document", "security", "robot"]


def _case(expr: str, pairs, default: str) -> str:
    """A CASE over a uniform value in [0,1) picking by cumulative shares."""
    cum, parts = 0.0, []
    for value, share in pairs:
        cum += share
        parts.append(f"WHEN {expr} < {cum:.6f} THEN '{value}'")
    return "CASE " + " ".join(parts) + f" ELSE '{default}' END"


def _u(seed: int, salt: str, key: str) -> str:
    """A deterministic uniform number in [0,1) from (seed, salt, key)."""
    return f"((hash({seed}, '{salt}', {key}) % 1000003) / 1000003.0)"


def _home_office(ctry_u: str) -> str:
    """The first filing office of a family from its inventor-country draw (same rule everywhere)."""
    country = _case(ctry_u, COUNTRY_SHARES, "XX")
    return (f"(CASE WHEN ({country}) IN ('CN','US','KR','JP') THEN ({country}) "
            f"WHEN ({country}) IN ('GB','DE','FR') THEN 'EP' ELSE 'US' END)")


def _family_sql(seed: int, lo: int, hi: int, families: int) -> str:
    u = lambda salt: _u(seed, salt, "f")  # noqa: E731
    # years rise with the family index, so a citation to a lower index points back in time
    year = _case(f"(f / {families}.0)", [(str(y), s) for y, s in YEAR_SHARES], "2023")
    country = _case(u("ctry"), COUNTRY_SHARES, "XX")
    return f"""
      SELECT f, CAST({year} AS INTEGER) AS year, {country} AS inv_country,
             1 + CAST(least(7, floor(-ln(1 - {u('size')}) * CASE WHEN {u('ctry')} < 0.705 THEN 0.4 ELSE 1.2 END)) AS INTEGER) AS members,
             CAST(floor({u('day')} * 360) AS INTEGER) AS day,
             CAST({_case(u('title'), [(str(i), w) for i, (_, w, _) in enumerate(TEMPLATES)], str(len(TEMPLATES) - 1))}
                  AS INTEGER) AS title_i,
             CAST(floor({u('topic')} * {len(TOPICS)}) AS INTEGER) AS topic_i
      FROM range({lo}, {hi}) t(f)"""


def _publication_sql(seed: int, lo: int, hi: int, families: int) -> str:
    offices = "['WO', 'US', 'EP', 'JP', 'CN', 'KR']"
    office = f"CASE WHEN m = 0 THEN {_home_office(_u(seed, 'ctry', 'f'))} ELSE {offices}[1 + (m - 1) % 6] END"
    grant_u = _u(seed, "grant", "f * 8 + m")
    grant = " ".join(f"WHEN '{o}' THEN {grant_u} < {r}" for o, r in GRANT_RATE.items())
    return f"""
      SELECT f, m, office, year, day, inv_country, title_i, topic_i,
             office || '-' || CAST(100000000 + f * 8 + m AS VARCHAR) || '-' || CASE WHEN granted THEN 'B1' ELSE 'A1' END AS pn,
             granted
      FROM (SELECT *, {office} AS office, CASE {office} {grant} ELSE false END AS granted
            FROM (SELECT *, unnest(range(members)) AS m FROM ({_family_sql(seed, lo, hi, families)})))"""


def generate(out: Path, families: int, citations: int, seed: int = 42, chunk: int = 1_000_000,
             progress: Callable[[str, int, int], None] | None = None, context_documents: int = 0,
             baselines: bool = False) -> Lake:
    """Write a lake of ``families`` families and ``citations`` citations into ``out``; with
    ``context_documents`` citing documents outside it and population ``baselines``
    (the context section below)."""
    lake = Lake.create(out)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    titles = "[" + ", ".join("'" + t.replace("'", "''") + "'" for t in TITLES) + "]"
    topics = "[" + ", ".join(f"'{t}'" for t in TOPICS) + "]"
    cpcs = "[" + ", ".join("[" + ", ".join(f"'{c}'" for c in codes) + "]" for _, _, codes in TEMPLATES) + "]"
    steps = (families + chunk - 1) // chunk
    cit_chunk = max(1, citations // max(steps, 1))
    entry = {"file": f"synth:families={families},citations={citations},seed={seed}", "format": "synth",
             "size": 0, "sha256": f"synth-{families}-{citations}-{seed}", "rows_read": 0, "rows_written": {},
             "rejected": 0, "reject_reasons": {}, "notes": ["synthetic data"], "parts": {},
             "provides": EVERYTHING}
    with lake.transaction() as txn:
        def copy(table: str, exprs: dict, from_sql: str) -> None:
            target = txn.new_part("data", table)
            rows = con.execute(f"COPY (SELECT {select_list(table, exprs)} FROM {from_sql}) TO {literal(str(target))} "
                               f"({PARQUET_COPY_OPTIONS})").fetchone()[0]
            entry["parts"].setdefault(table, []).append(txn.relative(target))
            entry["rows_written"][table] = entry["rows_written"].get(table, 0) + rows

        for step in range(steps):
            lo, hi = step * chunk, min(families, (step + 1) * chunk)
            pubs = f"({_publication_sql(seed, lo, hi, families)})"
            copy("publications", {
                "publication_number": "pn", "publication_number_raw": "pn", "country_code": "office",
                "kind_code": "CASE WHEN granted THEN 'B1' ELSE 'A1' END", "family_id": "'S' || f",
                "application_number": "office || '-A' || CAST(f * 8 + m AS VARCHAR)",
                "publication_date": "make_date(year, 1, 1) + INTERVAL (day + 30 * m) DAY",
                "filing_date": "make_date(year - 1, 1, 1) + INTERVAL (day) DAY",
                "priority_date": "make_date(year - 1, 1, 1) + INTERVAL (day) DAY",
                "priority_year": "year - 1", "is_grant": "granted",
                "grant_date": "CASE WHEN granted THEN make_date(year, 1, 1) + INTERVAL (day + 400 + 30 * m) DAY END",
                "title": f"replace({titles}[1 + title_i], '{{x}}', {topics}[1 + topic_i])",
                "abstract": f"'A ' || {topics}[1 + topic_i] || ' system. ' || replace({titles}[1 + title_i], '{{x}}', {topics}[1 + topic_i]) || ' is disclosed.'",
                "claims_count": f"CAST(5 + (hash({seed}, 'claims', f) % 20) AS INTEGER)",
                "source": "'synth'", "source_ref": "'synth:' || f",
            }, pubs)
            copy("parties", {
                "publication_number": "pn", "role": "'inventor'", "seq": "1",
                "name": "'Inventor ' || CAST(f % 100000 AS VARCHAR)",
                "country_code": "CASE WHEN inv_country = 'XX' OR hash(f) % 20 = 0 THEN NULL ELSE inv_country END",
            }, pubs)
            copy("parties", {
                "publication_number": "pn", "role": "'applicant'", "seq": "1",
                "name": "'Applicant ' || CAST(hash(f) % 5000 AS VARCHAR) || ' Co., Ltd.'",
                "country_code": "CASE WHEN inv_country = 'XX' THEN NULL ELSE inv_country END",
            }, pubs)
            copy("classifications", {
                "publication_number": "pn", "scheme": "'cpc'",
                "code": f"{cpcs}[1 + title_i][1 + k]",
                "is_first": "k = 0", "is_inventive": "true",
            }, f"(SELECT *, unnest(range(1 + CAST(hash(f, 'ncpc') % 3 AS INTEGER))) AS k FROM {pubs})")
            c_lo, c_hi = step * cit_chunk, citations if step == steps - 1 else (step + 1) * cit_chunk
            # citing family uniform over families 1..N-1; cited family earlier (a lower index),
            # skewed towards early families so forward citations are heavy-tailed
            copy("citations", {
                # first members, numbers without kind (as many sources cite)
                "citing_publication_number": f"{_home_office(_u(seed, 'ctry', 'citing'))} || '-' || CAST(100000000 + citing * 8 AS VARCHAR)",
                "cited_publication_number": f"{_home_office(_u(seed, 'ctry', 'cited'))} || '-' || CAST(100000000 + cited * 8 AS VARCHAR)",
                "category": "CASE WHEN hash(i) % 4 = 0 THEN 'X' WHEN hash(i) % 4 = 1 THEN 'Y' ELSE 'A' END",
                "origin": "CASE WHEN hash(i) % 3 = 0 THEN 'applicant' ELSE 'examiner' END",
            }, f"""(SELECT i, citing, CAST(floor(citing * pow({_u(seed, 'cu', 'i')}, 3)) AS BIGINT) AS cited
                   FROM (SELECT i, 1 + CAST(floor({_u(seed, 'cf', 'i')} * {max(families - 1, 1)}) AS BIGINT) AS citing
                         FROM range({c_lo}, {c_hi}) t(i)))""")
            if progress:
                progress("synth", hi, families)
        if context_documents or baselines:
            if context_documents:
                write_context(copy, seed, families, context_documents, chunk)
            if baselines:
                write_baselines(copy, seed)
        txn.inputs.append(entry)
        txn.flags["synthetic"] = True  # reports and the dashboard say so
    return lake


def run(out, families: int, citations: int, seed: int = 42, progress=None, context_documents: int = 0,
        baselines: bool = False) -> dict:
    started = time.perf_counter()
    lake = generate(Path(out), families, citations, seed, progress=progress, context_documents=context_documents,
                    baselines=baselines)
    counts = lake.counts()
    counts.update({t: lake.counts_of(t) for t in ("context_documents", "baselines") if lake.has(t)})
    return {"lake": str(lake.path), "seconds": round(time.perf_counter() - started, 2), **counts}


# --- context: citing documents outside the lake, and population baselines (issue 13) -----------
# ``patentq synth --context-documents N --baselines`` adds to a scale lake what the export queries
# bring a real one (docs/bigquery.md): N context documents (two per context family), each citing
# one or two of the lake's families (three in four cite one), dated like a family at a random
# position of the lake's growth so they cite earlier work, with applicants and countries from the
# lake's pools (some citations are self and domestic); and baselines: per cohort (priority year ×
# WIPO field) and cohort measure a geometric histogram, plus families per inventor country.

#: The cohort measures of the baselines query (google_baselines.sql) and their value ranges.
BASELINE_MEASURES = {"fwd_cits_5": 40, "fwd_cits_5_foreign": 30, "fwd_cits_5_xapp": 35, "family_size": 8, "claims": 30,
            "bwd_cits": 40, "grant_lag_days": 60}


def _position_sql(seed: int, lo: int, hi: int, families: int) -> str:
    """Context documents ``i`` in [lo, hi): the lake position they are dated like, and their draws."""
    u = lambda salt: _u(seed, salt, "i")  # noqa: E731
    year = _case(f"(pos / {families}.0)", [(str(y), s) for y, s in YEAR_SHARES], "2023")
    return f"""
      SELECT i, pos, CAST({year} AS INTEGER) AS year, CAST(floor({u('cday')} * 360) AS INTEGER) AS day,
             {_case(u('cctry'), COUNTRY_SHARES, 'XX')} AS country,
             CAST(hash(i, 'capp') % 5000 AS VARCHAR) AS applicant
      FROM (SELECT i, 1 + CAST(floor({u('cpos')} * {max(families - 1, 1)}) AS BIGINT) AS pos
            FROM range({lo}, {hi}) t(i))"""


def write_context(copy, seed: int, families: int, documents: int, chunk: int = 1_000_000) -> None:
    """``copy(table, exprs, from_sql)`` writes canonical rows (scale.generate's writer)."""
    for lo in range(0, documents, chunk):
        hi = min(documents, lo + chunk)
        docs = f"({_position_sql(seed, lo, hi, families)})"
        copy("context_documents", {
            "publication_number": "'ZZ-' || CAST(900000000 + i AS VARCHAR) || '-A1'",
            "family_id": "'C' || CAST(i // 2 AS VARCHAR)", "country_code": "'ZZ'", "kind_code": "'A1'",
            "publication_date": "make_date(year, 1, 1) + INTERVAL (day + 60) DAY",
            "filing_date": "make_date(year - 1, 1, 1) + INTERVAL (day) DAY",
            "priority_date": "make_date(year - 1, 1, 1) + INTERVAL (day) DAY",
            "applicant_names": "['Applicant ' || applicant || ' Co., Ltd.']",
            "applicant_countries": "CASE WHEN country = 'XX' THEN [] ELSE [country] END",
            "inventor_countries": "CASE WHEN country = 'XX' OR hash(i) % 20 = 0 THEN [] ELSE [country] END",
            "source": "'synth-context'", "source_ref": "'synth-context:' || i",
        }, docs)
        # one or two cited families each, earlier ones (a lower index), numbers without kind
        copy("citations", {
            "citing_publication_number": "'ZZ-' || CAST(900000000 + i AS VARCHAR) || '-A1'",
            "cited_publication_number": f"{_home_office(_u(seed, 'ctry', 'cited'))} || '-' || "
                                        "CAST(100000000 + cited * 8 AS VARCHAR)",
            "category": "CASE WHEN hash(i, k) % 4 = 0 THEN 'X' ELSE 'A' END",
            "origin": "CASE WHEN hash(i, k) % 3 = 0 THEN 'applicant' ELSE 'examiner' END",
        }, f"""(SELECT i, k, CAST(floor(pos * pow({_u(seed, 'cu', 'i * 2 + k')}, 3)) AS BIGINT) AS cited
               FROM (SELECT i, pos, unnest(range(1 + CAST(hash(i, 'ncit') % 4 = 0 AS INTEGER))) AS k FROM {docs}))""")


def write_baselines(copy, seed: int) -> None:
    """Geometric histograms for every cohort 2008-2023 × WIPO field 1-35 × measure, and families
    per inventor country."""
    measures = ", ".join(f"('{m}', {top})" for m, top in BASELINE_MEASURES.items())
    copy("baselines", {
        "source": "'synth-baselines'", "cohort_year": "y", "cohort_field": "f", "measure": "m",
        "value": "CAST(CASE WHEN m = 'grant_lag_days' THEN v * 30 ELSE v END AS DOUBLE)",
        "families": f"1 + CAST(floor((100 + hash({seed}, y, f) % 900) * exp(-v / 4.0)) AS BIGINT)",
    }, f"""(SELECT y, f, m, v FROM range(2008, 2024) a(y), range(1, 36) b(f),
             (VALUES {measures}) c(m, top), LATERAL (SELECT unnest(range(top + 1)) AS v))""")
    countries = ", ".join(f"'{c}'" for c, _ in COUNTRY_SHARES)
    copy("baseline_countries", {
        "source": "'synth-baselines'", "cohort_year": "y", "cohort_field": "f", "inventor_country": "c",
        "families": f"1 + CAST(hash({seed}, y, f, c) % 500 AS BIGINT)",
    }, f"(SELECT y, f, unnest([{countries}]) AS c FROM range(2008, 2024) a(y), range(1, 36) b(f))")
