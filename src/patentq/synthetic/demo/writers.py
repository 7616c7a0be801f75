"""Writers of real-format source files from a synthetic world (the Google exports: export.py).

- Lens.org CSV export, 2021 column layout, for a slice of US documents (multi-values joined by
  ``;;``, reported citation counts and family sizes).
- Epoch AI "Notable AI Models" CSV layout for synthetic models.

Every file states in its records or name that it is synthetic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .world import World


def yyyymmdd(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 → ``YYYYMMDD`` integers (0 stays 0: Google's "no date")."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(int) + 1970
    month = d.astype("datetime64[M]").astype(int) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(int) + 1
    return np.where(np.asarray(days) > 0, year * 10000 + month * 100 + day, 0)


def _lens_number(pn: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """``US-2021100005-A1`` → ``US 2021/0100005 A1`` and ``US-10000005-B2`` → ``US 10000005 B2`` (Lens style)."""
    num = np.array([x.split("-")[1] for x in pn], dtype=object)
    app = np.array([len(x) == 10 for x in num])
    shown = np.where(app, np.array([f"{x[:4]}/0{x[4:]}" for x in num], dtype=object), num)
    return "US " + shown + " " + kind


def write_lens_csv(world: World, path: Path, every: int = 25) -> int:
    """US members of every ``every``-th family as a Lens 2021-layout CSV; returns the row count."""
    f, m = world.fam, world.members
    fwd = np.bincount(world.cites["cited"], minlength=len(f["family_id"]))
    bwd = np.bincount(world.cites["citing"], minlength=len(f["family_id"]))
    size = np.bincount(m["fam"][~m["is_grant"]], minlength=len(f["family_id"]))
    sel = np.flatnonzero((m["office"] == "US") & (m["fam"] % every == 0) & f["candidate"][m["fam"]])
    fam = m["fam"][sel]
    inventors = {}
    pmask = world.parties["role"] == "inventor"
    for i, name in zip(world.parties["fam"][pmask], world.parties["name"][pmask]):
        if i % every == 0:
            inventors.setdefault(i, []).append(name)
    pub_date = yyyymmdd(m["pub_day"][sel])
    iso = lambda v: np.array([f"{x // 10000:04d}-{x // 100 % 100:02d}-{x % 100:02d}" for x in v], dtype=object)
    prio = yyyymmdd(f["priority_day"][fam])
    prio_num = (f["priority_office"][fam] + " " + (10_000_000 + fam).astype(str).astype(object) + " A "
                + prio.astype(str).astype(object))
    cpc_join = {}
    for i, code in zip(f["cpc"]["fam"], f["cpc"]["code"]):
        if i % every == 0:
            cpc_join.setdefault(i, []).append(code)
    granted = m["is_grant"][sel]
    table = pa.table({
        "#": np.arange(1, len(sel) + 1),
        "Jurisdiction": m["office"][sel], "Kind": m["kind"][sel],
        "Publication Number": _lens_number(m["publication_number"][sel], m["kind"][sel]),
        "Lens ID": np.array([f"000-{i % 1000:03d}-{i // 1000 % 1000:03d}-{k:03d}-SYN" for k, i in
                             enumerate(sel)], dtype=object),
        "Publication Date": iso(pub_date), "Publication Year": pub_date // 10000,
        "Application Number": "US " + (10_000_000 + fam).astype(str).astype(object) + " A",
        "Application Date": iso(yyyymmdd(m["filing_day"][sel])),
        "Priority Numbers": prio_num, "Earliest Priority Date": iso(prio),
        "Title": f["title"][fam],
        "Applicants": f["applicant"][fam],
        "Inventors": np.array([";;".join(inventors.get(i, [])) for i in fam], dtype=object),
        "Owners (US)": np.full(len(sel), "", dtype=object),
        "URL": np.full(len(sel), "https://example.invalid/synthetic", dtype=object),
        "Type": np.where(granted, "Granted Patent", "Patent Application"),
        "Has Full Text": np.full(len(sel), "no", dtype=object),
        "Cites Patent Count": bwd[fam], "Cited by Patent Count": fwd[fam],
        "Simple Family Size": size[fam], "Extended Family Size": size[fam],
        "Sequence Count": np.zeros(len(sel), dtype=np.int64),
        "CPC Classifications": np.array([";;".join(cpc_join.get(i, [])) for i in fam], dtype=object),
        "IPCR Classifications": np.full(len(sel), "", dtype=object),
        "US Classifications": np.full(len(sel), "", dtype=object),
        "NPL Citation Count": np.zeros(len(sel), dtype=np.int64),
        "NPL Resolved Citation Count": np.zeros(len(sel), dtype=np.int64),
        "NPL Resolved Lens ID(s)": np.full(len(sel), "", dtype=object),
        "NPL Resolved External Id(s)": np.full(len(sel), "", dtype=object),
        "NPL Citations": np.full(len(sel), "", dtype=object),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path)
    return table.num_rows


#: Synthetic notable models per country (share of models) and organisations per country.
MODEL_COUNTRIES = {"US": 0.58, "CN": 0.16, "GB": 0.11, "CA": 0.04, "KR": 0.03, "JP": 0.02, "DE": 0.03, "FR": 0.03}
ORGS = {"US": ["Google", "Microsoft", "OpenAI", "Meta AI", "IBM Research"], "CN": ["Tencent", "Baidu",
        "Alibaba", "Tsinghua University", "ByteDance"], "GB": ["Google DeepMind", "University of Oxford"],
        "CA": ["University of Toronto"], "KR": ["Samsung", "LG AI Research"], "JP": ["Preferred Networks"],
        "DE": ["LMU Munich"], "FR": ["Mistral AI"]}
COUNTRY_NAMES = {"US": "United States of America", "CN": "China", "GB": "United Kingdom of Great Britain and Northern Ireland",
                 "CA": "Canada", "KR": "Korea (Republic of)", "JP": "Japan", "DE": "Germany", "FR": "France"}


def write_epoch_csv(world: World, path: Path, n_models: int | None = None) -> int:
    """Synthetic notable models in Epoch's CSV layout, 2014–2023, scaled with the world's size."""
    rng = np.random.default_rng(world.seed + 31)
    n_models = n_models or max(40, int(round(400 * world.n_families / 54_000)))
    codes = np.array(list(MODEL_COUNTRIES), dtype=object)
    country = codes[rng.choice(len(codes), n_models, p=list(MODEL_COUNTRIES.values()))]
    org = np.array([ORGS[c][rng.integers(0, len(ORGS[c]))] for c in country], dtype=object)
    years = rng.integers(2014, 2024, n_models)
    table = pa.table({
        "Model": np.array([f"SynthModel-{i:04d} (synthetic)" for i in range(n_models)], dtype=object),
        "Domain": rng.choice(np.array(["Language", "Vision", "Speech", "Multimodal"], dtype=object), n_models),
        "Organization": org,
        "Country (from Organization)": np.array([COUNTRY_NAMES[c] for c in country], dtype=object),
        "Publication date": np.array([f"{y}-06-15" for y in years], dtype=object),
        "Parameters": np.round(10 ** rng.uniform(7, 12, n_models)),
        "Training compute (FLOP)": np.round(10 ** rng.uniform(19, 25, n_models)),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(table, path)
    return n_models
