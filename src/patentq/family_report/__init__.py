"""One family, everything about it: members, indicators, cohort, applicant groups, attribution.

Backs ``patentq family PUBLICATION_NUMBER``. Reads the derived tables written by
``patentq indicators`` (it never recomputes them silently, so what it prints is what reports use).
"""

from __future__ import annotations

from ..errors import UsageError
from ..normalize import publication_base, publication_number


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _need(engine, *tables: str) -> None:
    missing = [t for t in tables if t not in engine.lake.tables()]
    if missing:
        raise UsageError(f"the lake has no {', '.join(missing)} table yet",
                         hint=f"run `patentq indicators --lake {engine.lake.path}` first")


def find_family(engine, number: str) -> str:
    """The resolved family id of a publication: full number first, then the number without kind."""
    _need(engine, "family_members")
    pn = publication_number(number) or number.strip().upper()
    # the exact number before the number without kind; the smallest id where several match
    rows = engine.query(
        f"SELECT family_id FROM (SELECT family_id, 0 AS exact_first FROM family_members "
        f"WHERE publication_number = {_q(pn)} "
        f"UNION ALL SELECT family_id, 1 AS exact_first FROM family_members "
        f"WHERE base_number = {_q(publication_base(pn))}) m ORDER BY exact_first, family_id"
    ).column("family_id").to_pylist()
    if not rows:
        raise UsageError(f"publication {number} ({pn}) is not in the lake",
                         hint="check the number, e.g. US-8926509-B2 or US8926509")
    return rows[0]


def _applicant_groups(engine, family_id: str) -> list[dict]:
    has_groups = "applicant_groups" in engine.lake.tables() and engine.lake.parts("applicant_groups")
    group = "coalesce(ag.group_name, p.group_name, p.name)" if has_groups else "coalesce(p.group_name, p.name)"
    join = "LEFT JOIN applicant_groups ag ON ag.name = p.name" if has_groups else ""
    rows = engine.query(
        f"SELECT {group} AS group_name, array_sort(array_agg(DISTINCT p.name)) AS names, "
        f"array_sort(array_agg(DISTINCT p.country_code) FILTER (WHERE p.country_code IS NOT NULL)) AS countries "
        f"FROM parties p JOIN family_members m ON p.publication_number = m.publication_number {join} "
        f"WHERE p.role = 'applicant' AND m.family_id = {_q(family_id)} AND p.name IS NOT NULL "
        f"GROUP BY {group} ORDER BY 1").to_pylist()
    return rows


def _attribution(engine, family_id: str) -> dict | None:
    """Fractional shares per grouping from ``patentq.attribution`` (whole counting is weight 1 per group)."""
    try:
        from .. import attribution
    except ImportError:
        return None
    sql_for = getattr(attribution, "attribution_sql", None)
    if sql_for is None:
        return None
    out = {}
    for by in ("inventor-country", "applicant-country", "priority-office", "office", "applicant-group"):
        if by == "applicant-group" and "applicant_groups" not in engine.lake.tables():
            out[by] = {"note": f"no applicant groups yet: run `patentq applicants --lake {engine.lake.path}`"}
            continue
        try:
            sql = sql_for(by=by, counting="fractional")
            rows = engine.query(f"SELECT * FROM ({sql}) a WHERE family_id = {_q(family_id)}").to_pylist()
        except Exception as exc:  # a grouping the lake cannot serve (e.g. no applicant_groups)
            out[by] = {"error": str(exc).splitlines()[0]}
            continue
        # largest share first, then by group: the engine returns rows in no fixed order
        rows.sort(key=lambda r: (-(r["weight"] or 0), str(r["group"])))
        out[by] = [{k: v for k, v in r.items() if k != "family_id"} for r in rows]
    return out


def family_report(engine, number: str) -> dict:
    """Everything ``patentq family`` prints, as plain data."""
    _need(engine, "families", "family_indicators")
    family_id = find_family(engine, number)
    fam = engine.query(f"SELECT * FROM families WHERE family_id = {_q(family_id)}").to_pylist()[0]
    ind = engine.query(f"SELECT * FROM family_indicators WHERE family_id = {_q(family_id)}").to_pylist()
    members = engine.query(
        f"SELECT publication_number, country_code, kind_code, publication_date, is_grant, grant_date, claims_count "
        f"FROM family_members WHERE family_id = {_q(family_id)} ORDER BY publication_date NULLS LAST, publication_number"
    ).to_pylist()
    report = {"query": number, "family_id": family_id, **fam, "members_list": members}
    if ind:
        report.update({k: v for k, v in ind[0].items() if k not in report})
    else:
        report["note"] = "family outside the landscape the indicators were restricted to"
    report["cohort"] = {"priority_year": report.get("cohort_year"), "field": report.get("cohort_field"),
                        "field_name": report.get("cohort_field_name"), "size": report.get("cohort_size"),
                        "mean_fwd_cits_5": report.get("cohort_mean_fwd_cits_5")}
    report["applicant_groups"] = _applicant_groups(engine, family_id)
    report["attribution"] = _attribution(engine, family_id)
    return report


__all__ = ["family_report", "find_family"]
