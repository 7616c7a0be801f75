"""A labelled set of documents as a lake, for measuring a landscape on text that is not in a
source export (the repository's evaluation set, or documents an analyst copied from patent pages).

A labelled CSV (``tests/fixtures/landscape_eval/genai_eval.csv`` is one) has per row
``publication_number``, ``title``, ``abstract`` and optionally ``office``, ``language``,
``cpc`` (``;``-separated), ``family_id``, ``label`` and ``fold``. ``write_lake`` puts each row
in ``publications`` (its own family unless ``family_id`` says otherwise), its CPC codes in
``classifications`` and, when the row names a language, its title and abstract also in
``texts`` with that language, the way the multilingual adapters record every language version.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..lake import Lake
from ..normalize import classification
from ..schema import CANONICAL


def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def tables(rows: list[dict], source: str = "labelled") -> dict[str, list[dict]]:
    """The canonical rows of ``publications``, ``classifications`` and ``texts`` for ``rows``."""
    pubs, codes, texts = [], [], []
    for row in rows:
        pn = row["publication_number"].strip()
        language = (row.get("language") or "").strip().lower() or None
        pubs.append({"publication_number": pn, "country_code": (row.get("office") or pn[:2]).upper(),
                     "family_id": (row.get("family_id") or "").strip() or f"~labelled:{pn}",
                     "title": row.get("title") or None, "abstract": row.get("abstract") or None,
                     "language": language, "source": source, "source_ref": f"{source}:{row.get('id') or pn}"})
        for k, code in enumerate(c for c in (row.get("cpc") or "").split(";") if c.strip()):
            codes.append({"publication_number": pn, "scheme": "cpc", "code": classification(code) or code.strip(),
                          "is_first": k == 0, "is_inventive": None})
        for field in ("title", "abstract"):
            if language and row.get(field):
                texts.append({"publication_number": pn, "field": field, "language": language, "text": row[field],
                              "machine_translated": False, "source": source})
    return {"publications": pubs, "classifications": codes, "texts": texts}


def write_lake(rows: list[dict], path, source: str = "labelled", lake: Lake | None = None) -> Lake:
    """Write ``rows`` into the lake at ``path`` (created when missing) as one input; returns it."""
    lake = lake or (Lake.open(path) if (Path(path) / "manifest.json").exists() else Lake.create(path))
    data = tables(rows, source)
    digest = hashlib.sha256(repr(sorted((r["publication_number"], r.get("title"), r.get("abstract"))
                                        for r in data["publications"])).encode()).hexdigest()
    with lake.transaction() as txn:
        parts, written = {}, {}
        for table, table_rows in data.items():
            if not table_rows:
                continue
            target = txn.new_part("data", table)
            pq.write_table(pa.Table.from_pylist(table_rows, schema=CANONICAL[table]), target)
            parts[table] = [txn.relative(target)]
            written[table] = len(table_rows)
        txn.inputs.append({"file": source, "format": "labelled", "size": 0, "sha256": digest,
                           "rows_read": len(rows), "rows_written": written, "rejected": 0, "parts": parts})
    return Lake.open(lake.path)
