"""The canonical schema (see DESIGN.md, "Canonical schema").

Every source adapter maps into these Arrow schemas; nothing downstream reads a source format.
``tags`` and ``notable_models`` extend v1 for source-specific categories (CSET flags) and
real-world AI model output (Epoch).

Version 2 adds, without changing a v1 table (so a v1 lake is read as it is, its new tables
empty; ``patentq lake upgrade`` only records the new version):

- ``texts``: every language version of titles, abstracts and claims (the ``title`` and
  ``abstract`` of ``publications`` stay the primary, preferably English, version);
- ``context_documents``: documents that are not analysed but cite the ones that are (forward
  citations from the whole world, not just the export). They never enter a landscape or a count;
- ``baselines`` and ``baseline_countries``: the population of each cohort (priority year × WIPO
  field) over all families of the source, as histograms, for cohort-relative measures and
  specialisation.
"""

import pyarrow as pa

SCHEMA_VERSION = 2
#: Lake schema versions this patentq reads (and writes into).
READABLE_VERSIONS = (1, 2)

_str = pa.string()
_date = pa.date32()

PUBLICATIONS = pa.schema(
    [
        ("publication_number", _str),  # CC-NUMBER-KIND, e.g. US-8926509-B2
        ("publication_number_raw", _str),
        ("country_code", _str),
        ("kind_code", _str),
        ("application_number", _str),
        ("family_id", _str),  # DOCDB simple family
        ("extended_family_id", _str),  # INPADOC, nullable
        ("publication_date", _date),
        ("filing_date", _date),
        ("priority_date", _date),  # earliest
        ("priority_year", pa.int16()),  # kept apart for sources that give only the year
        ("grant_date", _date),
        ("is_grant", pa.bool_()),
        ("title", _str),
        ("abstract", _str),
        ("claims_text", _str),
        ("claims_count", pa.int32()),
        ("language", _str),
        ("reported_cited_by_count", pa.int32()),  # forward citations as reported by the source
        ("reported_cites_count", pa.int32()),  # backward patent citations as reported
        ("reported_npl_count", pa.int32()),
        ("reported_simple_family_size", pa.int32()),
        ("reported_extended_family_size", pa.int32()),
        ("source", _str),
        ("source_ref", _str),  # file:line or record id
    ]
)

PARTIES = pa.schema(
    [
        ("publication_number", _str),
        ("role", _str),  # inventor | applicant
        ("seq", pa.int32()),
        ("name", _str),
        ("country_code", _str),  # residence, ISO 3166 alpha-2
        ("group_name", _str),  # set by harmonisation
    ]
)

CLASSIFICATIONS = pa.schema(
    [
        ("publication_number", _str),
        ("scheme", _str),  # cpc | ipc
        ("code", _str),  # normalised like G06N3/045
        ("is_first", pa.bool_()),
        ("is_inventive", pa.bool_()),
    ]
)

CITATIONS = pa.schema(
    [
        ("citing_publication_number", _str),
        ("cited_publication_number", _str),  # null for non-patent literature
        ("npl_text", _str),
        ("category", _str),  # X / Y / A / ...
        ("origin", _str),  # examiner | applicant | search report | ...
    ]
)

PRIORITIES = pa.schema(
    [
        ("publication_number", _str),
        ("priority_number", _str),
        ("priority_country", _str),
        ("priority_date", _date),
    ]
)

TAGS = pa.schema(
    [
        ("publication_number", _str),
        ("scheme", _str),  # e.g. cset_ai_technique
        ("tag", _str),
    ]
)

NOTABLE_MODELS = pa.schema(
    [
        ("model", _str),
        ("organization", _str),
        ("countries", pa.list_(_str)),
        ("publication_date", _date),
        ("domain", _str),
        ("parameters", pa.float64()),
        ("training_compute_flop", pa.float64()),
        ("source", _str),
        ("source_ref", _str),
    ]
)

TEXTS = pa.schema(
    [
        ("publication_number", _str),
        ("field", _str),  # title | abstract | claims
        ("language", _str),  # ISO 639-1 as the source gives it (zh, ja, ko, en, ...)
        ("text", _str),
        ("machine_translated", pa.bool_()),  # where the source says (Google's *_localized truncated flag is not it)
        ("source", _str),
    ]
)

CONTEXT_DOCUMENTS = pa.schema(
    [
        ("publication_number", _str),
        ("family_id", _str),  # DOCDB simple family
        ("country_code", _str),
        ("kind_code", _str),
        ("publication_date", _date),
        ("filing_date", _date),
        ("priority_date", _date),
        ("applicant_names", pa.list_(_str)),
        ("applicant_countries", pa.list_(_str)),
        ("inventor_countries", pa.list_(_str)),
        ("source", _str),
        ("source_ref", _str),
    ]
)

BASELINES = pa.schema(
    [
        ("source", _str),  # e.g. google-baselines
        ("cohort_year", pa.int16()),  # priority year
        ("cohort_field", pa.int16()),  # WIPO technology field (1-35), -1 for unclassified
        ("measure", _str),  # fwd_cits_5, fwd_cits_5_foreign, fwd_cits_5_nonself, family_size, claims, ...
        ("value", pa.float64()),
        ("families", pa.int64()),  # families of the cohort with this value
    ]
)

BASELINE_COUNTRIES = pa.schema(
    [
        ("source", _str),
        ("cohort_year", pa.int16()),
        ("cohort_field", pa.int16()),
        ("inventor_country", _str),
        ("families", pa.int64()),
    ]
)

CANONICAL = {
    "publications": PUBLICATIONS,
    "parties": PARTIES,
    "classifications": CLASSIFICATIONS,
    "citations": CITATIONS,
    "priorities": PRIORITIES,
    "tags": TAGS,
    "notable_models": NOTABLE_MODELS,
    "texts": TEXTS,
    "context_documents": CONTEXT_DOCUMENTS,
    "baselines": BASELINES,
    "baseline_countries": BASELINE_COUNTRIES,
}

#: The tables every lake reports, even when empty.
CORE_TABLES = ("publications", "parties", "classifications", "citations", "priorities")


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The DuckDB SQL type for an Arrow type of the canonical schema."""
    if pa.types.is_list(arrow_type):
        return duckdb_type(arrow_type.value_type) + "[]"
    return {
        pa.string(): "VARCHAR",
        pa.date32(): "DATE",
        pa.int16(): "SMALLINT",
        pa.int32(): "INTEGER",
        pa.int64(): "BIGINT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
    }[arrow_type]


def select_list(table: str, exprs: dict[str, str]) -> str:
    """A SQL select list producing exactly ``table``'s canonical columns, in order.

    ``exprs`` maps column name to a SQL expression; missing columns become typed NULLs.
    Adapters that map sources in SQL use this so the column set stays in one place.
    """
    schema = CANONICAL[table]
    unknown = set(exprs) - set(schema.names)
    if unknown:
        raise KeyError(f"not columns of {table}: {sorted(unknown)}")
    parts = []
    for field in schema:
        expr = exprs.get(field.name, "NULL")
        parts.append(f"CAST({expr} AS {duckdb_type(field.type)}) AS {field.name}")
    return ",\n  ".join(parts)
