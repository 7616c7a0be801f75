"""Normalisers for publication numbers, classification codes, dates and countries.

Each rule exists once in Python (``rules.py``, for adapters that map row by row: XML, JSON) and
once as a DuckDB macro (``macros.sql``, for adapters that map in the engine: CSV, Parquet), with
at most one fast path in front of it (``fast.sql``, the ``fq_*`` macros). ``tests/test_normalize.py``
holds Python and SQL equal over the same cases, and a property test over generated inputs.
"""

from __future__ import annotations

from .. import sql
from .rules import (COUNTRY_NAMES, WHITESPACE, asked_number, base_number_sql, classification, classification_subclass, country, date,
                    publication_base, publication_number, publication_number_from_parts, split_publication_number,
                    surrogate_family_id)


#: ``WHITESPACE`` as the body of a regular expression class for DuckDB (RE2): the same 29
#: characters (tests/test_normalize_property.py checks it).
WS_CLASS = r"\t-\r\x{1c}-\x{1f}\x{85}\p{Z}"


def _country_cases() -> str:
    return " ".join(f"WHEN {sql.literal(name)} THEN {sql.literal(code)}" for name, code in COUNTRY_NAMES.items())


def macros_sql() -> str:
    """Every ``pq_*`` and ``fq_*`` macro, as one script."""
    return (sql.load(__name__, "macros", country_cases=_country_cases(), base_pn=base_number_sql("pn"),
                     ws=sql.literal(WHITESPACE), ws_class=WS_CLASS)
            + "\n" + sql.load(__name__, "fast"))


def install_sql_macros(con) -> None:
    """Define the ``pq_*`` normaliser macros and their ``fq_*`` fast paths on a DuckDB connection."""
    for statement in sql.statements(macros_sql()):
        con.execute(statement)


__all__ = ["COUNTRY_NAMES", "WHITESPACE", "asked_number", "base_number_sql", "classification", "classification_subclass", "country", "date",
           "install_sql_macros", "macros_sql", "publication_base", "publication_number",
           "publication_number_from_parts", "split_publication_number", "surrogate_family_id"]
