"""Applicant harmonisation: normalisation cases, curated groups, clustering quality and scale,
the ``applicant_groups`` table and ``patentq applicants``."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patentq import harmonize, stages
from patentq.errors import BadInputError, UsageError
from patentq.harmonize import cluster
from patentq.harmonize.groups import curated_group
from patentq.harmonize.names import blocking_keys, normalize_name
from patentq.lake import Lake
from patentq.sources.base import Sink
from patentq import open_lake

FIXTURES = Path(__file__).parent / "fixtures" / "harmonize"


def _csv(name: str) -> list[dict]:
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- normalisation ----------------------------------------------------------------------------

@pytest.mark.parametrize("case", _csv("normalize_cases.csv"), ids=lambda c: c["raw"][:40])
def test_normalize_name(case):
    assert normalize_name(case["raw"]) == case["normalized"]


def test_normalize_empty_and_none():
    assert normalize_name(None) == "" and normalize_name("  ") == ""


def test_blocking_keys_meet_on_the_distinctive_word():
    assert blocking_keys("beijing baidu netcom science technology") & blocking_keys("baidu online network technology")
    assert blocking_keys("university shanghai jiaotong") & blocking_keys("shanghai jiao tong university")
    assert blocking_keys("北京百度网讯科技") & blocking_keys("百度在线网络技术")


# --- the labelled pairs: pairwise precision and recall ----------------------------------------

def pairwise_scores(pairs: list[dict]) -> dict:
    """Harmonise every name of the labelled set together (as in a lake), then score the pairs."""
    names = sorted({p["name_a"] for p in pairs} | {p["name_b"] for p in pairs})
    group = {h.name: h.group_name for h in harmonize.harmonize_names(names)}
    tp = fp = fn = tn = 0
    for p in pairs:
        predicted, actual = group[p["name_a"]] == group[p["name_b"]], p["same"] == "1"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        tn += not predicted and not actual
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp), "recall": tp / (tp + fn)}


def test_labelled_set_is_big_and_covers_cjk():
    pairs = _csv("name_pairs.csv")
    assert len(pairs) >= 150
    text = " ".join(p["name_a"] + p["name_b"] for p in pairs)
    assert "有限公司" in text and "株式会社" in text and "주식회사" in text
    assert sum(p["same"] == "0" for p in pairs) >= 50  # hard negatives, not just positives


def test_pairwise_precision_and_recall():
    scores = pairwise_scores(_csv("name_pairs.csv"))
    print(f"\nharmonisation pairs: {scores}")
    assert scores["precision"] >= 0.95, scores
    assert scores["recall"] >= 0.90, scores


# --- curated groups ---------------------------------------------------------------------------

BRIEF_EXAMPLES = {
    "Tencent Technology (Shenzhen) Co., Ltd.": "Tencent", "Tencent America LLC": "Tencent",
    "腾讯科技（深圳）有限公司": "Tencent", "Google LLC": "Alphabet", "Google Inc.": "Alphabet",
    "DeepMind Technologies Limited": "Alphabet", "Waymo LLC": "Alphabet", "X Development LLC": "Alphabet",
    "Ping An Technology (Shenzhen) Co., Ltd.": "Ping An", "平安科技（深圳）有限公司": "Ping An",
    "Ping An Bank Co., Ltd.": "Ping An", "Beijing Baidu Netcom Science and Technology Co., Ltd.": "Baidu",
    "Baidu USA LLC": "Baidu", "北京百度网讯科技有限公司": "Baidu",
    "Beijing ByteDance Network Technology Co., Ltd.": "ByteDance", "Douyin Vision Co., Ltd.": "ByteDance",
    "Lemon Inc.": "ByteDance", "Beijing Zitiao Network Technology Co., Ltd.": "ByteDance",
    "北京字节跳动网络技术有限公司": "ByteDance",
    "Institute of Automation, Chinese Academy of Sciences": "Chinese Academy of Sciences",
    "Institute of Computing Technology, Chinese Academy of Sciences": "Chinese Academy of Sciences",
    "Shenzhen Institutes of Advanced Technology": "Chinese Academy of Sciences",
    "中国科学院自动化研究所": "Chinese Academy of Sciences",
    "Microsoft Technology Licensing, LLC": "Microsoft", "International Business Machines Corporation": "IBM",
    "Alibaba Group Holding Limited": "Alibaba", "Alipay (Hangzhou) Information Technology Co., Ltd.": "Alibaba",
    "Ant Group Co., Ltd.": "Alibaba", "阿里巴巴集团控股有限公司": "Alibaba",
    "Samsung Electronics Co., Ltd.": "Samsung", "Samsung SDS Co., Ltd.": "Samsung", "삼성전자 주식회사": "Samsung",
    "Huawei Technologies Co., Ltd.": "Huawei", "NVIDIA Corporation": "NVIDIA", "Facebook, Inc.": "Meta",
    "Meta Platforms, Inc.": "Meta", "Apple Inc.": "Apple", "Adobe Inc.": "Adobe", "Sony Group Corporation": "Sony",
    "LG Electronics Inc.": "LG", "NEC Corporation": "NEC", "Fujitsu Limited": "Fujitsu", "Hitachi, Ltd.": "Hitachi",
    "Canon Kabushiki Kaisha": "Canon", "State Grid Corporation of China": "State Grid",
    "Siemens Aktiengesellschaft": "Siemens", "Intel Corporation": "Intel", "Qualcomm Incorporated": "Qualcomm",
    "Amazon Technologies, Inc.": "Amazon", "OpenAI OpCo, LLC": "OpenAI", "Naver Corporation": "Naver",
    "Kakao Corp.": "Kakao",
}


def test_curated_groups_from_the_brief():
    groups = harmonize.load_groups()
    got = {raw: curated_group(normalize_name(raw), groups) for raw in BRIEF_EXAMPLES}
    assert got == BRIEF_EXAMPLES


@pytest.mark.parametrize("raw", ["Hitachi Zosen Corporation", "Chinese Academy of Agricultural Sciences",
                                 "Intellectual Ventures I LLC", "Applied Materials, Inc.", "Metaswitch Networks",
                                 "Sonos, Inc.", "Canonical Ltd", "Amazonas Florestal"])
def test_brand_lookalikes_stay_out_of_curated_groups(raw):
    assert curated_group(normalize_name(raw), harmonize.load_groups()) is None


def test_user_group_file_extends_and_adds(tmp_path, monkeypatch):
    mine = tmp_path / "mine.yaml"
    mine.write_text("groups:\n  - name: Zhejiang University\n    names: [ZHEJIANG UNIV, 浙江大学]\n"
                    "  - name: Tencent\n    patterns: ['^wechat\\b']\n", encoding="utf-8")
    groups = harmonize.load_groups([mine])
    assert curated_group(normalize_name("浙江大学"), groups) == "Zhejiang University"
    assert curated_group(normalize_name("WeChat Pay Ltd"), groups) == "Tencent"
    assert curated_group(normalize_name("Tencent America LLC"), groups) == "Tencent"
    assert [g.name for g in groups].count("Tencent") == 1
    monkeypatch.setenv(harmonize.GROUPS_ENV, str(mine))
    assert curated_group("zhejiang university", harmonize.load_groups()) == "Zhejiang University"


@pytest.mark.parametrize("text,error,match", [
    ("groups: [", BadInputError, "not valid YAML"),
    ("other: 1\n", BadInputError, "no 'groups:' list"),
    ("groups:\n  - patterns: [x]\n", BadInputError, "has no name"),
    ("groups:\n  - name: Bad\n    patterns: ['(unclosed']\n", UsageError, "bad pattern"),
])
def test_bad_group_files_say_what_to_fix(tmp_path, text, error, match):
    path = tmp_path / "groups.yaml"
    path.write_text(text)
    with pytest.raises(error, match=match) as info:
        harmonize.load_groups([path])
    assert str(path) in str(info.value)


def test_missing_group_file_is_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="cannot read"):
        harmonize.load_groups([tmp_path / "nope.yaml"])


# --- clustering --------------------------------------------------------------------------------

def test_cluster_inherits_curated_group_and_names_the_rest_by_the_most_frequent_spelling():
    rows = {h.name: h for h in harmonize.harmonize_names(
        {"Tencnet Technology Co Ltd": 1, "Tencent Technology (Shenzhen) Co Ltd": 5,
         "ZHEJIANG UNIV": 7, "Zhejiang University": 3, "Zhejiang University of Technology": 2})}
    assert rows["Tencnet Technology Co Ltd"].group_name == "Tencent"
    assert rows["Zhejiang University"].group_name == "ZHEJIANG UNIV"
    assert rows["Zhejiang University"].group_source == "cluster"
    assert rows["Zhejiang University of Technology"].group_name == "Zhejiang University of Technology"


def test_blocking_keeps_comparisons_far_below_all_pairs(monkeypatch):
    """3,000 distinct company names: the strict check runs on a small fraction of the 4.5M pairs."""
    syllables = ["zhi", "hua", "xin", "tong", "kang", "rui", "jia", "long", "feng", "yuan", "sheng", "tai",
                 "bo", "da", "mei", "neng", "qi", "wei", "hong", "lan"]
    names = []
    for i in range(3000):
        a, b, c = syllables[i % 20], syllables[(i // 20) % 20], syllables[(i // 400) % 20]
        names.append(f"{a}{b}{c} {['technology', 'electronics', 'software'][i % 3]} {i // 8000 + 1}")
    calls = {"n": 0}
    original = cluster.same_applicant

    def counting(a, b):
        calls["n"] += 1
        return original(a, b)

    monkeypatch.setattr(cluster, "same_applicant", counting)  # where cluster_normalized looks it up
    clusters = harmonize.cluster_normalized(sorted(set(names)))
    all_pairs = len(set(names)) * (len(set(names)) - 1) // 2
    assert calls["n"] < all_pairs // 20, (calls["n"], all_pairs)
    assert len(set(clusters)) == len(set(names))  # all different: no false merges


def test_numbered_names_skip_the_strict_check(monkeypatch):
    """5,000 names that differ only in their number (the synthetic lakes' ``Applicant N Co.,
    Ltd.``) pass the ratio prefilter pairwise; pairs whose digit sets differ never reach the
    strict check, and none is merged."""
    names = sorted({normalize_name(f"Applicant {i} Co., Ltd.") for i in range(5000)})
    calls = {"n": 0}
    original = cluster.same_applicant

    def counting(a, b):
        calls["n"] += 1
        return original(a, b)

    monkeypatch.setattr(cluster, "same_applicant", counting)
    clusters = harmonize.cluster_normalized(names)
    assert len(set(clusters)) == 5000
    same_digits = sum(1 for i in range(5000) for j in range(i + 1, 5000)
                      if cluster.digit_bits(names[i]) == cluster.digit_bits(names[j]))
    # a pair meets once per block its names share (here two: the first token and its prefix)
    assert 0 < calls["n"] <= 2 * same_digits < 5000 * 4999 // 2 // 100


@given(st.lists(st.sampled_from(["12", "3", "123", "x1", "acme", "tech", "beijing", "1", "21", "a2b"]),
                min_size=1, max_size=5),
       st.lists(st.sampled_from(["12", "3", "123", "x1", "acme", "tech", "beijing", "1", "21", "a2b"]),
                min_size=1, max_size=5))
@settings(max_examples=300, deadline=None, database=None)
def test_digit_sets_never_hide_a_same_applicant_pair(ta, tb):
    """The digit prefilter is exact: whenever the strict check says two names are one applicant,
    their digit sets agree (so skipping pairs whose sets differ loses no merge)."""
    a, b = " ".join(ta), " ".join(tb)
    if cluster.same_applicant(a, b):
        assert cluster.digit_bits(a) == cluster.digit_bits(b), (a, b)


def test_digit_sets_agree_on_every_labelled_same_pair():
    for row in _csv("name_pairs.csv"):
        a, b = normalize_name(row["name_a"]), normalize_name(row["name_b"])
        if cluster.same_applicant(a, b):
            assert cluster.digit_bits(a) == cluster.digit_bits(b), row


# --- the lake and the CLI ----------------------------------------------------------------------

PUBS = [("CN-1-A", "F1"), ("US-2-B2", "F1"), ("US-3-B1", "F2"), ("CN-4-A", "F3"), ("KR-5-A", "F4"),
        ("CN-6-A", "F5")]
APPLICANTS = [("CN-1-A", "腾讯科技（深圳）有限公司"), ("US-2-B2", "Tencent America LLC"),
              ("US-3-B1", "Tencent Technology (Shenzhen) Company Limited"), ("CN-4-A", "ZHEJIANG UNIV"),
              ("CN-4-A", "Zhejiang University"), ("KR-5-A", "삼성전자 주식회사"), ("CN-6-A", "Zhejiang University")]


def make_lake(path: Path) -> Lake:
    lake = Lake.create(path)
    pubs = pa.Table.from_pylist([{"publication_number": p, "family_id": f, "country_code": p[:2]} for p, f in PUBS])
    parties = pa.Table.from_pylist([{"publication_number": p, "role": "applicant", "seq": i, "name": n}
                                    for i, (p, n) in enumerate(APPLICANTS)]
                                   + [{"publication_number": "CN-1-A", "role": "inventor", "seq": 9,
                                       "name": "Not An Applicant"}])
    with lake.transaction() as txn:
        sink = Sink(txn.staging, f"{txn.id}-0000", Path("fixture"), "fixture")
        sink.write_arrow("publications", pubs)
        sink.write_arrow("parties", parties)
        sink.close()
        txn.inputs.append(sink.manifest_entry(hashlib.sha256(b"harmonize").hexdigest(), 0))
    return lake


def applicants_summary(built: list[dict]) -> dict:
    """What the applicants stage returned, from the rows of ``session.require``."""
    rows = [r for r in built if r["stage"] == "applicants"]
    assert rows and rows[0]["action"] == "built", built
    return rows[0]["summary"]


def test_harmonize_lake_writes_applicant_groups(tmp_path):
    lake = make_lake(tmp_path / "lake")
    session = open_lake(lake.path)
    result = applicants_summary(session.require("applicant_groups"))
    table = {r["name"]: r for r in session.arrow("applicant_groups").to_pylist()}
    assert set(table) == {n for _, n in APPLICANTS}  # applicants only, names exactly as in parties
    assert table["腾讯科技（深圳）有限公司"]["group_name"] == "Tencent"
    assert table["腾讯科技（深圳）有限公司"]["name_normalized"] == "腾讯科技"
    assert table["Zhejiang University"]["group_name"] == table["ZHEJIANG UNIV"]["group_name"]
    assert table["삼성전자 주식회사"]["group_name"] == "Samsung"
    assert result["names"] == 6 and result["groups"] == 3
    # the stage registry decides staleness: the table carries its key, and is current now ...
    key = session.lake.derived("applicant_groups")["key"]
    assert key == stages.key(session.lake, stages.STAGES["applicants"], None,
                             stages.params_for(session.lake, stages.STAGES["applicants"], None, {}))
    assert [(r["stage"], r["action"]) for r in stages.status(session, ["applicant_groups"])] == [
        ("applicants", "current")]
    assert session.require("applicant_groups")[0]["action"] == "current"  # nothing rebuilt
    # ... and other group files make it stale: it is rebuilt under a new key
    mine = tmp_path / "mine.yaml"
    mine.write_text("groups:\n  - name: Zhejiang University\n    names: [Zhejiang University]\n")
    harmonize.record_group_files(session.lake, [mine])
    assert [(r["stage"], r["action"]) for r in stages.status(session, ["applicant_groups"])] == [
        ("applicants", "stale")]
    assert applicants_summary(session.require("applicant_groups"))["names"] == 6
    assert session.lake.derived("applicant_groups")["key"] not in (None, key)
    assert stages.status(session, ["applicant_groups"])[0]["action"] == "current"


def test_group_listing_counts_families_once_per_group(tmp_path):
    lake = make_lake(tmp_path / "lake")
    session = open_lake(lake.path)
    listing = harmonize.group_listing(session)  # builds applicant_groups and families first
    assert session.has("applicant_groups") and session.has("family_members")
    assert [(g["group"], g["families"]) for g in listing] == [("Tencent", 2), ("Zhejiang University", 2), ("Samsung", 1)]
    tencent = listing[0]
    assert tencent["source"] == "curated"
    assert {v["name"]: v["families"] for v in tencent["variants"]} == {
        "Tencent America LLC": 1, "Tencent Technology (Shenzhen) Company Limited": 1, "腾讯科技（深圳）有限公司": 1}
    assert harmonize.group_listing(session, top=1) == listing[:1]
    # counted through the resolved family_members table, the same from a fresh session
    assert harmonize.group_listing(open_lake(lake.path)) == listing


def test_cli_applicants_on_a_lake_without_applicants(tmp_path, cli):
    lake = Lake.create(tmp_path / "lake")
    result = cli("applicants", "--lake", lake.path)
    assert "no applicant names" in result.output


def test_cli_applicants_json(tmp_path, cli):
    lake = make_lake(tmp_path / "lake")
    result = cli("applicants", "--lake", lake.path, "--top", "2", "--json")
    data = json.loads(result.output)
    assert [(g["group"], g["families"]) for g in data["groups"]] == [("Tencent", 2), ("Zhejiang University", 2)]
    assert data["names"] == 6
    assert "applicant_groups" in Lake.open(lake.path).manifest["derived"]


def test_cli_applicants_table_and_user_groups(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich would wrap names in a narrow terminal
    lake = make_lake(tmp_path / "lake")
    mine = tmp_path / "mine.yaml"
    mine.write_text("groups:\n  - name: Zhejiang University\n    names: [Zhejiang University]\n")
    result = cli("applicants", "--lake", lake.path, "--groups", mine)
    assert "Zhejiang University" in result.output and "ZHEJIANG UNIV" in result.output
    rows = {r["name"]: r["group_name"] for r in open_lake(lake.path).arrow("applicant_groups").to_pylist()}
    assert rows["ZHEJIANG UNIV"] == "Zhejiang University"  # inherited through the cluster


def test_cli_applicants_without_lake_exits_3(tmp_path, cli):
    result = cli("applicants", "--lake", tmp_path / "none", expect=3)
    assert "no lake" in result.output


# --- real data ---------------------------------------------------------------------------------

@pytest.mark.shared_data
def test_real_lens_export_every_applicant_harmonised(tmp_path, shared):
    """Lens jet-engines export: every distinct applicant of the raw CSV (counted independently
    with DuckDB) gets a row, and known variants land in the right groups."""
    import duckdb

    from patentq.ingest import ingest

    path = shared("lens/jet-engines-2021.csv")
    ingest("lens", [path], tmp_path / "lake")
    session = open_lake(tmp_path / "lake")
    result = applicants_summary(session.require("applicant_groups"))
    raw_names = duckdb.connect().execute(
        "SELECT count(DISTINCT trim(n)) FROM (SELECT unnest(string_split(Applicants, ';;')) AS n "
        f"FROM read_csv('{path}', all_varchar = true)) WHERE trim(n) <> ''").fetchone()[0]
    assert result["names"] == raw_names == 3156
    rows = {r["name"]: r["group_name"] for r in session.arrow("applicant_groups").to_pylist()}
    assert {rows[n] for n in ("TOYOTA MOTOR CORP", "TOYOTA MOTOR CO LTD", "トヨタ自動車株式会社")} == {"Toyota"}
    assert rows["BOSCH GMBH ROBERT"] == rows["罗伯特·博世有限公司"] == "Bosch"
    assert rows["SHENYANG INST AUTOMATION CAS"] == "Chinese Academy of Sciences"
    assert rows["ROLLS ROYCE"] == rows["ROLLS ROYCE PLC"]
    assert rows["UNIV BEI HANG"] == rows["UNIV BEIHANG"]
    assert rows["HITACHI LTD"] == "Hitachi" and rows["HITACHI SHIPBUILDING ENG CO"] != "Hitachi"


@pytest.mark.spark
def test_harmonize_lake_on_spark(tmp_path):
    """The mapping reaches Spark as a DataFrame and is written through the Spark engine."""
    pytest.importorskip("pyspark")
    lake = make_lake(tmp_path / "lake")
    session = open_lake(lake.path, engine="spark")
    result = applicants_summary(session.require("applicant_groups"))
    assert result["names"] == 6
    assert session.lake.derived("applicant_groups")["engine"] == "spark"
    rows = {r["name"]: r["group_name"] for r in open_lake(lake.path).arrow("applicant_groups").to_pylist()}
    assert rows["Tencent America LLC"] == rows["腾讯科技（深圳）有限公司"] == "Tencent"
    assert [(g["group"], g["families"]) for g in harmonize.group_listing(session)][:2] == [
        ("Tencent", 2), ("Zhejiang University", 2)]


def test_demo_world_applicant_variants_land_in_their_groups():
    """The synthetic demo world names its applicants' variants after WIPO's top 10; the curated
    groups must put every variant under the group the demo means."""
    calibration = pytest.importorskip("patentq.synthetic.demo.calibration")
    expected = {name: group for group, (_, _, _, variants) in calibration.APPLICANTS.items()
                for name, *_ in variants}
    got = {h.name: h.group_name for h in harmonize.harmonize_names(list(expected))}
    assert got == expected


_WORDS = ["beijing", "Tencent", "tencnet", "Technology", "techonlogy", "zhejiang", "Univ", "southeast", "southwest",
          "jiao", "tong", "jiaotong", "hua", "wei", "huawei", "an", "de", "Co.", "Ltd", "group", "(Shenzhen)",
          "株式会社", "腾讯", "&", "of", "Inc."]


def test_same_applicant_is_symmetric():
    """Clustering must not depend on which name of a pair comes first."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    names = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5).map(" ".join)

    @settings(max_examples=500, deadline=None)
    @given(names, names)
    def check(a, b):
        na, nb = normalize_name(a), normalize_name(b)
        assert harmonize.same_applicant(na, nb) == harmonize.same_applicant(nb, na)

    check()
