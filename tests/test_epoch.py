"""Epoch AI Notable AI Models adapter on the real April 2025 CSV (924 models)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

from conftest import FIXTURES, shared_file

from patentq import open_lake

EPOCH = "epoch/notable_ai_models_2025-04.csv"

# ISO codes for every country name the April 2025 file uses, written out here so the test does
# not reuse the adapter's mapping (normalize.COUNTRY_NAMES).
ISO = {
    "United States of America": "US", "China": "CN", "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Canada": "CA", "France": "FR", "Switzerland": "CH", "Germany": "DE", "Korea (Republic of)": "KR",
    "Japan": "JP", "Israel": "IL", "Hong Kong": "HK", "Singapore": "SG", "Australia": "AU", "Netherlands": "NL",
    "Saudi Arabia": "SA", "Czechia": "CZ", "Finland": "FI", "India": "IN", "United Arab Emirates": "AE",
    "Austria": "AT", "Belgium": "BE", "Poland": "PL", "Sweden": "SE", "Spain": "ES", "Taiwan": "TW",
    "Ireland": "IE", "Iran (Islamic Republic of)": "IR", "Italy": "IT", "Norway": "NO", "Russia": "RU",
    "Argentina": "AR", "Multinational": "MULTINATIONAL",
}


def snapshot(lake: Path) -> dict:
    """Every file in the lake with its content hash: equal snapshots mean an unchanged lake."""
    return {p.relative_to(lake).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lake.rglob("*")) if p.is_file()}


def expected_country_counts(path: Path) -> Counter:
    counts: Counter = Counter()
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = [n.strip() for n in row["Country (from Organization)"].split(",") if n.strip()]
            counts.update({ISO[n] for n in names})
    return counts


def models(lake_dir) -> list[dict]:
    return open_lake(lake_dir).arrow("notable_models").to_pylist()


def test_all_924_models_with_deduplicated_country_counts(cli, lake_dir):
    path = shared_file(EPOCH)
    cli("ingest", "epoch", path, "--lake", lake_dir)
    rows = models(lake_dir)
    assert len(rows) == 924
    got = Counter(c for r in rows for c in r["countries"])
    assert got == expected_country_counts(path)
    # literal figures, counted once per model however many of its organizations share a country
    assert got["US"] == 626
    assert got["CN"] == 122
    assert got["GB"] == 126
    assert got["MULTINATIONAL"] == 70
    assert got["IR"] == 1
    assert sum(1 for r in rows if not r["countries"]) == 13
    assert all(len(r["countries"]) == len(set(r["countries"])) for r in rows)


def test_model_fields(cli, lake_dir):
    cli("ingest", "epoch", shared_file(EPOCH), "--lake", lake_dir)
    by_name = {r["model"]: r for r in models(lake_dir)}
    exaone = by_name["EXAONE Deep 32B"]
    assert exaone["organization"] == "LG AI Research"
    assert exaone["countries"] == ["KR"]
    assert exaone["publication_date"].isoformat() == "2025-03-16"
    assert exaone["domain"] == "Language"
    assert exaone["parameters"] == 32e9
    assert exaone["training_compute_flop"] == 1.26e24
    assert by_name["QwQ-32B"]["countries"] == ["CN"]
    rows = list(by_name.values())
    assert sum(r["parameters"] is not None for r in rows) == 614
    assert sum(r["training_compute_flop"] is not None for r in rows) == 468
    assert sum(r["publication_date"] is not None for r in rows) == 923


def test_malformed_records_are_quarantined(cli, lake_dir):
    path = FIXTURES / "epoch" / "bad_records.csv"
    result = cli("ingest", "epoch", path, "--lake", lake_dir, "--json")
    assert json.loads(result.output)["rejected"] == 3
    rows = {r["model"]: r for r in models(lake_dir)}
    assert rows["Tiny Model A"]["countries"] == ["DE", "FR"]
    assert rows["Tiny Model D"]["countries"] == ["US", "IR"]
    assert rows["Tiny Model D"]["organization"] == "Lab One,Lab Two"
    quarantine = [json.loads(line) for f in (lake_dir / "quarantine").glob("*.jsonl") for line in f.open()]
    reasons = {q["where"]: q["reason"] for q in quarantine}
    assert reasons == {
        "record 2": "missing model name",
        "record 3": "invalid publication date: 'not a date'",
        "record 4": "not a number: about seven billion",
    }


def test_bad_files_exit_3_and_leave_the_lake_unchanged(cli, lake_dir, tmp_path):
    cli("ingest", "epoch", FIXTURES / "epoch" / "bad_records.csv", "--lake", lake_dir)
    before = snapshot(lake_dir)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    binary = tmp_path / "models.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    wrong = tmp_path / "other.csv"
    wrong.write_text("Organization,Country\nACME,France\n")
    truncated = tmp_path / "cut.csv"  # a download cut off inside a quoted cell
    truncated.write_text((FIXTURES / "epoch" / "bad_records.csv").read_text() + 'Tiny Model E,Language,Cut Lab,"Germany,Fr')
    for bad in (empty, binary, wrong, truncated):
        result = cli("ingest", "epoch", bad, "--lake", lake_dir, expect=3)
        assert str(bad) in result.output
        assert snapshot(lake_dir) == before

