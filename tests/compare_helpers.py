"""Small hand-built lakes for compare/report tests: the derived-table contracts of
docs/architecture.md filled from ``tests/fixtures/compare/*.json``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa

from patentq import stages
from patentq.engines import get_engine
from patentq.lake import Lake

FIXTURE = Path(__file__).parent / "fixtures" / "compare" / "small_lake.json"


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text())


def _canonical(fams: list[dict], pn: dict, parties: pa.Table) -> dict:
    """The canonical rows behind the hand-built tables: one publication per family (of source
    ``fixture``, which declares complete lists: indicators_helpers.FIXTURE_PROVIDES), its parties,
    and one citation, so the lake profile finds every measure computable, as the hand-written
    family_indicators assume."""
    pubs = [{"publication_number": pn[f["family_id"]], "family_id": f["family_id"], "country_code": f["offices"][0],
             "publication_date": dt.date(f["year"], 6, 1), "priority_date": dt.date(f["prio"], 1, 1),
             "filing_date": dt.date(f["prio"], 1, 1), "is_grant": bool(f["ind"]["granted"]),
             "claims_count": f["ind"]["claims"], "title": "t", "abstract": "a"} for f in fams]
    cites = [{"citing_publication_number": pubs[0]["publication_number"],
              "cited_publication_number": pubs[-1]["publication_number"]}]
    classes = [{"publication_number": p["publication_number"], "scheme": "ipc", "code": "G06N3/04"} for p in pubs]
    return {"publications": pubs, "parties": parties.to_pylist(), "citations": cites, "classifications": classes}


def build_lake(path: Path, data: dict | None = None, landscape: str = "t", extra: dict | None = None) -> Lake:
    """``extra``: more canonical tables (table → rows), e.g. ``baseline_countries``."""
    from indicators_helpers import build_lake as build_canonical

    data = data or load_fixture()
    fams = data["families"]
    families = pa.table({
        "family_id": [f["family_id"] for f in fams],
        "members": [len(f["offices"]) for f in fams],
        "offices": [sorted(f["offices"]) for f in fams],
        "n_offices": [len(f["offices"]) for f in fams],
        "first_publication_date": [dt.date(f["year"], 6, 1) for f in fams],
        "first_publication_year": [f["year"] for f in fams],
        "priority_date": [dt.date(f["prio"], 1, 1) for f in fams],
        "priority_year": [f["prio"] for f in fams],
        "priority_office": [f.get("priority_office", f["offices"][0]) for f in fams],
        "granted": [f["ind"]["granted"] for f in fams],
        "claims": [f["ind"]["claims"] for f in fams],
        "inventor_countries": [sorted({c for _, c in f["inv"] if c}) for f in fams],
        "applicant_countries": [sorted({c for _, c in f["app"] if c}) for f in fams],
        "extended_family_id": [f.get("ext") for f in fams],
    })
    pn = {f["family_id"]: f"{f['offices'][0]}-{1000 + i}-A" for i, f in enumerate(fams)}
    members = pa.table({"publication_number": list(pn.values()), "family_id": list(pn)})
    parties = pa.table({
        "publication_number": [pn[f["family_id"]] for f in fams for _ in f["inv"] + f["app"]],
        "role": [r for f in fams for r in ["inventor"] * len(f["inv"]) + ["applicant"] * len(f["app"])],
        "seq": [i + 1 for f in fams for i in list(range(len(f["inv"]))) + list(range(len(f["app"])))],
        "name": [n for f in fams for n, _ in f["inv"] + f["app"]],
        "country_code": [c for f in fams for _, c in f["inv"] + f["app"]],
        "group_name": [None for f in fams for _ in f["inv"] + f["app"]],
    })
    lake = build_canonical(path, {**_canonical(fams, pn, parties), **(extra or {})})
    engine = get_engine("duckdb", lake)
    cols = list(fams[0]["ind"])
    indicators = pa.table({"family_id": [f["family_id"] for f in fams],
                           **{c: [f["ind"][c] for f in fams] for c in cols},
                           "fwd_cits_source": ["computed"] * len(fams),
                           **({} if "breakthrough" in cols else {"breakthrough": [False] * len(fams)}),
                           **({} if "fwd_cits_5" in cols else {"fwd_cits_5": pa.array([None] * len(fams), pa.int64())}),
                           "reach_basis": ["members"] * len(fams),
                           # a column of every family_indicators the fixture gives no values for
                           "fwd_cits_total": pa.array([None] * len(fams), pa.int64())})
    inside = [f["family_id"] for f in fams if not f.get("outside_landscape")]
    land = pa.table({"family_id": inside, "matched_publications": [1] * len(inside)})
    cats = pa.table({"family_id": inside, "dimension": ["model"] * len(inside),
                     "category": ["gan" if i % 2 else "llm" for i in range(len(inside))]})
    groups = pa.table({"name": list(data["groups"]), "name_normalized": [n.lower() for n in data["groups"]],
                       "group_name": list(data["groups"].values())})
    # the indicators stage's helper tables: not read by compare, written empty so the stage is complete
    ids = pa.array([], pa.string())
    subclasses = pa.table({"family_id": ids, "subclass": pa.array([], pa.string())})
    citations = pa.table({"family_id": ids, "cited_family_id": pa.array([], pa.string())})
    shared = pa.table({"family_id": ids, "cited_family_id": pa.array([], pa.string())})
    empty = pa.table({"family_key": pa.array([], pa.int64())})
    for name, table in (("families", families), ("family_members", members),
                        ("family_indicators", indicators), (f"landscape_{landscape}", land),
                        (f"landscape_{landscape}_categories", cats), ("applicant_groups", groups),
                        ("family_subclasses", subclasses), ("family_citations", citations),
                        ("family_shared_applicants", shared), ("family_context_members", empty),
                        ("family_context_citations", empty), ("family_context_shared", empty),
                        ("family_origin_bits", empty), ("family_values", empty),
                        ("family_citation_targets", empty), ("family_applicants", empty)):
        engine.register_arrow(f"_t_{name}", table)
        engine.write_derived(name, f"SELECT * FROM _t_{name}", definition=landscape, version="test",
                             definition_hash="test")
    engine.close()
    import patentq
    from patentq.profile import build as build_profile

    with patentq.open_lake(path) as session:  # the profile of what canonical data there is (parties)
        build_profile(session)
    mark_built(Lake.open(path), landscape)
    return Lake.open(path)


def mark_built(lake: Lake, landscape: str) -> None:
    """Stamp the hand-written stage tables with the keys the stage registry computes for this lake
    (as ``stages._run`` does after a build), so sessions take them as current instead of
    rebuilding them from canonical tables this lake does not have."""
    for name, instance in (("profile", None), ("families", None), ("applicants", None), ("landscape", landscape),
                           ("indicators", None)):
        stage = stages.STAGES[name]
        params = stages.params_for(lake, stage, instance, None)
        stamp = {"stage": name, "key": stages.key(lake, stage, instance, params), "params": params}
        with lake.transaction() as txn:
            for table in stage.tables(instance):
                txn.stamps[table] = dict(stamp)
