"""CSET / 1790 Analytics AI patent database: a flat family list in a zipped CSV.

One row per publication: office, number, simple family id, kind, grant type, priority year and
boolean category flags (application fields, functional applications, AI techniques), which are
kept as ``tags``. Field meanings: ``cset-ai-patents/Field_Descriptions.md``
(georgetown-cset/1790-ai-patent-data).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..errors import BadInputError
from ..sql import literal
from .base import Sink, require_readable
from .csvtools import header_of, line_sql, load_csv, unzipped, zip_date

FORMAT = "cset"
DESCRIPTION = "CSET AI patent database CSV (zipped or not)"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".csv", ".zip")
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # CSET / 1790 Analytics AI patent database
    "priority_date": "yes", "grant_status": "yes", "family_id": "yes", "family_members": "yes", "tags": "yes",
}

CATEGORY_SCHEMES = {
    # CSET's own verdict: the row is AI by its definition (``tag:cset`` in the ai landscape)
    "cset": ["has_ai_technique", "has_functional_application"],
    "cset_application_field": [
        "Physical_Sciences_and_Engineering", "Life_Sciences", "Security__eg_cybersecurity", "Transportation",
        "Industrial_and_Manufacturing", "Education", "Document_Mgt_and_Publishing", "Military", "Agricultural",
        "Computing_in_Government", "Personal_Devices_and_Computing", "Banking_and_Finance", "Telecommunications",
        "Networks__eg_social_IOT_etc", "Business", "Energy_Management", "Entertainment", "Nanotechnology",
        "Semiconductors",
    ],
    "cset_functional_application": [
        "Language_Processing", "Speech_Processing", "Knowledge_Representation", "Planning_and_Scheduling",
        "Control", "Distributed_AI", "Robotics", "Computer_Vision", "Analytics_and_Algorithms",
        "Measuring_and_Testing",
    ],
    "cset_ai_technique": [
        "Logic_Programming", "Fuzzy_Logic", "Probabilistic_Reasoning", "Ontology_Engineering", "Machine_Learning",
        "Search_Methods", "Generic_and_Unspecified",
    ],
}
REQUIRED = ["Publication_country", "Publication_number", "Simple_family_ID"]
#: the columns ``publications`` maps (the category flags are kept for ``tags`` besides these)
MAPPED = ["Publication_country", "Publication_number", "Simple_family_ID", "Publication_type", "Patent_Type",
          "Priority_Year"]
PN = "fq_pn3(Publication_country, Publication_number, Publication_type)"


def ingest(path: Path, sink: Sink) -> None:
    head = require_readable(path, "CSET CSV", binary_ok=True)
    if not head.startswith(b"PK") and b"\x00" in head:
        raise BadInputError(f"{path} is a binary file, not a CSET CSV", hint="pass patent_database.csv(.zip)")
    sink.end_date = zip_date(path)  # the file has no dates; the day it was made bounds the data's end
    with tempfile.TemporaryDirectory(dir=sink.staging) as tmp:
        csv_path = unzipped(path, Path(tmp), (".csv",), "CSV", "download the CSET patent_database.csv.zip again",
                            sink.limits)[0]
        columns = header_of(csv_path.open("rb").read(65536), "utf-8")
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise BadInputError(f"{path}: not a CSET patent list, missing columns {missing}",
                                hint="this adapter reads the CSET/1790 AI patent database layout")
        flag_columns = {c for scheme in CATEGORY_SCHEMES.values() for c in scheme}
        # flags typed as BOOLEAN at read time (a bad flag value quarantines its row), the rest as text
        types = {c: "BOOLEAN" if c in flag_columns else "VARCHAR" for c in columns}
        keep = [c for c in columns if c in flag_columns or c in MAPPED]  # the num_*/has_* summaries are derived
        load_csv(sink, csv_path, "cset", columns=types, computed={"pn": PN}, keep=keep, single_line_records=True)
    _reject_incomplete(sink)
    # rows are loaded in file order (row numbers above); the outputs need no order
    sink.con.execute("SET preserve_insertion_order = false")
    good = "cset"
    sink.copy_sql("publications", {
        "publication_number": "pn",
        "publication_number_raw": "Publication_country || Publication_number || coalesce(Publication_type, '')",
        "country_code": "upper(Publication_country)",
        "kind_code": "Publication_type",
        "family_id": "Simple_family_ID",
        "priority_year": "try_cast(Priority_Year AS SMALLINT)",
        "is_grant": "Patent_Type ILIKE 'granted%'",
        "source": "'cset'",
        "source_ref": f"{literal(path.name + ':row ')} || ({line_sql(sink.con, 'cset')} - 1)",  # data row number (insertion order is kept)
    }, good)
    flags = [(scheme, c) for scheme, cs in CATEGORY_SCHEMES.items() for c in cs if c in columns]
    if flags:
        # one filtered scan per BOOLEAN flag column, scheme and tag as constants: cheaper than an
        # UNPIVOT with a CASE over the name, for a larger tags file (docs/performance-notes.md)
        per_flag = " UNION ALL ".join(f"SELECT pn, '{scheme}' AS scheme, '{c}' AS tag FROM {good} WHERE {c}"
                                      for scheme, c in flags)
        sink.copy_sql("tags", {"publication_number": "pn", "scheme": "scheme", "tag": "tag"}, f"({per_flag})")


def _reject_incomplete(sink: Sink) -> None:
    """Rows without office, number or family cannot be placed: quarantine them."""
    bad = sink.con.execute(
        f"SELECT {line_sql(sink.con, 'cset')}, Publication_country, Publication_number, Simple_family_ID FROM cset "
        "WHERE pn IS NULL OR coalesce(trim(Simple_family_ID), '') = ''"
    ).fetchall()
    for line, cc, num, fam in bad:
        sink.reject(line, "missing or invalid office, number or family id", f"{cc},{num},{fam}")
    if bad:
        sink.con.execute("DELETE FROM cset WHERE pn IS NULL OR coalesce(trim(Simple_family_ID), '') = ''")
