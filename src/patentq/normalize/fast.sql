-- Fast paths in front of the general pq_* macros (fq_*).
-- Fast paths in front of the general ``pq_*`` normaliser macros, for adapters mapping in DuckDB.
--
-- The general macros (``normalize.SQL_MACROS``) handle every layout with nested regular
-- expressions, which dominates the mapping time of large bulk files. Most values in Google,
-- PatentsView and PATSTAT exports are already canonical, or canonical once spaces are removed;
-- those are recognised with one full-match regex and passed through, everything else goes to the
-- general macro. The fast patterns accept only strings the general macro returns unchanged
-- (no leading zeros, US numbers of at most 10 digits, no number repeating its office, subgroups
-- of two to six digits without trailing zeros beyond two, spaces only where the general rule
-- drops them), so results are identical. ``fq_pn3`` also takes the
-- US pre-grant publication form (``20110185700`` → ``2011185700``, DOCDB drops the year's
-- padding zero: the same rule as ``normalize._number``) without regexes, because it is a fifth of
-- the CSET database. ``tests/test_patentsview.py`` and ``tests/test_ingest_speed.py`` check the
-- equality on mixed and generated values.
CREATE OR REPLACE MACRO fq_code(raw) AS
  CASE WHEN regexp_full_match(raw, '[A-HY][0-9][0-9][A-Z] *[1-9][0-9]{0,3} */ *([0-9][0-9]|[0-9]{2,5}[1-9])')
       THEN replace(raw, ' ', '') ELSE pq_classification(raw) END;
CREATE OR REPLACE MACRO fq_pn(raw) AS
  CASE WHEN regexp_full_match(raw, '[A-Z]{2}-[A-Z]{0,2}[1-9]\d{0,9}(-[A-Z]\d?)?') THEN raw
       WHEN raw IS NULL OR pq_trim(raw) = '' THEN NULL ELSE coalesce(pq_publication_number(raw), upper(pq_trim(raw))) END;
CREATE OR REPLACE MACRO fq_kind_ok(kind) AS kind IS NULL OR kind = '' OR regexp_full_match(kind, '[A-Z]\d?');
CREATE OR REPLACE MACRO fq_kind_part(kind) AS CASE WHEN kind IS NULL OR kind = '' THEN '' ELSE '-' || kind END;
CREATE OR REPLACE MACRO fq_pn3(cc, num, kind) AS
  CASE WHEN regexp_full_match(cc, '[A-Z]{2}') AND regexp_full_match(num, '[A-Z]{0,2}[1-9]\d*')
            AND NOT starts_with(num, cc) AND (cc <> 'US' OR length(num) <= 10) AND fq_kind_ok(kind)
       THEN cc || '-' || num || fq_kind_part(kind)
       WHEN cc = 'US' AND regexp_full_match(num, '(19|20)\d\d0\d{6}') AND fq_kind_ok(kind)
       THEN 'US-' || pq_pn_digits(cc, num) || fq_kind_part(kind)
       ELSE pq_publication_number3(cc, num, kind) END;
