"""``compare`` on real exports as a new user runs it (a trial's findings): the drill-down sorts
on a measure the lake has, the window says what it leaves out, a default grouping does not flip
with the window, empty measures are NULL with a reason (filed abroad, RTA, HHI/CR4, the
sensitivity variants), truncated years are flagged in the time series, and the header gives the
data's own range. Figures are the exports' own (Lens jet engines 2021, the EPO OPS folder, CSET)."""

from __future__ import annotations

import json

import pytest

import patentq
from patentq.compare import compare, conventions

pytestmark = pytest.mark.shared_data


def _json(cli, *args):
    return json.loads(cli(*args, "--json").output)


def _ingested(tmp_path_factory, fmt: str, relative: str):
    """A lake of the shared file or folder ``relative``, ingested as ``patentq ingest`` does."""
    from click.testing import CliRunner

    from patentq.cli import main
    from tests.conftest import shared_file

    lake = tmp_path_factory.mktemp(fmt) / "lake"
    out = CliRunner().invoke(main, ["ingest", fmt, str(shared_file(relative)), "--lake", str(lake)])
    assert out.exit_code == 0, out.output
    return lake


@pytest.fixture(scope="module")
def lens(tmp_path_factory):
    return _ingested(tmp_path_factory, "lens", "lens/jet-engines-2021.csv")


@pytest.fixture(scope="module")
def epo(tmp_path_factory):
    return _ingested(tmp_path_factory, "epo-ops", "epo-ops")


@pytest.fixture(scope="module")
def cset(tmp_path_factory):
    return _ingested(tmp_path_factory, "cset", "cset-ai-patents/patent_database.csv.zip")


# --- Lens: no citation lists, no inventor countries; data to 2021-01-21 ---------------------------

def test_lens_drill_down_sorts_on_the_reported_lifetime_count_and_says_why(lens, cli):
    got = _json(cli, "compare", "--lake", lens, "--families", "CN", "--limit", "3")
    assert got["sorted_by"] == "fwd_cits_total"  # not fwd_cits_5, NULL for all 1,293 families
    assert "not fwd_cits_5 (fwd_cits_windowed absent: no patent citation lists" in got["sorted_by_why"]
    assert [(f["publication_number"], f["fwd_cits_total"]) for f in got["families"]] == [
        ("CN-104632485-A", 46), ("CN-107781026-A", 22), ("CN-104862818-A", 18)]
    assert got["conventions"]["measures"]["fwd_cits_5"]["status"] == "absent"
    table = cli("compare", "--lake", lens, "--families", "CN", "--limit", "3").output
    assert "sorted by fwd_cits_total" in table


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # the CLI's tables one line per row


def test_lens_header_window_note_and_lifetime_column(lens, cli):
    table = " ".join(cli("compare", "--lake", lens, "--replicates", "0").output.split())  # the title wraps
    assert "publication years 2014-2023 (data 2014-2021, to 2021-01-21)" in table
    assert "cits total" in table  # the only citation measure Lens has: shown, as its note explains it
    data = _json(cli, "compare", "--lake", lens, "--replicates", "0")
    conv = data["conventions"]
    assert conv["data_years"] == [2014, 2021] and conv["data_end_date"] == "2021-01-21"
    assert {k: conv["year_window"][k] for k in ("families", "in_window", "outside", "no_year")} == {
        "families": 3779, "in_window": 1293, "outside": 2485, "no_year": 1}
    assert ("The window 2014-2023 (publication years) holds 1,293 of the lake's 3,779 families; left out: 2,485 "
            "have a publication year outside it and 1 has no publication year") in " ".join(data["notes"])


def test_lens_time_series_flags_truncated_years(lens):
    with patentq.open_lake(lens) as session:
        result = compare(session, conventions(replicates=0))
    years = {r["year"]: r["truncated"] for r in result.time_series}
    assert years[2021] is True and not any(v for y, v in years.items() if y != 2021)
    assert result.conventions["truncated_years"] == [2021]


def test_lens_explicit_grouping_without_data_warns_and_concentration_is_null(lens, cli):
    data = _json(cli, "compare", "--lake", lens, "--by", "inventor-country", "--replicates", "20")
    assert [r["group"] for r in data["rows"]] == ["UNKNOWN"]
    c = data["concentration"]
    assert c["hhi"] is None and c["cr4"] is None and c["top_k_share"] is None and "UNKNOWN" in c["reason"]
    assert not data["conventions"]["defaults_chosen"] and data["conventions"]["warnings"][0]["coverage"] == 0
    assert any(n.startswith("Warning: --by inventor-country was asked for, but only 0 % of the families of the "
                            "window have an inventor country") for n in data["notes"])
    table = " ".join(cli("compare", "--lake", lens, "--by", "inventor-country", "--replicates", "0").output.split())
    assert "HHI 0.000" not in table and "HHI –, CR4 –" in table


def test_lens_sensitivity_not_measurable_and_ranked_as_the_main_table(lens, cli):
    data = _json(cli, "compare", "--lake", lens, "--replicates", "0", "--sensitivity")
    variants = {v["variant"]: v for v in data["sensitivity"]["variants"]}
    inventor = variants["inventor-country"]
    assert inventor["available"] is False and "families" not in inventor
    assert inventor["note"] == "not measurable: no family of the window has an inventor country"
    for basis in ("fwd5-foreign", "fwd5-nonself", "qi4", "qi6"):
        q = variants[f"quality {basis}"]
        assert q["available"] is False and q["note"].startswith("not measurable: no patent citation lists")
    base = variants["baseline"]["ranks"]
    for row in data["rows"]:  # the same ranks as the table: groups under 30 families are unranked
        assert base[row["group"]] == row["rank"], row["group"]
    assert base["KR"] is None and data["rows"][4]["group"] == "KR"
    table = " ".join(cli("compare", "--lake", lens, "--replicates", "0", "--sensitivity").output.split())
    assert "n/m" in table and "no family of the window has an inventor country" in table


def test_landscape_matching_nothing_says_so(lens, tmp_path):
    from patentq.errors import UsageError
    from patentq.project import parse, run
    from tests.conftest import shared_file

    project = parse({"project": {"lake": str(tmp_path / "lake")},
                     "sources": [{"format": "lens", "paths": [str(shared_file("lens/jet-engines-2021.csv"))]}],
                     "landscapes": {"apply": ["genai"]}, "compare": {"landscape": "genai"},
                     "outputs": [{"report": str(tmp_path / "r.html"), "sensitivity": False}]}, tmp_path)
    with pytest.raises(UsageError, match="the landscape 'genai' matched 0 of the lake's 3,779 families"):
        run(project)


def test_run_warns_when_an_explicit_grouping_has_no_data(tmp_path):
    from patentq.project import parse, run
    from tests.conftest import shared_file

    project = parse({"project": {"lake": str(tmp_path / "lake")},
                     "sources": [{"format": "lens", "paths": [str(shared_file("lens/jet-engines-2021.csv"))]}],
                     "compare": {"by": "inventor-country", "replicates": 0},
                     "outputs": [{"report": str(tmp_path / "r.html"), "sensitivity": False}]}, tmp_path)
    got = run(project)
    warnings = [s for s in got.steps if s["action"] == "warning"]
    assert warnings and "0 % of the families of the window have an inventor country" in warnings[0]["detail"]
    assert got.comparisons[0].concentration["hhi"] is None


# --- EPO OPS folder: 314 families, 8 with a year -------------------------------------------------

def test_epo_default_grouping_moves_whatever_the_window_and_the_window_says_what_it_drops(epo, cli):
    for years in ((), ("--years", "all")):
        data = _json(cli, "compare", "--lake", epo, "--replicates", "0", *years)
        assert data["conventions"]["by"] == "office", years
        assert any(n.startswith("Default moved to fit the data: --by office") for n in data["notes"]), years
    window = _json(cli, "compare", "--lake", epo, "--replicates", "0")
    assert ("The window 2014-2023 (priority years) holds 1 of the lake's 314 families; left out: 7 have a priority "
            "year outside it and 306 have no priority year") in " ".join(window["notes"])
    assert window["conventions"]["year_window"]["no_year"] == 306


# --- CSET: no priority office, no dates; the ai landscape is the whole lake -----------------------

def test_cset_all_years_truncation_filed_abroad_and_rta(cset, cli):
    cli("landscape", "apply", "ai", "--lake", cset)
    data = _json(cli, "compare", "--lake", cset, "--landscape", "ai", "--years", "all", "--replicates", "0")
    conv = data["conventions"]
    assert conv["truncated_years"] == [2018, 2019, 2020]  # inside the data's years, though the window is all
    assert conv["data_years"] == [1983, 2020] and conv["data_end_date"] == "2020-08-13"
    assert any("Years 2018, 2019, 2020 are truncated" in n for n in data["notes"])
    abroad = conv["measures"]["share_filed_abroad"]
    assert abroad["status"] == "absent" and "priority office" in abroad["reason"]
    assert all(r["share_filed_abroad"] is None and r["rta"] is None for r in data["rows"])
    assert any("RTA (revealed technological advantage) is left empty: the landscape 'ai' holds 155,770 of the "
               "155,770 families of the window" in n for n in data["notes"])
    cn = next(r for r in data["rows"] if r["group"] == "CN")
    assert cn["families"] == 87_899 and round(cn["share_outside_group_office"] * 87_899) == 11_276
