"""The ``families`` derivation: one row per DOCDB simple family, from the canonical tables.

Two derived tables are written through the engine (portable SQL, see docs/architecture.md):

- ``family_members``: one row per distinct (publication, resolved family id). A publication
  normally has one family; the same number in several DOCDB families (CSET's Excel-mangled
  numbers such as ``DE-1.02E+11-A1``) keeps one row per family so no family is lost. Sources
  without DOCDB ids (Lens CSV, USPTO XML) carry surrogate ids starting with ``~``; a surrogate
  family is renamed to the DOCDB id that another source gives for any of its publications,
  compared on the number without kind (``US-8926509``), so the sources merge into one family.
  Every later stage (citations, indicators, attribution) joins through this table.
  ``family_key`` is a dense integer per family: the heavy joins of the citation and OECD
  stages run on it rather than on the text id.
- ``families``: the columns docs/architecture.md lists, plus ``family_size`` (offices other
  than WO), ``first_filing_date``, ``first_grant_filing_date``, ``priority_offices`` (offices of
  the priority numbers), ``reported_family_size`` (as a source reports it: Lens counts documents)
  and what the members' sources list completely: ``lists_citations``, ``lists_npl``,
  ``lists_members`` (what the indicators may count as a real 0, and whether reach is complete).

Inventor and applicant countries are the union over all members, so a member that lacks them
is filled from the others; what stays unknown is counted and recorded in the manifest.
"""

from __future__ import annotations

from .. import parts, sql
from ..normalize import base_number_sql

#: Bytes of DuckDB state per input row, measured at 30M families (bench/SCALE-NOTES.md): the
#: number of parts of each table is its input rows times these over the memory budget (parts.py).
MEMBER_BYTES = 120   # family_members, per publication
VALUE_BYTES = 400    # family_values, per member publication (the join's and the flags' hash tables, the sort;
#                      250 ran out of memory at 100M in one of 11 parts: with buckets more parts cost no rescans)
FAMILY_BYTES = 1100  # families, per family (its member rows' and list values' aggregate states)
#: What the stage reads and rewrites, and its output as a share of what it reads (the disk check).
READS = ("publications", "classifications", "parties", "priorities")
WRITES = ("family_members", "family_values", "families")
OUTPUT_SHARE = 1.55  # 1.52 measured at 10M families, derived tables written with snappy
#: The inputs of values.sql (value_inputs.sql, one statement each), sliced by a hash of the
#: publication number (parts.buckets).
VALUE_INPUTS = ("codes", "parties", "priorities", "members")


def member_rows_sql() -> str:
    """family_members' input (member_rows.sql): every publication with its resolved family id."""
    return sql.load(__name__, "member_rows", base_pn=base_number_sql("p.publication_number"),
                    provisions="SELECT * FROM _pq_provisions")


def family_members_sql(part: str, key_offset: int = 0) -> str:
    """One part of ``family_members`` from ``part``, a source of member rows of whole families
    (one bucket of member_rows.sql, or all of it), keys numbered on from ``key_offset``."""
    return sql.load(__name__, "members", part=part, key_offset=int(key_offset))


def family_id_bucket(bounds: list[tuple[str | None, str | None]]) -> str:
    """The index of the range of ``bounds`` (``family_id_bounds``) that ``family_id`` falls in."""
    if len(bounds) <= 1:
        return "0"
    cuts = [hi for _lo, hi in bounds[:-1]]
    return "CASE " + " ".join(f"WHEN family_id < {sql.literal(c)} THEN {i}" for i, c in enumerate(cuts)) + \
        f" ELSE {len(cuts)} END"


def family_id_bounds(engine, n: int) -> list[tuple[str | None, str | None]]:
    """``n`` ranges [lo, hi) of family ids with about as many publications each, from a sample
    of the ids (one range, unbounded, for one part)."""
    if n <= 1:
        return [(None, None)]
    ids = sorted(v for v in engine.query(sql.load(__name__, "id_sample")).column("f").to_pylist() if v is not None)
    cuts = sorted({ids[len(ids) * i // n] for i in range(1, n)}) if ids else []
    edges = [None, *cuts, None]
    return list(zip(edges[:-1], edges[1:]))


def build(session) -> dict:
    """Write ``family_members``, ``family_values`` and ``families``; return the unknown/filled
    counts (recorded in the manifest and printed by ``patentq indicators``). Each table is
    written in parts small enough for the engine's memory (parts.py)."""
    from ..profile import provisions_table

    engine, lake = session.engine, session.lake
    with session.step("families", "disk"):
        parts.check_disk(engine, parts.disk_needed(lake, READS, WRITES, OUTPUT_SHARE), "families")
    engine.register_arrow("_pq_provisions", provisions_table(lake))
    with session.step("families", "family_members"):
        bounds = family_id_bounds(engine, parts.count(engine, parts.table_rows(lake, "publications"), MEMBER_BYTES))
        with parts.buckets(engine, "family_members", len(bounds),
                           {"part": (member_rows_sql(), family_id_bucket(bounds))}) as slice_of:

            def member_part(i, files):  # keys number on from the largest key of the parts before
                if i >= len(bounds):
                    return None
                return family_members_sql(slice_of(i)["part"], parts.max_of(files, "family_key") or 0)

            members = parts.write(engine, "family_members", member_part if len(bounds) > 1
                                  else [family_members_sql(slice_of(0)["part"])], stage="families")
        keys = engine.scalar(sql.load(__name__, "max_key")) or 0
    ranges = parts.key_ranges(keys, parts.count(engine, keys, FAMILY_BYTES))
    with session.step("families", "family_values"):
        n = parts.count(engine, members, VALUE_BYTES)
        # where families is written in several key ranges, each slice of family_values is written
        # in key order, so that a range reads its own row groups of every slice, not all rows
        order = "ORDER BY family_key" if len(ranges) > 1 else ""
        queries = sql.statements(sql.load(__name__, "value_inputs"))
        inputs = {name: (query, parts.hash_bucket("publication_number", n)) for name, query in zip(VALUE_INPUTS, queries,
                                                                                                   strict=True)}
        with parts.buckets(engine, "family_values", n, inputs) as slice_of:
            parts.write(engine, "family_values", [sql.load(__name__, "values", order=order, **slice_of(i))
                                                  for i in range(n)], stage="families")
    with session.step("families", "families"):
        parts.write(engine, "families", [sql.load(__name__, "families", key_range=parts.key_filter("family_key", r))
                                         for r in ranges], stage="families")
        stats = engine.rows(sql.load(__name__, "unknowns"))[0]
        filled = [engine.rows(sql.load(__name__, "filled", key_range=parts.key_filter("family_key", r)))[0]
                  for r in ranges]
        stats.update({k: sum(f[k] or 0 for f in filled) for k in filled[0]})
    stats["publications"] = members
    session.lake.stamp("families", unknowns=stats)
    return stats
