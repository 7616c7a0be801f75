"""One family, everything about it: members, indicators, cohort, applicant groups, attribution.

Backs ``patentq family PUBLICATION_NUMBER``, ``/api/family/<number>`` and ``lake.family(pub)``.
Reads the derived tables of the stages (built first when missing or stale), so what it prints
is what reports use.
"""

from __future__ import annotations

from .. import sql
from ..attribution import GROUPINGS, attribution_sql
from ..errors import UsageError
from ..harmonize import party_groups_sql
from ..normalize import asked_number, publication_base


def _load(name: str, **params) -> str:
    return sql.load(__name__, name, **params)


def find_family(session, number: str) -> str:
    """The resolved family id of a publication: full number first, then the number without kind."""
    pn = asked_number(number)
    session.require("families")
    with session.step("family", "find"):
        rows = session.engine.rows(_load("find", number=sql.literal(pn), base=sql.literal(publication_base(pn))))
    if not rows:
        raise UsageError(f"publication {number} ({pn}) is not in the lake",
                         hint="check the number, e.g. US-8926509-B2 or US8926509")
    return rows[0]["family_id"]


def _attribution(session, family_id: str) -> dict:
    """Fractional shares per grouping (whole counting is weight 1 per group), largest share
    first, then by group: the engine returns rows in no fixed order."""
    out = {}
    for by in GROUPINGS:
        rows = session.engine.rows(_load("attribution", attributed=attribution_sql(by, "fractional"),
                                         family_id=sql.literal(family_id)))
        rows.sort(key=lambda r: (-(r["weight"] or 0), str(r["group"])))
        out[by] = [{k: v for k, v in r.items() if k != "family_id"} for r in rows]
    return out


def family_report(session, number: str) -> dict:
    """Everything ``patentq family`` prints, as plain data."""
    session.require("families", "family_indicators", "applicant_groups")
    family_id = find_family(session, number)
    engine, fid = session.engine, sql.literal(family_id)
    with session.step("family", "report"):
        fam = engine.rows(_load("family", table="families", family_id=fid))[0]
        ind = engine.rows(_load("family", table="family_indicators", family_id=fid))
        members = engine.rows(_load("members", family_id=fid))
        report = {"query": number, "family_id": family_id, **fam, "members_list": members}
        if ind:
            report.update({k: v for k, v in ind[0].items() if k not in report})
        else:
            report["note"] = "family outside the landscape the indicators were restricted to"
        report["cohort"] = {"priority_year": report.get("cohort_year"), "field": report.get("cohort_field"),
                            "field_name": report.get("cohort_field_name"), "size": report.get("cohort_size"),
                            "mean_fwd_cits_5": report.get("cohort_mean_fwd_cits_5")}
        report["applicant_groups"] = engine.rows(_load("applicant_groups", family_id=fid,
                                                       party_groups=party_groups_sql()))
        report["attribution"] = _attribution(session, family_id)
    return report


__all__ = ["family_report", "find_family"]
