"""Input → expected canonical rows, one case per folder of ``tests/fixtures/expected/``.

Tests as data (in the style of sqlglot's fixture files and patent_client's recorded documents):
each case folder holds a small input written by hand in a source's published layout
(``input.*``, or a folder ``input/`` for the formats that read a folder of tables) and
``expected.json``, the canonical rows worked out by hand from the input and the adapter's
documented mapping. The test ingests the input into a fresh lake and compares every canonical
table with the expected rows exactly (order-independent), and the quarantined records and
counts. How to add a case: ``tests/fixtures/expected/README.md``.

To see what the adapter makes of a case (to check a difference row by row, never to copy blindly
into ``expected.json``)::

    python tests/test_sources_expected.py lens/layout-2021 [TABLE]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from patentq.ingest import ingest
from patentq.lake import Lake
from patentq.schema import CANONICAL

ROOT = Path(__file__).parent / "fixtures" / "expected"
#: Keys of ``expected.json`` besides the canonical tables.
META_KEYS = {"format", "description", "rows_read", "quarantined", "notes", "known_bug"}


def cases() -> list[Path]:
    """Every folder under ``ROOT`` holding an ``expected.json``; the format is its top folder."""
    return sorted(p.parent for p in ROOT.rglob("expected.json"))


def case_id(folder: Path) -> str:
    return folder.relative_to(ROOT).as_posix()


def input_of(folder: Path) -> Path:
    found = [p for p in folder.iterdir() if p.name == "input" or p.name.startswith("input.")]
    found = [p for p in found if p.is_dir() or p.suffix != ".py"]  # input.py-style generators are not inputs
    if len(found) != 1:
        raise AssertionError(f"{folder}: expected exactly one input.* file or input/ folder, found {found}")
    return found[0]


def load_expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def format_of(folder: Path, expected: dict) -> str:
    top = folder.relative_to(ROOT).parts[0]
    return expected.get("format", top)


# --- reading what the adapter wrote ----------------------------------------------------------

def _plain(value):
    """A value as it is written in ``expected.json``: dates as ISO text, lists as lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def lake_rows(lake: Lake, table: str) -> list[dict]:
    schema = CANONICAL[table]
    parts = lake.parts(table)
    if not parts:
        return []
    data = pa.concat_tables([pq.read_table(p).select(schema.names).cast(schema) for p in parts])
    return [{k: _plain(v) for k, v in row.items()} for row in data.to_pylist()]


def quarantined(lake: Lake) -> list[dict]:
    out = []
    for entry in lake.manifest["inputs"]:
        if entry.get("quarantine"):
            for line in (lake.path / entry["quarantine"]).read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                out.append({"where": record["where"], "reason": record["reason"]})
    return out


def actual(folder: Path, lake_path: Path) -> dict:
    """What ingesting the case's input gives, in the layout of ``expected.json``."""
    expected = load_expected(folder)
    ingest(format_of(folder, expected), [input_of(folder)], lake_path)
    lake = Lake.open(lake_path)
    out: dict = {table: lake_rows(lake, table) for table in CANONICAL}
    out["rows_read"] = sum(e["rows_read"] for e in lake.manifest["inputs"])
    out["quarantined"] = quarantined(lake)
    out["notes"] = [n for e in lake.manifest["inputs"] for n in e.get("notes", [])]
    return out


# --- comparing -------------------------------------------------------------------------------

def sort_key(row: dict, columns) -> str:
    """A total order over rows of one table: NULLs first, then values as JSON."""
    return json.dumps([(row[c] is not None, row[c]) for c in columns], sort_keys=True, default=str)


def sorted_rows(rows: list[dict], columns) -> list[dict]:
    return sorted(rows, key=lambda r: sort_key(r, columns))


def _reason_matches(expected: str, got: str) -> bool:
    """Exact, or a prefix when the expected reason ends in ``...`` (messages DuckDB words)."""
    if expected.endswith("..."):
        return got.startswith(expected[:-3])
    return got == expected


def _table_diff(table: str, want: list[dict], got: list[dict]) -> str:
    columns = CANONICAL[table].names
    want_keys = [sort_key(r, columns) for r in want]
    got_keys = [sort_key(r, columns) for r in got]
    missing = [r for r, k in zip(want, want_keys) if k not in got_keys]
    extra = [r for r, k in zip(got, got_keys) if k not in want_keys]
    lines = [f"{table}: expected {len(want)} rows, got {len(got)}"]
    for row in missing:  # pair each with the written row closest to it, to show just the columns that differ
        closest = max(extra, key=lambda r: sum(r[c] == row[c] for c in columns), default=None)
        same = sum(closest[c] == row[c] for c in columns) if closest else 0
        if closest is not None and same >= len(columns) / 2:
            extra.remove(closest)
            diff = ", ".join(f"{c}: expected {row[c]!r}, got {closest[c]!r}" for c in columns if closest[c] != row[c])
            lines.append(f"  {json.dumps(row, ensure_ascii=False)}\n    differs in {diff}")
        else:
            lines.append("  expected, not written: " + json.dumps(row, ensure_ascii=False))
    lines += ["  written, not expected: " + json.dumps(r, ensure_ascii=False) for r in extra]
    return "\n".join(lines)


CASES = cases()


def test_cases_found():
    formats = {case_id(c).split("/")[0] for c in CASES}
    from patentq.sources import available_formats

    # the context formats (citing documents and population baselines beside a lake) are checked
    # row by row against hand-computed results in tests/test_google_context.py
    context = {"google-citing", "google-baselines"}
    assert formats == set(available_formats()) - context, "every format has an expected-rows case"


@pytest.mark.parametrize("folder", CASES, ids=[case_id(c) for c in CASES])
def test_expected_file_is_complete(folder):
    """Every expected row names every canonical column of its table (nothing left implicit)."""
    expected = load_expected(folder)
    unknown = set(expected) - set(CANONICAL) - META_KEYS
    assert not unknown, f"unknown keys in expected.json: {sorted(unknown)}"
    assert "rows_read" in expected and "quarantined" in expected
    for table in CANONICAL:
        names = CANONICAL[table].names
        for row in expected.get(table, []):
            assert list(row) == names, f"{table} row must list the columns {names} in order: {row}"
        rows = expected.get(table, [])
        assert rows == sorted_rows(rows, names), f"{table}: rows are not in the canonical order (sort_key)"


@pytest.mark.parametrize("folder", CASES, ids=[case_id(c) for c in CASES])
def test_expected_rows(folder, tmp_path, request):
    expected = load_expected(folder)
    if expected.get("known_bug"):  # the rows are what the adapter should write; it does not yet
        request.applymarker(pytest.mark.xfail(reason=expected["known_bug"], strict=True))
    got = actual(folder, tmp_path / "lake")
    problems = []
    for table in CANONICAL:
        columns = CANONICAL[table].names
        want = sorted_rows(expected.get(table, []), columns)
        have = sorted_rows(got[table], columns)
        if want != have:
            problems.append(_table_diff(table, want, have))
    assert not problems, f"{case_id(folder)}:\n" + "\n".join(problems)

    assert got["rows_read"] == expected["rows_read"]
    want_q = sorted(expected["quarantined"], key=lambda q: str(q["where"]))
    have_q = sorted(got["quarantined"], key=lambda q: str(q["where"]))
    assert [str(q["where"]) for q in have_q] == [str(q["where"]) for q in want_q], have_q
    for want, have in zip(want_q, have_q):
        assert _reason_matches(want["reason"], have["reason"]), (want, have)
    for note in expected.get("notes", []):
        assert note in got["notes"], f"note {note!r} not among {got['notes']}"


def main(argv: list[str]) -> None:  # pragma: no cover - a helper for writing cases
    import tempfile

    folder = ROOT / argv[0]
    with tempfile.TemporaryDirectory() as tmp:
        got = actual(folder, Path(tmp) / "lake")
    tables = argv[1:] or [t for t in CANONICAL if got[t]] + ["rows_read", "quarantined", "notes"]
    for name in tables:
        rows = got[name]
        if name in CANONICAL:
            rows = sorted_rows(rows, CANONICAL[name].names)
            print(f'"{name}": [\n' + ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows) + "\n],")
        else:
            print(f'"{name}": {json.dumps(rows, ensure_ascii=False)},')


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
