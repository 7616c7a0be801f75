"""Lens.org patent CSV exports, in every layout seen in the wild.

Lens has renamed and added columns over the years (2015: ``Cited Count``, ``Non-Patent
Citations``, ``dd/mm/yy`` dates, bare CR line endings; 2021: ``Lens ID``, ``Cites Patent Count``,
``Cited by Patent Count``, ``Earliest Priority Date``; later: ``Display Key``, ``Document Type``,
``Abstract``). Columns are therefore found by *meaning*: each canonical field has a list of
header aliases (``ALIASES``), compared case- and punctuation-insensitively, so intermediate
layouts work too. Multi-valued cells separate values with ``;;``.

The whole mapping runs in DuckDB (read_csv → temp table, derived number and dates beside it →
``COPY`` per canonical table); ``bench/ingest.py`` compares it with a bare ``read_csv``. Lens gives citation counts and family sizes
only as numbers; they are stored as ``reported_*`` values (DESIGN.md, "Where a source only
reports counts"). Lens CSV carries no DOCDB family id: documents sharing the same set of
priority numbers form a DOCDB simple family (EPO DOCDB definition: same priorities), so the
sorted priority numbers are the key of ``normalize.surrogate_family_id("lens", key)``.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..errors import BadInputError
from .base import Sink, require_readable, text_encoding
from .csvclean import sniff_encoding, transcode
from .csvtools import header_of, line_sql, load_csv

FORMAT = "lens"
DESCRIPTION = "Lens.org patent CSV export (2015, 2021 and later layouts)"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".csv", ".txt")
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # Lens.org CSV exports (2015 and 2021 layouts)
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "grant_date": "yes", "applicant_name": "yes", "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes",
    "npl_list": "yes", "cited_by_reported": "reported", "cites_reported": "reported", "npl_reported": "reported",
    "family_members": "partial", "family_size_reported": "reported", "priority_numbers": "yes",
}

#: canonical field → header names Lens has used for it (first match wins).
ALIASES: dict[str, list[str]] = {
    "publication_number": ["Publication Number", "Display Key", "Publication Key"],
    "jurisdiction": ["Jurisdiction", "Country"],
    "kind": ["Kind", "Kind Code"],
    "lens_id": ["Lens ID"],
    "publication_date": ["Publication Date", "Date Published", "Published Date"],
    "application_number": ["Application Number"],
    "application_date": ["Application Date", "Filing Date"],
    "priority_numbers": ["Priority Numbers", "Priority Number"],
    "earliest_priority_date": ["Earliest Priority Date", "Priority Date"],
    "title": ["Title"],
    "abstract": ["Abstract"],
    "applicants": ["Applicants", "Applicant"],
    "inventors": ["Inventors", "Inventor"],
    "type": ["Type", "Document Type", "Publication Type"],
    "cited_by_count": ["Cited by Patent Count", "Cited Count", "Cited By Count"],
    "cites_count": ["Cites Patent Count", "Cites Count", "Cited Patent Count"],
    "simple_family_size": ["Simple Family Size"],
    "extended_family_size": ["Extended Family Size"],
    "npl_count": ["NPL Citation Count", "Non-Patent Citation Count"],
    "cpc": ["CPC Classifications", "CPC Classification", "CPC"],
    "ipc": ["IPCR Classifications", "IPC Classifications", "IPCR Classification", "IPC"],
    "npl_citations": ["NPL Citations", "Non-Patent Citations"],
}
#: Columns that mark a Lens export; a file needs the number and at least ``MIN_MARKERS`` of these.
MARKERS = ("jurisdiction", "kind", "lens_id", "priority_numbers", "applicants", "inventors", "type",
           "cited_by_count", "cpc", "ipc", "simple_family_size")
MIN_MARKERS = 3
#: Lens ``Type`` values that are granted documents. "Ammended Patent" (Lens's spelling) is a
#: grant republished after amendment, e.g. an EP B2 after opposition.
GRANT_TYPES = ("granted patent", "ammended patent", "amended patent")

VIEW = "lens"


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def map_columns(header: list[str]) -> dict[str, str]:
    """Canonical field → the column of this file that holds it (fields absent are left out)."""
    by_key = {}
    for name in header:
        by_key.setdefault(_key(name), name)
    found = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if _key(alias) in by_key:
                found[field] = by_key[_key(alias)]
                break
    return found


def ingest(path: Path, sink: Sink) -> None:
    head = require_readable(path, "Lens CSV export")
    encoding = text_encoding(head)
    delim = sniff_delimiter(head, encoding)
    header = header_of(head, encoding, delim)
    cols = map_columns(header)
    _check_layout(path, header, cols)
    if delim != ",":
        sink.note(f"columns separated by {delim!r}, not ',' (re-saved by a spreadsheet?)")
    with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
        _load(path, sink, header, encoding, delim, Path(tmp), keep=list(dict.fromkeys(cols.values())))
    if not sink.rows_read:
        sink.note("no rows below the header: the export is empty")
    _derive(sink, cols)
    _reject_unnumbered(sink, cols)
    _write_tables(path, sink, cols)


def sniff_delimiter(head: bytes, encoding: str) -> str:
    """``,`` as Lens writes it, or ``;`` / tab when a spreadsheet re-saved the export (Excel in
    many European locales writes ``;``): the separator that splits the header line most."""
    first = head.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n").split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _check_layout(path: Path, header: list[str], cols: dict[str, str]) -> None:
    markers = [m for m in MARKERS if m in cols]
    if "publication_number" not in cols or len(markers) < MIN_MARKERS:
        shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
        raise BadInputError(
            f"{path}: not a Lens export (no 'Publication Number' column with Lens columns such as "
            f"'Jurisdiction', 'Kind', 'Priority Numbers', 'Applicants'; header is: {shown})",
            hint="export the search results from lens.org as CSV, or choose the adapter for this format",
        )


def _load(path: Path, sink: Sink, header: list[str], encoding: str, delim: str, tmp: Path, keep: list[str]) -> None:
    """Read the CSV into temp table ``lens``; transcode first when it is not UTF-8.

    Dialect sniffing is off (explicit columns) because DuckDB's sniffer gives up on small files
    with one broken quote; DuckDB's default line handling reads LF, CRLF and bare CR alike. What
    DuckDB cannot read (a quote left open, a damaged byte, a huge cell) ``load_csv`` reads
    record by record, quarantining the broken records alone (Lens never breaks a record over
    lines).
    """
    if len(set(header)) != len(header):
        raise BadInputError(f"{path}: the header repeats a column name", hint="export the file from lens.org again")
    source = _to_utf8(path, sink, tmp) if encoding == "cp1252" and sniff_encoding(path) == "cp1252" else path
    load_csv(sink, source, VIEW, columns={name: "VARCHAR" for name in header}, delim=delim,
             extra=", auto_detect = false", keep=keep, single_line_records=True)


def _to_utf8(path: Path, sink: Sink, tmp: Path) -> Path:
    target = tmp / "utf8.csv"
    transcode(path, target, "cp1252")
    sink.note("not UTF-8: read as Windows-1252 (cp1252); check names with accents")
    return target


def _col(cols: dict[str, str], field: str) -> str:
    """The quoted column for ``field``, or SQL NULL when this layout lacks it."""
    name = cols.get(field)
    return '"' + name.replace('"', '""') + '"' if name else "NULL"


def _date(expr: str) -> str:
    """``pq_date`` with a fast path for ISO dates (most Lens layouts)."""
    return f"CASE WHEN regexp_full_match({expr}, '\\d{{4}}-\\d\\d-\\d\\d') THEN try_cast({expr} AS DATE) ELSE pq_date({expr}) END"


def _code(expr: str) -> str:
    """``pq_classification`` with a fast path for codes already in canonical form (``G06N3/045``)."""
    return (f"CASE WHEN regexp_full_match({expr}, '[A-HY]\\d\\d[A-Z][1-9]\\d{{0,3}}/(\\d\\d|\\d{{2,5}}[1-9])') "
            f"THEN {expr} ELSE pq_classification({expr}) END")


def publication_number_sql(raw: str, jurisdiction: str = "NULL", kind: str = "NULL") -> str:
    """SQL for the canonical number of a Lens number cell ``raw``.

    A fast path first, for the spelling Lens uses for nearly every document: office, number
    and kind separated by single spaces, the number maybe with a slash (``US 8001762 B2``,
    ``WO 1995/027654 A1``, ``US 2011/0185700 A1``, ``JP H0494442 A``). It takes the parts apart
    with string functions after one regex match, and gives exactly what the general rule gives
    (leading zeros dropped, the US pre-grant year form by ``pq_pn_digits``);
    ``tests/test_ingest_speed.py`` checks this on generated cells. The general rule costs a
    dozen regex evaluations per cell, which made the number a third of the Lens load.

    The general rule: Display Key spells numbers with underscores (US_2011_0185700_A1);
    corrected documents carry their date (EP 1357170 B9 20061018); numbers that are not
    [prefix]digits (IN 2851DE2013 A) are kept compacted from parts.
    """
    spaced = f"replace({raw}, '/', '')"
    office, middle = f"split_part({spaced}, ' ', 1)", f"split_part({spaced}, ' ', 2)"
    kind_part = f"'-' || split_part({spaced}, ' ', 3)"
    return (f"CASE WHEN regexp_full_match({spaced}, '[A-Z]{{2}} [1-9]\\d* [A-Z]\\d?') "  # no prefix, no leading zero
            f"THEN {office} || '-' || pq_pn_digits({office}, {middle}) || {kind_part} "  # pq_pn_digits: the US pre-grant year form
            f"WHEN regexp_full_match({spaced}, '[A-Z]{{2}} [A-Z]{{0,2}}\\d+ [A-Z]\\d?') "
            f"THEN {office} || '-' || regexp_extract({middle}, '^[A-Z]*') "
            f"|| pq_pn_digits({office}, regexp_extract({middle}, '\\d+$')) || {kind_part} "
            f"ELSE {general_number_sql(raw, jurisdiction, kind)} END")


def general_number_sql(raw: str, jurisdiction: str = "NULL", kind: str = "NULL") -> str:
    """The general rule behind ``publication_number_sql``'s fast path, for every spelling."""
    cleaned = f"regexp_replace(trim(replace({raw}, '_', ' ')), ' +\\d{{8}}$', '')"
    number = f"regexp_replace(regexp_replace({cleaned}, '^[A-Z]{{2}} +', ''), ' +[A-Z]\\d?$', '')"
    return (f"coalesce(pq_publication_number({cleaned}), CASE WHEN regexp_matches({cleaned}, '^[A-Z]{{2}} ') "
            f"THEN pq_publication_number3(coalesce({jurisdiction}, substr({cleaned}, 1, 2)), {number}, "
            f"coalesce({kind}, regexp_extract({cleaned}, ' ([A-Z]\\d?)$', 1))) END)")


def _derive(sink: Sink, cols: dict[str, str]) -> None:
    """View ``lens_rows``: the loaded rows beside their canonical number and dates, and ``_row``
    (the rowid in file order, for line numbers).

    The derived values are computed once for every output table, into their own temp table
    that a ``POSITIONAL JOIN`` puts beside the loaded one (both are in file order). Computing
    them on the loaded table costs two thirds of computing them inside the CSV read, and the
    join copies no text.
    """
    derived = ", ".join(f"{sql} AS {name}" for name, sql in _derived(cols).items())
    sink.con.execute(f"CREATE OR REPLACE TEMP TABLE {VIEW}_derived AS SELECT {derived} FROM {VIEW}")
    sink.con.execute(f"CREATE OR REPLACE TEMP VIEW {VIEW}_rows AS SELECT {VIEW}.rowid AS _row, * "
                     f"FROM {VIEW} POSITIONAL JOIN {VIEW}_derived")


def _derived(cols: dict[str, str]) -> dict[str, str]:
    """The canonical number and the dates every output table shares (SQL over the CSV columns)."""
    c = lambda field: _col(cols, field)  # noqa: E731
    prio = c("priority_numbers")
    return {
        "pn": publication_number_sql(c("publication_number"), c("jurisdiction"), c("kind")),
        "_pub_date": _date(c("publication_date")),
        "_prio_date": f"""CASE WHEN {c('earliest_priority_date')} <> '' THEN {_date(c('earliest_priority_date'))}
             ELSE pq_date(list_min(regexp_extract_all({prio}, ' (\\d{{8}}) *(?:;;|$)', 1))) END""",
    }


def _reject_unnumbered(sink: Sink, cols: dict[str, str]) -> None:
    """Quarantine rows whose number cannot be parsed; the outputs skip them (``pn IS NOT NULL``)."""
    bad = sink.con.execute(f"SELECT {line_sql(sink.con, VIEW, '_row')}, {_col(cols, 'publication_number')} FROM {VIEW}_rows "
                           "WHERE pn IS NULL ORDER BY _row").fetchall()
    for line, raw in bad:
        sink.reject(line, "missing or invalid publication number", raw)


def _write_tables(path: Path, sink: Sink, cols: dict[str, str]) -> None:
    c = lambda field: _col(cols, field)  # noqa: E731
    # "US 83547206 P 20060804;;GB 0409664 A 20040430" → dates dropped, spaces removed, sorted.
    # Most documents claim one priority: skip the list work for them.
    prio = c("priority_numbers")
    prio_key = (f"nullif(CASE WHEN NOT contains({prio}, ';;') THEN {_prio_number('_prio_one')} ELSE "
                f"array_to_string(list_sort(list_distinct(list_transform(string_split({prio}, ';;'), "
                f"lambda x: {_prio_number('trim(x)')}))), '|') END, '')")
    app_key = f"nullif(replace({c('application_number')}, ' ', ''), '')"
    count = lambda field: f"try_cast(replace({c(field)}, ',', '') AS INTEGER)"  # noqa: E731
    sink.copy_sql("publications", {
        "publication_number": "pn",
        "publication_number_raw": c("publication_number"),
        "country_code": "split_part(pn, '-', 1)",  # the office, as in the number (= Jurisdiction)
        "kind_code": f"coalesce(nullif(split_part(pn, '-', 3), ''), nullif(upper(trim({c('kind')})), ''))",
        "application_number": f"nullif({_trimmed(c('application_number'))}, '')",
        "family_id": f"'~lens:' || coalesce({prio_key}, {app_key}, pn)",
        "publication_date": "_pub_date",
        "filing_date": _date(c("application_date")),
        "priority_date": "_prio_date",
        "priority_year": "year(_prio_date)",
        "grant_date": "CASE WHEN _grant THEN _pub_date END",
        "is_grant": "coalesce(_grant, false)",
        "title": f"nullif({_trimmed(c('title'))}, '')",
        "abstract": f"nullif({_trimmed(c('abstract'))}, '')",
        "reported_cited_by_count": count("cited_by_count"),
        "reported_cites_count": count("cites_count"),
        "reported_npl_count": count("npl_count"),
        "reported_simple_family_size": count("simple_family_size"),
        "reported_extended_family_size": count("extended_family_size"),
        "source": "'lens'",
        "source_ref": f"'{_sql_text(path.name)}:' || {line_sql(sink.con, VIEW, '_row')}",
    }, f"(SELECT *, {_is_grant(c('type'))} AS _grant, {_trimmed(prio)} AS _prio_one "  # computed once a row
       f"FROM {VIEW}_rows WHERE pn IS NOT NULL)")
    parts = [_split(c(field), f"'{role}' AS role") for role, field in (("applicant", "applicants"), ("inventor", "inventors"))
             if field in cols]
    if parts:
        sink.copy_sql("parties", {"publication_number": "pn", "role": "role", "seq": "seq", "name": "value"},
                      f"({' UNION ALL '.join(parts)}) WHERE value <> ''")
    parts = [_split(c(field), f"'{scheme}' AS scheme") for scheme, field in (("cpc", "cpc"), ("ipc", "ipc")) if field in cols]
    if parts:
        sink.copy_sql("classifications", {
            "publication_number": "pn", "scheme": "scheme", "code": "code", "is_first": "seq = 1",
        }, f"(SELECT pn, scheme, seq, {_code('value')} AS code FROM ({' UNION ALL '.join(parts)})) WHERE code IS NOT NULL")
    if "priority_numbers" in cols:
        sink.copy_sql("priorities", {
            "publication_number": "pn",
            "priority_number": _prio_number("value"),
            "priority_country": "CASE WHEN substr(value, 3, 1) = ' ' THEN upper(substr(value, 1, 2)) END",
            "priority_date": "CASE WHEN value[-9] = ' ' THEN try_strptime(value[-8:], '%Y%m%d')::DATE END",
        }, f"({_split(prio)}) WHERE value <> ''")
    if "npl_citations" in cols:
        sink.copy_sql("citations", {"citing_publication_number": "pn", "npl_text": "value"},
                      f"({_split(c('npl_citations'))}) WHERE value <> ''")


def _is_grant(column: str) -> str:
    """Whether the Lens ``Type`` is a grant: the spellings Lens writes are compared as they are,
    only other values are lower-cased and trimmed first."""
    exact = tuple(t.title() for t in GRANT_TYPES)
    return (f"CASE WHEN {column} IN {exact} THEN true WHEN {column} IN ('Patent Application', 'Limited Patent') "
            f"THEN false ELSE lower(trim({column})) IN {GRANT_TYPES} END")


def _ascii(value: str) -> str:
    """SQL: ``value`` is plain ASCII (as many bytes as characters; a cheap test in DuckDB)."""
    return f"strlen({value}) = length({value})"


def _trimmed(value: str) -> str:
    """``trim(value)``, skipped when nothing is to trim. DuckDB's ``trim`` removes Unicode space
    separators (category Zs) and walks code points; in ASCII text the only one is the space, so
    a byte test at both ends decides, and other text is trimmed as before."""
    return (f"CASE WHEN {_ascii(value)} AND NOT (starts_with({value}, ' ') OR ends_with({value}, ' ')) "
            f"THEN {value} ELSE trim({value}) END")


def _prio_number(value: str) -> str:
    """``US 83547206 P 20060804`` → ``US83547206P``: the trailing date dropped, spaces removed
    (string slicing, not regex: this runs once per priority claim)."""
    return f"replace(CASE WHEN substr({value}, -9, 1) = ' ' THEN left({value}, -9) ELSE {value} END, ' ', '')"


def _split(column: str, extra: str = "") -> str:
    """SELECT giving one row per ``;;``-separated value of ``column`` (trimmed), with its 1-based
    ``seq`` (the position in the cell, empty values counted) and the ``extra`` columns.

    A lateral ``unnest ... WITH ORDINALITY`` numbers the values in one pass, cheaper than
    ``unnest`` beside ``generate_subscripts`` (docs/performance-notes.md). The values are trimmed only in cells
    that are not ASCII or have a space next to a ``;;`` or at an end, the only places where
    ``trim`` could act (see ``_trimmed``).
    """
    needs_trim = (f"NOT {_ascii(column)} OR starts_with({column}, ' ') OR ends_with({column}, ' ') "
                  f"OR contains({column}, ' ;;') OR contains({column}, ';; ')")
    cells = f"(SELECT pn, {column} AS cell, {needs_trim} AS untrimmed FROM {VIEW}_rows WHERE {column} <> '' AND pn IS NOT NULL)"
    return (f"SELECT pn, CASE WHEN untrimmed THEN trim(u.value) ELSE u.value END AS value, u.seq AS seq"
            f"{', ' + extra if extra else ''} FROM {cells}, unnest(string_split(cell, ';;')) WITH ORDINALITY AS u(value, seq)")


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
