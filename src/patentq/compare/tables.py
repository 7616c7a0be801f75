"""The tables around the main comparison: time series, category breakdowns, notable AI models
(Epoch) per 1,000 families, and data quality. Each reads the ``cmp_x`` measure table that
``compare.build_measures`` materialised.
"""

from __future__ import annotations

import re

from .compare_sql import RATES

#: Organisation-name fragments of the Epoch data that belong to an applicant group (ours).
GROUP_ALIASES = {
    "alphabet": ["google", "deepmind"], "microsoft": ["microsoft"], "ibm": ["ibm"], "tencent": ["tencent"],
    "baidu": ["baidu"], "alibaba": ["alibaba", "damo"], "samsung": ["samsung"], "bytedance": ["bytedance"],
    "ping an": ["ping an"], "chinese academy of sciences": ["chinese academy of sciences"], "meta": ["meta ai", "facebook"],
}


def _in(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def time_series(engine, groups: list) -> list[dict]:
    """Families and share filed abroad per group and year."""
    if not groups:
        return []
    return engine.query(
        f"SELECT grp AS \"group\", year, sum(weight) AS families, "
        f"sum(weight * filed_abroad) / sum(CASE WHEN filed_abroad IS NOT NULL THEN weight END) AS share_filed_abroad, "
        f"sum(weight * top10) AS quality_adjusted_families "
        f"FROM cmp_x WHERE grp IN ({_in(groups)}) AND year IS NOT NULL GROUP BY grp, year "
        f"ORDER BY grp, year").to_pylist()


def categories(engine, conv, tables: set, groups: list) -> list[dict]:
    """Families per landscape category (model, mode, application ...) and group."""
    table = f"landscape_{conv.landscape}_categories" if conv.landscape else None
    if not table or table not in tables or not groups:
        return []
    return engine.query(
        f"SELECT c.dimension, c.category, x.grp AS \"group\", sum(x.weight) AS families, "
        f"sum(x.weight * x.top10) AS quality_adjusted_families "
        f"FROM cmp_x x JOIN {table} c ON c.family_id = x.family_id WHERE x.grp IN ({_in(groups)}) "
        f"GROUP BY c.dimension, c.category, x.grp ORDER BY c.dimension, c.category, x.grp").to_pylist()


def _matches(group: str, organization: str) -> bool:
    org = organization.lower()
    names = GROUP_ALIASES.get(group.lower(), [group.lower()])
    return any(re.search(r"\b" + re.escape(n) + r"\b", org) for n in names)


def notable_models(engine, conv, tables: set, rows: list[dict]) -> list[dict]:
    """Epoch notable AI models in the same years, per group, and per 1,000 of the group's families."""
    if "notable_models" not in tables or conv.by not in ("inventor-country", "applicant-country", "applicant-group",
                                                         "priority-office"):
        return []
    where = (f"WHERE year(publication_date) BETWEEN {conv.years[0]} AND {conv.years[1]}" if conv.years else "")
    if conv.by == "applicant-group":
        models = engine.query(f"SELECT model, organization FROM notable_models {where}").to_pylist()
        counts = {r["group"]: sum(1 for m in models if m["organization"] and _matches(str(r["group"]), m["organization"]))
                  for r in rows}
    else:
        got = engine.query(
            f"SELECT c AS grp, count(DISTINCT model) AS models FROM (SELECT model, publication_date, "
            f"unnest(countries) AS c FROM notable_models) m {where} GROUP BY c").to_pylist()
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


def reported_vs_computed(engine, tables: set) -> dict | None:
    """Where a source reports forward-citation counts (Lens "Cited by Patent Count"), set them
    against the forward citations computed from citation records, per family of the comparison."""
    if not {"family_members", "family_indicators"} <= tables:
        return None
    cols = set(engine.query("SELECT * FROM family_indicators LIMIT 0").column_names)
    if "fwd_cits_total" not in cols:
        return None
    row = engine.query(
        "SELECT count(*) AS families, CAST(sum(CASE WHEN r.reported = i.fwd_cits_total THEN 1 ELSE 0 END) AS BIGINT) "
        "AS equal, "
        "avg(r.reported) AS mean_reported, avg(i.fwd_cits_total) AS mean_computed FROM ("
        "  SELECT m.family_id, max(p.reported_cited_by_count) AS reported FROM publications p "
        "  JOIN family_members m ON m.publication_number = p.publication_number "
        "  WHERE p.reported_cited_by_count IS NOT NULL GROUP BY m.family_id) r "
        "JOIN family_indicators i ON i.family_id = r.family_id "
        "WHERE r.family_id IN (SELECT family_id FROM cmp_x)").to_pylist()[0]
    return row if row["families"] else None


def data_quality(engine, lake, totals: dict) -> dict:
    """Rejects, unknown groups, and how many citation figures are reported rather than computed."""
    unknown = engine.query("SELECT count(DISTINCT family_id) AS n FROM cmp_x WHERE grp = 'UNKNOWN'").to_pylist()[0]["n"]
    inputs = lake.manifest.get("inputs", [])
    rejects: dict = {}
    for entry in inputs:
        for reason, n in (entry.get("reject_reasons") or {}).items():
            rejects[reason] = rejects.get(reason, 0) + n
    measured = {key: engine.query(f"SELECT count(DISTINCT family_id) AS n FROM cmp_x WHERE {col} IS NOT NULL")
                .to_pylist()[0]["n"] for col, (key, _) in RATES.items()}
    fam_meta = lake.manifest.get("derived", {}).get("families", {})
    return {
        "families": totals["families"],
        "unknown_group_families": unknown,
        "inputs": [{"file": e.get("file"), "format": e.get("format"), "rows": e.get("rows_read"),
                    "rejected": e.get("rejected", 0)} for e in inputs],
        "rejected_records": sum(e.get("rejected", 0) for e in inputs),
        "reject_reasons": rejects,
        "families_unknowns": fam_meta.get("unknowns"),
        "families_with_value": measured,
        "forward_citations_reported_vs_computed": reported_vs_computed(engine, {t for t in lake.tables()
                                                                                 if lake.parts(t)}),
        "forward_citations_by_source": {r["source"]: r["n"] for r in engine.query(
            "SELECT coalesce(fwd_source, 'none') AS source, count(DISTINCT family_id) AS n FROM cmp_x "
            "GROUP BY coalesce(fwd_source, 'none')").to_pylist()},
    }
