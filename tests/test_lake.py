"""The lake: atomic commits, unchanged after failed ingests, idempotent re-ingest, manifest and
quarantine contents."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from conftest import FIXTURES, ROOT
from patentq import open_lake
from patentq.errors import BadInputError
from patentq.ingest import ingest
from patentq.lake import Lake

SAMPLE = ROOT / "examples" / "sample-lens.csv"
BROKEN = FIXTURES / "lens" / "broken-quote.csv"
BAD = FIXTURES / "bad"


def _snapshot(path):
    """Everything a reader could see: row counts, manifest bytes and every file with its hash."""
    lake = Lake.open(path)
    files = {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(path.rglob("*")) if p.is_file()}
    return lake.counts(), (path / "manifest.json").read_bytes(), files


@pytest.fixture
def lake_path(tmp_path):
    path = tmp_path / "lake"
    ingest("lens", [SAMPLE], path)
    return path


@pytest.mark.parametrize("fmt, bad, words", [
    ("lens", BAD / "binary.csv", "binary"),
    ("lens", BAD / "empty.csv", "empty"),
    ("lens", BAD / "not-lens.csv", "not a Lens export"),
    ("lens", BAD / "truncated.zip", "binary"),
    ("cset", BAD / "truncated.zip", "truncated zip"),
    ("cset", SAMPLE, "not a CSET"),
    ("cset", BAD / "empty.csv", "empty"),
])
def test_failed_ingest_exits_3_and_leaves_the_lake_unchanged(cli, lake_path, fmt, bad, words):
    before = _snapshot(lake_path)
    result = cli("ingest", fmt, bad, "--lake", lake_path, expect=3)
    assert str(bad) in result.output and words in result.output
    assert "hint:" in result.output
    assert _snapshot(lake_path) == before


def test_one_bad_file_among_good_ones_commits_nothing(cli, lake_path):
    before = _snapshot(lake_path)
    cli("ingest", "lens", BROKEN, BAD / "empty.csv", "--lake", lake_path, expect=3)
    assert _snapshot(lake_path) == before


def test_failed_first_ingest_leaves_no_half_made_lake(cli, tmp_path):
    target = tmp_path / "fresh"
    cli("ingest", "lens", BAD / "binary.csv", "--lake", target, expect=3)
    assert not target.exists()


def test_error_inside_a_transaction_discards_the_staged_files(lake_path):
    before = _snapshot(lake_path)
    lake = Lake.open(lake_path)
    with pytest.raises(RuntimeError, match="power cut"):
        with lake.transaction() as txn:
            part = txn.new_part("data", "publications")
            part.write_bytes(b"half a parquet file")
            txn.inputs.append({"file": "x", "format": "lens", "sha256": "0", "parts": {}})
            raise RuntimeError("power cut")
    assert not list(lake_path.glob(".staging-*"))
    assert _snapshot(lake_path) == before


def test_commit_interrupted_before_the_manifest_is_replaced(lake_path):
    """Parts already moved into data/ but no new manifest (the process killed in between; an
    error there removes them itself, tests/test_environment_faults.py): readers still see the
    old lake, and the next commit removes the strays."""
    import subprocess
    import sys

    before_counts, before_manifest, _ = _snapshot(lake_path)
    crash = ("import os, signal, sys\nfrom patentq.ingest import ingest\nfrom patentq.lake import Lake\n"
             "Lake._write_manifest = lambda self, manifest: os.kill(os.getpid(), signal.SIGKILL)\n"
             "ingest('lens', [sys.argv[1]], sys.argv[2])\n")
    killed = subprocess.run([sys.executable, "-c", crash, str(BROKEN), str(lake_path)], capture_output=True, timeout=300)
    assert killed.returncode == -9, killed.stderr
    strays = [p for p in (lake_path / "data").rglob("*.parquet")
              if p.relative_to(lake_path).as_posix() not in (lake_path / "manifest.json").read_text()]
    assert strays, "the simulated crash should leave moved parts behind"
    counts, manifest, _ = _snapshot(lake_path)
    assert (counts, manifest) == (before_counts, before_manifest)
    assert open_lake(lake_path).connect().execute("SELECT count(*) FROM publications").fetchone()[0] == 40

    (lake_path / ".staging-leftover").mkdir()
    ingest("lens", [FIXTURES / "lens" / "layout-intermediate.csv"], lake_path)
    assert not any(p.exists() for p in strays)
    assert not list(lake_path.glob(".staging-*"))
    assert Lake.open(lake_path).counts()["publications"] == 42


def test_reingesting_the_same_file_is_a_no_op(cli, lake_path, tmp_path):
    counts, _, _ = _snapshot(lake_path)
    result = cli("ingest", "lens", SAMPLE, "--lake", lake_path, "--json")
    summary = json.loads(result.output)
    assert summary["skipped"] == [str(SAMPLE)] and summary["files"] == 0
    copy = tmp_path / "renamed.csv"
    shutil.copy(SAMPLE, copy)  # same bytes under another name: also already in the lake
    assert ingest("lens", [copy], lake_path).skipped == [str(copy)]
    lake = open_lake(lake_path)
    assert lake.lake.counts() == counts
    assert len(lake.lake.manifest["inputs"]) == 1
    con = lake.connect()
    assert con.execute("SELECT count(*) - count(DISTINCT publication_number) FROM publications").fetchone()[0] == 0


def test_same_file_twice_in_one_call_is_ingested_once(tmp_path):
    result = ingest("lens", [SAMPLE, SAMPLE], tmp_path / "lake")
    assert result.rows_written["publications"] == 40 and result.skipped == [str(SAMPLE)]


def test_a_second_file_adds_rows(lake_path):
    before = Lake.open(lake_path).counts()
    ingest("lens", [BROKEN], lake_path)
    lake = open_lake(lake_path)
    after = lake.lake.counts()
    assert after["publications"] == before["publications"] + 4
    assert after["parties"] == before["parties"] + 9
    assert [i["file"] for i in lake.lake.manifest["inputs"]] == [str(SAMPLE), str(BROKEN)]
    assert lake.info()["rejected"] == 1


def test_manifest_records_every_input(lake_path):
    ingest("lens", [BROKEN], lake_path)
    manifest = json.loads((lake_path / "manifest.json").read_text())
    assert manifest["schema_version"] == 2 and manifest["patentq_version"]
    sample, broken = manifest["inputs"]
    for entry, path in ((sample, SAMPLE), (broken, BROKEN)):
        assert entry["format"] == "lens"
        assert entry["size"] == path.stat().st_size
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        for parts in entry["parts"].values():
            assert all((lake_path / p).is_file() for p in parts)
    assert (sample["rows_read"], sample["rejected"], sample["reject_reasons"]) == (40, 0, {})
    assert sample["rows_written"]["publications"] == 40
    assert (broken["rows_read"], broken["rejected"]) == (5, 1)
    assert broken["reject_reasons"] == {"UNQUOTED VALUE": 1}


def test_quarantine_records_file_line_and_reason(lake_path):
    ingest("lens", [BROKEN], lake_path)
    entry = Lake.open(lake_path).manifest["inputs"][1]
    records = [json.loads(line) for line in (lake_path / entry["quarantine"]).read_text().splitlines()]
    assert [(r["file"], r["where"]) for r in records] == [(str(BROKEN), 4)]
    assert records[0]["reason"].startswith("UNQUOTED VALUE")
    assert records[0]["raw"].startswith("3,US,A1,US 2023/0000003 A1")


def test_unreadable_input_raises_bad_input_error_naming_the_file(tmp_path):
    with pytest.raises(BadInputError) as err:
        ingest("lens", [BAD / "not-lens.csv"], tmp_path / "lake")
    assert "not-lens.csv" in str(err.value) and err.value.exit_code == 3
