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


def measures_sql(attributed: str, universe: str, counting: str = "whole", quality: str = "fwd5") -> str:
    """``frac``: the family's fractional weight for concentration measures: the attribution's
    own under fractional counting, an equal split among the family's groups under whole.
    ``quality`` (``--quality``): the family_indicators flag the quality-adjusted count reads."""
    from .conventions import QUALITY_BASES

    frac = "a.weight" if counting == "fractional" else "1.0 / count(*) OVER (PARTITION BY a.family_id)"
    return _load("measures", attributed=attributed, universe=universe, frac=frac,
                 quality_flag="i." + QUALITY_BASES[quality][0])


def population_sql(attributed: str, universe: str) -> str:
    """(family_id, grp, weight) of every family of the year window, landscape or not: the
    denominator of revealed technological advantage."""
    return _load("population", attributed=attributed, universe=universe)


def totals_sql(view: str) -> str:
    return _load("totals", view=view)


def measured_sql(view: str) -> str:
    """How many compared families have a value of each rate (one column per rate key)."""
    counts = ", ".join(f"count(DISTINCT CASE WHEN {r.column} IS NOT NULL THEN family_id END) AS {r.key}"
                       for r in RATES.values())
    return _load("measured", counts=counts, view=view)


@dataclass(frozen=True)
class Rate:
    """One per-group rate: its column in the measure table, its output key, the rounding of its
    values for the bootstrap histogram (None for 0/1 values) and the measure of
    ``capabilities.MEASURES`` it rests on (a lake that cannot compute that measure gets NULL)."""

    column: str
    key: str
    digits: int | None
    measure: str | None
    #: counted whole (each family once per group) whatever the counting: reach shares, because
    #: fractional weights shrink exactly the multi-office families they count (docs/compare.md)
    whole: bool = False

    @property
    def proportion(self) -> bool:
        """A 0/1 measure: its interval is Wilson's, not the bootstrap's."""
        return self.digits is None


RATES = {r.column: r for r in (
    Rate("filed_abroad", "share_filed_abroad", None, "reach", whole=True),
    Rate("abroad_of_group", "share_outside_group_office", None, "reach", whole=True),
    Rate("ip5", "share_ip5", None, "reach", whole=True),
    Rate("triadic", "share_triadic", None, "reach", whole=True),
    Rate("reach_lower", "share_reach_lower_bound", None, None, whole=True),
    Rate("granted", "grant_rate", None, "grant"),
    Rate("fwd_total", "mean_fwd_cits_total", 1, "fwd_cits_total"),
    Rate("fwd_rel", "mean_fwd_cits_5_rel", 2, "cohort"),
    Rate("top10", "share_top10_cohort", None, "cohort"),
    Rate("top1", "share_top1_cohort", None, "cohort"),
    Rate("qi4", "mean_quality_index_4", 3, "quality_index_4"),
    Rate("claims", "mean_claims", 0, "claims"),
)}


def _weight(r: Rate) -> str:
    return "CAST(1 AS DOUBLE)" if r.whole else "weight"


def point_sql(view: str) -> str:
    """Per group: counts, and each rate as a weighted mean with, for Wilson's interval, the
    weights' sum and sum of squares over the families with a value. Sums are exact
    (``sql.exact_sum``), so every run gives the same floats."""
    parts = []
    for r in RATES.values():
        w = _weight(r)
        known = f"CASE WHEN {r.column} IS NOT NULL THEN {w} END"
        parts.append(f"{sql.exact_sum(f'{w} * {r.column}')} / {sql.exact_sum(known)} AS {r.key}")
        if r.proportion:
            parts.append(f"{sql.exact_sum(known)} AS {r.key}__w")
            parts.append(f"{sql.exact_sum(f'CASE WHEN {r.column} IS NOT NULL THEN {w} * {w} END')} AS {r.key}__w2")
    return _load("point", rates=",\n  ".join(parts), view=view)


def histogram_sql(view: str) -> str:
    """Per (group, measure, weight, value) of the continuous measures: how many families. The
    bootstrap resamples these (proportions get Wilson's interval; shares and ranks the joint
    bootstrap of ``joint.py``)."""
    parts = ["SELECT CAST(NULL AS VARCHAR) AS grp, 'none' AS measure, 1.0 AS w, 1.0 AS x, 0 AS n WHERE 1 = 0"]
    for r in RATES.values():
        if r.proportion:
            continue
        value = f"round({r.column}, {r.digits})" if r.digits is not None else r.column
        parts.append(f"SELECT grp, {sql.literal(r.key)} AS measure, {_weight(r)} AS w, {value} AS x, count(*) AS n "
                     f"FROM {view} WHERE {r.column} IS NOT NULL GROUP BY grp, {_weight(r)}, {value}")
    return "\nUNION ALL\n".join(parts)
