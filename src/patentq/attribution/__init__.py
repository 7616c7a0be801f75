"""Attribution: which country or applicant group a family counts for, and with what weight.

``attribution_sql(by, counting)`` returns portable SQL (DuckDB dialect, transpilable to Spark by
sqlglot: no macros, no QUALIFY, no lambdas) yielding one row per (``family_id``, ``group``)
with a ``weight``:

- ``by``:
  - ``inventor-country`` / ``applicant-country``: residence of the family's inventors /
    applicants (``families.inventor_countries`` / ``applicant_countries``, filled across
    members), the WIPO landscape default being inventor country;
  - ``priority-office``: the office of first filing (``families.priority_office``);
  - ``office``: every office where the family has a member, WO and EP included, i.e. where
    protection is sought;
  - ``applicant-group``: the harmonised corporate group of each applicant
    (``applicant_groups``, see harmonize.py).
- ``counting``:
  - ``whole``: weight 1 for every group of the family (a family with inventors in CN and US
    counts once for each; totals exceed the number of families);
  - ``fractional``: weights sum to 1 per family. For countries the share is the share of the
    family's distinct inventors (applicants) resident in each country (OECD practice, see
    docs/attribution.md); for offices and applicant groups, an equal split.

Every family of ``families`` gets at least one row: a family with nothing known for ``by`` is
credited to the group ``UNKNOWN`` (weight 1), never dropped. Nothing is stored by default; the
callers (compare, report) aggregate the rows.
"""

from __future__ import annotations

import pyarrow as pa

from .errors import UsageError

BY = ("inventor-country", "applicant-country", "priority-office", "office", "applicant-group")
COUNTING = ("whole", "fractional")
UNKNOWN = "UNKNOWN"
#: ``by`` values whose groups are country or office codes (``filed_outside_sql`` needs one).
COUNTRY_BY = ("inventor-country", "applicant-country", "priority-office", "office")


def _check(by: str, counting: str) -> None:
    if by not in BY:
        raise UsageError(f"unknown attribution {by!r}", hint=f"choose one of {', '.join(BY)}")
    if counting not in COUNTING:
        raise UsageError(f"unknown counting {counting!r}", hint=f"choose one of {', '.join(COUNTING)}")


def member_families_sql(members: str) -> str:
    """Public name for the publication → family mapping query (see ``_members``)."""
    return _members(members)


def _members(members: str) -> str:
    """The publication → family mapping: ``family_members`` (surrogate ids resolved, written
    by families.py) when present, else the raw ``publications.family_id``."""
    if members == "family_members":
        return "SELECT publication_number, family_id FROM family_members"
    return "SELECT DISTINCT publication_number, family_id FROM publications"


def _residence_sql(role: str, array_column: str, counting: str, members: str) -> str:
    """Inventor or applicant countries. Fractional weights: each distinct person (by upper-cased
    name within the family) counts once, in the country given for them (the smallest code if
    members disagree); people without a known residence are left out of the shares. A family
    whose parties carry no residence but whose ``families`` row lists countries (a source giving
    countries only) is split equally between them."""
    if counting == "whole":
        return f"""
WITH listed AS (
  SELECT family_id, country FROM (SELECT family_id, unnest({array_column}) AS country FROM families) u
  WHERE country IS NOT NULL
)
SELECT f.family_id, coalesce(l.country, '{UNKNOWN}') AS "group", CAST(1 AS DOUBLE) AS weight
FROM families f LEFT JOIN (SELECT DISTINCT family_id, country FROM listed) l ON l.family_id = f.family_id
"""
    return f"""
WITH members AS ({_members(members)}),
people AS (
  SELECT m.family_id,
         coalesce(upper(trim(p.name)), '#' || p.publication_number || '#' || CAST(p.seq AS VARCHAR)) AS person,
         min(p.country_code) AS country
  FROM parties p JOIN members m ON m.publication_number = p.publication_number
  WHERE p.role = '{role}' AND p.country_code IS NOT NULL AND trim(p.country_code) <> ''
  GROUP BY m.family_id, coalesce(upper(trim(p.name)), '#' || p.publication_number || '#' || CAST(p.seq AS VARCHAR))
),
per_country AS (SELECT family_id, country, count(*) AS people FROM people GROUP BY family_id, country),
per_family AS (SELECT family_id, sum(people) AS people FROM per_country GROUP BY family_id),
shares AS (
  SELECT c.family_id, c.country, CAST(c.people AS DOUBLE) / t.people AS weight
  FROM per_country c JOIN per_family t ON t.family_id = c.family_id
),
listed AS (
  SELECT DISTINCT family_id, country
  FROM (SELECT family_id, unnest({array_column}) AS country FROM families) u
  WHERE country IS NOT NULL
),
listed_n AS (SELECT family_id, count(*) AS n FROM listed GROUP BY family_id),
equal_split AS (
  SELECT l.family_id, l.country, CAST(1 AS DOUBLE) / n.n AS weight
  FROM listed l JOIN listed_n n ON n.family_id = l.family_id
),
chosen AS (
  SELECT family_id, country, weight FROM shares
  UNION ALL
  SELECT e.family_id, e.country, e.weight
  FROM equal_split e LEFT JOIN per_family t ON t.family_id = e.family_id
  WHERE t.family_id IS NULL
)
SELECT f.family_id, coalesce(c.country, '{UNKNOWN}') AS "group", coalesce(c.weight, CAST(1 AS DOUBLE)) AS weight
FROM families f LEFT JOIN chosen c ON c.family_id = f.family_id
"""


def _office_sql(counting: str) -> str:
    weight = "CAST(1 AS DOUBLE)" if counting == "whole" else "CAST(1 AS DOUBLE) / n.n"
    return f"""
WITH listed AS (
  SELECT DISTINCT family_id, office
  FROM (SELECT family_id, unnest(offices) AS office FROM families) u
  WHERE office IS NOT NULL
),
listed_n AS (SELECT family_id, count(*) AS n FROM listed GROUP BY family_id)
SELECT f.family_id, coalesce(l.office, '{UNKNOWN}') AS "group",
       CASE WHEN l.office IS NULL THEN CAST(1 AS DOUBLE) ELSE {weight} END AS weight
FROM families f
LEFT JOIN listed l ON l.family_id = f.family_id
LEFT JOIN listed_n n ON n.family_id = f.family_id
"""


def _priority_office_sql() -> str:
    return f"""
SELECT family_id, coalesce(nullif(trim(priority_office), ''), '{UNKNOWN}') AS "group", CAST(1 AS DOUBLE) AS weight
FROM families
"""


def _applicant_group_sql(counting: str, members: str, groups: str) -> str:
    """Applicants → ``applicant_groups.group_name``; a name the table lacks (harmonised before
    the last ingest) keeps its own trimmed spelling. Fractional: equal split between the
    family's distinct groups, because one applicant often appears under two spellings across
    members (``Google Inc`` on the EP member, ``Google LLC`` on the US one)."""
    weight = "CAST(1 AS DOUBLE)" if counting == "whole" else "CAST(1 AS DOUBLE) / n.n"
    return f"""
WITH members AS ({_members(members)}),
applicants AS (
  SELECT DISTINCT m.family_id, coalesce(g.group_name, trim(p.name)) AS grp
  FROM parties p
  JOIN members m ON m.publication_number = p.publication_number
  LEFT JOIN {groups} g ON g.name = p.name
  WHERE p.role = 'applicant' AND p.name IS NOT NULL AND trim(p.name) <> ''
),
applicants_n AS (SELECT family_id, count(*) AS n FROM applicants GROUP BY family_id)
SELECT f.family_id, coalesce(a.grp, '{UNKNOWN}') AS "group",
       CASE WHEN a.grp IS NULL THEN CAST(1 AS DOUBLE) ELSE {weight} END AS weight
FROM families f
LEFT JOIN applicants a ON a.family_id = f.family_id
LEFT JOIN applicants_n n ON n.family_id = f.family_id
"""


#: Stands in for ``applicant_groups`` in a lake not yet harmonised: every name is its own group.
NO_GROUPS = "(SELECT CAST(NULL AS VARCHAR) AS name, CAST(NULL AS VARCHAR) AS group_name WHERE 1 = 0)"


def attribution_sql(by: str = "inventor-country", counting: str = "whole", members: str = "family_members",
                    groups: str = "applicant_groups") -> str:
    """SQL yielding ``(family_id, group, weight)`` over the ``families`` table (module docstring).

    ``members`` names the publication → family mapping: ``family_members`` (default) or
    ``publications`` for a lake whose families were built without it. ``groups`` is the
    name → group relation (``NO_GROUPS`` before harmonisation).
    """
    _check(by, counting)
    if by == "inventor-country":
        return _residence_sql("inventor", "inventor_countries", counting, members)
    if by == "applicant-country":
        return _residence_sql("applicant", "applicant_countries", counting, members)
    if by == "priority-office":
        return _priority_office_sql()
    if by == "office":
        return _office_sql(counting)
    return _applicant_group_sql(counting, members, groups)


def filed_outside_sql(by: str = "inventor-country", counting: str = "whole", members: str = "family_members") -> str:
    """``attribution_sql`` plus ``filed_outside``: whether the family has a member at an office
    other than the attributed country's own, WO (a PCT application is not protection anywhere
    yet) excluded. EP counts as outside for every country, even EPO member states: the rule is
    kept to "office code ≠ country code" so it means the same everywhere (docs/attribution.md).
    NULL for the ``UNKNOWN`` group."""
    if by not in COUNTRY_BY:
        raise UsageError(f"filed-outside needs a country attribution, not {by!r}",
                         hint=f"choose one of {', '.join(COUNTRY_BY)}")
    return f"""
WITH attributed AS ({attribution_sql(by, counting, members)}),
member_offices AS (
  SELECT DISTINCT family_id, office
  FROM (SELECT family_id, unnest(offices) AS office FROM families) u
  WHERE office IS NOT NULL
)
SELECT a.family_id, a."group", a.weight,
       CASE WHEN a."group" = '{UNKNOWN}' THEN NULL
            ELSE max(CASE WHEN o.office <> a."group" AND o.office <> 'WO' THEN 1 ELSE 0 END) = 1 END AS filed_outside
FROM attributed a LEFT JOIN member_offices o ON o.family_id = a.family_id
GROUP BY a.family_id, a."group", a.weight
"""


def members_table(lake) -> str:
    """``family_members`` if the lake has it, else ``publications``."""
    return "family_members" if "family_members" in lake.manifest.get("derived", {}) else "publications"


def attribute(engine, by: str = "inventor-country", counting: str = "whole", filed_outside: bool = False) -> pa.Table:
    """Run the attribution on ``engine``'s lake (small results; for large ones, use the SQL).

    Builds ``applicant_groups`` first when ``by`` needs it and the lake's is missing or stale.
    """
    _check(by, counting)
    derived = engine.lake.manifest.get("derived", {})
    if "families" not in derived:
        raise UsageError("the lake has no families table",
                         hint="build it first: `patentq indicators --lake DIR` (or patentq.families.families)")
    if by == "applicant-group":
        from .harmonize import harmonize_lake, is_current

        if not is_current(engine.lake):
            harmonize_lake(engine)
    members = members_table(engine.lake)
    sql = filed_outside_sql(by, counting, members) if filed_outside else attribution_sql(by, counting, members)
    return engine.query(sql + ' ORDER BY family_id, "group"')
