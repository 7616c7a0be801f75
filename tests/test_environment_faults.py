"""The environment fails, not patentq (issue 17, docs/reliability.md): a full disk, a read-only
or unwritable lake, a lake path with quotes in it and a damaged Parquet part are exit 3 with a
message and a hint, never "internal error" (F8, F9); worker processes die with the ingest that
started them (F10)."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from patentq.lake import Lake

EXAMPLE = ROOT / "examples" / "sample-lens.csv"


def snapshot(lake: Path) -> dict:
    return {p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("code, hint", [
    (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "read-only"),
    (errno.EACCES, "permission denied"),
])
def test_a_full_or_read_only_disk_at_commit_is_exit_3_and_the_lake_unchanged(cli, tmp_path, monkeypatch, code, hint):
    """The failure is injected where the disk would give it, the manifest write of the commit
    (root can write to read-only folders, so chmod proves nothing in CI)."""
    lake = tmp_path / "lake"
    cli("ingest", "lens", EXAMPLE, "--lake", lake)
    before = snapshot(lake)
    other = tmp_path / "other.csv"
    other.write_text(EXAMPLE.read_text().replace("US", "GB"))

    def fail(self, manifest):
        raise OSError(code, os.strerror(code), str(self.path / "manifest.json"))

    monkeypatch.setattr(Lake, "_write_manifest", fail)
    out = cli("ingest", "lens", other, "--lake", lake, expect=3).output
    assert hint in out and "internal error" not in out
    monkeypatch.undo()
    Lake.open(lake).reload()
    assert {k: v for k, v in snapshot(lake).items() if not k.startswith(".")} == \
        {k: v for k, v in before.items() if not k.startswith(".")}


def test_a_lake_path_with_quotes_works_in_every_stage(cli, tmp_path):
    """F8-F9: ``--lake "L o'brien"`` broke the generated SQL (exit 1)."""
    lake = tmp_path / """L o'brien "x" """.strip()
    cli("ingest", "lens", EXAMPLE, "--lake", lake)
    cli("indicators", "--lake", lake)
    cli("landscape", "apply", "genai", "--lake", lake)
    cli("compare", "--lake", lake, "--years", "all", "--json")
    cli("report", "--lake", lake, "--years", "all", "--out", tmp_path / "it's.html", "--format", "csv")
    assert (tmp_path / "it's.html").exists()


def test_quotes_in_file_and_output_names(cli, tmp_path):
    """A source file named o'brien.csv (its name goes into source_ref) and synth/demo output
    folders with a quote."""
    cset = tmp_path / "o'brien.csv"
    cset.write_text("Publication_country,Publication_number,Simple_family_ID,Publication_type,Patent_Type,"
                    "Priority_Year\nUS,9000001,100,B2,Granted patent,2015\n")
    cli("ingest", "cset", cset, "--lake", tmp_path / "lake")
    cli("synth", "--families", "50", "--out", tmp_path / "syn o'brien")
    cli("demo", "--families", "500", "--replicates", "0", "--out", tmp_path / "demo o'brien")


def test_a_damaged_parquet_part_is_exit_3_naming_the_file(cli, tmp_path):
    """F8-F9: a part with damaged pages (its footer intact) read as "Error: don't know what
    type" or "Out of buffer" and was reported as a bug."""
    lake = tmp_path / "lake"
    cli("ingest", "lens", EXAMPLE, "--lake", lake)
    [part] = Lake.open(lake).parts("parties")
    data = bytearray(part.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    for i in range(4, len(data) - footer, 7):  # every page, none of the footer
        data[i] ^= 0x55
    part.write_bytes(bytes(data))
    for command in (("indicators",), ("compare", "--years", "all")):
        out = cli(*command, "--lake", lake, expect=3).output
        assert "damaged file" in out and part.name in out and "internal error" not in out


# --- F10: no orphan workers ---------------------------------------------------------------------

def _grants(path: Path, first: int, n: int) -> Path:
    docs = (f'<?xml version="1.0" encoding="UTF-8"?>\n<us-patent-grant><us-bibliographic-data-grant>'
            f'<publication-reference><document-id><country>US</country><doc-number>{first + i}</doc-number>'
            f'<kind>B2</kind><date>20200101</date></document-id></publication-reference>'
            f'<application-reference><document-id><country>US</country><doc-number>1{first + i}</doc-number>'
            f'<date>20180101</date></document-id></application-reference><invention-title>T</invention-title>'
            f'</us-bibliographic-data-grant></us-patent-grant>\n' for i in range(n))
    path.write_text("".join(docs))
    return path


@pytest.mark.slow
def test_workers_die_with_a_killed_ingest(tmp_path):
    """F10: after ``kill -9`` of ``ingest uspto-xml --workers 2`` its workers kept running and
    writing to staging; now they end with it, and the next writer finds the lake as it was."""
    psutil = pytest.importorskip("psutil")
    files = [_grants(tmp_path / f"ipg{k}.xml", 10_000_000 + k * 100_000, 30_000) for k in range(4)]
    lake = tmp_path / "lake"
    proc = subprocess.Popen([sys.executable, "-m", "patentq.cli", "ingest", "uspto-xml", *map(str, files),
                             "--workers", "2", "--lake", str(lake)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers = []
        while time.monotonic() < deadline and len(workers) < 2:
            workers = [c for c in psutil.Process(proc.pid).children(recursive=True)
                       if "spawn_main" in " ".join(c.cmdline()) and "resource_tracker" not in " ".join(c.cmdline())]
            time.sleep(0.2)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1)  # they are parsing now
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        gone, alive = psutil.wait_procs(workers, timeout=10)
        for orphan in alive:  # do not leave them running when the test fails
            orphan.kill()
        assert not alive, f"orphan workers: {[p.pid for p in alive]}"
    finally:
        if proc.poll() is None:
            proc.kill()
    subprocess.run([sys.executable, "-m", "patentq.cli", "ingest", "uspto-xml", str(files[0]), "--lake", str(lake)],
                   check=True, capture_output=True, timeout=300)
    assert not list(lake.glob(".staging-*"))
    assert [Path(i["file"]).name for i in Lake.open(lake).manifest["inputs"]] == ["ipg0.xml"]
