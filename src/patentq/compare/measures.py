"""The SQL behind ``compare``: which families, attributed to which groups, with which measures.

All text here is stage SQL in the portable subset (docs/architecture.md): SELECT, JOIN, GROUP
BY, window functions, CASE, ``unnest`` only inside a subquery, so the Spark engine can run it.
Attribution comes from ``patentq.attribution.attribution_sql`` (one place for that rule).
"""

from __future__ import annotations

from . import attribution
from .errors import UsageError

GROUPINGS = ("inventor-country", "applicant-country", "priority-office", "office", "applicant-group")
COUNTINGS = ("whole", "fractional")

def attribution_sql(by: str, counting: str, tables: set[str]) -> str:
    """``(family_id, grp, weight)`` from the attribution stage (``patentq.attribution``).

    Before harmonisation (no ``applicant_groups`` table) every applicant name is its own group.
    """
    if by not in GROUPINGS:
        raise UsageError(f"unknown grouping {by!r}", hint=f"choose one of {', '.join(GROUPINGS)}")
    if counting not in COUNTINGS:
        raise UsageError(f"unknown counting {counting!r}", hint="choose whole or fractional")
    members = "family_members" if "family_members" in tables else "publications"
    groups = "applicant_groups" if "applicant_groups" in tables else attribution.NO_GROUPS
    sql = attribution.attribution_sql(by=by, counting=counting, members=members, groups=groups)
    return f'SELECT family_id, "group" AS grp, weight FROM ({sql}) a'


def universe_sql(landscape: str | None, years: tuple[int, int] | None, year_basis: str, unit: str) -> str:
    """The families compared: in the landscape, in the year window; ``unit`` ``extended`` maps
    each family to its INPADOC extended family (itself where none)."""
    year = "f.first_publication_year" if year_basis == "publication" else "f.priority_year"
    where = [f"{year} BETWEEN {int(years[0])} AND {int(years[1])}"] if years else []
    join = f"JOIN landscape_{landscape} l ON l.family_id = f.family_id" if landscape else ""
    unit_col = "coalesce(f.extended_family_id, f.family_id)" if unit == "extended" else "f.family_id"
    return (f"SELECT f.family_id, {unit_col} AS unit_id, CAST({year} AS INTEGER) AS year FROM families f {join}"
            + (" WHERE " + " AND ".join(where) if where else ""))


#: Indicator columns compare reads, with the typed NULL used when ``family_indicators`` is absent.
INDICATOR_COLUMNS = {
    "filed_abroad": "BOOLEAN", "ip5_offices": "INTEGER", "triadic": "BOOLEAN", "granted": "BOOLEAN",
    "pending": "BOOLEAN", "fwd_cits_5": "DOUBLE", "fwd_cits_5_rel": "DOUBLE", "top10_cohort": "BOOLEAN",
    "window_complete_5": "BOOLEAN", "quality_index_4": "DOUBLE", "claims": "DOUBLE", "fwd_cits_source": "VARCHAR",
}


def indicators_source(columns: set[str] | None) -> str:
    """``family_indicators`` with the columns compare needs; typed NULLs for any it lacks."""
    cols = ", ".join(
        (f"CAST({c} AS {t}) AS {c}" if columns and c in columns else f"CAST(NULL AS {t}) AS {c}")
        for c, t in INDICATOR_COLUMNS.items())
    return f"SELECT family_id, {cols} FROM family_indicators" if columns else \
        f"SELECT family_id, {cols} FROM families"


def measures_sql(att: str, universe: str, indicators: str, group_offices: bool) -> str:
    """One row per (family, group): weight, year and the per-family measures as 0/1 or numbers.

    ``abroad_of_group``: the family has a member at an office other than the group's own and
    other than WO (only meaningful when groups are countries or offices).
    """
    other_office = f"""LEFT JOIN (
  SELECT DISTINCT a2.family_id, a2.grp, 1.0 AS abroad
  FROM ({att}) a2 JOIN (SELECT family_id, unnest(offices) AS office FROM families) fo
    ON fo.family_id = a2.family_id
  WHERE fo.office <> a2.grp AND fo.office <> 'WO'
) x ON x.family_id = a.family_id AND x.grp = a.grp""" if group_offices else ""
    abroad_expr = "coalesce(x.abroad, 0.0)" if group_offices else "CAST(NULL AS DOUBLE)"
    return f"""SELECT a.family_id, u.unit_id, a.grp, a.weight, u.year,
  CASE WHEN i.filed_abroad THEN 1.0 WHEN NOT i.filed_abroad THEN 0.0 END AS filed_abroad,
  CASE WHEN a.grp <> 'UNKNOWN' THEN {abroad_expr} END AS abroad_of_group,
  CASE WHEN i.ip5_offices >= 2 THEN 1.0 WHEN i.ip5_offices IS NOT NULL THEN 0.0 END AS ip5,
  CASE WHEN i.triadic THEN 1.0 WHEN NOT i.triadic THEN 0.0 END AS triadic,
  CASE WHEN i.granted THEN 1.0 WHEN i.pending THEN NULL WHEN NOT i.granted THEN 0.0 END AS granted,
  CASE WHEN i.window_complete_5 THEN i.fwd_cits_5_rel END AS fwd_rel,
  CASE WHEN i.window_complete_5 AND i.top10_cohort THEN 1.0 WHEN i.window_complete_5 THEN 0.0 END AS top10,
  i.quality_index_4 AS qi4,
  i.claims AS claims,
  CASE WHEN i.window_complete_5 THEN 1 ELSE 0 END AS complete,
  i.fwd_cits_source AS fwd_source
FROM ({att}) a JOIN ({universe}) u ON u.family_id = a.family_id
LEFT JOIN ({indicators}) i ON i.family_id = a.family_id
{other_office}"""


#: Rate measures: column → (output key, bootstrap rounding of the value or None for 0/1).
RATES = {
    "filed_abroad": ("share_filed_abroad", None),
    "abroad_of_group": ("share_outside_group_office", None),
    "ip5": ("share_ip5", None),
    "triadic": ("share_triadic", None),
    "granted": ("grant_rate", None),
    "fwd_rel": ("mean_fwd_cits_5_rel", 2),
    "top10": ("share_top10_cohort", None),
    "qi4": ("mean_quality_index_4", 3),
    "claims": ("mean_claims", 0),
}


def point_sql(view: str) -> str:
    rates = ",\n  ".join(
        f"sum(weight * {c}) / sum(CASE WHEN {c} IS NOT NULL THEN weight END) AS {key}" for c, (key, _) in RATES.items())
    return f"""SELECT grp, sum(weight) AS families, count(*) AS n_families,
  coalesce(sum(weight * top10), 0) AS qa_families, sum(CASE WHEN complete = 1 THEN weight ELSE 0 END) AS families_complete,
  {rates}
FROM {view} GROUP BY grp"""


def histogram_sql(view: str) -> str:
    """Per (group, measure, weight, value): how many families. The bootstrap resamples these."""
    parts = [f"SELECT grp, 'families' AS measure, weight AS w, 1.0 AS x, count(*) AS n FROM {view} GROUP BY grp, weight"]
    for col, (key, digits) in RATES.items():
        value = f"round({col}, {digits})" if digits is not None else col
        parts.append(f"SELECT grp, '{key}' AS measure, weight AS w, {value} AS x, count(*) AS n FROM {view} "
                     f"WHERE {col} IS NOT NULL GROUP BY grp, weight, {value}")
    return "\nUNION ALL\n".join(parts)
