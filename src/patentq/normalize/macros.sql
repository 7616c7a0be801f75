-- The normalisers of rules.py as DuckDB macros (pq_*), for adapters that map in DuckDB.
-- tests/test_normalize.py holds both equal over the same cases.
CREATE OR REPLACE MACRO pq_country_name(name) AS CASE name $country_cases ELSE NULL END;
CREATE OR REPLACE MACRO pq_publication_base(pn) AS $base_pn;
CREATE OR REPLACE MACRO pq_pn_digits(cc, num) AS (
  CASE WHEN cc = 'US' AND length(ltrim(num, '0')) = 11
            AND substr(ltrim(num, '0'), 1, 2) IN ('19', '20') AND substr(ltrim(num, '0'), 5, 1) = '0'
       THEN substr(ltrim(num, '0'), 1, 4) || substr(ltrim(num, '0'), 6)
       ELSE coalesce(nullif(ltrim(num, '0'), ''), '0') END);
CREATE OR REPLACE MACRO pq_pn_compact(raw) AS regexp_replace(upper(raw), '[\s/,.\-]', '', 'g');
CREATE OR REPLACE MACRO pq_pn_parts(compact) AS
  regexp_extract(compact, '^([A-Z]{2})([A-Z]{0,2})(\d+)([A-Z]\d?)?$', ['cc', 'prefix', 'num', 'kind']);
CREATE OR REPLACE MACRO pq_pn_join(p) AS
  CASE WHEN p.cc = '' THEN NULL
       ELSE p.cc || '-' || p.prefix || pq_pn_digits(p.cc, p.num) || CASE WHEN p.kind = '' THEN '' ELSE '-' || p.kind END END;
CREATE OR REPLACE MACRO pq_publication_number(raw) AS pq_pn_join(pq_pn_parts(pq_pn_compact(raw)));
CREATE OR REPLACE MACRO pq_pn_num_compact(cc, num) AS (
  CASE WHEN starts_with(regexp_replace(upper(num), '[\s/,\-]', '', 'g'), upper(trim(cc)))
            AND regexp_matches(substr(regexp_replace(upper(num), '[\s/,\-]', '', 'g'), 3), '^[A-Z]{0,2}\d')
       THEN substr(regexp_replace(upper(num), '[\s/,\-]', '', 'g'), 3)
       ELSE regexp_replace(upper(num), '[\s/,\-]', '', 'g') END);
CREATE OR REPLACE MACRO pq_pn_from_parts(cc, c, kind) AS (
  CASE WHEN cc IS NULL OR trim(cc) = '' OR c IS NULL OR c = '' THEN NULL
       ELSE upper(trim(cc)) || '-'
         || CASE WHEN regexp_matches(c, '^[A-Z]{0,2}\d+$')
                 THEN regexp_extract(c, '^[A-Z]*') || pq_pn_digits(upper(trim(cc)), regexp_extract(c, '\d+$'))
                 ELSE c END
         || CASE WHEN kind IS NULL OR trim(kind) = '' THEN '' ELSE '-' || upper(trim(kind)) END END);
CREATE OR REPLACE MACRO pq_publication_number3(cc, num, kind) AS (
  -- fast path for the common case (plain digits, no US pre-grant year form), same result as the general rule
  CASE WHEN num <> '' AND translate(num, '0123456789', '') = '' AND length(trim(cc)) = 2
            AND NOT (upper(trim(cc)) = 'US' AND length(ltrim(num, '0')) = 11)
       THEN upper(trim(cc)) || '-' || coalesce(nullif(ltrim(num, '0'), ''), '0')
            || CASE WHEN kind IS NULL OR trim(kind) = '' THEN '' ELSE '-' || upper(trim(kind)) END
       ELSE pq_pn_from_parts(cc, pq_pn_num_compact(cc, num), kind) END);
CREATE OR REPLACE MACRO pq_subgroup(d) AS
  CASE WHEN length(rtrim(d, '0')) >= 2 THEN rtrim(d, '0') ELSE rpad(substr(d, 1, 2), 2, '0') END;
CREATE OR REPLACE MACRO pq_cls_clean(raw) AS
  trim(regexp_replace(upper(trim(regexp_replace(raw, '\(.*?\)', '', 'g'))), '\s+[A-Z]$', ''));
CREATE OR REPLACE MACRO pq_classification(raw) AS (
  CASE
    WHEN regexp_matches(replace(pq_cls_clean(raw), ' ', ''), '^[A-HY]\d\d[A-Z]\d{4}\d{6}$') THEN
      substr(replace(pq_cls_clean(raw), ' ', ''), 1, 4)
      || CAST(CAST(substr(replace(pq_cls_clean(raw), ' ', ''), 5, 4) AS INTEGER) AS VARCHAR) || '/'
      || pq_subgroup(substr(replace(pq_cls_clean(raw), ' ', ''), 9, 6))
    WHEN regexp_matches(pq_cls_clean(raw), '^[A-HY]\d\d[A-Z]\s*\d{1,4}\s*/\s*\d{1,6}$') THEN
      regexp_extract(pq_cls_clean(raw), '^([A-HY]\d\d[A-Z])', 1)
      || CAST(CAST(regexp_extract(pq_cls_clean(raw), '^[A-HY]\d\d[A-Z]\s*(\d{1,4})', 1) AS INTEGER) AS VARCHAR) || '/'
      || pq_subgroup(regexp_extract(pq_cls_clean(raw), '/\s*(\d{1,6})$', 1))
    WHEN regexp_matches(pq_cls_clean(raw), '^[A-HY]\d\d[A-Z]$') THEN pq_cls_clean(raw)
    WHEN regexp_matches(pq_cls_clean(raw), '^[A-HY]\d\d[A-Z]\s*\d{1,4}$') THEN
      substr(pq_cls_clean(raw), 1, 4)
      || CAST(CAST(trim(substr(pq_cls_clean(raw), 5)) AS INTEGER) AS VARCHAR)
    ELSE NULL END);
CREATE OR REPLACE MACRO pq_pivot_yy(d) AS
  CASE WHEN d IS NULL THEN NULL
       WHEN year(d) % 100 <= year(current_date) % 100 + 1 THEN make_date(2000 + year(d) % 100, month(d), day(d))
       ELSE make_date(1900 + year(d) % 100, month(d), day(d)) END;
CREATE OR REPLACE MACRO pq_date(raw) AS (
  CASE
    WHEN raw IS NULL OR trim(CAST(raw AS VARCHAR)) IN ('', '0', '00000000') THEN NULL
    WHEN regexp_matches(trim(CAST(raw AS VARCHAR)), '^\d{8}$') THEN
      try_strptime(substr(trim(CAST(raw AS VARCHAR)), 1, 4)
        || CASE WHEN substr(trim(CAST(raw AS VARCHAR)), 5, 2) = '00' THEN '01' ELSE substr(trim(CAST(raw AS VARCHAR)), 5, 2) END
        || CASE WHEN substr(trim(CAST(raw AS VARCHAR)), 7, 2) = '00' THEN '01' ELSE substr(trim(CAST(raw AS VARCHAR)), 7, 2) END,
        '%Y%m%d')::DATE
    WHEN regexp_matches(trim(CAST(raw AS VARCHAR)), '^\d{1,2}/\d{1,2}/\d{2}$') THEN
      pq_pivot_yy(try_strptime(trim(CAST(raw AS VARCHAR)), '%d/%m/%y')::DATE)
    ELSE coalesce(
      try_strptime(split_part(split_part(trim(CAST(raw AS VARCHAR)), 'T', 1), ' ', 1),
                   ['%Y-%m-%d', '%d/%m/%Y', '%d.%m.%Y', '%Y/%m/%d', '%d-%m-%Y'])::DATE, NULL)
  END);
CREATE OR REPLACE MACRO pq_country(raw) AS (
  CASE WHEN raw IS NULL OR trim(raw) = '' THEN NULL
       WHEN upper(trim(raw)) = 'UK' THEN 'GB'
       WHEN regexp_matches(upper(trim(raw)), '^[A-Z]{2}$') THEN upper(trim(raw))
       ELSE pq_country_name(upper(trim(raw))) END);
