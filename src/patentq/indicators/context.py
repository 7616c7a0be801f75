"""The indicators' context steps: citing families outside the lake, origin labels, population cohorts.

An export holds candidates; the lake's own citation lists show only candidates citing
candidates. Context documents (``context_documents``: the citing-documents query, PATSTAT's
whole ``tls212``/``tls228``, PatentsView's whole ``g_us_patent_citation``) are the citing
documents outside it. These steps write, beside the lake's own ``family_citations`` and
``family_shared_applicants`` (never changing them):

- ``family_context_members``: each context document with the family key it counts under;
- ``family_context_citations``: their citations lifted to families;
- ``family_context_shared``: those of them between families sharing an applicant group;
- ``family_origin_bits``: each family's countries, for the foreign test;

and ``forward.sql``, the subquery ``citations.sql`` counts from: every forward link, the lake's
and the context's, with its labels (shared applicant, foreign, X/Y, examiner, applicant).
The context tables are sized by the context documents; ``family_origin_bits`` holds a row per
family and is written in key ranges (parts.py) where the lake is large.

Cohorts: ``baselines`` (population histograms per cohort) replace the lake's own families as the
cohort of each measure the lake holds a baseline for (``population_measures``).
"""

from __future__ import annotations

from .. import parts, sql
from ..errors import UsageError

#: Bytes of DuckDB state per family of ``family_origin_bits`` (its countries' rows and lists).
ORIGIN_BYTES = 250

#: The measures of the cohort pass and what stands for them in the baselines (same names).
COHORT_MEASURES = ("fwd_cits_5", "fwd_cits_5_foreign", "fwd_cits_5_xapp", "family_size", "claims", "generality",
                   "bwd_cits", "grant_lag_days")


def origin_flags_sql(column: str = "origin") -> str:
    """``examiner`` / ``applicant`` (1 or 0): who made a citation, where the source says."""
    from . import EXAMINER_ORIGINS

    return (f"CASE WHEN {column} IN ({sql.in_list(EXAMINER_ORIGINS)}) THEN 1 ELSE 0 END AS examiner, "
            f"CASE WHEN {column} = 'applicant' THEN 1 ELSE 0 END AS applicant")


def write_context_links(session, use_context: bool) -> dict:
    """Write the context helper tables; return counts for the manifest."""
    from . import sql_file

    engine = session.engine
    engine.write_derived("family_context_members", sql_file(
        "context_members", use_context=use_context, given=sql_file("context_given", use_context=use_context)),
                         stage="indicators")
    engine.write_derived("family_context_citations", sql_file("context_citations"), stage="indicators")
    engine.write_derived("family_context_shared", sql_file("context_shared"), stage="indicators")
    write_origin_bits(session)
    documents = engine.scalar(sql_file("context_count"))
    return {"context_documents": documents, "forward_basis": "world" if documents else "lake"}


def write_origin_bits(session) -> None:
    """``family_origin_bits``, in key ranges of the lake's and the context's families; the
    countries' ranking (which bit each gets) is the whole lake's, counted first in one pass. The
    countries beyond the ``ORIGIN_BITS`` most named are listed per family (``*_rare``); a lake
    with no more countries than bits has no such lists to build."""
    from . import ORIGIN_BITS, sql_file

    engine = session.engine
    counts = engine.rows(sql_file("origins", key_range="true", then=sql_file("origin_counts")))
    order = sorted(counts, key=lambda r: (-r["n"], r["country"]))
    ranked = sql.values([(r["country"], i) for i, r in enumerate(order)], ("country", "bit"), ("VARCHAR", "BIGINT"))
    listed = len(order) > ORIGIN_BITS  # some country has no bit: each family lists those it has
    rare = {f"rare_{name}": f"array_agg(country) FILTER (WHERE level = {level} AND NOT common)" if listed
            else "CAST(NULL AS VARCHAR[])" for level, name in ((1, "inv"), (2, "app"), (3, "off"))}
    keys = engine.scalar(sql_file("origin_keys")) or 0
    ranges = parts.key_ranges(keys, parts.count(engine, keys, ORIGIN_BYTES))
    parts.write(engine, "family_origin_bits", [
        sql_file("origins", key_range=parts.key_filter("family_key", r),
                 then=sql_file("origin_bits", ranked=ranked, bits=ORIGIN_BITS, **rare)) for r in ranges],
                stage="indicators")


def population_measures(session, cohort_basis: str, hall_correction: bool) -> set[str]:
    """The cohort measures whose population the lake holds and the run uses.

    ``auto`` uses every baseline the lake holds; ``population`` also insists that it holds
    some; ``lake`` none. Generality's baseline is uncorrected, so with Hall's correction the
    lake's own families stay its cohort.
    """
    from . import COHORT_BASES

    if cohort_basis not in COHORT_BASES:
        raise UsageError(f"unknown cohort basis {cohort_basis!r}", hint=f"choose one of {', '.join(COHORT_BASES)}")
    if cohort_basis == "lake":
        return set()
    held = {r["measure"] for r in session.engine.rows(sql.load(__name__.rsplit(".", 1)[0], "baseline_measures"))}
    if cohort_basis == "population" and not held:
        raise UsageError("--cohort-basis population, but the lake holds no baselines",
                         hint="ingest the baselines query's result (`patentq export-query google --query baselines`, "
                              "then `patentq ingest google-baselines`), or use --cohort-basis auto")
    used = held & set(COHORT_MEASURES)
    if hall_correction:
        used.discard("generality")
    return used
