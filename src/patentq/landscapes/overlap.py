"""``landscape compare A B``: how much two definitions of a field agree, and what the choice
does to the answer: their overlap and the Kendall tau of the country and applicant rankings
they give.

WIPO and CSET define "AI" differently, rules and a trained refinement differ, and a CPC-only
search misses what keywords find; a user must see how much the ranking of countries or
applicants moves with the definition. A side is one of:

- ``NAME``: the rules of a definition (``landscape_NAME``, built through the registry);
- ``NAME_refined``: its trained refinement (``landscape refine``);
- ``cpc:NAME``: the families carrying a CPC code under the definition's CPC prefixes (what a
  CPC-only search would take);
- ``tag:SCHEME``: the families a source tagged (``tag:cset``: CSET's own AI flags).
"""

from __future__ import annotations

from scipy.stats import kendalltau

from .. import sql
from ..attribution import attribution_sql, needed_tables
from .definition import load

TOP = 20


def side_sql(session, spec: str) -> str:
    """A relation of ``family_id`` for one side (building what it needs)."""
    if spec.startswith("cpc:"):
        prefixes = load(spec[4:]).cpc_prefixes()
        return sql.load(__package__, "overlap_cpc", like=" OR ".join(
            f"c.code LIKE {sql.literal(p + '%')}" for p in prefixes) or "false")
    if spec.startswith("tag:"):
        return sql.load(__package__, "overlap_tag", scheme=sql.literal(spec[4:].lower()))
    table = "landscape_" + spec
    if spec.endswith("_refined"):
        session.require(table)
    else:
        from .apply import apply

        apply(load(spec), session)
    return f"SELECT DISTINCT family_id FROM {sql.table_name(table)}"


def ranking(session, members: str, by: str) -> dict:
    rows = session.engine.rows(sql.load(__package__, "overlap_ranking", attribution=attribution_sql(by, "whole"),
                                        members=members))
    return {r["grp"]: float(r["families"]) for r in rows}


def tau(a: dict, b: dict, top: int = TOP) -> dict:
    """Kendall tau-b of two rankings over the union of each side's top ``top`` groups (a group
    missing on one side counts 0 there)."""
    groups = sorted(set(sorted(a, key=lambda g: -a[g])[:top]) | set(sorted(b, key=lambda g: -b[g])[:top]))
    if len(groups) < 2:
        return {"tau": None, "groups": len(groups)}
    value = kendalltau([a.get(g, 0) for g in groups], [b.get(g, 0) for g in groups]).statistic
    return {"tau": None if value != value else round(float(value), 4), "groups": len(groups),
            "top_a": sorted(a, key=lambda g: -a[g])[:5], "top_b": sorted(b, key=lambda g: -b[g])[:5]}


def compare(session, a: str, b: str, groupings=("inventor-country", "applicant-group")) -> dict:
    rel_a, rel_b = side_sql(session, a), side_sql(session, b)
    row = session.engine.rows(sql.load(__package__, "overlap_counts", a=rel_a, b=rel_b))[0]
    both, only_a, only_b = (int(row[k] or 0) for k in ("both", "only_a", "only_b"))
    out = {"a": a, "b": b, "families_a": both + only_a, "families_b": both + only_b, "both": both,
           "only_a": only_a, "only_b": only_b,
           "jaccard": round(both / (both + only_a + only_b), 4) if both + only_a + only_b else None,
           "rankings": {}}
    for by in groupings:
        session.require(*needed_tables(by))
        out["rankings"][by] = tau(ranking(session, rel_a, by), ranking(session, rel_b, by))
    return out
