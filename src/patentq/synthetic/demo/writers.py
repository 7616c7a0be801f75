"""Writers of real-format source files from a synthetic world.

- Google Patents Public Data: newline-delimited JSON as BigQuery exports
  ``patents-public-data.patents.publications`` (nested ``title_localized``, ``inventor_harmonized``,
  ``cpc``, ``citation``, ``priority_claim``; dates as ``YYYYMMDD`` integers, 0 for none). Field
  list: https://console.cloud.google.com/marketplace/product/google_patents_public_datasets/google-patents-public-data
- Lens.org CSV export, 2021 column layout, for a slice of US documents (multi-values joined by
  ``;;``, reported citation counts and family sizes).
- Epoch AI "Notable AI Models" CSV layout for synthetic models.

The JSON is assembled by DuckDB from flat Arrow tables (``COPY ... (FORMAT json)``), so writing is
vectorised. Every file states in its records or name that it is synthetic.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ...sql import literal
from .world import World

SYNTHETIC_NOTE = "SYNTHETIC DEMO DATA (patentq demo world) - not real patents."
NPL = ["Goodfellow I. et al., Generative adversarial nets, NeurIPS 2014",
       "Kingma D.P., Welling M., Auto-encoding variational Bayes, ICLR 2014",
       "Vaswani A. et al., Attention is all you need, NeurIPS 2017",
       "Ho J. et al., Denoising diffusion probabilistic models, NeurIPS 2020",
       "Brown T. et al., Language models are few-shot learners, NeurIPS 2020"]


def yyyymmdd(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 → ``YYYYMMDD`` integers (0 stays 0: Google's "no date")."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(int) + 1970
    month = d.astype("datetime64[M]").astype(int) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(int) + 1
    return np.where(np.asarray(days) > 0, year * 10000 + month * 100 + day, 0)


def _claims_texts(max_claims: int = 60) -> list[str]:
    first = "1. A computer-implemented method comprising training a model and generating an output with it."
    texts = [first]
    for k in range(2, max_claims + 1):
        texts.append(texts[-1] + f"\n{k}. The method of claim {k - 1}.")
    return texts


def _tables(world: World, rng) -> dict[str, pa.Table]:
    f, m, p, c = world.fam, world.members, world.parties, world.cites
    claims = np.array(_claims_texts(), dtype=object)[np.clip(f["claims"], 1, 60) - 1]
    first_pn = np.empty(len(f["family_id"]), dtype=object)
    first_pn[m["fam"][m["is_first"]]] = m["publication_number"][m["is_first"]]
    prio_app = f["priority_office"] + "-" + (10_000_000 + np.arange(len(first_pn))).astype(str).astype(object) + "-A"
    pubs = pa.table({
        "fam": m["fam"], "publication_number": m["publication_number"], "application_number": m["application_number"],
        "country_code": m["office"], "kind_code": m["kind"], "family_id": f["family_id"][m["fam"]],
        "title": f["title"][m["fam"]], "abstract": f["abstract"][m["fam"]], "claims": claims[m["fam"]],
        "publication_date": yyyymmdd(m["pub_day"]), "filing_date": yyyymmdd(m["filing_day"]),
        "grant_date": yyyymmdd(m["grant_day"]), "priority_date": yyyymmdd(f["priority_day"][m["fam"]]),
        "is_first": m["is_first"], "prio_app": prio_app[m["fam"]],
        "blank_inventor_country": m["is_first"] & f["partial_inventor_country"][m["fam"]],
    })
    parties = pa.table({k: p[k] for k in ("fam", "role", "seq", "name", "country")})
    cpc = pa.table({"fam": world.fam["cpc"]["fam"], "code": world.fam["cpc"]["code"],
                    "is_first": world.fam["cpc"]["is_first"]})
    n = len(first_pn)
    n_ext = rng.poisson(3.0, n)
    ext_fam = np.repeat(np.arange(n), n_ext)
    ext_pn = "US-" + rng.integers(6_000_000, 9_900_000, len(ext_fam)).astype(str).astype(object) + "-B2"
    n_npl = rng.poisson(1.2, n)
    npl_fam = np.repeat(np.arange(n), n_npl)
    npl_text = np.array(NPL, dtype=object)[rng.integers(0, len(NPL), len(npl_fam))]
    cites = pa.table({
        "citing": np.concatenate([first_pn[c["citing"]], first_pn[ext_fam], first_pn[npl_fam]]),
        "cited": np.concatenate([first_pn[c["cited"]], ext_pn, np.full(len(npl_fam), "", dtype=object)]),
        "npl_text": np.concatenate([np.full(len(c["citing"]) + len(ext_fam), "", dtype=object), npl_text]),
        "category": np.concatenate([c["category"], np.full(len(ext_fam), "A", dtype=object),
                                    np.full(len(npl_fam), "A", dtype=object)]),
        "type": np.where(rng.random(len(c["citing"]) + len(ext_fam) + len(npl_fam)) < 0.6, "SEA", "APP"),
    })
    return {"pubs": pubs, "parties": parties, "cpc": cpc, "cites": cites}


GOOGLE_SQL = """
WITH inv AS (
  SELECT fam, list({'name': name, 'country_code': country} ORDER BY seq) AS harmonized,
         list({'name': name, 'country_code': ''} ORDER BY seq) AS blanked, list(name ORDER BY seq) AS names
  FROM parties WHERE role = 'inventor' GROUP BY fam),
app AS (
  SELECT fam, list({'name': name, 'country_code': country} ORDER BY seq) AS harmonized, list(name ORDER BY seq) AS names
  FROM parties WHERE role = 'applicant' GROUP BY fam),
cls AS (
  SELECT fam, list({'code': code, 'inventive': true, 'first': is_first, 'tree': []::VARCHAR[]}) AS cpc,
         list({'code': split_part(code, '/', 1) || '/' || left(split_part(code, '/', 2), 2), 'inventive': true,
               'first': is_first, 'tree': []::VARCHAR[]}) AS ipc
  FROM cpc GROUP BY fam),
cit AS (
  SELECT citing, list({'publication_number': cited, 'application_number': '', 'npl_text': npl_text,
                       'type': type, 'category': category, 'filing_date': 0}) AS citation
  FROM cites GROUP BY citing)
SELECT p.publication_number, p.application_number, p.country_code, p.kind_code, p.family_id,
  [{'text': p.title, 'language': 'en', 'truncated': false}] AS title_localized,
  [{'text': p.abstract || ' [{note}]', 'language': 'en', 'truncated': false}] AS abstract_localized,
  [{'text': p.claims, 'language': 'en', 'truncated': false}] AS claims_localized,
  p.publication_date, p.filing_date, p.grant_date, p.priority_date,
  CASE WHEN p.is_first THEN []
       ELSE [{'publication_number': '', 'application_number': p.prio_app, 'completed': 'Y',
              'filing_date': p.priority_date}] END AS priority_claim,
  inv.names AS inventor, CASE WHEN p.blank_inventor_country THEN inv.blanked ELSE inv.harmonized END
    AS inventor_harmonized,
  app.names AS assignee, app.harmonized AS assignee_harmonized,
  cls.cpc, cls.ipc, coalesce(cit.citation, []) AS citation
FROM pubs p JOIN inv USING (fam) JOIN app USING (fam) JOIN cls USING (fam)
LEFT JOIN cit ON cit.citing = p.publication_number
ORDER BY p.publication_number
"""


def write_google_ndjson(world: World, path: Path, seed: int = 0) -> dict:
    """The world as one Google BigQuery NDJSON export file; returns row counts."""
    rng = np.random.default_rng(seed + 17)
    tables = _tables(world, rng)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    for name, table in tables.items():
        con.register(name, table)
    sql = GOOGLE_SQL.replace("{note}", SYNTHETIC_NOTE)
    path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY ({sql}) TO {literal(str(path))} (FORMAT json)")
    rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    con.close()
    return {"publications": rows, "citations": tables["cites"].num_rows}


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
    sel = np.flatnonzero((m["office"] == "US") & (m["fam"] % every == 0))
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
