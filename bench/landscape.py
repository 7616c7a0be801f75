"""Benchmark: classify ≥ 1 GB of title + abstract text with the ``genai`` landscape.

Compares, in the same run and on the same Parquet lake:

* reference: one DuckDB ``regexp_matches`` per text column with every keyword clause of the
  genai membership query in a single alternation (the cheapest possible keyword scan);
* patentq: ``landscape apply genai`` membership (the full boolean query with classification
  flags, written to the lake as ``landscape_genai``), and membership plus categories;
* with ``--refine``: ``patentq landscape apply genai`` (rules only) and then ``patentq landscape
  refine genai`` (seed, expansion, classifier, scores, refined tables) as two measured CLI
  processes on a lake of one publication per family (``--gb 1.0``: 1M families), time and peak
  RSS side by side (targets for refine: ≤ 10 minutes, ≤ 6 GB on 2 cores).

Text is generated (Zipf-like word draws from a technical vocabulary, with GenAI phrases in
about 3 % and near misses in about 10 % of abstracts) under /tmp, never in the repository.

    python bench/landscape.py [--gb 1.0] [--threads 2] [--dir /tmp/pq-bench-landscape]
    python bench/landscape.py --refine [--gb 1.0] [--dir /tmp/pq-bench-refine]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

import duckdb
from rich.console import Console

from patentq import open_lake
from patentq.lake import Lake
from patentq.landscapes import load
from patentq.landscapes.apply import membership_sql, table_names, write
from patentq.landscapes.compile import text_regex
from patentq.landscapes.query import Text, leaves
from patentq.schema import select_list

# Frequent generic patent words first (Zipf head), then domain words that occur in a few per
# cent of abstracts each (a realistic rate for "transformer" or "latent"), then pseudo-words.
GENERIC = """method system device apparatus data signal unit module first second plurality processing control
output input value information least one based configured determine determining receive receiving provide
providing include including associated corresponding respective portion surface member element body
process memory processor computer program server client terminal user""".split()
DOMAIN = """image model network neural learning training generate generating generated generator content text
video audio speech layer feature vector sensor vehicle battery circuit voltage current power electrode
substrate semiconductor transistor gate source drain wafer light optical lens camera display screen pixel
frame color region object target detection recognition classification prediction estimation parameter
threshold probability distribution sample noise encoder decoder latent space representation embedding
attention transformer token sequence language word sentence document query response dialogue robot arm
motor gear shaft valve pump fluid pressure temperature heat cooling material composition polymer resin
fiber coating film protein cell gene molecule compound drug patient medical diagnosis treatment tissue
blood wireless channel antenna frequency base station packet communication transmission reception message
node edge cloud storage database index search recommendation payment transaction account security key
encryption authentication interface touch voice music three dimensional printing structure support
bracket design optimization manufacturing assembly""".split()
GENAI = ["generative adversarial network", "a GAN generator and discriminator", "variational autoencoder",
         "latent diffusion model", "denoising diffusion probabilistic model", "large language model",
         "LLM prompt", "generative pre-trained transformer", "text-to-image generation", "ChatGPT",
         "StyleGAN", "CycleGAN", "diffusion model denoising network", "autoregressive transformer generates tokens",
         "generative AI", "neural text to speech with a deep neural network", "deepfake video"]
NEAR = ["generating electricity", "GaN transistor", "diffusion model of dopants", "generative design",
        "neural network classifier", "machine learning model", "3D printer generates", "steam generator",
        "VAE copolymer", "autoregressive moving average", "speech synthesizer", "image synthesis unit"]
# drawn with a skew towards the front: G06N codes (at the end) on about 3 % of documents
CODES = ["H04W72/04", "A61B5/00", "H01L29/778", "G06Q30/02", "B60W30/00", "H04N19/176", "F03B13/18", "B33Y50/02",
         "C08F218/08", "G06F16/33", "G06V10/82", "G06T11/00", "G10L13/02", "G06F40/56", "G06N20/00", "G06N3/08",
         "G06N3/045", "G06N3/0455", "G06N3/094", "G06N3/0475"]


def vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    syllables = ["ka", "to", "ri", "ne", "sa", "mo", "lu", "pe", "di", "ga", "vo", "chi", "ter", "pro", "con", "ment",
                 "ing", "tion", "al", "ic", "er", "ous", "ive", "ab", "ex", "in", "re", "un", "trans", "sub"]
    filler = []
    while len(filler) < size:
        filler.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    # generic words at the head, domain words spread over ranks 300..2700 of the Zipf tail
    words = GENERIC + filler[:300 - len(GENERIC)]
    step = 2400 // len(DOMAIN)
    for k, word in enumerate(DOMAIN):
        words += filler[300 + k * step: 300 + (k + 1) * step - 1] + [word]
    return words + filler[len(words):]


def generate(folder: Path, gb: float, con, per_family: int = 2) -> Lake:
    """A lake whose publications hold ``gb`` GB of title + abstract text, plus CPC codes
    (``per_family`` publications per family)."""
    if folder.exists():
        shutil.rmtree(folder)
    lake = Lake.create(folder)
    words, docs = vocabulary(), int(gb * 1e9 / 1000)
    con.execute("CREATE OR REPLACE TABLE v AS SELECT ?::VARCHAR[] AS w, ?::VARCHAR[] AS genai, ?::VARCHAR[] AS near, "
                "?::VARCHAR[] AS codes", [words, GENAI, NEAR, CODES])
    n = len(words)
    draw = f"w[1 + CAST(floor({n} * pow((hash(i * 7919 + k) % 1000003) / 1000003.0, 2.2)) AS INTEGER)]"
    text = (f"SELECT i, array_to_string(list_transform(range(8), lambda k: {draw}), ' ') AS title,\n"
            f"  CASE WHEN hash(i) % 100 < 3 THEN genai[1 + CAST(hash(i, 1) % {len(GENAI)} AS INTEGER)] || ' '\n"
            f"       WHEN hash(i) % 100 < 13 THEN near[1 + CAST(hash(i, 2) % {len(NEAR)} AS INTEGER)] || ' ' ELSE '' END\n"
            f"  || array_to_string(list_transform(range(10, 140), lambda k: {draw}), ' ') AS abstract\n"
            f"FROM v, range({docs}) t(i)")
    pubs = select_list("publications", {
        "publication_number": "'BN-' || i || '-A1'", "country_code": "'BN'", "family_id": f"'F' || (i // {per_family})",
        "title": "title", "abstract": "abstract", "source": "'bench'"})
    cls = select_list("classifications", {
        "publication_number": "'BN-' || i || '-A1'", "scheme": "'cpc'", "is_first": "j = 0", "is_inventive": "true",
        "code": f"codes[1 + CAST(floor({len(CODES)} * pow((hash(i, j) % 1000003) / 1000003.0, 20)) AS INTEGER)]"})
    with lake.transaction() as txn:
        p_part, c_part = txn.new_part("data", "publications"), txn.new_part("data", "classifications")
        con.execute(f"COPY (SELECT {pubs} FROM ({text})) TO '{p_part}' (FORMAT parquet, COMPRESSION zstd, "
                    f"ROW_GROUP_SIZE 61440)")
        con.execute(f"COPY (SELECT {cls} FROM v, range({docs}) t(i), range(2) u(j)) TO '{c_part}' "
                    f"(FORMAT parquet, COMPRESSION zstd)")
        txn.inputs.append({"file": "bench", "format": "bench", "size": 0, "sha256": "bench", "rows_read": docs,
                           "rows_written": {"publications": docs, "classifications": 2 * docs}, "rejected": 0,
                           "parts": {"publications": [txn.relative(p_part)], "classifications": [txn.relative(c_part)]}})
    return Lake.open(folder)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def refine_bench(args, out: Console) -> None:
    """Rules-only apply, then refine, each a measured ``patentq`` process on the same lake."""
    sys.path.insert(0, str(Path(__file__).parent))
    from _measure import run_measured

    folder = args.dir if args.dir != Path("/tmp/pq-bench-landscape") else Path("/tmp/pq-bench-refine")
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    with out.status(f"generating {args.gb} GB of text, one publication per family, in {folder}"):
        seconds, lake = timed(lambda: generate(folder, args.gb, con, per_family=1))
    con.close()
    families = open_lake(lake.path).engine.scalar("SELECT count(DISTINCT family_id) FROM publications")
    out.print(f"generated {families:,} families in {seconds:.0f}s; {args.threads} threads, load average "
              f"{os.getloadavg()[0]:.1f}")
    cli = [sys.executable, "-m", "patentq.cli", "landscape"]
    common = ["--lake", str(folder), "--threads", str(args.threads), "--json"]
    rows = {}
    for name, cmd in (("apply (rules only)", cli + ["apply", "genai", *common]),
                      ("refine", cli + ["refine", "genai", "--seed", "1", *common])):
        rows[name] = run_measured(cmd)
        if rows[name]["rc"] != 0:
            out.print(f"[red]{name} failed[/]: {rows[name]['stderr'][-3000:]}")
            return
    for name, r in rows.items():
        out.print(f"{name:>20}: {r['seconds']:7.1f} s, peak RSS {r['peak_rss_mb'] / 1e3:5.2f} GB, "
                  f"CPU {r['tree_cpu_seconds']:.0f} s")
    import json

    stdout = rows["refine"]["stdout"]  # DuckDB's progress bar may precede the JSON on stdout
    result = json.loads(stdout[stdout.index("\n{") + 1:] if not stdout.startswith("{") else stdout)
    out.print(f"refine: {result['families']:,} families ({result['rule_members']:,} by the rules, +{result['added']:,}, "
              f"-{result['dropped']:,}; {result['scored']:,} scored), thresholds {result['thresholds']}", highlight=False)
    ok = rows["refine"]["seconds"] <= 600 and rows["refine"]["peak_rss_mb"] <= 6000
    out.print(f"target (refine ≤ 10 min and ≤ 6 GB on 1M families): {'met' if ok else 'NOT met'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/pq-bench-landscape"))
    parser.add_argument("--reuse", action="store_true", help="reuse the generated lake if present")
    parser.add_argument("--refine", action="store_true", help="time rules-only apply and refine (1M families)")
    args = parser.parse_args()
    out = Console()
    if args.refine:
        refine_bench(args, out)
        return
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    if args.reuse and (args.dir / "manifest.json").exists():
        lake = Lake.open(args.dir)
    else:
        with out.status(f"generating {args.gb} GB of title + abstract text in {args.dir}"):
            seconds, lake = timed(lambda: generate(args.dir, args.gb, con))
        out.print(f"generated in {seconds:.0f}s")
    session = open_lake(lake.path, threads=args.threads)
    engine = session.engine
    docs, text_bytes = engine.query("SELECT count(*) AS n, sum(strlen(title) + strlen(abstract)) AS b "
                                    "FROM publications").to_pylist()[0].values()
    mb = float(text_bytes) / 1e6
    out.print(f"{docs:,} publications, {mb:,.0f} MB of title + abstract text, {args.threads} threads")

    defn = load("genai")
    keywords = sorted({text_regex(leaf) for leaf in leaves(defn.membership) if isinstance(leaf, Text)})
    alternation = "(?i)(?:" + "|".join(keywords) + ")"
    ref_sql = ("SELECT count(*) AS n FROM publications WHERE regexp_matches(title, $re) "
               "OR regexp_matches(abstract, $re)").replace("$re", "'" + alternation.replace("'", "''") + "'")
    # warm the OS cache once so neither side pays the first read
    engine.query("SELECT sum(length(title)) + sum(length(abstract)) AS s FROM publications")
    ref_s, ref = timed(lambda: engine.query(ref_sql).to_pylist()[0]["n"])
    out.print(f"reference: one regexp_matches, {len(keywords)} keyword clauses in one alternation: "
              f"{ref:,} publications in {ref_s:.2f}s = {mb / ref_s:,.0f} MB/s")

    members, _ = table_names(defn)
    mem_s, _ = timed(lambda: engine.write_derived(members, membership_sql(defn), definition_hash=defn.hash))
    fams = engine.query(f"SELECT count(*) AS n, sum(matched_publications) AS p FROM {members}").to_pylist()[0]
    out.print(f"patentq membership: {fams['p']:,} publications / {fams['n']:,} families in {mem_s:.2f}s "
              f"= {mb / mem_s:,.0f} MB/s, {ref_s / mem_s:.2f}x the reference scan")
    all_s, summary = timed(lambda: write(defn, session))  # always writes (``apply`` skips a current one)
    out.print(f"patentq membership + categories (apply): {all_s:.2f}s = {mb / all_s:,.0f} MB/s, "
              f"{ref_s / all_s:.2f}x the reference scan; model: {summary['categories']['model']}")
    target = "met" if ref_s / mem_s >= 0.5 and mb / mem_s >= 100 else "NOT met"
    out.print(f"target (membership ≥ 0.5x reference and ≥ 100 MB/s): {target}")


if __name__ == "__main__":
    main()
