"""The scale generator: exact sizes, determinism, and data the pipeline can use."""

import hashlib

import pyarrow.parquet as pq
import pytest

import patentq
from patentq.synthetic import scale as synth


def _digest(lake_path, table):
    lake = patentq.open_lake(lake_path)
    rows = lake.connect().execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_sizes_are_exact(tmp_path):
    result = synth.run(tmp_path / "a", families=5000, citations=40000)
    con = patentq.open_lake(tmp_path / "a").connect()
    assert con.execute("SELECT count(DISTINCT family_id) FROM publications").fetchone()[0] == 5000
    assert result["citations"] == 40000
    # every citation points back in time to a family that exists in the lake
    orphans = con.execute("""
        SELECT count(*) FROM citations c
        WHERE NOT EXISTS (SELECT 1 FROM publications p
                          WHERE p.country_code || '-' || split_part(p.publication_number, '-', 2) = c.cited_publication_number)
    """).fetchone()[0]
    assert orphans == 0


def test_same_seed_same_lake_other_seed_other_lake(tmp_path):
    synth.run(tmp_path / "a", 3000, 20000, seed=7)
    synth.run(tmp_path / "b", 3000, 20000, seed=7)
    synth.run(tmp_path / "c", 3000, 20000, seed=8)
    for table in ("publications", "citations", "parties"):
        assert _digest(tmp_path / "a", table) == _digest(tmp_path / "b", table)
    assert _digest(tmp_path / "a", "publications") != _digest(tmp_path / "c", "publications")


def test_streams_in_chunks(tmp_path):
    lake = synth.generate(tmp_path / "a", families=2500, citations=5000, chunk=1000)
    parts = lake.parts("publications")
    assert len(parts) == 3
    assert sum(pq.ParquetFile(p).metadata.num_rows for p in parts) == lake.counts()["publications"]


def test_country_mix_follows_calibration(tmp_path):
    synth.run(tmp_path / "a", 20000, 0)
    con = patentq.open_lake(tmp_path / "a").connect()
    shares = dict(con.execute("""
        SELECT pa.country_code, count(DISTINCT pu.family_id) / 20000.0
        FROM parties pa JOIN publications pu USING (publication_number)
        WHERE pa.role = 'inventor' GROUP BY 1""").fetchall())
    expected = dict(synth.COUNTRY_SHARES)
    assert shares["CN"] == pytest.approx(expected["CN"] * 0.95, abs=0.03)  # 5% of inventor countries are masked
    assert shares["CN"] > shares["US"] > shares["JP"]


def test_cli(cli, tmp_path):
    out = cli("synth", "--families", 1000, "--citations", 500, "--out", tmp_path / "s", "--json").output
    assert '"citations": 500' in out
