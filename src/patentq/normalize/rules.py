r"""Normalisers for publication numbers, classification codes, dates and countries.

Each normaliser exists twice: a Python function for adapters that map row by row (XML, JSON),
and a DuckDB SQL macro (``macros.sql``) for adapters that map in the engine (CSV, Parquet).
``tests/test_normalize.py`` runs both over the same cases and a property test over generated
input (``tests/test_normalize_property.py``) so they cannot drift apart. What both hold to,
spelled out here because Python and DuckDB differ in each by default:

- whitespace is every Unicode white space character (``str.isspace``: tab, line ends, the
  no-break and the other Unicode spaces; ``WHITESPACE``), wherever a rule trims or drops spaces;
  DuckDB's ``\s`` and ``trim`` know only a few of them;
- digits are ASCII ``0-9`` (Python's ``\d`` takes every script's digits, DuckDB's does not);
- upper case is DuckDB's, one character for one (``_upper``: ``ß`` becomes ``ẞ``, not ``SS``).
"""

from __future__ import annotations

import datetime as dt
import re

#: Every character ``str.isspace`` calls white space (29 of them); macros.sql gets the same set.
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_WS = re.compile(r"\s")  # Python's \s is exactly WHITESPACE


def _upper(text: str) -> str:
    """Upper case as DuckDB's ``upper`` does it: one character for one (Python's ``str.upper``
    turns ``ß`` into ``SS`` and ``ǰ`` into two characters, which DuckDB never does)."""
    if text.isascii():
        return text.upper()
    return "".join(_upper_char(c) for c in text)


def _upper_char(c: str) -> str:
    upper = c.upper()
    if len(upper) == 1:
        return upper
    if c == "ß":
        return "ẞ"
    title = c.title()
    return title if len(title) == 1 else c


def _strip(text) -> str:
    return str(text).strip()


# --- publication numbers ------------------------------------------------------------------

_PN_RE = re.compile(r"^([A-Z]{2})([A-Z]{0,2}\d+)([A-Z]\d?)?$", re.ASCII)


def publication_number(raw: str | None, kind: str | None = None, country: str | None = None) -> str | None:
    """``US 2013/0101709 A1``, ``US8926509B2``, ``US-8926509-B2`` → ``US-2013101709-A1`` style.

    The canonical form follows Google Patents Public Data / DOCDB: office, number without
    leading zeros (US pre-grant publications as year + 6 digits), kind code. ``kind`` and
    ``country`` fill in when the raw number lacks them. Returns None for unparseable input.
    """
    if raw is None:
        return None
    text = re.sub(r"[\s/,.\-]", "", _upper(str(raw)))
    if country and not text.startswith(_upper(country.strip())):
        text = _upper(country.strip()) + text
    if kind and not re.search(r"[A-Z]\d?$", text[2:], re.ASCII):
        text += _upper(kind.strip())
    m = _PN_RE.match(text)
    if not m:
        return None
    cc, number, kind_code = m.groups()
    return _join(cc, _number(cc, number), kind_code)


def publication_number_from_parts(cc: str | None, number: str | None, kind: str | None = None) -> str | None:
    """Office, number and kind given apart (CSET, PATSTAT, OPS). Numbers that are not
    ``[prefix]digits`` (``359CH2013``, ``10201800233Y``, Excel-mangled ``1.02E+11``) are kept
    compacted as given rather than dropped, so the record still counts."""
    cc = _upper(_strip(cc)) if cc is not None else ""
    compact = re.sub(r"[\s/,\-]", "", _upper(str(number))) if number is not None else ""
    if not cc or not compact:
        return None
    if compact.startswith(cc) and re.match(r"^[A-Z]{0,2}\d", compact[2:], re.ASCII):
        compact = compact[2:]
    kind = _upper(_strip(kind)) if kind is not None and _strip(kind) else None
    if re.fullmatch(r"[A-Z]{0,2}\d+", compact, re.ASCII):
        compact = _number(cc, compact)
    return _join(cc, compact, kind)


def _number(cc: str, number: str) -> str:
    prefix = re.sub(r"[^A-Z].*$", "", number)  # the leading letters
    digits = number[len(prefix):].lstrip("0") or "0"
    if not prefix and cc == "US" and len(digits) == 11 and digits[:2] in ("19", "20") and digits[4] == "0":
        digits = digits[:4] + digits[5:]  # US20130101709 → US2013101709 (DOCDB form)
    return prefix + digits


def _join(cc: str, number: str, kind: str | None) -> str:
    return f"{cc}-{number}-{kind}" if kind else f"{cc}-{number}"


def asked_number(text: str) -> str:
    """A publication number a user typed (``patentq family``, ``landscape explain``), canonical
    when it parses, else as given; one without an office code (``12345``) is a usage error,
    not a number that is merely "not in the lake"."""
    from ..errors import UsageError

    if not re.match(r"^\s*[A-Za-z]{2}", text or ""):
        raise UsageError(f"{text!r} is not a publication number: it has no office code",
                         hint="write office, number and kind, e.g. US-8926509-B2, US8926509 or EP 1357170 B9")
    return publication_number(text) or _upper(text.strip())


def publication_base(pn: str | None) -> str | None:
    """The number without kind code (``US-8926509-B2`` → ``US-8926509``), for citation matching."""
    if pn is None:
        return None
    parts = pn.split("-")
    return "-".join(parts[:2])


def base_number_sql(column: str) -> str:
    """``publication_base`` as portable SQL over ``column`` (stage SQL runs it on Spark too; the
    ``pq_publication_base`` macro is this expression): the number as it is without a '-' or
    with one, else up to its second '-' (``split_part(x, '-', 1) || '-' || split_part(x, '-', 2)``,
    written with ``instr`` and ``substr``, which cost 40% less than DuckDB's ``split_part``, a list
    per call: it runs on every publication and on every one of 400M citations at PATSTAT size)."""
    rest = f"substr({column}, instr({column}, '-') + 1)"
    return (f"CASE WHEN instr({column}, '-') = 0 OR instr({rest}, '-') = 0 THEN {column} "
            f"ELSE substr({column}, 1, instr({column}, '-') + instr({rest}, '-') - 1) END")


def split_publication_number(pn: str) -> tuple[str, str, str | None]:
    parts = pn.split("-")
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


def surrogate_family_id(source: str, key: str | None) -> str | None:
    """A stand-in family id for sources without DOCDB family ids (Lens CSV, USPTO XML).

    It starts with ``~`` so it can never be mistaken for a DOCDB id; ``key`` is what groups
    the source's documents (sorted priority numbers, or the application number). The
    ``families`` derivation replaces it with a DOCDB id when another source in the lake gives
    one for the same publication.
    """
    return f"~{source}:{key}" if key else None


# --- classification codes -----------------------------------------------------------------

_CLS_FIXED = re.compile(r"^([A-HY][0-9][0-9][A-Z])([0-9]{4})([0-9]{6})$")
_CLS_SLASH = re.compile(r"^([A-HY][0-9][0-9][A-Z])\s*0*([0-9]{1,4})\s*/\s*([0-9]{1,6})$")
_CLS_SUBCLASS = re.compile(r"^([A-HY][0-9][0-9][A-Z])\s*0*([0-9]{1,4})?$")


def classification(raw: str | None) -> str | None:
    """``G06N 3/045``, ``G06N0003045000``, ``G06N3/045`` → ``G06N3/045``; None if not a code.

    Edition suffixes such as ``(2006.01)`` and CPC ``A``/``I`` qualifiers after a space are
    dropped. A bare subclass (``G06N``) or main group without subgroup stays as given.
    """
    if raw is None:
        return None
    text = _upper(_strip(raw))
    text = re.sub(r"\(.*?\)", "", text).strip()
    text = re.split(r"\s{2,}(?=[0-9]{4}[^/]*$)|\s+[A-Z]$", text)[0].strip()  # "  20130101", " A"
    m = _CLS_FIXED.match(text.replace(" ", ""))
    if m:
        subclass, group, subgroup = m.groups()
        return f"{subclass}{int(group)}/{_subgroup(subgroup)}"
    m = _CLS_SLASH.match(text)
    if m:
        subclass, group, subgroup = m.groups()
        return f"{subclass}{int(group)}/{_subgroup(subgroup)}"
    m = _CLS_SUBCLASS.match(text)
    if m:
        subclass, group = m.groups()
        return subclass + (str(int(group)) if group else "")
    return None


def _subgroup(digits: str) -> str:
    trimmed = digits.rstrip("0")
    return trimmed if len(trimmed) >= 2 else digits[:2].ljust(2, "0")


def classification_subclass(code: str | None) -> str | None:
    """``G06N3/045`` → ``G06N`` (the level OECD patent scope counts)."""
    return code[:4] if code else None


# --- dates --------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")


def date(raw) -> dt.date | None:
    """Every date layout the sources use → ``datetime.date``; None for empty, 0 or invalid.

    Handles ISO (``2011-08-04``, with a time part too), ``YYYYMMDD`` strings and integers,
    Lens 2015 ``dd/mm/yy``, ``dd.mm.yyyy``, and day or month given as ``00`` (USPTO citation
    dates such as ``19010500``), which fall to the first of the month or year.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _strip(raw)
    if not text or text in ("0", "00000000"):
        return None
    text = text.split("T")[0].split(" ")[0]
    if not text.isascii():  # strptime would take other scripts' digits
        return None
    if re.fullmatch(r"[0-9]{8}", text):
        y, m, d = int(text[:4]), int(text[4:6]) or 1, int(text[6:]) or 1
        return _safe_date(y, m, d)
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if fmt == "%d/%m/%y":
            parsed = _pivot_two_digit_year(parsed)
        return parsed
    return None


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _pivot_two_digit_year(value: dt.date) -> dt.date:
    """Two-digit years up to next year are 20xx, the rest 19xx (patents predate 1930 rarely)."""
    limit = dt.date.today().year % 100 + 1
    century = 2000 if value.year % 100 <= limit else 1900
    return value.replace(year=century + value.year % 100)


# --- countries ----------------------------------------------------------------------------

COUNTRY_NAMES = {
    "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "USA": "US", "U.S.": "US", "U.S.A.": "US",
    "CHINA": "CN", "PEOPLE'S REPUBLIC OF CHINA": "CN", "HONG KONG": "HK", "TAIWAN": "TW",
    "JAPAN": "JP", "KOREA": "KR", "SOUTH KOREA": "KR", "KOREA (REPUBLIC OF)": "KR", "REPUBLIC OF KOREA": "KR",
    "KOREA, REPUBLIC OF": "KR", "UNITED KINGDOM": "GB", "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND": "GB",
    "UK": "GB", "GREAT BRITAIN": "GB", "GERMANY": "DE", "FRANCE": "FR", "CANADA": "CA", "INDIA": "IN",
    "ISRAEL": "IL", "SWITZERLAND": "CH", "NETHERLANDS": "NL", "SWEDEN": "SE", "FINLAND": "FI",
    "SINGAPORE": "SG", "AUSTRALIA": "AU", "ITALY": "IT", "SPAIN": "ES", "RUSSIA": "RU",
    "RUSSIAN FEDERATION": "RU", "UNITED ARAB EMIRATES": "AE", "SAUDI ARABIA": "SA", "BRAZIL": "BR",
    "IRELAND": "IE", "BELGIUM": "BE", "AUSTRIA": "AT", "DENMARK": "DK", "NORWAY": "NO", "POLAND": "PL",
    "CZECHIA": "CZ", "CZECH REPUBLIC": "CZ", "TURKEY": "TR", "TÜRKIYE": "TR", "IRAN": "IR", "MEXICO": "MX",
    "VIETNAM": "VN", "VIET NAM": "VN", "THAILAND": "TH", "MALAYSIA": "MY", "INDONESIA": "ID",
    "NEW ZEALAND": "NZ", "SOUTH AFRICA": "ZA", "EGYPT": "EG", "ARGENTINA": "AR", "CHILE": "CL",
    "LUXEMBOURG": "LU", "PORTUGAL": "PT", "GREECE": "GR", "HUNGARY": "HU", "ROMANIA": "RO",
    "UKRAINE": "UA", "ESTONIA": "EE", "QATAR": "QA", "PAKISTAN": "PK", "NIGERIA": "NG", "KENYA": "KE",
    "IRAN (ISLAMIC REPUBLIC OF)": "IR",  # UN/Epoch AI spelling
}
_LEGACY_CODES = {"UK": "GB"}


def country(raw: str | None) -> str | None:
    """ISO 3166 alpha-2 from a code (``us``, ``UK``) or an English name; None if unknown."""
    if raw is None:
        return None
    text = _upper(_strip(raw))
    if not text:
        return None
    if re.fullmatch("[A-Z]{2}", text):
        return _LEGACY_CODES.get(text, text)
    return COUNTRY_NAMES.get(text)
