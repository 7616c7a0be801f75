"""Context for the scale generator: citing documents outside the lake, and population baselines.

``patentq synth --context-documents N --baselines`` adds to a scale lake what the export queries
bring a real one (docs/bigquery.md): N context documents (two per context family), each citing
one or two of the lake's families (three in four cite one) and dated like a family at a random
position of the lake's growth, so they cite earlier work; their applicants and countries come from the
same pools as the lake's, so some citations are self and domestic. And baselines: per cohort
(priority year × WIPO field) and cohort measure, a geometric histogram of ten times the cohort's
size, plus families per inventor country. Everything is computed in DuckDB from ``range()``
with seeded hashes, in chunks, like the lake itself.
"""

from __future__ import annotations

from . import scale as base

#: The cohort measures of the baselines query (google_baselines.sql) and their value ranges.
MEASURES = {"fwd_cits_5": 40, "fwd_cits_5_foreign": 30, "fwd_cits_5_xapp": 35, "family_size": 8, "claims": 30,
            "bwd_cits": 40, "grant_lag_days": 60}


def _position_sql(seed: int, lo: int, hi: int, families: int) -> str:
    """Context documents ``i`` in [lo, hi): the lake position they are dated like, and their draws."""
    u = lambda salt: base._u(seed, salt, "i")  # noqa: E731
    year = base._case(f"(pos / {families}.0)", [(str(y), s) for y, s in base.YEAR_SHARES], "2023")
    return f"""
      SELECT i, pos, CAST({year} AS INTEGER) AS year, CAST(floor({u('cday')} * 360) AS INTEGER) AS day,
             {base._case(u('cctry'), base.COUNTRY_SHARES, 'XX')} AS country,
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
            "cited_publication_number": f"{base._home_office(base._u(seed, 'ctry', 'cited'))} || '-' || "
                                        "CAST(100000000 + cited * 8 AS VARCHAR)",
            "category": "CASE WHEN hash(i, k) % 4 = 0 THEN 'X' ELSE 'A' END",
            "origin": "CASE WHEN hash(i, k) % 3 = 0 THEN 'applicant' ELSE 'examiner' END",
        }, f"""(SELECT i, k, CAST(floor(pos * pow({base._u(seed, 'cu', 'i * 2 + k')}, 3)) AS BIGINT) AS cited
               FROM (SELECT i, pos, unnest(range(1 + CAST(hash(i, 'ncit') % 4 = 0 AS INTEGER))) AS k FROM {docs}))""")


def write_baselines(copy, seed: int) -> None:
    """Geometric histograms for every cohort 2008-2023 × WIPO field 1-35 × measure, and families
    per inventor country."""
    measures = ", ".join(f"('{m}', {top})" for m, top in MEASURES.items())
    copy("baselines", {
        "source": "'synth-baselines'", "cohort_year": "y", "cohort_field": "f", "measure": "m",
        "value": "CAST(CASE WHEN m = 'grant_lag_days' THEN v * 30 ELSE v END AS DOUBLE)",
        "families": f"1 + CAST(floor((100 + hash({seed}, y, f) % 900) * exp(-v / 4.0)) AS BIGINT)",
    }, f"""(SELECT y, f, m, v FROM range(2008, 2024) a(y), range(1, 36) b(f),
             (VALUES {measures}) c(m, top), LATERAL (SELECT unnest(range(top + 1)) AS v))""")
    countries = ", ".join(f"'{c}'" for c, _ in base.COUNTRY_SHARES)
    copy("baseline_countries", {
        "source": "'synth-baselines'", "cohort_year": "y", "cohort_field": "f", "inventor_country": "c",
        "families": f"1 + CAST(hash({seed}, y, f, c) % 500 AS BIGINT)",
    }, f"(SELECT y, f, unnest([{countries}]) AS c FROM range(2008, 2024) a(y), range(1, 36) b(f))")
