"""Ingest throughput of the google and patentsview adapters on generated files of 1 GB or more.

    python bench/ingest_generated.py                       # 1024 MB of each, under /tmp
    python bench/ingest_generated.py --google-mb 200 --pv-mb 200 --keep

No real Google exports or PatentsView tables are available offline, so the inputs are
generated (streamed, deterministic) with the nested shape of the real ones: BigQuery
``publications`` records with localized titles/abstracts/claims, harmonized parties, CPC/IPC
lists, priority claims and citations; the eleven PatentsView ``g_`` tables with several rows
per patent. Each ingest is compared in the same run with DuckDB's raw read of the same bytes:
``read_json`` (google) and ``read_csv`` of every table (patentsview), ``count(*)``.
MB/s counts input bytes; the ratio is patentq time / DuckDB time. A second reference loads
the same bytes into DuckDB tables (all columns parsed and materialized, no mapping), which is
the work a raw read must do before any mapping can start.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import time
from pathlib import Path

import duckdb
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from patentq.ingest import ingest  # noqa: E402

MB = 1 << 20
WORDS = ("network model image generative adversarial training sensor node signal device method system layer "
         "encoder decoder vector token attention speech text audio video frame pixel latent sample noise "
         "diffusion transformer memory processor circuit wireless antenna power battery control unit data").split()
OFFICES = ["US", "CN", "EP", "JP", "KR", "WO", "DE"]
COUNTRIES = ["US", "CN", "JP", "KR", "DE", "FR", "GB", "IN", "CA", ""]
CPC = ["G06N3/0475", "G06N3/045", "G06N3/08", "G06N20/00", "G06F40/56", "G10L13/02", "G06T11/00", "H04W84/18",
       "G06F18/214", "G06V10/82", "A61B5/7267", "H04L67/12"]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, k=n)).capitalize() + "."


def google_record(i: int, rng: random.Random) -> dict:
    cc = rng.choice(OFFICES)
    number = 10_000_000 + i
    kind = "B2" if cc == "US" and i % 2 else "A1" if cc in ("US", "EP", "WO") else "A"
    date = lambda: rng.randint(2010, 2023) * 10000 + rng.randint(1, 12) * 100 + rng.randint(1, 28)  # noqa: E731
    claims = "\n".join(f"{k}. " + _text(rng, rng.randint(15, 40)) for k in range(1, rng.randint(5, 25)))
    titles = [{"text": _text(rng, 8), "language": "en"}]
    if cc in ("CN", "JP", "KR", "DE"):
        titles.insert(0, {"text": _text(rng, 8), "language": cc.lower()})
    return {
        "publication_number": f"{cc}-{number}-{kind}", "application_number": f"{cc}-{number + 7}-A",
        "country_code": cc, "kind_code": kind, "family_id": str(40_000_000 + i // 3),
        "title_localized": titles,
        "abstract_localized": [{"text": _text(rng, rng.randint(60, 140)), "language": "en"}],
        "claims_localized": [{"text": claims, "language": "en"}] if cc == "US" else [],
        "publication_date": str(date()), "filing_date": str(date()),
        "grant_date": str(date()) if kind == "B2" else "0", "priority_date": str(date()),
        "priority_claim": [{"publication_number": "", "application_number": f"{rng.choice(OFFICES)}-{rng.randint(1, 10**9)}-A",
                            "npl_text": "", "filing_date": str(date())} for _ in range(rng.randint(0, 2))],
        "inventor_harmonized": [{"name": f"INVENTOR {rng.randint(1, 10**6)}", "country_code": rng.choice(COUNTRIES)}
                                for _ in range(rng.randint(1, 5))],
        "assignee_harmonized": [{"name": f"COMPANY {rng.randint(1, 10**4)} LTD", "country_code": rng.choice(COUNTRIES)}
                                for _ in range(rng.randint(0, 2))],
        "cpc": [{"code": c, "inventive": rng.random() < .6, "first": k == 0, "tree": []}
                for k, c in enumerate(rng.sample(CPC, rng.randint(1, 6)))],
        "ipc": [{"code": c[:4] + c[4:].split("/")[0] + "/00", "inventive": True, "first": k == 0, "tree": []}
                for k, c in enumerate(rng.sample(CPC, rng.randint(1, 3)))],
        "citation": [{"publication_number": f"{rng.choice(OFFICES)}-{rng.randint(10**6, 10**7)}-A" if rng.random() < .85 else "",
                      "application_number": "", "npl_text": "" if rng.random() < .85 else _text(rng, 12),
                      "type": rng.choice(["", "X", "Y", "A"]), "category": rng.choice(["SEA", "APP", "EXA", "ISR"]),
                      "filing_date": "0"} for _ in range(rng.randint(0, 30))],
    }


def generate_google(path: Path, target_bytes: int, progress: Progress) -> int:
    rng = random.Random(7)
    task = progress.add_task("generate google NDJSON", total=target_bytes)
    written = records = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target_bytes:
            line = json.dumps(google_record(records, rng), separators=(",", ":")) + "\n"
            out.write(line)
            written += len(line)
            records += 1
            if records % 2000 == 0:
                progress.update(task, completed=written)
    progress.update(task, completed=written)
    return records


PV_HEADERS = {
    "g_patent": ["patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind", "num_claims", "withdrawn", "filename"],
    "g_application": ["application_id", "patent_id", "patent_application_type", "filing_date", "series_code", "rule_47_flag"],
    "g_patent_abstract": ["patent_id", "patent_abstract"],
    "g_cpc_current": ["patent_id", "cpc_sequence", "cpc_section", "cpc_class", "cpc_subclass", "cpc_group", "cpc_type"],
    "g_ipc_at_issue": ["patent_id", "ipc_sequence", "classification_level", "section", "ipc_class", "subclass", "main_group",
                       "subgroup", "symbol_position", "classification_value", "classification_status",
                       "classification_data_source", "action_date", "ipc_version_indicator"],
    "g_inventor_disambiguated": ["patent_id", "inventor_sequence", "inventor_id", "disambig_inventor_name_first",
                                 "disambig_inventor_name_last", "gender_code", "location_id"],
    "g_assignee_disambiguated": ["patent_id", "assignee_sequence", "assignee_id", "disambig_assignee_individual_name_first",
                                 "disambig_assignee_individual_name_last", "disambig_assignee_organization", "assignee_type",
                                 "location_id"],
    "g_location_disambiguated": ["location_id", "disambig_city", "disambig_state", "disambig_country", "latitude",
                                 "longitude", "county", "state_fips", "county_fips"],
    "g_us_patent_citation": ["patent_id", "citation_sequence", "citation_patent_id", "citation_date", "record_name",
                             "wipo_kind", "citation_category"],
    "g_foreign_citation": ["patent_id", "citation_sequence", "citation_application_id", "citation_date",
                           "citation_category", "citation_country"],
    "g_other_reference": ["patent_id", "other_reference_sequence", "other_reference_text"],
}


def generate_patentsview(folder: Path, target_bytes: int, progress: Progress) -> int:
    rng = random.Random(11)
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: open(folder / f"{name}.tsv", "w", newline="", encoding="utf-8") for name in PV_HEADERS}
    writers = {name: csv.writer(f, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n") for name, f in files.items()}
    for name, header in PV_HEADERS.items():
        writers[name].writerow(header)
    n_locations = 5000
    for loc in range(n_locations):
        writers["g_location_disambiguated"].writerow(
            [f"loc-{loc}", f"City {loc}", "", COUNTRIES[loc % 9], "1.0", "2.0", "", "", ""])
    task = progress.add_task("generate PatentsView TSV", total=target_bytes)
    patents = 0
    while True:
        if patents % 2000 == 0:
            size = sum(f.tell() for f in files.values())
            progress.update(task, completed=size)
            if size >= target_bytes:
                break
        pid = str(7_000_000 + patents)
        date = f"{rng.randint(2005, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        writers["g_patent"].writerow([pid, "utility", date, _text(rng, 10), "B2", rng.randint(1, 30), 0, "ipg.xml"])
        writers["g_application"].writerow([f"{rng.randint(10, 17)}/{rng.randint(100000, 999999)}", pid, "utility", date, "13", 0])
        writers["g_patent_abstract"].writerow([pid, _text(rng, rng.randint(60, 140))])
        for k, code in enumerate(rng.sample(CPC, rng.randint(1, 6))):
            writers["g_cpc_current"].writerow([pid, k, code[0], code[:3], code[:4], code, "inventive" if k < 2 else "additional"])
        for k, code in enumerate(rng.sample(CPC, rng.randint(1, 3))):
            writers["g_ipc_at_issue"].writerow([pid, k, "A", code[0], code[1:3], code[3], code[4:].split("/")[0], "00", "F",
                                                "I", "B", "H", date, "2006-01-01"])
        for k in range(rng.randint(1, 5)):
            writers["g_inventor_disambiguated"].writerow([pid, k, f"inv-{rng.randint(1, 10**6)}", "First", f"Last{k}", "M",
                                                          f"loc-{rng.randrange(n_locations + 50)}"])
        for k in range(rng.randint(0, 2)):
            writers["g_assignee_disambiguated"].writerow([pid, k, f"asg-{rng.randint(1, 10**4)}", "", "",
                                                          f"Company {rng.randint(1, 10**4)} Inc.", "2", f"loc-{rng.randrange(n_locations)}"])
        for k in range(rng.randint(0, 30)):
            writers["g_us_patent_citation"].writerow([pid, k, str(rng.randint(3_000_000, 11_000_000)), date, "Someone et al.",
                                                      rng.choice(["A", "B1", "B2"]), rng.choice(["cited by examiner", "cited by applicant"])])
        for k in range(rng.randint(0, 4)):
            writers["g_foreign_citation"].writerow([pid, k, str(rng.randint(10**6, 10**9)), date, "cited by applicant",
                                                    rng.choice(["JP", "EP", "WO", "DE", "CN"])])
        for k in range(rng.randint(0, 4)):
            writers["g_other_reference"].writerow([pid, k, _text(rng, 20)])
        patents += 1
    for f in files.values():
        f.close()
    return patents


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/patentq-bench-generated"))
    parser.add_argument("--google-mb", type=int, default=1024)
    parser.add_argument("--pv-mb", type=int, default=1024)
    parser.add_argument("--keep", action="store_true", help="keep the generated files and lakes")
    args = parser.parse_args()
    console = Console(stderr=True)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    google_file = args.out / "google-publications.jsonl"
    pv_folder = args.out / "patentsview"
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        records = generate_google(google_file, args.google_mb * MB, progress)
        patents = generate_patentsview(pv_folder, args.pv_mb * MB, progress)
    results = []

    size = google_file.stat().st_size
    console.print(f"google: {size / MB:,.0f} MB, {records:,} records; DuckDB read_json count ...")
    ref_s, ref_rows = timed(lambda: duckdb.connect().execute(
        f"SELECT count(*) FROM read_json('{google_file}', format = 'newline_delimited')").fetchone()[0])
    full_s, _ = timed(lambda: duckdb.connect().execute(
        f"CREATE TABLE t AS SELECT * FROM read_json('{google_file}', format = 'newline_delimited')"))
    console.print("google: patentq ingest ...")
    pq_s, res = timed(lambda: ingest("google", [google_file], args.out / "lake-google"))
    results.append(("google", size, res.rows_written.get("publications", 0), pq_s, ref_s, full_s, ref_rows,
                    "read_json count(*)"))

    size = sum(p.stat().st_size for p in pv_folder.iterdir())
    console.print(f"patentsview: {size / MB:,.0f} MB in {len(PV_HEADERS)} tables, {patents:,} patents; DuckDB read_csv count ...")

    def read_all(materialize: bool):
        con = duckdb.connect()
        total = 0
        for n, p in enumerate(sorted(pv_folder.iterdir())):
            scan = f"read_csv('{p}', delim = '\t', header = true, quote = '\"', all_varchar = true)"
            if materialize:
                con.execute(f"CREATE TABLE t{n} AS SELECT * FROM {scan}")
            else:
                total += con.execute(f"SELECT count(*) FROM {scan}").fetchone()[0]
        return total

    ref_s, ref_rows = timed(lambda: read_all(False))
    full_s, _ = timed(lambda: read_all(True))
    console.print("patentsview: patentq ingest ...")
    pq_s, res = timed(lambda: ingest("patentsview", [pv_folder], args.out / "lake-patentsview"))
    results.append(("patentsview", size, res.rows_written.get("publications", 0), pq_s, ref_s, full_s, ref_rows,
                    "read_csv count(*)"))

    table = Table(title="ingest of generated inputs vs DuckDB raw read (same run)")
    for col in ("adapter", "input MB", "publications", "patentq s", "patentq MB/s", "DuckDB count s", "DuckDB MB/s",
                "ratio to count", "DuckDB load s", "ratio to load", "reference"):
        table.add_column(col, justify="right" if col not in ("adapter", "reference") else "left")
    for name, nbytes, pubs, pq_s, ref_s, full_s, ref_rows, ref_name in results:
        table.add_row(name, f"{nbytes / MB:,.0f}", f"{pubs:,}", f"{pq_s:.1f}", f"{nbytes / MB / pq_s:.1f}", f"{ref_s:.1f}",
                      f"{nbytes / MB / ref_s:.1f}", f"{pq_s / ref_s:.1f}x", f"{full_s:.1f}", f"{pq_s / full_s:.1f}x",
                      f"{ref_name} ({ref_rows:,} rows)")
    Console(width=200).print(table)
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)


if __name__ == "__main__":
    main()
