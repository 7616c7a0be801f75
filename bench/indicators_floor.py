"""The hand-written DuckDB floors for ``patentq indicators``: the same per-family work, and 5-year citations.

``bench/scale.py`` times the indicators stage against two floors:

- the **narrow floor** (``narrow_floor_sql``): 5-year family-to-family forward citations only,
  the single measure ``bench/indicators.py`` also uses;
- the **same-work floor** (``floor_sql``): SQL written by hand, as an analyst who knows DuckDB
  would write it, computing what the stage computes per family. It is two statements: the
  family-to-family links go to a temporary table first, because as one query (the links a CTE
  read five times) it ran out of memory at 10M families even with a 16 GB limit. It computes:
  - from the members: first publication date, family size (offices other than WO), granted,
    claims (at the first grant, else the maximum);
  - from the citations: forward citations within 3, 5 and 7 years, the 5-year count without
    same-applicant links and with X/Y links only, backward citations (in the lake and outside)
    and NPL;
  - the OECD measures: scope, generality, originality and radicalness on IPC subclasses (CPC
    subclasses for families without IPC);
  - the majority WIPO field through the same concordance (data, not patentq logic).

The floor writes no Parquet; it returns checksums (count and sum of each measure), which
``stage_checksum_sql`` computes from the tables the stage wrote; ``bench/scale.py`` and
``bench/indicators.py`` refuse to print a ratio when they differ. It omits what the synthetic lakes do not have and the stage
needs for real exports: reported counts (Lens), surrogate-family merging, numbers cited with a
kind code that a kind-less number must match, and the cohort normalisation of the composite
indices (about 2% of the stage at 10M). Every one of those the stage does and the floor does
not: the ratio is, if anything, unfavourable to the stage.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from patentq.indicators import concordance_sql  # noqa: E402

#: The measures checked, as (name, stage table, stage expression). Integers must be equal;
#: float sums agree to a relative 1e-9.
MEASURES = (
    ("families", "families", "count(*)"),
    ("family_size", "families", "sum(family_size)"),
    ("granted", "families", "count(*) FILTER (WHERE granted)"),
    ("claims", "families", "sum(claims)"),
    ("first_pub_days", "families", "sum(first_publication_date - DATE '2000-01-01')"),
    ("fwd_3", "family_ind_citations", "sum(fwd_cits_3)"),
    ("fwd_5", "family_ind_citations", "sum(fwd_cits_5)"),
    ("fwd_7", "family_ind_citations", "sum(fwd_cits_7)"),
    ("fwd_5_xapp", "family_ind_citations", "sum(fwd_cits_5_xapp)"),
    ("fwd_5_xy", "family_ind_citations", "sum(fwd_cits_5_xy)"),
    ("bwd", "family_ind_citations", "sum(bwd_cits)"),
    ("bwd_in_lake", "family_ind_citations", "sum(bwd_cits_in_lake)"),
    ("npl", "family_ind_citations", "sum(npl_cits)"),
    ("scope", "family_ind_oecd", "sum(scope)"),
    ("generality", "family_ind_oecd", "sum(generality)"),
    ("originality", "family_ind_oecd", "sum(originality)"),
    ("radicalness", "family_ind_oecd", "sum(radicalness)"),
    ("field", "family_ind_fields", "sum(cohort_field)"),
    ("n_fields", "family_ind_fields", "sum(n_fields)"),
    ("fwd_5_families", "family_ind_citations", "count(*) FILTER (WHERE fwd_cits_5 > 0)"),
)

NARROW = """
WITH fam AS (SELECT family_id, min(publication_date) AS first_pub,
                    country_code || '-' || split_part(publication_number, '-', 2) AS base
             FROM publications GROUP BY family_id, base),
     first AS (SELECT family_id, min(first_pub) AS first_pub FROM fam GROUP BY family_id)
SELECT count(*), sum(n) FROM (
  SELECT cited.family_id, count(DISTINCT citing.family_id) AS n
  FROM citations c
  JOIN fam cited ON cited.base = c.cited_publication_number
  JOIN fam citing ON citing.base = c.citing_publication_number
  JOIN first f ON f.family_id = cited.family_id
  WHERE citing.family_id <> cited.family_id AND citing.first_pub <= f.first_pub + INTERVAL 5 YEAR
  GROUP BY cited.family_id)"""

FLOOR = """
-- the family-to-family links are written first: one query holding them as a CTE for its five
-- readers ran out of memory at 10M families (100M citations) even with 16 GB
CREATE OR REPLACE TEMP TABLE floor_links AS
-- numbers are matched without kind: one row per (number without kind, family), dated by its first member
WITH by_base AS (
  SELECT {base_pn} AS base,
         family_id, min(publication_date) AS d
  FROM publications WHERE family_id IS NOT NULL GROUP BY 1, 2)
SELECT ci.family_id AS citing, ce.family_id AS cited, min(ci.d) AS d,
       min(ci.d) FILTER (WHERE c.category LIKE '%X%' OR c.category LIKE '%Y%') AS xy_d
FROM citations c
JOIN by_base ci ON ci.base = {citing}
LEFT JOIN by_base ce ON ce.base = {base_cited}
WHERE c.cited_publication_number IS NOT NULL AND ce.family_id IS DISTINCT FROM ci.family_id
GROUP BY ci.family_id, ce.family_id,
         CASE WHEN ce.family_id IS NULL THEN {base_cited} END;

WITH pub AS (
  SELECT family_id, publication_number, country_code, publication_date, grant_date, claims_count,
         is_grant OR grant_date IS NOT NULL AS grant,
         {base_pn} AS base
  FROM publications WHERE family_id IS NOT NULL),
fam AS (
  SELECT family_id, min(publication_date) AS first_pub,
         count(DISTINCT country_code) FILTER (WHERE country_code <> 'WO') AS family_size,
         bool_or(grant) AS granted,
         coalesce(arg_min(claims_count, (coalesce(grant_date, publication_date), publication_number))
                    FILTER (WHERE grant), max(claims_count)) AS claims
  FROM pub GROUP BY family_id),
by_base AS (SELECT base, family_id FROM pub GROUP BY base, family_id),
links AS (SELECT * FROM floor_links),
npl AS (
  SELECT ci.family_id, count(DISTINCT c.npl_text) AS npl
  FROM citations c JOIN by_base ci ON ci.base = {citing}
  WHERE c.cited_publication_number IS NULL AND c.npl_text IS NOT NULL GROUP BY 1),
applicant AS (
  SELECT DISTINCT p.family_id, coalesce(pa.group_name, upper(trim(pa.name))) AS name
  FROM parties pa JOIN pub p USING (publication_number)
  WHERE pa.role = 'applicant' AND trim(pa.name) <> ''),
shared AS (
  SELECT DISTINCT l.citing, l.cited FROM links l JOIN applicant a ON a.family_id = l.citing
  WHERE EXISTS (SELECT 1 FROM applicant b WHERE b.family_id = l.cited AND b.name = a.name)),
fwd AS (
  SELECT l.cited AS family_id,
         count(*) FILTER (WHERE l.d <= f.first_pub + INTERVAL 3 YEAR) AS fwd_3,
         count(*) FILTER (WHERE l.d <= f.first_pub + INTERVAL 5 YEAR) AS fwd_5,
         count(*) FILTER (WHERE l.d <= f.first_pub + INTERVAL 7 YEAR) AS fwd_7,
         count(*) FILTER (WHERE l.d <= f.first_pub + INTERVAL 5 YEAR AND s.cited IS NULL) AS fwd_5_xapp,
         count(*) FILTER (WHERE l.xy_d <= f.first_pub + INTERVAL 5 YEAR) AS fwd_5_xy
  FROM links l JOIN fam f ON f.family_id = l.cited
  LEFT JOIN shared s ON s.citing = l.citing AND s.cited = l.cited
  GROUP BY 1),
bwd AS (SELECT citing AS family_id, count(*) AS bwd, count(cited) AS bwd_in_lake FROM links GROUP BY 1),
-- IPC subclasses, CPC where a family has no IPC code
codes AS (
  SELECT DISTINCT p.family_id, c.scheme, c.code FROM classifications c JOIN pub p USING (publication_number)
  WHERE c.scheme IN ('ipc', 'cpc') AND length(c.code) >= 4),
chosen AS (
  SELECT family_id, code FROM (
    SELECT *, bool_or(scheme = 'ipc') OVER (PARTITION BY family_id) AS has_ipc FROM codes)
  WHERE scheme = 'ipc' OR NOT has_ipc),
sub AS (SELECT DISTINCT family_id, substr(code, 1, 4) AS subclass FROM chosen),
weighted AS (SELECT family_id, subclass, 1.0 / count(*) OVER (PARTITION BY family_id) AS w FROM sub),
gen AS (
  SELECT family_id, 1 - sum(w * w) / (sum(w) * sum(w)) AS generality FROM (
    SELECT l.cited AS family_id, s.subclass, sum(s.w) AS w
    FROM links l JOIN weighted s ON s.family_id = l.citing WHERE l.cited IS NOT NULL GROUP BY 1, 2)
  GROUP BY 1),
ori AS (
  SELECT o.family_id, 1 - sum(o.w * o.w) / (sum(o.w) * sum(o.w)) AS originality,
         sum(o.n) FILTER (WHERE own.subclass IS NULL) * 1.0 / sum(o.n) AS radicalness
  FROM (SELECT l.citing AS family_id, s.subclass, sum(s.w) AS w, count(*) AS n
        FROM links l JOIN weighted s ON s.family_id = l.cited WHERE l.cited IS NOT NULL GROUP BY 1, 2) o
  LEFT JOIN sub own ON own.family_id = o.family_id AND own.subclass = o.subclass
  GROUP BY 1),
scope AS (SELECT family_id, count(*) AS scope FROM sub GROUP BY 1),
concordance AS ({concordance}),
field_codes AS (
  SELECT ch.family_id, coalesce(g.field_number, s.field_number) AS field
  FROM (SELECT DISTINCT family_id, code FROM chosen) ch
  LEFT JOIN concordance g ON length(g.ipc_prefix) > 4 AND g.ipc_prefix = split_part(ch.code, '/', 1)
  LEFT JOIN concordance s ON length(s.ipc_prefix) = 4 AND s.ipc_prefix = substr(ch.code, 1, 4)),
fields AS (
  SELECT family_id, arg_min(field, (-n, field)) AS field, count(*) AS n_fields FROM (
    SELECT family_id, field, count(*) AS n FROM field_codes WHERE field IS NOT NULL GROUP BY 1, 2)
  GROUP BY 1)
SELECT count(*) AS families, sum(f.family_size) AS family_size, count(*) FILTER (WHERE f.granted) AS granted,
       sum(f.claims) AS claims, sum(f.first_pub - DATE '2000-01-01') AS first_pub_days,
       sum(coalesce(fwd.fwd_3, 0)) AS fwd_3, sum(coalesce(fwd.fwd_5, 0)) AS fwd_5,
       sum(coalesce(fwd.fwd_7, 0)) AS fwd_7, sum(coalesce(fwd.fwd_5_xapp, 0)) AS fwd_5_xapp,
       sum(coalesce(fwd.fwd_5_xy, 0)) AS fwd_5_xy, sum(coalesce(b.bwd, 0)) AS bwd,
       sum(coalesce(b.bwd_in_lake, 0)) AS bwd_in_lake, sum(coalesce(n.npl, 0)) AS npl,
       sum(coalesce(sc.scope, 0)) AS scope, sum(g.generality) AS generality, sum(o.originality) AS originality,
       sum(CASE WHEN sc.scope IS NOT NULL THEN o.radicalness END) AS radicalness,
       sum(fi.field) AS field, sum(fi.n_fields) AS n_fields,
       count(*) FILTER (WHERE fwd.fwd_5 > 0) AS fwd_5_families
FROM fam f
LEFT JOIN fwd ON fwd.family_id = f.family_id
LEFT JOIN bwd b ON b.family_id = f.family_id
LEFT JOIN npl n ON n.family_id = f.family_id
LEFT JOIN scope sc ON sc.family_id = f.family_id
LEFT JOIN gen g ON g.family_id = f.family_id
LEFT JOIN ori o ON o.family_id = f.family_id
LEFT JOIN fields fi ON fi.family_id = f.family_id
"""


#: A publication number without its kind code (``US-8926509-B2`` → ``US-8926509``), written
#: here rather than imported so the floor shares no logic with the stage it checks.
WITHOUT_KIND = "split_part({col}, '-', 1) || '-' || split_part({col}, '-', 2)"


def floor_sql(citing_with_kind: bool = False) -> str:
    """The same-work floor. Synthetic scale lakes cite without kind codes, so citing numbers are
    joined as they are; ``citing_with_kind`` cuts the kind first (the ``bench/indicators.py``
    lake, whose citing numbers carry kinds and whose bases are one publication each)."""
    citing = WITHOUT_KIND.format(col="c.citing_publication_number") if citing_with_kind else "c.citing_publication_number"
    return FLOOR.format(concordance=concordance_sql(), citing=citing,
                        base_pn=WITHOUT_KIND.format(col="publication_number"),
                        base_cited=WITHOUT_KIND.format(col="c.cited_publication_number"))


def narrow_floor_sql() -> str:
    return NARROW


def stage_checksum_sql() -> str:
    """The same checksums from the tables ``patentq indicators`` wrote (whole lake)."""
    return "SELECT " + ", ".join(f"(SELECT {expr} FROM {table}) AS {name}" for name, table, expr in MEASURES)


def differences(stage: tuple, floor: tuple, skip: tuple = ()) -> list[str]:
    """The measures on which stage and floor disagree (empty when they are the same work);
    ``skip``: measures another floor checks (the forward counts, with context documents)."""
    out = []
    for (name, _, _), a, b in zip(MEASURES, stage, floor, strict=True):
        if name in skip:
            continue
        if isinstance(a, float) or isinstance(b, float):
            same = a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
        else:
            same = (a or 0) == (b or 0)
        if not same:
            out.append(f"{name}: stage {a} != floor {b}")
    return out


def checked(con, found, where: str, skip: tuple = ()) -> dict:
    """The stage's checksums, by measure name, after checking that the floor's ``found`` equal
    them; stops the benchmark (no ratio printed) when they differ: the floor is not the same work."""
    stage = con.execute(stage_checksum_sql()).fetchone()
    wrong = differences(tuple(stage), tuple(found), skip)
    if wrong:
        raise SystemExit(f"indicators floor and stage disagree on {where}: " + "; ".join(wrong)
                         + "; fix bench/indicators_floor.py (or the stage) before comparing times")
    return dict(zip((m[0] for m in MEASURES), stage, strict=True))
