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

from .. import sql
from ..normalize import base_number_sql


def family_members_sql() -> str:
    return sql.load(__name__, "members", base_pn=base_number_sql("p.publication_number"),
                    provisions="SELECT * FROM _pq_provisions")


def build(session) -> dict:
    """Write ``family_members`` and ``families``; return the unknown/filled counts (recorded in
    the manifest and printed by ``patentq indicators``)."""
    from ..profile import provisions_table

    engine = session.engine
    engine.register_arrow("_pq_provisions", provisions_table(session.lake))
    with session.step("families", "family_members"):
        members = engine.write_derived("family_members", family_members_sql(), stage="families")
    with session.step("families", "families"):
        engine.write_derived("families", sql.load(__name__, "families"), stage="families")
        stats = engine.rows(sql.load(__name__, "unknowns"))[0]
        stats.update(engine.rows(sql.load(__name__, "filled"))[0])
    stats["publications"] = members
    session.lake.stamp("families", unknowns=stats)
    return stats
