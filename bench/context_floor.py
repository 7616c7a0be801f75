"""The hand-written DuckDB floor of the indicators' context work (issue 13's scale case).

With context documents, ``patentq indicators`` counts forward citations over the lake's own
links *and* the citing families outside the lake, each labelled foreign (no shared inventor
country, else applicant country, else office) and self (a shared applicant). This floor computes
the same forward counts, written by hand as an analyst who knows DuckDB would, on a
``patentq synth --context-documents N`` lake:

- the links: the lake's citations and the context documents' lifted to (citing family, cited
  family), numbers matched without kind, each pair dated by its earliest citing document;
- per cited family, within 3/5/7 years of its first publication: all links, those from other
  applicants, those with an X/Y citation, those from abroad, those from context documents.

It relies on what the synthetic lake guarantees and the stage cannot assume: context families
never share an id with the lake's, a context document is never a lake publication, applicant
names are their own group. ``bench/scale.py --context`` runs it beside the base floor
(``indicators_floor.py``, whose other measures it checks as before) and checks these sums
against the stage's tables; the same-work floor time is the sum of both.
"""

from __future__ import annotations

from indicators_floor import WITHOUT_KIND

LINKS = """
CREATE OR REPLACE TEMP TABLE cf_links AS
WITH by_base AS (
  SELECT {base_pn} AS base, family_id, min(publication_date) AS d
  FROM publications WHERE family_id IS NOT NULL GROUP BY 1, 2),
lake AS (
  SELECT ci.family_id AS citing, ce.family_id AS cited, min(ci.d) AS d,
         min(ci.d) FILTER (WHERE c.category LIKE '%X%' OR c.category LIKE '%Y%') AS xy_d, 0 AS context
  FROM citations c
  JOIN by_base ci ON ci.base = c.citing_publication_number
  JOIN by_base ce ON ce.base = {base_cited}
  WHERE ci.family_id <> ce.family_id GROUP BY 1, 2),
outside AS (
  SELECT x.family_id AS citing, ce.family_id AS cited, min(x.publication_date) AS d,
         min(x.publication_date) FILTER (WHERE c.category LIKE '%X%' OR c.category LIKE '%Y%') AS xy_d, 1 AS context
  FROM citations c
  JOIN context_documents x ON x.publication_number = c.citing_publication_number
  JOIN by_base ce ON ce.base = {base_cited}
  GROUP BY 1, 2)
SELECT * FROM lake UNION ALL SELECT * FROM outside;

CREATE OR REPLACE TEMP TABLE cf_countries AS
-- (family, level, country): 1 inventors, 2 applicants, 3 offices (WO and EP are no country)
WITH pub AS (SELECT publication_number, family_id, country_code FROM publications)
SELECT DISTINCT p.family_id, CASE pa.role WHEN 'inventor' THEN 1 ELSE 2 END AS level, pa.country_code AS c
FROM parties pa JOIN pub p USING (publication_number) WHERE pa.country_code IS NOT NULL
UNION ALL SELECT DISTINCT family_id, 3, country_code FROM pub WHERE country_code NOT IN ('WO', 'EP')
UNION ALL SELECT DISTINCT family_id, 1, unnest(inventor_countries) FROM context_documents
UNION ALL SELECT DISTINCT family_id, 2, unnest(applicant_countries) FROM context_documents
UNION ALL SELECT DISTINCT family_id, 3, country_code FROM context_documents;

-- each link with the level its foreign test is decided at, and the citing family's countries there
-- (tables of their own, here and for the names: joined in one query, the optimiser paired the two
-- families' lists first, squaring every large country and applicant: 50 GB of spill at 1M families)
CREATE OR REPLACE TEMP TABLE cf_decided AS
WITH levels AS (SELECT family_id, bool_or(level = 1) AS l1, bool_or(level = 2) AS l2, bool_or(level = 3) AS l3
                FROM cf_countries GROUP BY 1)
SELECT l.*, CASE WHEN a.l1 AND b.l1 THEN 1 WHEN a.l2 AND b.l2 THEN 2 WHEN a.l3 AND b.l3 THEN 3 END AS level
FROM cf_links l JOIN levels a ON a.family_id = l.citing JOIN levels b ON b.family_id = l.cited;

CREATE OR REPLACE TEMP TABLE cf_citing_countries AS
SELECT d.citing, d.cited, d.level, a.c FROM cf_decided d JOIN cf_countries a ON a.family_id = d.citing AND a.level = d.level;

CREATE OR REPLACE TEMP TABLE cf_names AS
SELECT DISTINCT p.family_id, coalesce(pa.group_name, upper(trim(pa.name))) AS name
FROM parties pa JOIN publications p USING (publication_number) WHERE pa.role = 'applicant' AND trim(pa.name) <> ''
UNION SELECT DISTINCT family_id, upper(trim(unnest(applicant_names))) FROM context_documents;

CREATE OR REPLACE TEMP TABLE cf_citing_names AS
SELECT l.citing, l.cited, a.name FROM cf_links l JOIN cf_names a ON a.family_id = l.citing;

WITH fam AS (SELECT family_id, min(publication_date) AS first_pub FROM publications GROUP BY 1),
decided AS (SELECT * FROM cf_decided),
domestic AS (
  SELECT DISTINCT x.citing, x.cited FROM cf_citing_countries x
  JOIN cf_countries b ON b.family_id = x.cited AND b.level = x.level AND b.c = x.c),
shared AS (
  SELECT DISTINCT x.citing, x.cited FROM cf_citing_names x
  JOIN cf_names b ON b.family_id = x.cited AND b.name = x.name),
fwd AS (
  SELECT d.cited AS family_id,
         count(*) FILTER (WHERE d.d <= f.first_pub + INTERVAL 3 YEAR) AS fwd_3,
         count(*) FILTER (WHERE d.d <= f.first_pub + INTERVAL 5 YEAR) AS fwd_5,
         count(*) FILTER (WHERE d.d <= f.first_pub + INTERVAL 7 YEAR) AS fwd_7,
         count(*) FILTER (WHERE d.d <= f.first_pub + INTERVAL 5 YEAR AND s.cited IS NULL) AS fwd_5_xapp,
         count(*) FILTER (WHERE d.xy_d <= f.first_pub + INTERVAL 5 YEAR) AS fwd_5_xy,
         count(*) FILTER (WHERE d.d <= f.first_pub + INTERVAL 5 YEAR AND d.level IS NOT NULL
                          AND dom.cited IS NULL) AS fwd_5_foreign,
         count(*) FILTER (WHERE d.d <= f.first_pub + INTERVAL 5 YEAR AND d.context = 1) AS fwd_5_context
  FROM decided d JOIN fam f ON f.family_id = d.cited
  LEFT JOIN shared s ON s.citing = d.citing AND s.cited = d.cited
  LEFT JOIN domestic dom ON dom.citing = d.citing AND dom.cited = d.cited
  GROUP BY 1)
SELECT sum(fwd_3), sum(fwd_5), sum(fwd_7), sum(fwd_5_xapp), sum(fwd_5_xy), sum(fwd_5_foreign), sum(fwd_5_context),
       count(*) FILTER (WHERE fwd_5 > 0)
FROM fwd
"""

#: The forward measures this floor checks (name, stage expression over family_ind_citations);
#: the base floor's checks of these names are left to this floor in the context case.
MEASURES = (("fwd_3", "sum(fwd_cits_3)"), ("fwd_5", "sum(fwd_cits_5)"), ("fwd_7", "sum(fwd_cits_7)"),
            ("fwd_5_xapp", "sum(fwd_cits_5_xapp)"), ("fwd_5_xy", "sum(fwd_cits_5_xy)"),
            ("fwd_5_foreign", "sum(fwd_cits_5_foreign)"), ("fwd_5_context", "sum(fwd_cits_5_context)"),
            ("fwd_5_families", "count(*) FILTER (WHERE fwd_cits_5 > 0)"))


def floor_sql() -> str:
    return LINKS.format(base_pn=WITHOUT_KIND.format(col="publication_number"),
                        base_cited=WITHOUT_KIND.format(col="c.cited_publication_number"))


def checked(con, found, where: str) -> dict:
    """The stage's sums after checking the floor's ``found`` equal them (else stop: not the same work)."""
    stage = con.execute("SELECT " + ", ".join(e for _, e in MEASURES) + " FROM family_ind_citations").fetchone()
    wrong = [f"{n}: stage {a} != floor {b}" for (n, _), a, b in zip(MEASURES, stage, found, strict=True)
             if (a or 0) != (b or 0)]
    if wrong:
        raise SystemExit(f"context floor and stage disagree on {where}: " + "; ".join(wrong))
    return dict(zip((n for n, _ in MEASURES), stage, strict=True))
