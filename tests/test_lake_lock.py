"""One writer at a time, enforced with an OS lock, tested with real concurrent processes
(docs/reliability.md: F1, F2, F11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from patentq.ingest import ingest
from patentq.lake import Lake

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-lens.csv"
HOLD = """
import sys, time
from patentq.lake import Lake
lake = Lake.open(sys.argv[1])
with lake.transaction() as txn:
    (txn.staging / "data").mkdir(parents=True, exist_ok=True)
    (txn.staging / "data" / "marker").write_text("in progress")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _lens_copy(tmp_path: Path, name: str, office: str) -> Path:
    """A Lens export with other content than the example (so it is a new input)."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / name
    path.write_text(lines[0] + "".join(lines[1:]).replace("US", office), encoding="utf-8")
    return path


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "patentq.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture
def lake(tmp_path):
    ingest("lens", [EXAMPLE], tmp_path / "lake")
    return tmp_path / "lake"


def _holder(lake: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lake), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_writer_fails_at_once_naming_the_holder(lake, tmp_path):
    holder = _holder(lake, 30)
    try:
        out = _cli("ingest", "lens", str(_lens_copy(tmp_path, "b.csv", "GB")), "--lake", str(lake))
        assert out.returncode == 3, out.stderr
        assert f"being written by patentq process {holder.pid}" in out.stderr and "--wait" in out.stderr
        staging = list(lake.glob(".staging-*"))
        assert len(staging) == 1 and (staging[0] / "data" / "marker").exists()  # F2: the holder's work survives
    finally:
        holder.kill()
        holder.wait()


def test_concurrent_ingests_with_wait_keep_every_input(lake, tmp_path):
    """F1: two writers at once; each commits on top of the other's manifest, nothing is lost."""
    files = [_lens_copy(tmp_path, f"{c}.csv", c) for c in ("GB", "DE", "FR")]
    procs = [subprocess.Popen([sys.executable, "-m", "patentq.cli", "ingest", "lens", str(f), "--lake", str(lake),
                               "--wait", "120"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in files]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    inputs = {Path(i["file"]).name for i in json.loads((lake / "manifest.json").read_text())["inputs"]}
    assert inputs == {"sample-lens.csv", "GB.csv", "DE.csv", "FR.csv"}
    info = _cli("lake", "info", "--lake", str(lake), "--json")
    assert info.returncode == 0 and json.loads(info.stdout)["tables"]["publications"] == 4 * 40


def test_a_killed_writer_leaves_no_lock_and_its_leftovers_go(lake, tmp_path):
    """The kernel drops the lock of a killed process; its staging folder and a stray temporary
    manifest (F11) are removed by the next writer, and the lake is as before."""
    before = (lake / "manifest.json").read_bytes()
    holder = _holder(lake, 60)
    holder.kill()
    holder.wait()
    (lake / ".manifest.json.deadbeef.tmp").write_text("{}")
    assert list(lake.glob(".staging-*"))
    assert (lake / "manifest.json").read_bytes() == before
    out = _cli("ingest", "lens", str(_lens_copy(tmp_path, "b.csv", "GB")), "--lake", str(lake))
    assert out.returncode == 0, out.stderr
    assert not list(lake.glob(".staging-*")) and not list(lake.glob(".manifest.json.*.tmp"))


def test_waiting_times_out_with_exit_3(lake, tmp_path):
    holder = _holder(lake, 30)
    try:
        started = time.monotonic()
        out = _cli("ingest", "lens", str(_lens_copy(tmp_path, "b.csv", "GB")), "--lake", str(lake), "--wait", "1.5")
        assert out.returncode == 3 and time.monotonic() - started >= 1.5
    finally:
        holder.kill()
        holder.wait()


def test_stage_builds_take_the_lock_too(lake):
    """A command that rebuilds stale state (here compare) is a writer: it waits for the lock."""
    holder = _holder(lake, 30)
    try:
        out = _cli("compare", "--lake", str(lake), "--years", "all")
        assert out.returncode == 3 and "being written by" in out.stderr
    finally:
        holder.kill()
        holder.wait()


def test_readers_of_the_previous_manifest_keep_their_files(lake):
    """A commit replacing a derived table retires its parts instead of deleting them."""
    import patentq

    patentq.open_lake(lake).require("families")
    old = Lake.open(lake).parts("families")
    from patentq import stages

    session = patentq.open_lake(lake)
    stages.forget(session, "families")
    session.require("families")
    new = Lake.open(lake).parts("families")
    assert new != old and all(p.exists() for p in old + new)
    assert {str(p.relative_to(lake)) for p in old} <= {
        p for r in Lake.open(lake).manifest["retired"] for p in r["parts"]}


def test_the_profile_step_of_ingest_waits_like_the_ingest(lake, tmp_path, monkeypatch):
    """`ingest --wait` also waits where the command records the lake profile after its commit:
    another writer that takes the lock between the two (here a thread of this process, which
    waits like another process) delays the profile instead of failing the ingest (exit 3)."""
    import threading

    from click.testing import CliRunner

    from patentq.cli import main
    from patentq.cli import ingest as ingest_cli

    taken, release = threading.Event(), threading.Event()

    def hold():
        with Lake.open(lake).writer():
            taken.set()
            release.wait(5)

    def ingest_then_another_writer(*args, **kwargs):
        result = ingest(*args, **kwargs)
        threading.Thread(target=hold, daemon=True).start()
        assert taken.wait(10)
        threading.Timer(1.0, release.set).start()
        return result

    monkeypatch.setattr(ingest_cli, "ingest", ingest_then_another_writer)
    started = time.monotonic()
    out = CliRunner().invoke(main, ["ingest", "lens", str(_lens_copy(tmp_path, "b.csv", "GB")), "--lake", str(lake),
                                    "--wait", "30", "--json"])
    assert out.exit_code == 0, out.output
    assert time.monotonic() - started >= 1.0  # it waited for the other writer
    assert Lake.open(lake).derived("lake_profile") is not None
