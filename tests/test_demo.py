"""The demo world and pipeline: determinism, exact calibrated counts, and recovery of the
planted truth through the real adapters, landscape, indicators and compare."""

from __future__ import annotations

import json

import pytest

from patentq import open_lake
from patentq.compare import Conventions, compare
from patentq.synthetic.demo import calibration as cal
from patentq.synthetic.demo import generate
from patentq.synthetic.demo.pipeline import run_demo
from patentq.synthetic.demo.truth import planted_filed_abroad
from patentq.lake import Lake

N, SEED = 3000, 11
COUNTRIES = list(cal.INVENTOR_COUNTRY)


def test_world_is_deterministic_for_a_seed():
    a, b, c = generate(800, 5), generate(800, 5), generate(800, 6)
    for key in ("inventor_country", "co_inventor_country", "year", "applicant", "title", "claims"):
        assert (a.fam[key] == b.fam[key]).all()
    assert (a.cites["cited"] == b.cites["cited"]).all()
    assert not (a.fam["inventor_country"][:800] == c.fam["inventor_country"][:800]).all()  # the candidates


@pytest.mark.parametrize("n", [1000, 3000, cal.TOTAL_FAMILIES])
def test_counts_scale_exactly(n):
    truth = generate(n, 1).truth
    want = cal.scaled(cal.INVENTOR_COUNTRY, n)
    assert {c: truth["counts"]["inventor_country"][c] for c in want} == want
    assert truth["families"] == n == sum(truth["counts"]["year"].values())
    assert truth["counts"]["applicant_group"] == {g: cal.scaled({g: v[0]}, n)[g] for g, v in cal.APPLICANTS.items()}
    if n == cal.TOTAL_FAMILIES:
        assert truth["counts"]["inventor_country"]["CN"] == 38_210 and truth["counts"]["year"][2014] == 733
        assert truth["counts"]["applicant_group"]["Tencent"] == 2_074
        assert truth["counts"]["year"][2023] > 14_000


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo"), N, SEED, replicates=1000, keep_sources=True)


def _rows(lake, **kw):
    conv = Conventions(landscape="genai", top=None, **kw)
    return {r["group"]: r for r in compare(open_lake(lake), conv, extras=False).rows}


def test_every_stage_ran_for_real(demo):
    assert demo.stages == {s: "ran" for s in demo.stages} and "landscape genai" in demo.stages
    assert {"generate", "write sources", "ingest google", "ingest lens", "ingest epoch", "families", "applicants",
            "indicators", "report report.html"} <= set(demo.stages)
    assert Lake.open(demo.lake).is_synthetic() and (demo.out / "patentq.toml").exists()
    assert demo.sources == demo.out / "sources"


def test_recovers_calibrated_counts_exactly(demo):
    truth = demo.world.truth["counts"]
    rows = _rows(demo.lake, replicates=0)
    got = {("unknown" if g == "UNKNOWN" else g): r["families"] for g, r in rows.items()}
    assert got == truth["inventor_country"]
    groups = _rows(demo.lake, by="applicant-group", replicates=0)
    assert {g: groups[g]["families"] for g in truth["applicant_group"]} == truth["applicant_group"]
    years = open_lake(demo.lake).query("SELECT first_publication_year AS y, count(*) AS n FROM families f JOIN landscape_genai l "
                         "ON l.family_id = f.family_id GROUP BY 1 ORDER BY 1").to_pylist()
    assert {r["y"]: r["n"] for r in years} == truth["year"]  # near misses excluded, every year exact


def test_recovers_realized_foreign_filing_exactly(demo):
    rows = _rows(demo.lake, replicates=0)
    realized = demo.world.truth["realized"]["share_filed_abroad_by_inventor_country"]
    for c in COUNTRIES:
        assert rows[c]["share_filed_abroad"] == pytest.approx(realized[c], abs=1e-12), c


def test_planted_quality_differences_within_intervals(demo):
    """Years 2014-2021: every foreign member is published before the data cut-off."""
    rows = _rows(demo.lake, years=(2014, 2021), replicates=2000, seed=5, level=0.99)
    planted = planted_filed_abroad(demo.world, (2014, 2021))
    for c in ("CN", "US", "KR", "JP"):
        lo, hi = rows[c]["share_filed_abroad_ci"]
        assert lo <= planted[c] <= hi, (c, planted[c], lo, hi)
    us, cn, gb = rows["US"], rows["CN"], rows["GB"]
    assert us["share_filed_abroad_ci"][0] > cn["share_filed_abroad_ci"][1]
    # planted citation attractiveness US 3.0, GB 2.6 vs CN 0.5: intervals apart
    assert us["mean_fwd_cits_5_rel_ci"][0] > cn["mean_fwd_cits_5_rel_ci"][1]
    # GB has ~15 families with complete windows at this size: only the point estimates are apart
    assert gb["mean_fwd_cits_5_rel"] > cn["mean_fwd_cits_5_rel_ci"][1]
    # CN: more of all families than of highly cited ones; US the other way round
    assert cn["qa_share_ci"][1] < cn["share"] and us["qa_share_ci"][0] > us["share"]
    assert us["quality_adjusted_rank"] < cn["quality_adjusted_rank"] and us["rank_shift"] > 0


def test_truth_carries_the_planted_quality(demo):
    """Issue 15: the expected top-10 % share and matched gap per country (bench/calibration.py)."""
    quality = demo.world.truth["planted"]["quality"]
    assert set(quality["quality_adjusted_share"]) == {"CN", "US", "KR", "JP"} and quality["worlds"] >= 50
    assert quality["quality_adjusted_share"]["US"] > quality["quality_adjusted_share"]["CN"]
    assert quality["number_over_quality_gap"]["CN"] > 0 > quality["number_over_quality_gap"]["US"]
    truth = json.loads((demo.out / "TRUTH-synthetic.json").read_text())
    assert truth["planted"]["quality"] == quality


def test_every_output_says_synthetic(demo):
    assert demo.comparison.notes[0].startswith("SYNTHETIC DEMO DATA")
    assert "SYNTHETIC DATA" in demo.report.read_text()
    first = json.loads((demo.out / "sources" / "google-synthetic.ndjson").open().readline())
    assert "SYNTHETIC" in first["abstract_localized"][0]["text"]
    assert json.loads((demo.out / "TRUTH-synthetic.json").read_text())["synthetic"] is True


def test_google_export_shape(demo):
    record = json.loads((demo.out / "sources" / "google-synthetic.ndjson").open().readline())
    for key in ("publication_number", "family_id", "country_code", "kind_code", "title_localized",
                "publication_date", "inventor_harmonized", "assignee_harmonized", "cpc", "citation", "priority_claim"):
        assert key in record
    assert isinstance(record["publication_date"], int) and record["publication_date"] > 2014_00_00
    assert set(record["cpc"][0]) >= {"code", "first", "inventive"}


def test_cli_demo(tmp_path, cli):
    out = cli("demo", "--families", 600, "--out", tmp_path / "d", "--replicates", 50)
    assert "SYNTHETIC" in out.output and "report:" in out.output
    assert (tmp_path / "d" / "report.html").exists() and (tmp_path / "d" / "lake" / "manifest.json").exists()
    # without --keep-sources the generated files were temporary; the project file stays beside the lake
    assert not (tmp_path / "d" / "sources").exists() and (tmp_path / "d" / "patentq.toml").exists()
    assert Lake.open(tmp_path / "d" / "lake").is_synthetic()
    cli("demo", "--families", 10, "--out", tmp_path / "e", expect=2)


def test_notable_models_per_country_against_the_epoch_file(demo):
    """Models per country counted straight from the synthetic Epoch CSV, 2014-2023."""
    import csv

    from patentq.synthetic.demo.writers import COUNTRY_NAMES

    codes = {v: k for k, v in COUNTRY_NAMES.items()}
    want: dict = {}
    with open(demo.out / "sources" / "epoch-synthetic.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if 2014 <= int(row["Publication date"][:4]) <= 2023:
                code = codes[row["Country (from Organization)"]]
                want[code] = want.get(code, 0) + 1
    got = {r["group"]: r for r in demo.comparison.notable_models}
    for group, row in got.items():
        assert row["notable_models"] == want.get(group, 0), group
        assert row["models_per_1000_families"] == pytest.approx(1000 * want.get(group, 0) / row["families"])
    assert got["US"]["models_per_1000_families"] > 5 * got["CN"]["models_per_1000_families"]


def test_notable_models_per_applicant_group(demo):
    import csv

    orgs: dict = {}
    with open(demo.out / "sources" / "epoch-synthetic.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if 2014 <= int(row["Publication date"][:4]) <= 2023:
                orgs[row["Organization"]] = orgs.get(row["Organization"], 0) + 1
    result = compare(open_lake(demo.lake), Conventions(landscape="genai", by="applicant-group", replicates=0, top=10))
    got = {r["group"]: r["notable_models"] for r in result.notable_models}
    assert got["Alphabet"] == orgs.get("Google", 0) + orgs.get("Google DeepMind", 0)
    assert got["Tencent"] == orgs.get("Tencent", 0) and got["Ping An"] == 0
    assert result.notes[0].startswith("SYNTHETIC DEMO DATA") and result.conventions["synthetic"] is True


def test_lens_reported_citations_equal_computed_ones(demo):
    """The Lens slice reports "Cited by Patent Count"; the lake computes it from the Google citations."""
    check = demo.comparison.data_quality["forward_citations_reported_vs_computed"]
    lens_families = {f for f in demo.world.members["fam"][demo.world.members["office"] == "US"] if f % 25 == 0}
    genai = {f for f in lens_families if demo.world.fam["genai"][f]}
    assert check["families"] == len(genai) > 0
    assert check["equal"] == check["families"]
