"""Fast paths in front of the general ``pq_*`` normaliser macros, for adapters mapping in DuckDB.

The general macros (``normalize.SQL_MACROS``) handle every layout with nested regular
expressions, which dominates the mapping time of large bulk files. Most values in Google,
PatentsView and PATSTAT exports are already canonical, or canonical once spaces are removed;
those are recognised with one full-match regex and passed through, everything else goes to the
general macro. The fast patterns accept only strings the general macro returns unchanged
(no leading zeros, US numbers of at most 10 digits, subgroups without trailing zeros beyond two
digits), so results are identical; ``tests/test_patentsview.py`` checks this on mixed values.
"""

from __future__ import annotations

MACROS = r"""
CREATE OR REPLACE MACRO fq_code(raw) AS
  CASE WHEN regexp_full_match(replace(raw, ' ', ''), '[A-HY]\d\d[A-Z][1-9]\d{0,3}/(\d\d|\d\d+[1-9])')
       THEN replace(raw, ' ', '') ELSE pq_classification(raw) END;
CREATE OR REPLACE MACRO fq_pn(raw) AS
  CASE WHEN regexp_full_match(raw, '[A-Z]{2}-[A-Z]{0,2}[1-9]\d{0,9}(-[A-Z]\d?)?') THEN raw
       WHEN raw IS NULL OR trim(raw) = '' THEN NULL ELSE coalesce(pq_publication_number(raw), upper(trim(raw))) END;
CREATE OR REPLACE MACRO fq_pn3(cc, num, kind) AS
  CASE WHEN regexp_full_match(cc, '[A-Z]{2}') AND regexp_full_match(num, '[A-Z]{0,2}[1-9]\d{0,9}')
            AND (kind IS NULL OR kind = '' OR regexp_full_match(kind, '[A-Z]\d?'))
       THEN cc || '-' || num || CASE WHEN kind IS NULL OR kind = '' THEN '' ELSE '-' || kind END
       ELSE pq_publication_number3(cc, num, kind) END;
"""


def install(con) -> None:
    """Define the ``fq_*`` macros (the ``pq_*`` macros must be installed already)."""
    for statement in MACROS.split(";"):
        if statement.strip():
            con.execute(statement)
