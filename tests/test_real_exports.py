"""Right answers on the files users bring (issue 12): every real source end to end with default
options only, as a new user would run it: ingest → profile → landscape (where the data allows)
→ indicators → compare → report. Each test checks coverage figures computed here, independently
of patentq's code, the defaults chosen and the note printed, and that no row of
``compare --json`` carries a measure whose inputs are absent."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

import patentq

pytestmark = pytest.mark.shared_data


def _json(cli, *args):
    return json.loads(cli(*args, "--json").output)


def _no_absent_measures(data: dict) -> None:
    """A rate whose measure the lake cannot compute is empty in every row, and said so."""
    measures = data["conventions"]["measures"]
    absent = [key for key, m in measures.items() if m["status"] == "absent"]
    for row in data["rows"]:
        for key in absent:
            assert row.get(key) is None, (key, row["group"])
            assert row.get(f"{key}_ci") is None, (key, row["group"])
    if absent:
        assert any(n.startswith("Not measurable on this lake") for n in data["notes"])


def _profile(cli, lake) -> dict:
    return _json(cli, "lake", "profile", "--lake", lake)


def _report(cli, lake, tmp_path) -> str:
    out = tmp_path / "report.html"
    cli("report", "--lake", lake, "--out", out, "--replicates", "50")
    return out.read_text(encoding="utf-8")


# --- Lens 2021 --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lens2021(tmp_path_factory, shared_module):
    path = shared_module("lens/jet-engines-2021.csv")
    lake = tmp_path_factory.mktemp("lens2021") / "lake"
    from patentq.ingest import ingest

    ingest("lens", [path], lake)
    return path, lake


@pytest.fixture(scope="module")
def shared_module():
    from tests.conftest import shared_file

    return shared_file


def _lens_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_lens_2021_profile_and_defaults(lens2021, cli, tmp_path):
    path, lake = lens2021
    rows = _lens_rows(path)
    profile = _profile(cli, lake)
    assert profile["publications"] == len(rows) == 3779
    assert profile["fields"]["inventor_country"]["share"] == 0.0  # the 2021 layout has no countries
    with_applicants = sum(1 for r in rows if r["Applicants"].strip())
    assert profile["fields"]["applicant_name"]["present"] == with_applicants
    assert profile["fields"]["citation_list"]["share"] == 0.0  # NPL lists only, no patent citation lists
    assert profile["measures"]["fwd_cits_total"]["status"] == "reported"
    assert profile["measures"]["reach"]["status"] == "lower bound"
    data = _json(cli, "compare", "--lake", lake, "--replicates", "100", "--top", "0")
    assert data["conventions"]["by"] == "priority-office"
    assert data["conventions"]["defaults_chosen"][0]["option"] == "by"
    assert any(n.startswith("Default moved to fit the data: --by priority-office") for n in data["notes"])
    _no_absent_measures(data)
    explicit = _json(cli, "compare", "--lake", lake, "--by", "inventor-country", "--replicates", "0")
    assert explicit["conventions"]["by"] == "inventor-country" and not explicit["conventions"]["defaults_chosen"]
    report = _report(cli, lake, tmp_path)
    assert "Default moved to fit the data" in report


def test_lens_2021_profile_in_parts_is_the_profile_in_one(lens2021, tmp_path, monkeypatch):
    """lake_profile written in hash slices of the publications (as at 100M families) sums to the
    one-part table, the families that may lack a grant (counted over every slice) included."""
    import shutil

    from patentq import profile

    _, lake = lens2021
    with patentq.open_lake(lake) as session:
        one = profile.profile(session)
    shutil.copytree(lake, tmp_path / "copy")
    monkeypatch.setenv("PATENTQ_PARTS", "3")
    with patentq.open_lake(tmp_path / "copy") as session:
        profile.build(session)
        assert session.lake.manifest["derived"]["lake_profile"]["partitions"] == 3
        three = profile.profile(session)
    assert sum(r["family_short"] for r in one["by_office_year"]) > 100
    assert three["by_office_year"] == one["by_office_year"]
    assert three["fields"] == one["fields"] and three["measures"] == one["measures"]


def test_lens_2021_reported_citations_go_to_the_lifetime_count_only(lens2021, cli):
    path, lake = lens2021
    rows = _lens_rows(path)
    assert sum(1 for r in rows if int(r["Cited by Patent Count"] or 0) > 0) > 0
    with patentq.open_lake(lake) as session:
        session.require("family_indicators")
        reported = {r["family_id"]: r["reported"] for r in session.query(
            "SELECT m.family_id, max(p.reported_cited_by_count) AS reported FROM publications p "
            "JOIN family_members m USING (publication_number) GROUP BY m.family_id").to_pylist()}
        ind = {r["family_id"]: r for r in session.query(
            "SELECT family_id, fwd_cits_total, fwd_cits_source, fwd_cits_3, fwd_cits_5, fwd_cits_7, "
            "npl_cits, npl_cits_source, bwd_cits_source FROM family_indicators").to_pylist()}
    cited = [f for f, n in reported.items() if n and n > 0]
    assert len(cited) > 100
    for family in cited:
        got = ind[family]
        assert got["fwd_cits_total"] == reported[family] and got["fwd_cits_source"] == "reported", family
        assert got["fwd_cits_3"] is None and got["fwd_cits_5"] is None and got["fwd_cits_7"] is None, family
    # the NPL column is a list Lens gives: its count is computed; patent citations are reported only
    assert {r["npl_cits_source"] for r in ind.values()} == {"computed"}
    assert {r["bwd_cits_source"] for r in ind.values()} == {"reported"}
    # nothing computed, so no "reported vs computed" check (it would set the reported count against itself)
    with patentq.open_lake(lake) as session:
        assert session.comparison().data_quality["forward_citations_reported_vs_computed"] is None


def test_lens_2021_reach_is_a_flagged_lower_bound_from_priority_offices(lens2021, cli):
    _, lake = lens2021
    with patentq.open_lake(lake) as session:
        session.require("family_indicators")
        # independently: offices of each family's members and priority numbers, from raw tables
        ip5 = session.query("""
            WITH offices AS (
              SELECT m.family_id, p.country_code AS office FROM publications p JOIN family_members m USING (publication_number)
              UNION SELECT m.family_id, pr.priority_country FROM priorities pr JOIN family_members m USING (publication_number))
            SELECT count(*) FROM (SELECT family_id FROM offices WHERE office IN ('US','EP','JP','CN','KR')
                                  GROUP BY family_id HAVING count(DISTINCT office) >= 2) x""").column(0)[0].as_py()
        got = session.query("SELECT count(*) FILTER (WHERE ip5_offices >= 2), count(*) FILTER (WHERE reach_basis = "
                            "'lower bound'), count(*) FROM family_indicators").to_pylist()[0]
    assert ip5 >= 115  # the count of families with priority numbers at two or more IP5 offices
    values = list(got.values())
    assert values[0] == ip5 and values[1] == values[2]  # every Lens family's reach is flagged
    data = _json(cli, "compare", "--lake", lake, "--replicates", "0", "--top", "0")
    assert any(r["share_ip5"] and r["share_ip5"] > 0 for r in data["rows"])
    assert all(r["share_reach_lower_bound"] == 1.0 for r in data["rows"] if r["group"] != "UNKNOWN")
    assert any(n.startswith("Reach (filed abroad") and "lower bound" in n for n in data["notes"])


def test_lens_2021_utility_models_and_grant_lower_bound(lens2021, cli):
    """CN kind U (Lens "Limited Patent") is a utility model: not refused, not pending, out of the
    grant rate; a family Lens reports larger than the lake holds has a lower-bound grant."""
    _, lake = lens2021
    with patentq.open_lake(lake) as session:
        session.require("family_indicators")
        um = session.query(
            "SELECT i.granted, i.pending, i.grant_basis, count(DISTINCT i.family_id) AS n FROM family_indicators i "
            "JOIN family_members m USING (family_id) WHERE m.country_code = 'CN' AND m.kind_code = 'U' "
            "AND year(m.publication_date) >= 2014 GROUP BY ALL").to_pylist()
        short = session.query("SELECT count(*) FROM family_indicators WHERE grant_basis = 'lower bound'").column(0)[0]
        expect_short = session.query("SELECT count(*) FROM families WHERE NOT granted AND reported_family_size > members "
                                     "AND family_id NOT IN (SELECT family_id FROM family_members WHERE "
                                     "substr(kind_code, 1, 1) IN ('U', 'Y'))").column(0)[0]
    assert um == [{"granted": None, "pending": None, "grant_basis": "utility model", "n": 348}]  # was 101 refused, 247 pending
    assert short.as_py() == expect_short.as_py() == 884
    grant = _profile(cli, lake)["measures"]["grant"]
    assert grant["status"] == "lower bound" and grant["reason"].startswith("893 publications not granted")


# --- Lens 2015 --------------------------------------------------------------------------------

def test_lens_2015(shared, cli, tmp_path):
    path = shared("lens/pizza-2015.csv")
    lake = tmp_path / "lake"
    cli("ingest", "lens", path, "--lake", lake)
    text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    profile = _profile(cli, lake)
    assert profile["publications"] == len(rows) == 1000
    assert profile["fields"]["inventor_country"]["share"] == 0.0
    assert profile["fields"]["cites_reported"]["share"] == 0.0  # the 2015 layout has no "Cites Patent Count"
    assert profile["measures"]["bwd_cits"]["status"] == "absent"
    data = _json(cli, "compare", "--lake", lake, "--replicates", "50")
    assert data["conventions"]["by"] == "priority-office"
    _no_absent_measures(data)
    assert "Default moved to fit the data" in _report(cli, lake, tmp_path)


# --- CSET -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cset(tmp_path_factory, shared_module):
    from click.testing import CliRunner

    from patentq.cli import main

    path = shared_module("cset-ai-patents/patent_database.csv.zip")
    lake = tmp_path_factory.mktemp("cset") / "lake"
    out = CliRunner().invoke(main, ["ingest", "cset", str(path), "--lake", str(lake)])
    assert out.exit_code == 0, out.output
    return path, lake


def test_cset_profile(cset, cli):
    path, lake = cset
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv") and "MACOSX" not in n)
        with archive.open(name) as handle:
            rows = list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))
    profile = _profile(cli, lake)
    assert profile["publications"] == len(rows) == 287_532
    for field in ("inventor_country", "applicant_country", "cpc", "ipc", "citation_list", "publication_date"):
        assert profile["fields"][field]["share"] == 0.0, field
    assert profile["fields"]["family_id"]["share"] == 1.0
    assert profile["end_date"] == "2020-08-13"  # the zip's own date: the file has no dates
    for measure in ("fwd_cits_windowed", "fwd_cits_total", "bwd_cits", "scope", "quality_index_4"):
        assert profile["measures"][measure]["status"] == "absent", measure


def test_cset_compare_by_office_with_defaults_only(cset, cli, tmp_path):
    _, lake = cset
    data = _json(cli, "compare", "--lake", lake, "--by", "office", "--replicates", "100")
    conv = data["conventions"]
    assert conv["year_basis"] == "priority" and conv["years"] == [2014, 2023]
    assert any(n.startswith("Default moved to fit the data: --year-basis priority") for n in data["notes"])
    rows = {r["group"]: r for r in data["rows"]}
    assert rows["CN"]["families"] == 77_543
    assert round(rows["CN"]["share_outside_group_office"] * 77_543) == 8_384
    assert f"{100 * rows['CN']['share_outside_group_office']:.2f}" == "10.81"
    assert rows["US"]["families"] == 33_352
    assert round(rows["US"]["share_outside_group_office"] * 33_352) == 13_601
    assert f"{100 * rows['US']['share_outside_group_office']:.2f}" == "40.78"
    assert conv["truncated_years"] == [2018, 2019, 2020]
    assert any("Years 2018, 2019, 2020 are truncated" in n for n in data["notes"])
    for row in data["rows"]:  # citation measures, claims and the composite are empty
        assert row["mean_fwd_cits_5_rel"] is None and row["mean_quality_index_4"] is None
        assert row["mean_fwd_cits_total"] is None and row["mean_claims"] is None
    _no_absent_measures(data)
    every = {r["group"]: r for r in _json(cli, "compare", "--lake", lake, "--by", "office", "--years", "all",
                                           "--replicates", "0")["rows"]}
    assert every["CN"]["families"] == 87_899 and round(every["CN"]["share_outside_group_office"] * 87_899) == 11_276
    assert every["US"]["families"] == 55_408 and round(every["US"]["share_outside_group_office"] * 55_408) == 21_304


def test_cset_grant_rate_counts_only_families_whose_fate_is_known(cset):
    """Families filed within the pending years before the data's end (2020-08-13) are pending,
    not refused: independently, the grant rate over families with a priority year ≤ 2014."""
    _, lake = cset
    with patentq.open_lake(lake) as session:
        session.require("family_indicators")
        got = session.query("SELECT count(*) FILTER (WHERE pending), count(*) FILTER (WHERE granted), "
                            "count(*) FILTER (WHERE NOT granted AND NOT pending) FROM family_indicators").to_pylist()[0]
        # families of utility models only (CN U/Y, DE U1, ...: CSET files them under "Granted")
        # leave the grant rate; in a double filing only the invention documents decide
        decided = session.query("""
            WITH kinds AS (
              SELECT family_id, bool_and(substr(kind_code, 1, 1) IN ('U', 'Y')) AS um,
                     bool_or(is_grant AND substr(kind_code, 1, 1) NOT IN ('U', 'Y')) AS invention_granted
              FROM family_members GROUP BY family_id)
            SELECT count(*) FILTER (WHERE um) AS um, count(*) FILTER (WHERE NOT um AND invention_granted),
                   count(*) FILTER (WHERE NOT um AND NOT invention_granted AND f.priority_year <= 2014)
            FROM families f JOIN kinds USING (family_id)""").to_pylist()[0]
        um = session.query("SELECT count(*) FROM family_indicators WHERE grant_basis = 'utility model' "
                           "AND granted IS NULL AND pending IS NULL").column(0)[0].as_py()
    pending, granted, refused = got.values()
    assert pending > 0
    assert [um, granted, refused] == list(decided.values())


def test_cset_ai_landscape_takes_the_flags(cset, cli):
    _, lake = cset
    result = _json(cli, "landscape", "apply", "ai", "--lake", lake)
    assert result["families"] == 155_770
    assert result["warnings"] and all("can match nothing here" in w for w in result["warnings"])
    # Field_Descriptions.md lists Life_Sciences and Networks, the CSV has no such columns: not 0
    counts = {cat: n for cats in result["categories"].values() for cat, n in cats.items()}
    absent = {cat: why for cats in result["categories_not_in_data"].values() for cat, why in cats.items()}
    assert counts["Life_Sciences"] is None and counts["Networks__eg_social_IOT_etc"] is None
    assert absent["Life_Sciences"] == ("not in the data: no CPC or IPC codes, no CPC codes, "
                                       "no cset_application_field=life_sciences tags")
    assert counts["Machine_Learning"] == 127_718  # distinct families, all years
    genai = cli("landscape", "apply", "genai", "--lake", lake, expect=3)
    assert "can match nothing" in genai.output and "lake profile" in genai.output


# --- USPTO XML, EPO OPS, USPTO JSON -------------------------------------------------------------

def test_uspto_xml_slices_default_window_moves_to_the_data(shared, cli, tmp_path):
    folder = shared("uspto-xml/weekly-slices")
    lake = tmp_path / "lake"
    cli("ingest", "uspto-xml", folder, "--lake", lake)
    # independently: grants whose inventors carry a country, from the XML text
    docs, with_country = 0, 0
    for file in sorted(folder.glob("ipg*.xml")):
        for doc in file.read_text(encoding="utf-8", errors="replace").split("<?xml")[1:]:
            if "<us-patent-grant" not in doc:
                continue
            docs += 1
            inventors = re.search(r"<(?:us-parties|parties)>.*?</(?:us-parties|parties)>", doc, re.S)
            if inventors and re.search(r"<(?:inventor|applicant)[ >].*?<country>", inventors.group(0), re.S):
                with_country += 1
    profile = _profile(cli, lake)
    assert profile["publications"] == docs == 225
    assert profile["fields"]["inventor_country"]["present"] <= with_country
    assert profile["fields"]["inventor_country"]["share"] > 0.9
    data = _json(cli, "compare", "--lake", lake, "--replicates", "50")
    assert data["conventions"]["years"] == [2005, 2013] and data["conventions"]["by"] == "inventor-country"
    assert any(n.startswith("Default moved to fit the data: --years 2005-2013") for n in data["notes"])
    assert sum(r["families"] for r in data["rows"]) >= 200
    _no_absent_measures(data)
    # windows: the slices of 2009-2013 end less than 5 years before the data (2013-04-16): their
    # 5-year counts are not a component of the composites (they entered as 0 before)
    assert profile["measures"]["fwd_cits_windowed"]["reason"].endswith(
        "5-year windows complete for 44% of publications (data ends 2013-04-16; an incomplete window leaves the composites)")
    with patentq.open_lake(lake) as session:
        got = session.query("SELECT window_complete_5 AS w, count(*) AS n, count(fwd_cits_5_norm) AS norm, "
                            "count(quality_index_4) AS qi FROM family_indicators GROUP BY ALL ORDER BY w").to_pylist()
    assert got == [{"w": False, "n": 125, "norm": 0, "qi": 0}, {"w": True, "n": 100, "norm": 100, "qi": 100}]
    week = tmp_path / "week"
    cli("ingest", "uspto-xml", folder / "ipg130416.small.xml", "--lake", week)
    measures = _profile(cli, week)["measures"]
    assert measures["fwd_cits_windowed"] == {"status": "absent", "reason": (
        "no 5-year citation window is complete: the data ends 2013-04-16, less than 5 years after every publication")}
    assert measures["quality_index_4"]["reason"] == "3 of 4 components known"  # was 4 of 4


def test_epo_ops_folder(shared, cli, tmp_path):
    folder = shared("epo-ops")
    lake = tmp_path / "lake"
    out = cli("ingest", "epo-ops", folder, "--lake", lake, "--json")
    refused = {Path(r["file"]).name for r in json.loads(out.output)["refused"]}
    assert "search_result.xml" in refused  # JSON saved with an .xml name: refused on its own
    summary = json.loads(out.output)
    assert (summary["files"], summary["files_with_rows"], len(summary["files_without_rows"])) == (26, 21, 5)
    profile = _profile(cli, lake)
    assert profile["fields"]["family_id"]["share"] > 0.99  # OPS gives DOCDB family ids
    data = _json(cli, "compare", "--lake", lake, "--replicates", "0")
    _no_absent_measures(data)


def test_uspto_json(shared, cli, tmp_path):
    folder = shared("uspto-json")
    lake = tmp_path / "lake"
    cli("ingest", "uspto-json", folder, "--lake", lake)
    profile = _profile(cli, lake)
    assert profile["measures"]["claims"]["status"] == "absent"
    data = _json(cli, "compare", "--lake", lake, "--replicates", "50")
    _no_absent_measures(data)
    assert data["conventions"]["by"] in ("inventor-country", "priority-office")


# --- Epoch models beside a Lens lake -------------------------------------------------------------

def test_epoch_models_beside_a_lens_lake(lens2021, shared, cli, tmp_path):
    path, _ = lens2021
    lake = tmp_path / "lake"
    cli("ingest", "lens", path, "--lake", lake)
    cli("ingest", "epoch", shared("epoch/notable_ai_models_2025-04.csv"), "--lake", lake)
    with open(shared("epoch/notable_ai_models_2025-04.csv"), newline="", encoding="utf-8") as handle:
        models = list(csv.DictReader(handle))
    info = _json(cli, "lake", "info", "--lake", lake)
    assert info["tables"]["notable_models"] == len(models) == 924
    data = _json(cli, "compare", "--lake", lake, "--by", "applicant-group", "--replicates", "0")
    _no_absent_measures(data)
    report = _report(cli, lake, tmp_path)
    assert "Notable AI models" in report
