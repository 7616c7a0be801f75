"""The SQL behind ``compare``: which families, attributed to which groups, with which measures.

The queries are the ``.sql`` files beside this module (portable subset, docs/architecture.md);
only the per-measure columns of the point estimates and the bootstrap histogram are generated,
one expression per entry of ``RATES``. Attribution and the filed-outside rule come from
``patentq.attribution``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import sql
from ..attribution import GROUPINGS, attribution_sql, filed_outside_sql


def _load(name: str, **params) -> str:
    return sql.load(__name__.rsplit(".", 1)[0], name, **params)


def attributed_sql(by: str, counting: str) -> str:
    """``(family_id, grp, weight, outside)``: the attribution, with the filed-outside rule where
    groups are countries or offices (else ``outside`` is NULL)."""
    if GROUPINGS[by].country_like:
        return f'SELECT family_id, "group" AS grp, weight, filed_outside AS outside FROM ({filed_outside_sql(by, counting)}) a'
    return f'SELECT family_id, "group" AS grp, weight, CAST(NULL AS BOOLEAN) AS outside FROM ({attribution_sql(by, counting)}) a'


def universe_sql(landscape: str | None, years: tuple[int, int] | None, year_basis: str, unit: str) -> str:
    year = "f.first_publication_year" if year_basis == "publication" else "f.priority_year"
    where = f"WHERE {year} BETWEEN {int(years[0])} AND {int(years[1])}" if years else ""
    join = f"JOIN {sql.table_name('landscape_' + landscape)} l ON l.family_id = f.family_id" if landscape else ""
    unit_col = "coalesce(f.extended_family_id, f.family_id)" if unit == "extended" else "f.family_id"
    return _load("universe", unit=unit_col, year=year, landscape_join=join, where=where)


def measures_sql(attributed: str, universe: str) -> str:
    return _load("measures", attributed=attributed, universe=universe)


def totals_sql(view: str) -> str:
    return _load("totals", view=view)


@dataclass(frozen=True)
class Rate:
    """One per-group rate: its column in the measure table, its output key, the rounding of its
    values for the bootstrap histogram (None for 0/1 values) and the measure of
    ``capabilities.MEASURES`` it rests on (a lake that cannot compute that measure gets NULL)."""

    column: str
    key: str
    digits: int | None
    measure: str | None


RATES = {r.column: r for r in (
    Rate("filed_abroad", "share_filed_abroad", None, "reach"),
    Rate("abroad_of_group", "share_outside_group_office", None, "reach"),
    Rate("ip5", "share_ip5", None, "reach"),
    Rate("triadic", "share_triadic", None, "reach"),
    Rate("reach_lower", "share_reach_lower_bound", None, None),
    Rate("granted", "grant_rate", None, "grant"),
    Rate("fwd_total", "mean_fwd_cits_total", 1, "fwd_cits_total"),
    Rate("fwd_rel", "mean_fwd_cits_5_rel", 2, "cohort"),
    Rate("top10", "share_top10_cohort", None, "cohort"),
    Rate("qi4", "mean_quality_index_4", 3, "quality_index_4"),
    Rate("claims", "mean_claims", 0, "claims"),
)}


def point_sql(view: str) -> str:
    rates = ",\n  ".join(
        f"sum(weight * {r.column}) / sum(CASE WHEN {r.column} IS NOT NULL THEN weight END) AS {r.key}"
        for r in RATES.values())
    return _load("point", rates=rates, view=view)


def histogram_sql(view: str) -> str:
    """Per (group, measure, weight, value): how many families. The bootstrap resamples these."""
    parts = [f"SELECT grp, 'families' AS measure, weight AS w, 1.0 AS x, count(*) AS n FROM {view} GROUP BY grp, weight"]
    for r in RATES.values():
        value = f"round({r.column}, {r.digits})" if r.digits is not None else r.column
        parts.append(f"SELECT grp, {sql.literal(r.key)} AS measure, weight AS w, {value} AS x, count(*) AS n FROM {view} "
                     f"WHERE {r.column} IS NOT NULL GROUP BY grp, weight, {value}")
    return "\nUNION ALL\n".join(parts)
