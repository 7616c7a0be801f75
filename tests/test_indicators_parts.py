"""Derived tables written in parts (parts.py): the families and indicators stages written in many
parts give the tables they give in one, and a run that lacks the disk for its output and spill
stops before it writes."""

from __future__ import annotations

import os
import shutil
from collections import namedtuple

import pytest

from patentq import open_lake, parts
from patentq.synthetic.scale import generate

TABLES = ("family_members", "family_values", "families", "family_subclasses", "family_citation_targets",
          "family_citations", "family_applicants", "family_shared_applicants", "family_context_members",
          "family_context_citations", "family_context_shared", "family_origin_bits", "family_ind_citations",
          "family_ind_oecd", "family_ind_fields", "family_indicator_base", "family_ind_qi_ranks", "family_indicators")


def checksums(engine) -> dict:
    """Count and an order-independent hash sum of every table (doubles rounded to 9 decimals,
    lists sorted: the order of an array_agg is not part of the result)."""
    out = {}
    for table in TABLES:
        cols = engine.con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
        exprs = [f"round({c}, 9)" if t == "DOUBLE" else f"list_sort({c})" if t.endswith("[]") else c
                 for c, t, *_ in cols]
        out[table] = engine.con.execute(
            f"SELECT count(*), sum(hash({', '.join(exprs)}) % 1000000007) FROM {table}").fetchone()
    return out


def run(path) -> dict:
    with open_lake(path) as session:
        session.require("family_indicators")
        return checksums(session.engine), session.lake.manifest["derived"]


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    # context documents and baselines too: the context steps and population cohorts in parts
    return generate(tmp_path_factory.mktemp("parts") / "lake", families=5_000, citations=40_000, seed=7,
                    context_documents=4_000, baselines=True)


def test_many_parts_give_the_tables_of_one(lake, tmp_path, monkeypatch):
    shutil.copytree(lake.path, tmp_path / "copy")
    one, manifest = run(lake.path)
    assert "partitions" not in manifest["family_citations"]
    assert one["family_context_members"][0] > 0 and one["family_shared_applicants"][0] > 0
    monkeypatch.setenv("PATENTQ_PARTS", "4")
    four, manifest = run(tmp_path / "copy")
    for table in ("family_members", "family_values", "families", "family_citations", "family_citation_targets",
                  "family_origin_bits", "family_ind_oecd", "family_indicator_base"):
        assert manifest[table]["partitions"] == 4, table
    assert four == one


def test_key_ranges_cover_every_key_once():
    assert parts.key_ranges(10, 1) == [None] and parts.key_ranges(0, 4) == [None]
    for keys, n in ((10, 3), (7, 7), (5, 9), (1_000_001, 16)):
        ranges = parts.key_ranges(keys, n)
        assert ranges[0][0] == 1 and ranges[-1][1] == keys + 1
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
        if keys < 100:
            assert [k for lo, hi in ranges for k in range(lo, hi)] == list(range(1, keys + 1))


def test_buckets_split_an_input_once_and_leave_nothing_behind(lake, tmp_path):
    """parts.buckets: every row of the input in the one bucket its expression names, an empty
    bucket with the input's columns, a list of queries as their union, and the folders gone
    after the block; a killed run's folder is removed, a live run's kept."""
    import subprocess

    with open_lake(lake.path) as session:
        engine = session.engine
        spill = parts.Path(engine.temp_directory)
        gone = subprocess.Popen(["true"])
        gone.wait()
        orphan = spill / f"{parts.BUCKETS_PREFIX}family_values-{gone.pid}-000000000000"
        live = spill / f"{parts.BUCKETS_PREFIX}family_values-{os.getpid()}-000000000000"
        for folder in (orphan, live):
            (folder / "x").mkdir(parents=True)
        query = "SELECT family_id, publication_number FROM publications"
        rows = sorted(engine.con.execute(query).fetchall())
        inputs = {"members": (query, parts.hash_bucket("publication_number", 3)),
                  # two queries whose union is the input; buckets 0 and 2 get none of it
                  "few": (["SELECT 1 AS k, 'a' AS v", "SELECT 1 AS k, 'b' AS v"], "k"),
                  }
        with parts.buckets(engine, "family_values", 3, inputs) as slice_of:
            made = [p for p in spill.glob(parts.BUCKETS_PREFIX + "*") if p not in (orphan, live)]
            assert len(made) == 1 and not orphan.exists() and live.exists()
            got = [sorted(engine.con.execute(f"SELECT family_id, publication_number FROM {slice_of(i)['members']}")
                          .fetchall()) for i in range(3)]
            few = [engine.con.execute(f"SELECT * FROM {slice_of(i)['few']} ORDER BY v").fetchall() for i in range(3)]
            empty = engine.con.execute(f"DESCRIBE SELECT * FROM {slice_of(0)['few']}").fetchall()
        assert sorted(r for part in got for r in part) == rows and all(part for part in got)
        for i, part in enumerate(got):
            assert {engine.con.execute("SELECT hash(?) % 3", [pn]).fetchone()[0] for _k, pn in part} == {i}
        assert few == [[], [(1, "a"), (1, "b")], []]
        assert [(c, t) for c, t, *_ in empty] == [("k", "INTEGER"), ("v", "VARCHAR")]
        assert not made[0].exists() and live.exists()
        shutil.rmtree(live)
        with parts.buckets(engine, "family_values", 1, inputs) as slice_of:  # one part: the query itself
            assert slice_of(0)["members"] == "_pq_family_values_members"
            assert sorted(engine.con.execute("SELECT * FROM _pq_family_values_members").fetchall()) == rows
            assert not list(spill.glob(parts.BUCKETS_PREFIX + "*"))


def test_a_run_short_of_disk_stops_before_writing(tmp_path, monkeypatch):
    lake = generate(tmp_path / "lake", families=500, citations=2_000, seed=7)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(parts.shutil, "disk_usage", lambda path: usage(10**12, 10**12, 0))
    with open_lake(lake.path) as session, pytest.raises(parts.DiskSpaceError, match="not enough free disk") as caught:
        session.require("family_indicators")
    assert caught.value.exit_code == 3
    assert "families/disk" in str(caught.value) and "--temp-directory" in caught.value.hint
    with open_lake(lake.path) as session:  # the stages before families (profile) are written, no family table
        assert not [t for t in session.lake.manifest["derived"] if t.startswith("famil")]
