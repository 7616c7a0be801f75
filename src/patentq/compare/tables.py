"""The tables around the main comparison: time series, category breakdowns, notable AI models
(Epoch) per 1,000 families, and data quality. Each reads the ``cmp_x`` measure table that
``compare.build_measures`` materialised, with the ``.sql`` files beside this module.
"""

from __future__ import annotations

import re

from .. import sql
from .measures import measured_sql


def _load(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)

#: Organisation-name fragments of the Epoch data that belong to an applicant group (ours).
GROUP_ALIASES = {
    "alphabet": ["google", "deepmind"], "microsoft": ["microsoft"], "ibm": ["ibm"], "tencent": ["tencent"],
    "baidu": ["baidu"], "alibaba": ["alibaba", "damo"], "samsung": ["samsung"], "bytedance": ["bytedance"],
    "ping an": ["ping an"], "chinese academy of sciences": ["chinese academy of sciences"], "meta": ["meta ai", "facebook"],
}


def categories(session, conv, groups: list) -> list[dict]:
    """Families per landscape category (model, mode, application ...) and group."""
    table = sql.table_name(f"landscape_{conv.landscape}_categories") if conv.landscape else None
    if not table or not session.lake.has(table) or not groups:
        return []
    return session.engine.rows(_load("categories", categories=table, groups=sql.in_list(groups)))


def _matches(group: str, organization: str) -> bool:
    org = organization.lower()
    names = GROUP_ALIASES.get(group.lower(), [group.lower()])
    return any(re.search(r"\b" + re.escape(n) + r"\b", org) for n in names)


def notable_models(session, conv, rows: list[dict]) -> list[dict]:
    """Epoch notable AI models in the same years, per group, and per 1,000 of the group's families."""
    engine = session.engine
    if not session.lake.has("notable_models") or conv.by not in (
            "inventor-country", "applicant-country", "applicant-group", "priority-office"):
        return []
    where = (f"WHERE year(publication_date) BETWEEN {int(conv.years[0])} AND {int(conv.years[1])}"
             if conv.years else "")
    if conv.by == "applicant-group":
        models = engine.rows(_load("models", where=where))
        counts = {r["group"]: sum(1 for m in models if m["organization"] and _matches(str(r["group"]), m["organization"]))
                  for r in rows}
    else:
        got = engine.rows(_load("models_by_country", where=where))
        found = {g["grp"]: g["models"] for g in got}
        counts = {r["group"]: found.get(r["group"], 0) for r in rows}
    out = []
    for r in rows:
        models = counts.get(r["group"], 0)
        out.append({"group": r["group"], "families": r["families"], "notable_models": models,
                    "models_per_1000_families": 1000.0 * models / r["families"] if r["families"] else None,
                    "quality_adjusted_families": r.get("quality_adjusted_families"),
                    "share_filed_abroad": r.get("share_filed_abroad")})
    return out


def reported_vs_computed(session) -> dict | None:
    """Where a source reports forward-citation counts (Lens "Cited by Patent Count"), set them
    against the forward citations computed from citation records, per family of the comparison."""
    row = session.engine.rows(_load("reported_vs_computed"))[0]
    return row if row["families"] else None


def data_quality(session, totals: dict) -> dict:
    """Rejects, unknown groups, and how many citation figures are reported rather than computed."""
    engine, lake = session.engine, session.lake
    unknown = engine.rows(_load("unknown_families"))[0]["n"]
    inputs = lake.manifest.get("inputs", [])
    rejects: dict = {}
    for entry in inputs:
        for reason, n in (entry.get("reject_reasons") or {}).items():
            rejects[reason] = rejects.get(reason, 0) + n
    measured = engine.rows(measured_sql("cmp_x"))[0]
    fam_meta = lake.derived("families") or {}
    return {
        "families": totals["families"],
        "unknown_group_families": unknown,
        "inputs": [{"file": e.get("file"), "format": e.get("format"), "rows": e.get("rows_read"),
                    "rejected": e.get("rejected", 0)} for e in inputs],
        "rejected_records": sum(e.get("rejected", 0) for e in inputs),
        "reject_reasons": rejects,
        "families_unknowns": fam_meta.get("unknowns"),
        "families_with_value": measured,
        "forward_citations_reported_vs_computed": reported_vs_computed(session),
        "forward_citations_by_source": {r["source"]: r["n"] for r in engine.rows(_load("by_source"))},
    }
