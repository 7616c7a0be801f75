"""Epoch AI "Notable AI Models" CSV → ``notable_models``.

Epoch AI publishes the dataset at https://epoch.ai/data/notable-ai-models under CC BY 4.0
(credit "Epoch AI"). patentq keeps only what it sets against patents: model, organization,
the organization countries, publication date, domain, parameters and training compute.

The ``Country (from Organization)`` cell repeats a country once per organization
(``United States of America,United States of America``), so the list is split on commas,
mapped to ISO 3166 alpha-2 with ``normalize.country`` and de-duplicated per model, keeping
first-seen order. Entries that are not countries (Epoch's ``Multinational``) are kept as their
upper-cased name: they stay visible in per-country counts and, being longer than two letters,
can never be mistaken for an ISO code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa

from .. import normalize
from ..errors import BadInputError
from ..schema import NOTABLE_MODELS
from .base import Sink, require_readable, text_encoding
from .csvtools import header_of, load_csv

FORMAT = "epoch"
DESCRIPTION = "Epoch AI Notable AI Models CSV (CC BY 4.0, Epoch AI)"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".csv",)

COLUMNS = {
    "model": "Model",
    "organization": "Organization",
    "countries": "Country (from Organization)",
    "publication_date": "Publication date",
    "domain": "Domain",
    "parameters": "Parameters",
    "training_compute_flop": "Training compute (FLOP)",
}
REQUIRED = ["Model", "Organization", "Country (from Organization)", "Publication date"]
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def split_countries(cell: str | None) -> list[str]:
    """``"United States of America,China,United States of America"`` → ``["US", "CN"]``."""
    out: list[str] = []
    for part in (cell or "").split(","):
        name = part.strip()
        if not name:
            continue
        code = normalize.country(name) or name.upper()
        if code not in out:
            out.append(code)
    return out


def _number(text: str | None) -> float | None:
    """A float from Epoch's numeric cells; raises ValueError for text that is not a number."""
    if text is None or not text.strip():
        return None
    if not _NUMBER.match(text.strip()):
        raise ValueError(text)
    return float(text)


def ingest(path: Path, sink: Sink) -> None:
    head = require_readable(path, "Epoch AI models CSV")
    columns = header_of(head, text_encoding(head))
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise BadInputError(f"{path}: not an Epoch 'Notable AI Models' CSV, missing columns {missing}",
                            hint="download notable_ai_models.csv from https://epoch.ai/data/notable-ai-models")
    reader = _RecordSink(sink)
    load_csv(reader, path, "epoch")
    wanted = ", ".join(f'"{source}"' if source in columns else "NULL" for source in COLUMNS.values())
    rows = sink.con.execute(f"SELECT rowid, {wanted} FROM epoch ORDER BY rowid").fetchall()
    records = []
    unmapped: set[str] = set()
    number = 0
    for rowid, model, org, countries, date, domain, params, compute in rows:
        number += 1
        while number in reader.rejected:  # records the CSV reader quarantined are not in the table
            number += 1
        line = _record_ref(number)
        record = _record(sink, path, line, model, org, countries, date, domain, params, compute)
        if record is None:
            continue
        unmapped.update(c for c in record["countries"] if len(c) > 2)
        records.append(record)
    sink.write_arrow("notable_models", pa.Table.from_pylist(records, schema=NOTABLE_MODELS))
    if unmapped:
        sink.note(f"organization countries kept by name (not ISO countries): {', '.join(sorted(unmapped))}")
    sink.note("Epoch AI data, CC BY 4.0: credit \"Epoch AI\" when you publish results from it")


class _RecordSink:
    """The sink as ``load_csv`` sees it. DuckDB numbers the rows it rejects by CSV row (the
    header is row 1), not by physical line, so a rejected row is reported as the record it is,
    like the records the adapter rejects itself; their numbers are kept to number the others."""

    def __init__(self, sink: Sink):
        self._sink, self.path, self.con = sink, sink.path, sink.con
        self.rejected: set[int] = set()

    def reject(self, where, reason, raw=None):
        number = int(where) - 1
        self.rejected.add(number)
        self._sink.reject(_record_ref(number), reason, raw)

    def repair(self, where, reason, raw=None):
        self._sink.repair(_record_ref(int(where) - 1), reason, raw)

    def __getattr__(self, name):  # staging, limits, notes: the file's own sink
        return getattr(self._sink, name)

    @property
    def rows_read(self):
        return self._sink.rows_read

    @rows_read.setter
    def rows_read(self, value):
        self._sink.rows_read = value


def _record_ref(number: int) -> str:
    """Records can span lines (quoted newlines), so the reference is the record number (from 1)."""
    return f"record {number}"


def _record(sink, path, line, model, org, countries, date, domain, params, compute) -> dict | None:
    raw = f"{model},{org},{countries},{date},{params},{compute}"
    if not (model or "").strip():
        sink.reject(line, "missing model name", raw)
        return None
    published = normalize.date(date)
    if date and date.strip() and published is None:
        sink.reject(line, f"invalid publication date: {date!r}", raw)
        return None
    try:
        parameters, flop = _number(params), _number(compute)
    except ValueError as exc:
        sink.reject(line, f"not a number: {exc}", raw)
        return None
    return {
        "model": model.strip(),
        "organization": (org or "").strip() or None,
        "countries": split_countries(countries),
        "publication_date": published,
        "domain": (domain or "").strip() or None,
        "parameters": parameters,
        "training_compute_flop": flop,
        "source": FORMAT,
        "source_ref": f"{path.name}:{line}",
    }
