"""Family-level quality indicators: a small registry of SQL files run through the engine.

Each indicator group is one SQL file in this folder producing one row per family (keyed by
the integer ``family_key``); ``run`` makes each a view, joins them in ``family_indicator_base`` and writes the derived
table ``family_indicators`` with the cohort-relative measures of ``cohort.sql``. Helper tables
are materialised first because several groups read them: ``family_subclasses``,
``family_citations`` (citations lifted to families), ``family_shared_applicants`` (family links
sharing an applicant) and the families tables themselves.

Definitions, formulas and sources: docs/indicators.md.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import parts, sql
from ..harmonize import party_groups_sql
from ..normalize import base_number_sql
from ..profile import end_date
from .context import COHORT_MEASURES, origin_flags_sql, population_measures, write_context_links

HERE = Path(__file__).parent
CONCORDANCE = HERE.parent / "data" / "wipo_ipc_technology_concordance.csv"


@dataclass(frozen=True)
class Group:
    """One indicator group: ``<name>.sql`` → view ``ind_<name>`` with these columns."""

    name: str
    columns: tuple[str, ...]
    #: False for groups that only read ``families`` row by row (no aggregation): they stay views
    #: and are computed inside ``family_indicator_base`` instead of being written and read back.
    materialized: bool = True


#: The registry. Order is the column order of ``family_indicators``.
GROUPS = (
    Group("reach", ("n_offices", "wo_member", "ep_member", "ip5_offices", "triadic", "filed_abroad", "family_size",
                    "reach_basis"), materialized=False),
    Group("grant", ("granted", "grant_lag_days", "pending", "grant_basis")),
    Group("citations", ("fwd_cits_source", "fwd_cits_total", "fwd_cits_3", "fwd_cits_5", "fwd_cits_7",
                        "fwd_cits_5_xapp", "fwd_cits_5_xy", "window_complete_3", "window_complete_5",
                        "window_complete_7", "bwd_cits_source", "bwd_cits", "bwd_cits_in_lake", "npl_cits_source",
                        "npl_cits", "fwd_cits_5_foreign", "share_foreign_citations", "fwd_cits_5_examiner",
                        "fwd_cits_5_applicant", "fwd_cits_5_context", "fwd_cits_basis")),
    Group("oecd", ("scope", "generality", "generality_n", "originality", "originality_n", "radicalness")),
    Group("fields", ("cohort_field", "n_fields")),
)

#: Columns taken from ``families`` itself (family_size comes from reach: the offices known).
FAMILY_COLUMNS = ("claims", "priority_year", "reported_family_size")

#: Cohort-normalised components of the composite indices: (column, inverted).
COMPONENTS = {
    "fwd_cits_5": ("fwd_cits_5", False),
    "family_size": ("family_size", False),
    "claims": ("claims", False),
    "generality": ("generality", False),
    "bwd_cits": ("bwd_cits", False),
    "grant_lag": ("grant_lag_days", True),
}
INDEX_4 = ("fwd_cits_5", "family_size", "claims", "generality")
INDEX_6 = INDEX_4 + ("bwd_cits", "grant_lag")
#: Cohort-ranked forward citation counts: relative impact and top 10 % for each (the origin
#: splits beside the plain count); percentile and top 1 % for the plain count.
RANKED = {"fwd_cits_5": "", "fwd_cits_5_foreign": "_foreign", "fwd_cits_5_xapp": "_xapp"}
#: ``cohort_basis``: ``auto`` (the population wherever the lake holds its cohort's baseline),
#: ``population`` (the same, and the lake must hold baselines) or ``lake`` (the lake's families).
COHORT_BASES = ("auto", "population", "lake")
#: Canonical citation origins made on the office's side (examiners, search reports): with
#: ``applicant``, the origins fwd_cits_5_examiner / fwd_cits_5_applicant count.
EXAMINER_ORIGINS = ("examiner", "search report", "international search report", "supplementary search report",
                    "international preliminary examination", "pre-grant pre-search")
#: Countries of the origin test kept as bits of one BIGINT per level (origins.sql).
ORIGIN_BITS = 62


def sql_file(name: str, **params) -> str:
    return sql.load(__name__, name, **params)


def concordance_rows() -> list[dict]:
    with open(CONCORDANCE, newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def concordance_sql() -> str:
    """The IPC → WIPO field concordance as a portable VALUES query."""
    values = ", ".join(f"({sql.literal(r['ipc_prefix'])}, {int(r['field_number'])}, {sql.literal(r['field_name'])})"
                       for r in concordance_rows())
    return f"SELECT * FROM (VALUES {values}) AS t(ipc_prefix, field_number, field_name)"


def field_names() -> dict[int, str]:
    return {int(r["field_number"]): r["field_name"] for r in concordance_rows()}


def _values_cte(name: str, col: str, population: bool) -> str:
    """``vals_<name>``: per (cohort, value) the families holding it (cohort_values.sql: the
    population's where the lake holds its baseline), with cumulative counts: cd = share of the
    cohort's known values <= v."""
    values = sql_file("cohort_values", column=col, measure=sql.literal(col), population=population)
    return (f"vals_{name} AS (\n  SELECT cohort_y, cohort_f, v, n, population,\n"
            f"         CAST(sum(n) OVER (PARTITION BY cohort_y, cohort_f ORDER BY v) AS BIGINT) AS cum,\n"
            f"         CAST(sum(n) OVER (PARTITION BY cohort_y, cohort_f) AS BIGINT) AS total\n"
            f"  FROM ({values}) t\n)")


def _cohort_sql(population: set[str] = frozenset(), select: str = "cohort_select") -> str:
    """The cohort pass; ``population``: the measures whose baselines the lake holds and uses;
    ``select``: its final select (``cohort_select``: the families; ``cohort_qi``: the composite
    indices' ranks, written first as ``family_ind_qi_ranks``)."""
    values, cols, joins, refs, norms = [], [], [], [], []
    for name, (col, inverted) in COMPONENTS.items():
        # lo/hi = the smallest value whose cd reaches 1% / 99%
        values.append(_values_cte(name, col, col in population) + ",\n"
                      f"bound_{name} AS (\n  SELECT cohort_y, cohort_f,\n"
                      f"         min(CASE WHEN cum * 1.0 / total >= 0.01 THEN v END) AS lo_{name},\n"
                      f"         min(CASE WHEN cum * 1.0 / total >= 0.99 THEN v END) AS hi_{name}\n"
                      f"  FROM vals_{name} GROUP BY cohort_y, cohort_f\n)")
        cols.append(f"         bound_{name}.lo_{name}, bound_{name}.hi_{name}")
        joins.append(f"  LEFT JOIN bound_{name} ON c.cohort_y = bound_{name}.cohort_y "
                     f"AND c.cohort_f = bound_{name}.cohort_f")
        refs.append(f"         x.lo_{name}, x.hi_{name}")
        clamped = f"least(greatest(r.{col}, r.lo_{name}), r.hi_{name})"
        if inverted:
            norms.append(f"    CASE WHEN r.{col} IS NULL THEN NULL WHEN r.hi_{name} > 0 "
                         f"THEN 1 - {clamped} * 1.0 / r.hi_{name} ELSE 1.0 END AS grant_lag_index")
        else:
            # a 5-year count whose window the data does not cover is a truncated count, not a
            # value: it leaves the composites (docs/indicators.md, "Missing components")
            unknown = f"r.{col} IS NULL" + (" OR NOT coalesce(r.window_complete_5, false)" if col == "fwd_cits_5" else "")
            norms.append(f"    CASE WHEN {unknown} THEN NULL WHEN r.hi_{name} > 0 "
                         f"THEN {clamped} * 1.0 / r.hi_{name} ELSE 0.0 END AS {name}_norm")
    stat_cols, stat_joins, rank_cols, rank_joins = [], [], [], []
    for col in RANKED:
        if col not in COMPONENTS:
            values.append(_values_cte(col, col, col in population))
        # the cohort's known values: how many, their mean, and whether they are the population's
        values.append(f"stats_{col} AS (\n  SELECT cohort_y, cohort_f, sum(n) AS n_{col}, "
                      f"sum(v * n) / nullif(sum(n), 0) AS mean_{col}, max(population) AS population_{col}\n"
                      f"  FROM vals_{col} GROUP BY cohort_y, cohort_f\n)")
        stat_cols.append(f"         stats_{col}.n_{col}, stats_{col}.mean_{col}, stats_{col}.population_{col}")
        stat_joins.append(f"  LEFT JOIN stats_{col} ON c.cohort_y = stats_{col}.cohort_y "
                          f"AND c.cohort_f = stats_{col}.cohort_f")
        rank_cols.append(f"         x.n_{col}, x.mean_{col}, x.population_{col}, "
                         f"r_{col}.cum - r_{col}.n AS below_{col}, r_{col}.total - r_{col}.cum AS above_{col}")
        rank_joins.append(f"  LEFT JOIN vals_{col} r_{col} ON b.cohort_y = r_{col}.cohort_y "
                          f"AND b.cohort_f = r_{col}.cohort_f AND b.{col} = r_{col}.v")

    def known(names):
        cols = {n: ("grant_lag_index" if n == "grant_lag" else f"{n}_norm") for n in names}
        return "(" + " + ".join(f"CASE WHEN {c} IS NULL THEN 0 ELSE 1 END" for c in cols.values()) + ")"

    base_cols = ", ".join(["family_id", "cohort_year", "cohort_field", "cohort_field_name"]
                          + [c for g in GROUPS for c in g.columns if c != "cohort_field"]
                          + ["claims", "reported_family_size"])
    chosen = sql_file(select, base_cols=base_cols) if select == "cohort_select" else sql_file(select)
    return sql_file("cohort", select=chosen, value_ctes=",\n".join(values), bound_cols=",\n".join(cols),
                    bound_joins="\n".join(joins), bound_refs=",\n".join(refs), stat_cols=",\n".join(stat_cols),
                    stat_joins="\n".join(stat_joins), rank_cols=",\n".join(rank_cols),
                    rank_joins="\n".join(rank_joins), norm_cols=",\n".join(norms),
                    n4=known(INDEX_4), n6=known(INDEX_6))


def _base_sql(bounds=None) -> str:
    """family_indicator_base, or one key range of it (each input restricted to the range)."""
    where = parts.key_filter("family_key", bounds)
    joins = "\n".join(f"LEFT JOIN (SELECT * FROM ind_{g.name} WHERE {where}) ind_{g.name} "
                      f"ON f.family_key = ind_{g.name}.family_key" for g in GROUPS)
    cols = ", ".join(f"ind_{g.name}.{c}" for g in GROUPS for c in g.columns)
    return (f"SELECT f.family_id, f.claims, f.reported_family_size, f.priority_year AS cohort_year, "
            f"w.field_name AS cohort_field_name, {cols}\nFROM (SELECT * FROM families WHERE {where}) f\n{joins}\n"
            f"LEFT JOIN (SELECT DISTINCT field_number, field_name FROM wipo_concordance) w "
            f"ON ind_fields.cohort_field = w.field_number")


#: Bytes of DuckDB state per input row of each step written in parts, measured at 30M families
#: with bench/indicators_steps.py (bench/SCALE-NOTES.md). A step's parts = its rows times these
#: over the memory budget (parts.py); one part when that fits, and always on Spark.
SUBCLASS_BYTES = 200   # family_subclasses: per family
APPLICANT_BYTES = 150  # family_applicants: per family
SHARED_BYTES = 60      # family_shared_applicants: per citation (a range's links and applicants)
GROUP_BYTES = {        # family_ind_<group>: per family, per family link it reads (GROUP_LINKS)
    "citations": (250, 30),
    "oecd": (60, 220),
    "fields": (190, 0),
    "grant": (120, 0),  # an estimate (not profiled): families' dates and the utility-model members
}
#: The family-link tables each group reads: its per-link bytes count their rows, not the raw
#: citations (a context lake's 37.5M context citations are not in family_citations, which OECD reads)
GROUP_LINKS = {"citations": ("family_citations", "family_context_citations"), "oecd": ("family_citations",)}
BASE_BYTES = 230       # family_indicator_base: per family
TARGET_BYTES = 70      # family_citation_targets: per member publication (one slice of their bases)
EDGE_BYTES = 150       # family_citations: per member publication (its citing numbers) ...
EDGE_CITATION_BYTES = 30  # ... and per citation (the grouping, which spills gracefully beyond it)
#: What the stage reads and rewrites, and its output as a share of what it reads (the disk check;
#: 2.08 measured at 10M families with 30M context documents, derived tables written with snappy).
READS = ("publications", "classifications", "parties", "priorities", "citations")
WRITES = ("family_subclasses", "family_citation_targets", "family_citations", "family_applicants",
          "family_shared_applicants", "family_origin_bits", "family_ind_citations", "family_ind_oecd",
          "family_ind_fields", "family_indicator_base", "family_ind_qi_ranks", "family_indicators")
OUTPUT_SHARE = 2.1


def _subclass_list(engine, ranges) -> str:
    """The subclasses family_subclasses numbers: the part's own for one part, else the lake's
    (listed once, written as VALUES), so every part gives a subclass the same id."""
    if len(ranges) == 1:
        return "SELECT DISTINCT subclass FROM chosen"
    found = [r["subclass"] for r in engine.rows(sql_file("subclass_list")) if r["subclass"] is not None]
    return sql.values([(v,) for v in sorted(found)], ("subclass",), ("VARCHAR",))


def write_citation_tables(session) -> None:
    """family_subclasses, family_citation_targets, family_citations, family_applicants and
    family_shared_applicants, each in parts small enough for the engine's memory (parts.py):
    ranges of family keys, or hash slices of the cited base number for the text joins. With one
    part (small lakes, and Spark) each query is the plain one: the range predicates are TRUE."""
    engine, lake = session.engine, session.lake
    keys = parts.table_rows(lake, "families")
    members = parts.table_rows(lake, "family_members")
    citations = parts.table_rows(lake, "citations")
    ranges = parts.key_ranges(keys, parts.count(engine, keys, SUBCLASS_BYTES))
    subclass_list = _subclass_list(engine, ranges)
    parts.write(engine, "family_subclasses", [
        sql_file("subclasses", key_range=parts.key_filter("family_key", r), subclass_list=subclass_list)
        for r in ranges], stage="indicators")
    # the cited side resolved in slices of the cited base number, then the citing side and the
    # grouping in ranges of the citing family (targets.sql, family_citations.sql)
    n = parts.count(engine, members, TARGET_BYTES)
    inputs = {"cit": (sql_file("target_citations", cited_base=base_number_sql("cited_publication_number"),
                               origin_flags=origin_flags_sql()),
                      parts.hash_bucket("coalesce(cited_base, npl_text)", n)),
              "members": ("SELECT publication_number, base_number, family_key FROM family_members",
                          parts.hash_bucket("base_number", n))}
    with parts.buckets(engine, "family_citation_targets", n, inputs) as slice_of:
        parts.write(engine, "family_citation_targets", [sql_file("targets", **slice_of(i)) for i in range(n)],
                    stage="indicators")
    edge_ranges = parts.key_ranges(keys, parts.count(
        engine, members, EDGE_BYTES + EDGE_CITATION_BYTES * citations / max(members, 1)))
    # the citing side joined in hash slices of the citing number, the pairs written into buckets
    # of citing-key ranges, each range grouped (citation_pairs.sql, family_citations.sql)
    with parts.buckets(engine, "family_citations", len(edge_ranges), {
            "targets": ("SELECT * FROM family_citation_targets", parts.hash_bucket("citing_pn", len(edge_ranges))),
            "citing": (sql_file("citing_numbers"), parts.hash_bucket("number", len(edge_ranges)))}) as slice_of:
        pairs = [sql_file("citation_pairs", **slice_of(j)) for j in range(len(edge_ranges))]
        with parts.buckets(engine, "family_citations", len(edge_ranges), {
                "pairs": (pairs, parts.range_bucket("citing_key", edge_ranges))}) as range_of:
            parts.write(engine, "family_citations", [
                sql_file("family_citations", order="ORDER BY cited_key" if len(edge_ranges) > 1 else "",
                         **range_of(i)) for i in range(len(edge_ranges))], stage="indicators")
    # same-applicant links: the families' applicants by key range, then the links of one range
    # of citing families at a time
    ranges = parts.key_ranges(keys, parts.count(engine, keys, APPLICANT_BYTES))
    parts.write(engine, "family_applicants", [sql_file("family_applicants", party_groups=party_groups_sql(
        "(SELECT family_key, kind AS role, name, group_name FROM family_values "
        f"WHERE kind = 'applicant' AND {parts.key_filter('family_key', r)})", "family_key"))
        for r in ranges], stage="indicators")
    ranges = parts.key_ranges(keys, parts.count(engine, citations, SHARED_BYTES))
    parts.write(engine, "family_shared_applicants", [
        sql_file("shared_applicants", applicant_range=parts.key_filter("family_key", r),
                 citing_range=parts.key_filter("e.citing_key", r)) for r in ranges], stage="indicators")


@contextlib.contextmanager
def _forward_links(session, ranges):
    """family_ind_citations' input: the forward links with the citing family's labels
    (forward_links.sql), written in ranges of citing families into buckets of the cited
    ``ranges``; yields ``slice_of(i) -> {"forward": query}``, forward.sql over range ``i``'s bucket
    (the lists of rare countries are written only where some family has one). Each range of citing
    families joins only its own families' origin bits, and each range of cited families reads only
    the links citing it (parts.buckets; one part reads the query)."""
    engine = session.engine
    citing = parts.key_ranges(engine.scalar(sql_file("origin_keys")) or 0, len(ranges))
    rare = bool(engine.scalar(sql_file("origin_rare")))
    links = [sql_file("forward_links", citing_range=parts.key_filter("citing_key", c),
                      citing_range_e=parts.key_filter("e.citing_key", c),
                      citing_range_f=parts.key_filter("family_key", c),
                      rare=", a.inv_rare, a.app_rare, a.off_rare" if rare else "") for c in citing]
    # the links are the probe side of their joins with the labels, however many citing families
    # the context adds (Engine.join_sides_as_written), in both halves
    with engine.join_sides_as_written(), parts.buckets(engine, "family_ind_citations", len(ranges), {
            "links": (links, parts.range_bucket("cited_key", ranges))}) as slice_of:
        lists = {f"{level}_rare": f"l.{level}_rare" if rare else "CAST(NULL AS VARCHAR[])" for level in ("inv", "app", "off")}
        yield lambda i: {"forward": sql_file("forward", bits_range=parts.key_filter("family_key", ranges[i]),
                                             **slice_of(i), **lists)}


@contextlib.contextmanager
def _subclass_links(session, ranges):
    """family_ind_oecd's inputs: each family link with the subclasses of one end (oecd_links.sql),
    the citing end's for generality and the cited end's for originality and radicalness, written
    range by range of the end read into buckets of the other end's ``ranges``; yields
    ``slice_of(i) -> {"gen": source, "ori": source}``. No range joins every family's subclasses."""
    engine = session.engine

    def inputs(end, other):
        return [sql_file("oecd_links", end=end, other=other, end_range=parts.key_filter(f"e.{end}", r),
                         subclass_range=parts.key_filter("family_key", r)) for r in ranges]

    # the links are the probe side of their joins with a range's subclasses
    with engine.join_sides_as_written(), parts.buckets(engine, "family_ind_oecd", len(ranges), {
            "gen": (inputs("citing_key", "cited_key"), parts.range_bucket("cited_key", ranges)),
            "ori": (inputs("cited_key", "citing_key"), parts.range_bucket("citing_key", ranges))}) as slice_of:
        yield slice_of


@contextlib.contextmanager
def _no_inputs(_session, _ranges):
    yield lambda _i: {}


#: The groups whose parts read inputs split once into buckets (their other inputs are read by key range).
GROUP_INPUTS = {"citations": _forward_links, "oecd": _subclass_links}


def write_groups(session, params: dict) -> None:
    """family_ind_<group> for each materialised group, in key ranges (GROUP_BYTES: per family,
    and per family link read), and the views ``ind_<group>`` over them."""
    engine, lake = session.engine, session.lake
    keys = parts.table_rows(lake, "families")
    for group in GROUPS:
        with session.step("indicators", group.name):
            # each aggregating group is written on its own: one query holding every group's
            # aggregations (and the cohort pass) ran out of memory at 10M families under a 4 GB limit
            if not group.materialized:
                engine.create_view(f"ind_{group.name}", sql_file(group.name, **params))
                continue
            per_family, per_link = GROUP_BYTES[group.name]
            links = sum(parts.table_rows(lake, t) for t in GROUP_LINKS.get(group.name, ()))
            ranges = parts.key_ranges(keys, parts.count(engine, keys, per_family + per_link * links / max(keys, 1)))

            with GROUP_INPUTS.get(group.name, _no_inputs)(session, ranges) as slice_of:

                def ranged(i, r):
                    key = parts.key_filter("family_key", r)
                    return dict(params, key_range=key, range_f=key, range_citing=parts.key_filter("citing_key", r),
                                **slice_of(i))

                parts.write(engine, f"family_ind_{group.name}",
                            [sql_file(group.name, **ranged(i, r)) for i, r in enumerate(ranges)], stage="indicators")
            engine.create_view(f"ind_{group.name}", f"SELECT * FROM family_ind_{group.name}")


def latest_publication_date(engine) -> dt.date | None:
    return engine.query("SELECT max(publication_date) AS d FROM publications").column("d")[0].as_py()


def build(session, landscape: str | None = None, latest_date: dt.date | str | None = None,
          hall_correction: bool = False, pending_years: int = 5, context: bool = True,
          cohort_basis: str = "auto", progress=None) -> dict:
    """Write ``family_indicators`` (and the helper tables) from ``families``; return a summary.

    ``families`` and ``applicant_groups`` are built first by the stage registry (``stages.py``).
    ``context``: count the lake's context documents as citing families (``False``: the export
    alone); ``cohort_basis``: ``auto`` | ``population`` | ``lake`` (context.population_measures).
    """
    engine = session.engine
    step = progress or (lambda text: None)
    if isinstance(latest_date, str):
        latest_date = dt.date.fromisoformat(latest_date)
    with session.step("indicators", "latest date"):
        # the date the data ends (a source's own end date, else its latest date), never "today"
        # for a file that stopped years ago (CSET ends in 2020)
        latest = latest_date or end_date(session) or latest_publication_date(engine) or dt.date.today()
    population = population_measures(session, cohort_basis, hall_correction)
    step("citations")
    with session.step("indicators", "disk"):
        parts.check_disk(engine, parts.disk_needed(session.lake, READS, WRITES, OUTPUT_SHARE), "indicators")
    with session.step("indicators", "citations"):
        engine.create_view("wipo_concordance", concordance_sql())
        engine.create_view("family_codes", sql_file("codes"))
        write_citation_tables(session)
    with session.step("indicators", "context"):
        forward = write_context_links(session, bool(context))
    params = {"latest_date": latest, "pending_years": int(pending_years), "hall": bool(hall_correction),
              "examiner_origins": sql.in_list(EXAMINER_ORIGINS), "forward_basis": sql.literal(forward["forward_basis"])}
    step("indicators")
    write_groups(session, params)
    with session.step("indicators", "cohorts"):
        # the joined groups are written once and the cohort pass reads them back: one query holding
        # both the group aggregations and the cohort input ran out of memory at 10M families / 4 GB
        keys = parts.table_rows(session.lake, "families")
        parts.write(engine, "family_indicator_base",
                    [_base_sql(r) for r in parts.key_ranges(keys, parts.count(engine, keys, BASE_BYTES))],
                    stage="indicators")
        engine.create_view("ind_cohort_input", sql_file("cohort_input"))
        engine.write_derived("family_ind_qi_ranks", _cohort_sql(population, "cohort_qi"), stage="indicators")
        final = _cohort_sql(population)
        if landscape:
            final = (f"SELECT * FROM ({final}) fi WHERE family_id IN "
                     f"(SELECT family_id FROM {sql.table_name('landscape_' + landscape)})")
        unknowns = (session.lake.derived("families") or {}).get("unknowns")
        rows = engine.write_derived("family_indicators", final, stage="indicators", landscape=landscape,
                                    latest_publication_date=latest.isoformat(), hall_correction=hall_correction,
                                    pending_years=pending_years, cohorts="whole lake", unknowns=unknowns,
                                    cohort_basis={m: "population" if m in population else "lake"
                                                  for m in COHORT_MEASURES}, **forward)
    return {"family_indicators": rows, "latest_publication_date": latest.isoformat(), "landscape": landscape,
            "unknowns": unknowns, "population_measures": sorted(population), **forward}


def office_reach(session) -> list[dict]:
    """Per office: families with a member there, and the share also filed at another office (not WO).

    Builds ``families`` first if needed. Sorted by families, largest first.
    """
    session.require("families")
    rows = session.engine.rows(sql_file("offices"))
    for row in rows:
        row["share_elsewhere"] = row["families_elsewhere"] / row["families"] if row["families"] else None
    return sorted(rows, key=lambda r: (-r["families"], r["office"]))
