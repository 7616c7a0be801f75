"""Fuzz every source adapter with hypothesis (issue 17, docs/reliability.md).

Each case takes a small valid input of the format (from ``tests/fixtures`` and ``examples``, so
it runs anywhere), damages it the way real files are damaged (bytes flipped, inserted, deleted,
duplicated; cut short; lines swapped; a cell replaced by something nasty: quotes, delimiters,
line ends, NUL, invalid UTF-8, Unicode spaces, huge numbers, a formula, an entity; for JSON a
value anywhere replaced by any JSON value) and runs the adapter on it. Two properties must hold:

- no untyped exception escapes: the adapter either ingests the file or refuses it with a
  ``PatentqError`` (exit 3), never anything that the CLI would report as "internal error";
- every record is accounted for: records read = rows written to the format's main table +
  records quarantined + records skipped with a reason.

A failure stops the run, and hypothesis shrinks it to a minimal input, printed with the seed.

    python bench/fuzz.py                                  # 10,000 cases per adapter, seed 0
    python bench/fuzz.py --cases 2500 --seed 3 --format patstat
    python bench/fuzz.py --cases 200 --json               # what tests/test_fuzz.py runs in CI

The normalisers have their own property test; run it with more examples with
``PATENTQ_PROPERTY_EXAMPLES=2000 pytest tests/test_normalize_property.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "src"))

from patentq.errors import PatentqError  # noqa: E402
from patentq.sources import get_adapter  # noqa: E402
from patentq.sources.base import Sink  # noqa: E402

NASTY = [b'"', b'""', b",", b";", b"\t", b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xc3", b"\xe2\x80",
         "\u00a0".encode(), "\u3000".encode(), "\u2028".encode(), b"\xef\xbb\xbf", b"<", b">", b"&", b"&amp;",
         b"<!ENTITY x 'y'>", b'<?xml version="1.0"?>', b"]]>", b"{", b"}", b"[", b"]", b"\\", b"'", b"-1", b"0",
         b"1e309", b"NaN", b"99999999999999999999999", b"2020-02-30", b"0000-00-00", b"9999-12-31",
         b'=HYPERLINK("x")', b"null", b"true", b"US-", b"US 0 A", b"G06N 3/045", b"x" * 3000, b"\xe2\x80\xae",
         b"\x1b[31m"]


@dataclass
class Target:
    """One adapter's seeds: single files (``seeds``) or folders of table files (``folder``)."""

    fmt: str
    table: str = "publications"
    seeds: list = field(default_factory=list)  # (file name, bytes)
    folder: Path | None = None
    kind: str | None = None  # "json" | "xml": damage that keeps the syntax, drawn more often
    delim: bytes = b","


def _cset_seed() -> bytes:
    header = ("Publication_country,Publication_number,Simple_family_ID,Publication_type,Patent_Type,Priority_Year,"
              "Machine_Learning,Computer_Vision,Robotics,Life_Sciences")
    rows = [f"{cc},{n},{100 + i // 2},{kind},{'Granted patent' if kind.startswith('B') else 'Patent application'},"
            f"{2010 + i % 9},{'true' if i % 2 else 'false'},{'true' if i % 3 else 'false'},false,{'true' if i % 5 else 'false'}"
            for i, (cc, n, kind) in enumerate([("US", 9000001, "B2"), ("CN", 108540267, "A"), ("EP", 3000001, "A1"),
                                                ("JP", 2019000123, "A"), ("WO", 2019057956, "A1"), ("KR", 20150110165, "A"),
                                                ("US", 20130101709, "A1"), ("DE", 102008028708, "A1")])]
    return ("\n".join([header, *rows]) + "\n").encode()


def _read(path: Path) -> tuple[str, bytes]:
    return path.name, path.read_bytes()


def targets() -> dict[str, Target]:
    lens = [_read(ROOT / "examples" / "sample-lens.csv")] + [_read(p) for p in sorted((FIX / "lens").glob("*.csv"))]
    return {
        "lens": Target("lens", seeds=lens),
        "cset": Target("cset", seeds=[("patent_database.csv", _cset_seed())]),
        "uspto-xml": Target("uspto-xml", seeds=[_read(p) for p in sorted((FIX / "uspto_xml").glob("*.xml"))],
                            kind="xml"),
        "google": Target("google", seeds=[_read(p) for p in sorted((FIX / "google").glob("*.jsonl"))], kind="json"),
        "patentsview": Target("patentsview", folder=FIX / "patentsview", delim=b"\t"),
        "patstat": Target("patstat", folder=FIX / "patstat"),
        "epo-ops": Target("epo-ops", seeds=[_read(p) for p in sorted((FIX / "epo_ops").glob("*.xml"))], kind="xml"),
        "uspto-json": Target("uspto-json", seeds=[_read(p) for p in sorted((FIX / "uspto_json").glob("*.json"))],
                             kind="json"),
        "epoch": Target("epoch", table="notable_models", seeds=[_read(FIX / "epoch" / "bad_records.csv")]),
    }


# --- damage -----------------------------------------------------------------------------------

KINDS = ["flip", "insert", "delete", "duplicate", "truncate", "swap", "cell"]
json_values = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
                           | st.text(max_size=30),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12),
                                                                                              children, max_size=4),
                           max_leaves=12)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [data]


@st.composite
def damaged(draw, data: bytes, target: Target) -> bytes:
    """``data`` with one to three kinds of damage."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(KINDS + [target.kind] * 6 if target.kind else KINDS))
        n = len(data)
        if kind == "flip" and n:
            at = draw(st.integers(0, n - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif kind == "insert":
            at = draw(st.integers(0, n))
            data = data[:at] + draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "delete" and n:
            a = draw(st.integers(0, n - 1))
            data = data[:a] + data[a + draw(st.integers(1, max(1, min(200, n - a)))):]
        elif kind == "duplicate" and n:
            a = draw(st.integers(0, n - 1))
            b = min(n, a + draw(st.integers(1, 400)))
            data = data[:b] + data[a:b] + data[b:]
        elif kind == "truncate" and n:
            data = data[:draw(st.integers(0, n - 1))]
        elif kind == "swap":
            lines = _lines(data)
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"".join(lines)
        elif kind == "cell":
            lines = _lines(data)
            i = draw(st.integers(0, len(lines) - 1))
            cells = lines[i].split(target.delim)
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(NASTY) | st.binary(max_size=12))
            lines[i] = target.delim.join(cells)
            data = b"".join(lines)
        elif kind == "json":
            data = _damage_json(draw, data)
        elif kind == "xml":
            data = _damage_xml(draw, data)
    return data


_XML_TEXT = re.compile(rb">([^<>]*)<")
_XML_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)[^<>]*>[^<>]*</\1>")


def _damage_xml(draw, data: bytes) -> bytes:
    """Keep the XML well-formed but change what it says: an element's text replaced by any
    text (escaped), or a whole element dropped or doubled."""
    if draw(st.booleans()):
        spots = list(_XML_TEXT.finditer(data))
        if spots:
            m = draw(st.sampled_from(spots))
            text = draw(st.sampled_from(NASTY) | st.text(max_size=20).map(str.encode))
            text = text.decode("utf-8", "replace").encode()
            text = text.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
            text = re.sub(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", b"", text)  # no XML 1.0 character
            return data[:m.start(1)] + text + data[m.end(1):]
    elements = list(_XML_ELEMENT.finditer(data))
    if not elements:
        return data
    m = draw(st.sampled_from(elements))
    return data[:m.start()] + (m.group() * 2 if draw(st.booleans()) else b"") + data[m.end():]


def _damage_json(draw, data: bytes) -> bytes:
    """Replace one value of a JSON document (or of one NDJSON line) by any JSON value."""
    lines = data.split(b"\n") if data.count(b"\n") > 1 else [data]
    i = draw(st.integers(0, len(lines) - 1))
    try:
        doc = json.loads(lines[i])
    except ValueError:
        return data
    path, node = [], doc
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append(key)
        node = node[key]
    value = draw(json_values)
    if not path:
        doc = value
    else:
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value
    lines[i] = json.dumps(doc).encode()
    return b"\n".join(lines)


# --- one case ----------------------------------------------------------------------------------

@dataclass
class Stats:
    cases: int = 0
    ingested: int = 0
    refused: int = 0
    records: int = 0
    written: int = 0
    rejected: int = 0
    skipped: int = 0
    repaired: int = 0
    refusals: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def run_case(target: Target, name: str, data: bytes, work: Path, stats: Stats, folder_table: str | None = None):
    """Run the adapter on one damaged input; raise AssertionError when a property fails."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if target.folder is not None:
        path = work / "input"
        shutil.copytree(target.folder, path)
        (path / folder_table).write_bytes(data)
    else:
        path = work / name
        path.write_bytes(data)
    sink = Sink(work / "staging", "fuzz", path, target.fmt)
    stats.cases += 1
    try:
        get_adapter(target.fmt).ingest(path, sink)
        sink.close()
    except PatentqError as exc:  # refused with a message: exit 2 or 3, never 1
        sink.close()
        assert exc.exit_code in (2, 3), f"{type(exc).__name__} would exit {exc.exit_code}: {exc}"
        stats.refused += 1
        said = re.sub(r"\(.*", "", str(exc).splitlines()[0].replace(str(path), "FILE"))  # the kind, not the detail
        stats.refusals[f"{type(exc).__name__}: {said[:70]}"] += 1
        return
    except Exception as exc:
        sink.close()
        raise AssertionError(f"untyped exception escaped: {type(exc).__name__}: {exc}") from exc
    written = sink.written.get(target.table, 0)
    assert sink.rows_read == written + sink.rejected + sink.skipped, (
        f"records read {sink.rows_read} != written {written} + quarantined {sink.rejected} + skipped {sink.skipped} "
        f"(reasons {dict(sink.reject_reasons)}, skips {dict(sink.skip_reasons)})")
    stats.ingested += 1
    stats.records += sink.rows_read
    stats.written += written
    stats.rejected += sink.rejected
    stats.skipped += sink.skipped
    stats.repaired += sum(sink.repair_reasons.values())


def fuzz(fmt: str, cases: int, seed_value: int = 0, workdir: Path | None = None) -> Stats:
    """Run ``cases`` hypothesis cases against one adapter; return what happened."""
    target = targets()[fmt]
    stats = Stats()
    work = Path(tempfile.mkdtemp(prefix="patentq-fuzz-", dir=workdir)) / fmt.replace("-", "_")
    if target.folder is not None:
        tables = sorted(p.name for p in target.folder.iterdir() if p.is_file())
        inputs = st.sampled_from(tables).flatmap(lambda t: st.tuples(st.just(t), st.just((target.folder / t).read_bytes())))
    else:
        inputs = st.sampled_from(target.seeds)

    @seed(seed_value)
    @settings(max_examples=cases, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(inputs.flatmap(lambda s: st.tuples(st.just(s[0]), damaged(s[1], target))))
    def case(named):
        name, data = named
        run_case(target, name, data, work, stats, folder_table=name if target.folder else None)

    started = time.perf_counter()
    try:
        case()
    finally:
        stats.seconds = time.perf_counter() - started
        shutil.rmtree(work.parent, ignore_errors=True)
    return stats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per adapter")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", action="append", dest="formats", help="adapter (repeatable; default all)")
    parser.add_argument("--workdir", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                        help="scratch folder (default /dev/shm: a case writes and removes a small lake part)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    report = {}
    for fmt in args.formats or list(targets()):
        stats = fuzz(fmt, args.cases, args.seed, args.workdir)
        report[fmt] = {k: v for k, v in stats.__dict__.items() if k != "refusals"}
        report[fmt]["top_refusals"] = stats.refusals.most_common(5)
        if not args.json:
            print(f"{fmt:12} {stats.cases:6,} cases in {stats.seconds:7.1f}s: {stats.ingested:,} ingested "
                  f"({stats.records:,} records: {stats.written:,} written, {stats.rejected:,} quarantined, "
                  f"{stats.skipped:,} skipped; {stats.repaired:,} repaired), {stats.refused:,} refused with exit 3",
                  flush=True)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
