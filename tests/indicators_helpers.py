"""Tiny lakes for the families/indicators tests, built from fixture data with ``Sink.write_arrow``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pyarrow as pa

from patentq import open_lake
from patentq.lake import Lake
from patentq.schema import CANONICAL
from patentq.sources.base import Sink

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"


def _typed(table: str, rows: list[dict]) -> pa.Table:
    schema = CANONICAL[table]
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if pa.types.is_date(field.type):
            values = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.table(columns, schema=schema)


#: What a fixture input declares it carries (as an adapter's PROVIDES would): complete lists of
#: citations and family members, so an empty list is a real 0. Rows with another ``source``
#: (``lens`` in golden_families.json) carry only what their own rows hold.
FIXTURE_PROVIDES = {field: "yes" for field in (
    "publication_date", "priority_date", "filing_date", "grant_status", "grant_date", "family_id",
    "inventor_country", "applicant_country", "applicant_name", "cpc", "ipc", "title", "abstract", "claims",
    "citation_list", "npl_list", "family_members", "priority_numbers")}


def build_lake(path: Path, tables: dict[str, list[dict]], name: str = "fixture") -> Lake:
    """A lake holding ``tables`` (canonical table → rows) as one input, of source ``fixture``
    unless a publication row names another."""
    lake = Lake.create(path)
    tables = dict(tables)
    if tables.get("publications"):
        tables["publications"] = [{**r, "source": r.get("source") or "fixture"} for r in tables["publications"]]
    with lake.transaction() as txn:
        sink = Sink(txn.staging, f"{txn.id}-0000", Path(name), "fixture")
        for table, rows in tables.items():
            if rows:
                sink.write_arrow(table, _typed(table, rows))
        sink.close()
        digest = hashlib.sha256(json.dumps(tables, sort_keys=True, default=str).encode()).hexdigest()
        txn.inputs.append({**sink.manifest_entry(digest, 0), "provides": FIXTURE_PROVIDES})
    return lake


def load_case(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def rows_by_family(lake, table: str) -> dict[str, dict]:
    """``table`` by family id, read through a fresh session on the lake (a ``Lake`` or a ``Session``)."""
    with open_lake(lake.path) as session:
        return {r["family_id"]: r for r in session.arrow(table).to_pylist()}


def stage_summary(built: list[dict], stage: str = "indicators") -> dict:
    """The summary a stage returned, from the rows of ``session.require`` (the stage must have been built)."""
    rows = [r for r in built if r["stage"] == stage]
    assert rows and rows[0]["action"] == "built", built
    return rows[0]["summary"]
