"""Multilingual rules and the trained refinement (issue 14).

- CJK acceptance documents (self-written): a 扩散模型 / 拡散モデル / 확산 모델 image generator with
  native-language text only and no CPC code is a member by the rules alone; power generators,
  GaN devices and atmospheric dispersion models are not;
- ``landscape refine`` as a registry stage: tables, model hash, deterministic under a seed,
  stale when the definition changes, usable as the landscape ``genai_refined``;
- the repository's labelled evaluation set (tests/fixtures/landscape_eval): rules and refined
  precision and recall on the test fold, pinned so a change that loses them fails here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("sklearn")

from patentq import open_lake  # noqa: E402
from patentq.cli import main  # noqa: E402
from patentq.landscapes import load  # noqa: E402
from patentq.landscapes.apply import membership_sql  # noqa: E402
from patentq.landscapes.evaluate import evaluate, read_labels  # noqa: E402
from patentq.landscapes.labelled import read_rows, write_lake  # noqa: E402

EVAL = Path(__file__).parent / "fixtures" / "landscape_eval" / "genai_eval.csv"

CJK_DOCS = [  # (number, language, title, abstract, GenAI?)
    ("CN-1-A", "zh", "基于扩散模型的图像生成方法", "本发明公开了一种图像生成方法，利用扩散模型对噪声进行逐步去噪，生成高质量图像。", True),
    ("JP-1-A", "ja", "拡散モデルを用いた画像生成装置", "ノイズから拡散モデルにより画像を生成する画像生成装置を提供する。", True),
    ("KR-1-A", "ko", "확산 모델을 이용한 이미지 생성 방법", "노이즈를 점진적으로 제거하는 확산 모델을 이용하여 이미지를 생성한다.", True),
    ("CN-2-A", "zh", "一种基于生成对抗网络的人脸图像生成方法", "利用生成对抗网络的生成器和判别器生成人脸图像。", True),
    ("CN-3-A", "zh", "基于大语言模型的问答方法", "将用户问题输入大语言模型，生成答案。", True),
    ("CN-4-A", "zh", "一种永磁同步发电机", "本发明公开了一种永磁同步发电机，包括定子、转子和永磁体，提高发电效率。", False),
    ("CN-5-A", "zh", "氮化镓高电子迁移率晶体管", "一种氮化镓（GaN）高电子迁移率晶体管，包括衬底、缓冲层和势垒层。", False),
    ("CN-6-A", "zh", "大气污染扩散模型的构建方法", "建立大气污染物扩散模型，根据气象数据计算污染物浓度分布。", False),
    ("CN-7-A", "zh", "一种半导体掺杂扩散工艺", "通过掺杂扩散在硅片中形成PN结，并控制扩散模型参数。", False),
    ("JP-2-A", "ja", "発電機", "回転子と固定子を備える発電機を提供する。", False),
    ("CN-8-A", "zh", "变压器绕组结构", "一种电力变压器，包括铁芯和绕组。", False),
]


def cjk_lake(path):
    rows = [{"publication_number": pn, "language": lang, "title": t, "abstract": a} for pn, lang, t, a, _ in CJK_DOCS]
    return write_lake(rows, path, source="cjk-acceptance")


def test_cjk_acceptance_documents_by_rules_alone(tmp_path):
    with open_lake(cjk_lake(tmp_path / "lake").path) as session:
        members = {r["family_id"] for r in session.engine.rows(membership_sql(load("genai")))}
    got = {pn: f"~labelled:{pn}" in members for pn, *_ in CJK_DOCS}
    assert got == {pn: relevant for pn, *_, relevant in CJK_DOCS}


def test_explain_names_the_language_that_matched(tmp_path):
    runner = CliRunner()
    lake = cjk_lake(tmp_path / "lake").path
    result = runner.invoke(main, ["landscape", "explain", "genai", "JP-1-A", "--lake", str(lake), "--json"])
    assert result.exit_code == 0, result.output
    pub = json.loads(result.output)["publications"][0]
    assert pub["member"] and pub["matched_languages"] == ["ja"]
    assert any("拡散モデル" in e for row in pub["clauses"] if row["matched"] for e in row["evidence"])


@pytest.fixture(scope="module")
def eval_lake(tmp_path_factory):
    """The labelled evaluation set as a lake, refined through the CLI with the validation fold
    choosing the thresholds and the validation and test documents held out of training."""
    tmp = tmp_path_factory.mktemp("eval")
    write_lake(read_rows(EVAL), tmp / "lake", source="genai_eval")
    holdout = tmp / "holdout.csv"
    with open(holdout, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["publication_number", "label"])
        writer.writerows([r["publication_number"], r["label"]] for r in read_rows(EVAL)
                         if r["fold"] in ("validation", "test"))
    result = CliRunner().invoke(main, ["landscape", "refine", "genai", "--lake", str(tmp / "lake"), "--labels",
                                       str(EVAL), "--holdout", str(holdout), "--seed", "1", "--json"])
    assert result.exit_code == 0, result.output
    return tmp / "lake", json.loads(result.output), holdout


def test_refine_writes_its_tables_and_model_hash(eval_lake):
    lake, summary, _ = eval_lake
    with open_lake(lake) as session:
        for table in ("landscape_genai_refined", "landscape_genai_refined_categories", "landscape_genai_scores",
                      "landscape_genai_model"):
            meta = session.lake.derived(table)
            assert meta and meta["model_hash"] == summary["model_hash"] and meta["stage"] == "refine"
        assert meta["thresholds"]["chosen"] == "on labels"
        scores = session.query("SELECT * FROM landscape_genai_scores").to_pylist()
    assert summary["families"] == summary["rule_members"] + summary["added"] - summary["dropped"]
    assert all(0 <= r["score"] <= 1 for r in scores)


def test_refine_is_deterministic_and_current(eval_lake, tmp_path):
    lake, summary, holdout = eval_lake
    args = ["landscape", "refine", "genai", "--lake", str(lake), "--labels", str(EVAL), "--holdout", str(holdout),
            "--json"]
    again = json.loads(CliRunner().invoke(main, args).output)
    assert again["rebuilt"] is False and again["model_hash"] == summary["model_hash"]
    copy = tmp_path / "lake2"
    write_lake(read_rows(EVAL), copy, source="genai_eval")
    other = json.loads(CliRunner().invoke(main, [*args[:3], "--lake", str(copy), *args[5:]]).output)
    assert other["model_hash"] == summary["model_hash"]  # same lake content, same seed: same model


def test_refined_landscape_works_downstream(eval_lake):
    lake, _, _ = eval_lake
    result = CliRunner().invoke(main, ["landscape", "compare", "genai", "genai_refined", "--lake", str(lake), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["both"] == out["families_a"] - out["only_a"] and out["jaccard"] > 0.8


def test_explain_shows_the_refined_score_and_terms(eval_lake):
    lake, _, _ = eval_lake
    result = CliRunner().invoke(main, ["landscape", "explain", "genai", "CN-118485074-B", "--lake", str(lake), "--json"])
    refined = json.loads(result.output)["publications"][0]["refined"]
    assert refined["family_score"] is not None and refined["terms"] and refined["model_hash"]


@pytest.mark.parametrize("which, precision, recall, cjk_recall", [("rules", 0.95, 0.77, 0.63),
                                                                  ("refined", 0.95, 0.81, 0.63)])
def test_test_fold_quality(eval_lake, which, precision, recall, cjk_recall):
    """On the test fold (never used for tuning), overall and CJK: pinned at what this version
    measures (docs/landscapes.md, "Measured"), below issue 14's targets (P ≥ 0.95, R ≥ 0.90,
    CJK recall ≥ 0.85), so a change that loses ground fails here and one that reaches the
    targets can raise the pins."""
    lake, _, _ = eval_lake
    labels = read_labels(EVAL)
    with open_lake(lake) as session:
        result = evaluate(load("genai"), session, labels, which, "test")
    print(f"\n{which} test fold: P {result['precision']:.3f} {result['precision_ci95']}, "
          f"R {result['recall']:.3f} {result['recall_ci95']}")
    assert result["precision"] >= precision and result["recall"] >= recall
    cjk = [r for k, r in result["by_language"].items() if k in ("zh", "ja", "ko")]
    tp, fn = sum(r["tp"] for r in cjk), sum(r["fn"] for r in cjk)
    assert tp / (tp + fn) >= cjk_recall


def test_cjk_paths_warn_on_a_lake_without_cjk_text(tmp_path):
    from patentq.landscapes.paths import check

    lake = write_lake([{"publication_number": "US-1-A1", "language": "en", "title": "A GAN network generates images",
                        "abstract": ""}], tmp_path / "en")
    with open_lake(lake.path) as session:
        warnings = check(load("genai"), session)
    cjk = [w for w in warnings if "@gan_cjk" in w]
    assert len(cjk) == 1 and "@llm_cjk" in cjk[0] and "abstract text in zh/ja/ko" in cjk[0]
    assert all("CPC codes" in w for w in warnings if w not in cjk)
    with open_lake(cjk_lake(tmp_path / "cjk").path) as session:
        assert not any("_cjk" in w for w in check(load("genai"), session))


def test_thresholds_take_the_highest_recall_at_the_precision_floor():
    from patentq.landscapes.refine import MIN_PRECISION, choose_thresholds

    rule = {f"r{i}" for i in range(20)}
    scored = {**{f"r{i}": 0.9 for i in range(20)}, "c1": 0.9, "c2": 0.8, "n1": 0.7, "n2": 0.6}
    truth = {**{f"r{i}": True for i in range(20)}, "c1": True, "c2": True, "n1": False, "n2": False, "miss": True}
    got = choose_thresholds(scored, rule, truth)
    # c1 and c2 added, n1/n2 not (one of them would still keep 22/23 >= 0.95: the tie goes to recall
    # then precision); "miss" (labelled, never scored) counts as a false negative
    assert 0.7 < got["t_add"] <= 0.8 and got["validation_precision"] == 1.0 >= MIN_PRECISION
    assert got["validation_recall"] == 22 / 23


def test_thresholds_below_the_precision_floor_keep_precision_not_recall():
    """Rules at precision 0.8 on the labels, with their false positives scored high (no drop can
    mend them): no pair reaches MIN_PRECISION, and the choice must not then add every candidate
    for recall (it used to take t_add 0.55 here, precision 9/15)."""
    from patentq.landscapes.refine import choose_thresholds

    rule = {f"p{i}" for i in range(8)} | {"f1", "f2"}
    scored = {**{f"p{i}": 0.9 for i in range(8)}, "f1": 0.95, "f2": 0.95, "c1": 0.6,
              **{f"n{i}": 0.55 for i in range(4)}}
    truth = {**{f: True for f in rule}, "f1": False, "f2": False, "c1": True, **{f"n{i}": False for i in range(4)}}
    got = choose_thresholds(scored, rule, truth)
    assert got["t_add"] > 0.55 and got["validation_precision"] == 9 / 11
