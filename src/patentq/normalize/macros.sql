-- The normalisers of rules.py as DuckDB macros (pq_*), for adapters that map in DuckDB.
-- tests/test_normalize.py holds both equal over the same cases, tests/test_normalize_property.py
-- over generated input. As in rules.py: white space is every Unicode white space character
-- (rules.WHITESPACE for trim, and the same set as a regular expression class where DuckDB's \s
-- would miss the no-break and other Unicode spaces), digits are ASCII 0-9.
-- DuckDB's trim() strips the Unicode space separators (Zs) only, and trim(x, characters) is
-- twenty times slower: the slow form only for text holding one of the other white space characters.
-- A value used several times in a macro is bound once with a lambda (list_transform([x], lambda
-- v: ...)[1]): a macro's argument is copied into every place it is used, which multiplies the
-- work of nested macros, at compile and at run time.
CREATE OR REPLACE MACRO pq_trim(x) AS list_transform([x], lambda v:
  CASE WHEN regexp_matches(v, '[\t-\r\x{1c}-\x{1f}\x{85}\x{2028}\x{2029}]') THEN trim(v, $ws) ELSE trim(v) END)[1];
CREATE OR REPLACE MACRO pq_country_name(name) AS CASE name $country_cases ELSE NULL END;
CREATE OR REPLACE MACRO pq_publication_base(pn) AS $base_pn;
CREATE OR REPLACE MACRO pq_pn_digits(cc, num) AS (
  CASE WHEN cc = 'US' AND length(ltrim(num, '0')) = 11
            AND substr(ltrim(num, '0'), 1, 2) IN ('19', '20') AND substr(ltrim(num, '0'), 5, 1) = '0'
       THEN substr(ltrim(num, '0'), 1, 4) || substr(ltrim(num, '0'), 6)
       ELSE coalesce(nullif(ltrim(num, '0'), ''), '0') END);
CREATE OR REPLACE MACRO pq_pn_compact(raw) AS regexp_replace(upper(raw), '[$ws_class/,.\-]', '', 'g');
CREATE OR REPLACE MACRO pq_pn_parts(compact) AS
  regexp_extract(compact, '^([A-Z]{2})([A-Z]{0,2})([0-9]+)([A-Z][0-9]?)?$', ['cc', 'prefix', 'num', 'kind']);
CREATE OR REPLACE MACRO pq_pn_join(p) AS
  CASE WHEN p.cc = '' THEN NULL
       ELSE p.cc || '-' || p.prefix || pq_pn_digits(p.cc, p.num) || CASE WHEN p.kind = '' THEN '' ELSE '-' || p.kind END END;
CREATE OR REPLACE MACRO pq_publication_number(raw) AS pq_pn_join(pq_pn_parts(pq_pn_compact(raw)));
CREATE OR REPLACE MACRO pq_pn_num_compact(cc, num) AS (
  CASE WHEN starts_with(regexp_replace(upper(num), '[$ws_class/,\-]', '', 'g'), upper(pq_trim(cc)))
            AND regexp_matches(substr(regexp_replace(upper(num), '[$ws_class/,\-]', '', 'g'), 3), '^[A-Z]{0,2}[0-9]')
       THEN substr(regexp_replace(upper(num), '[$ws_class/,\-]', '', 'g'), 3)
       ELSE regexp_replace(upper(num), '[$ws_class/,\-]', '', 'g') END);
CREATE OR REPLACE MACRO pq_pn_from_parts(cc, c, kind) AS (
  CASE WHEN cc IS NULL OR pq_trim(cc) = '' OR c IS NULL OR c = '' THEN NULL
       ELSE upper(pq_trim(cc)) || '-'
         || CASE WHEN regexp_matches(c, '^[A-Z]{0,2}[0-9]+$')
                 THEN regexp_extract(c, '^[A-Z]*') || pq_pn_digits(upper(pq_trim(cc)), regexp_extract(c, '[0-9]+$'))
                 ELSE c END
         || CASE WHEN kind IS NULL OR pq_trim(kind) = '' THEN '' ELSE '-' || upper(pq_trim(kind)) END END);
CREATE OR REPLACE MACRO pq_publication_number3(cc, num, kind) AS (
  -- fast path for the common case (plain digits, no US pre-grant year form), same result as the general rule
  CASE WHEN num <> '' AND translate(num, '0123456789', '') = '' AND length(pq_trim(cc)) = 2
            AND NOT (upper(pq_trim(cc)) = 'US' AND length(ltrim(num, '0')) = 11)
       THEN upper(pq_trim(cc)) || '-' || coalesce(nullif(ltrim(num, '0'), ''), '0')
            || CASE WHEN kind IS NULL OR pq_trim(kind) = '' THEN '' ELSE '-' || upper(pq_trim(kind)) END
       ELSE pq_pn_from_parts(cc, pq_pn_num_compact(cc, num), kind) END);
CREATE OR REPLACE MACRO pq_subgroup(d) AS
  CASE WHEN length(rtrim(d, '0')) >= 2 THEN rtrim(d, '0') ELSE rpad(substr(d, 1, 2), 2, '0') END;
CREATE OR REPLACE MACRO pq_cls_clean(raw) AS
  pq_trim(regexp_replace(pq_trim(regexp_replace(upper(pq_trim(raw)), '\(.*?\)', '', 'g')),
                         '[$ws_class]{2,}[0-9]{4}[^/]*$|[$ws_class]+[A-Z]$', ''));
CREATE OR REPLACE MACRO pq_cls_group(digits) AS
  CAST(CAST(coalesce(nullif(ltrim(digits, '0'), ''), '0') AS INTEGER) AS VARCHAR);
CREATE OR REPLACE MACRO pq_cls_of(c) AS (  -- c: the cleaned code (pq_cls_clean)
  CASE
    WHEN regexp_matches(replace(c, ' ', ''), '^[A-HY][0-9][0-9][A-Z][0-9]{4}[0-9]{6}$') THEN
      substr(replace(c, ' ', ''), 1, 4)
      || pq_cls_group(substr(replace(c, ' ', ''), 5, 4)) || '/'
      || pq_subgroup(substr(replace(c, ' ', ''), 9, 6))
    WHEN regexp_matches(c, '^[A-HY][0-9][0-9][A-Z][$ws_class]*0*[0-9]{1,4}[$ws_class]*/[$ws_class]*[0-9]{1,6}$') THEN
      substr(c, 1, 4)
      || pq_cls_group(regexp_extract(c, '^[A-HY][0-9][0-9][A-Z][$ws_class]*([0-9]+)', 1)) || '/'
      || pq_subgroup(regexp_extract(c, '/[$ws_class]*([0-9]{1,6})$', 1))
    WHEN regexp_matches(c, '^[A-HY][0-9][0-9][A-Z][$ws_class]*0*[0-9]{0,4}$') THEN
      substr(c, 1, 4) || coalesce(nullif(pq_cls_group(regexp_extract(c, '([0-9]*)$', 1)), '0'), '')
    ELSE NULL END);
CREATE OR REPLACE MACRO pq_classification(raw) AS list_transform([pq_cls_clean(raw)], lambda c: pq_cls_of(c))[1];
CREATE OR REPLACE MACRO pq_pivot_yy(d) AS
  CASE WHEN d IS NULL THEN NULL
       WHEN year(d) % 100 <= year(current_date) % 100 + 1 THEN make_date(2000 + year(d) % 100, month(d), day(d))
       ELSE make_date(1900 + year(d) % 100, month(d), day(d)) END;
CREATE OR REPLACE MACRO pq_date_ok(d) AS CASE WHEN year(d) >= 1 THEN d END;
CREATE OR REPLACE MACRO pq_date_as(t, pattern, fmt) AS
  CASE WHEN regexp_full_match(t, pattern) THEN pq_date_ok(try_strptime(t, fmt)::DATE) END;
CREATE OR REPLACE MACRO pq_date_of(t) AS (
  -- each layout checked by its pattern first: DuckDB's strptime takes more digits than Python's
  CASE
    WHEN t IN ('', '0', '00000000') THEN NULL
    WHEN regexp_full_match(t, '[0-9]{8}') THEN pq_date_ok(
      try_strptime(substr(t, 1, 4)
        || CASE WHEN substr(t, 5, 2) = '00' THEN '01' ELSE substr(t, 5, 2) END
        || CASE WHEN substr(t, 7, 2) = '00' THEN '01' ELSE substr(t, 7, 2) END, '%Y%m%d')::DATE)
    WHEN regexp_full_match(t, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}') THEN pq_pivot_yy(try_strptime(t, '%d/%m/%y')::DATE)
    ELSE coalesce(  -- the layouts' patterns do not overlap
      pq_date_as(t, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}', '%Y-%m-%d'),
      pq_date_as(t, '[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}', '%d/%m/%Y'),
      pq_date_as(t, '[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4}', '%d.%m.%Y'),
      pq_date_as(t, '[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}', '%Y/%m/%d'),
      pq_date_as(t, '[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}', '%d-%m-%Y'))
  END);
CREATE OR REPLACE MACRO pq_date(raw) AS
  CASE WHEN regexp_full_match(CAST(raw AS VARCHAR), '[0-9]{4}-[0-9]{2}-[0-9]{2}')  -- ISO and YYYYMMDD: the usual
       THEN pq_date_ok(try_cast(CAST(raw AS VARCHAR) AS DATE))
       WHEN regexp_full_match(CAST(raw AS VARCHAR), '[0-9]{8}') THEN pq_date_of(CAST(raw AS VARCHAR))
       ELSE list_transform([split_part(split_part(pq_trim(CAST(raw AS VARCHAR)), 'T', 1), ' ', 1)],
                           lambda t: pq_date_of(t))[1] END;  -- the date part: before a 'T' or a space
CREATE OR REPLACE MACRO pq_country(raw) AS list_transform([upper(pq_trim(raw))], lambda c:
  CASE WHEN c IS NULL OR c = '' THEN NULL
       WHEN c = 'UK' THEN 'GB'
       WHEN regexp_matches(c, '^[A-Z]{2}$') THEN c
       ELSE pq_country_name(c) END)[1];
