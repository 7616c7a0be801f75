"""The lake profile: what the data holds, per office and year, and so what it can measure.

``lake_profile`` (a derived table, the ``profile`` stage, built at every ingest) counts per
office × year the publications and how many carry each field of ``capabilities.FIELDS``.
``profile(session)`` turns it into coverage shares, each source's provisions and data end
date, and the status of every measure (computed / reported / lower bound / absent, with the
reason). ``patentq lake profile`` prints it; the report's "What this data can measure" section
draws it; ``compare`` reads it to pick defaults that fit the data.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from .. import parts, sql
from ..capabilities import FIELDS, LAKE_FIELDS, MEASURES, adapter_provides, measure_status

#: Fields counted per publication by ``publications.sql`` (``end_date`` is per source, the
#: context fields per lake: ``lake_provides`` adds them from the lake's tables).
COUNTED = tuple(f for f in FIELDS if f not in LAKE_FIELDS)
#: A field covering at least this share of the publications is "present" for the lake's measures.
PRESENT = 0.5
PROVISION_RANK = {"absent": 0, "partial": 1, "reported": 2, "yes": 3}
#: Bytes of DuckDB state per publication of one part (the grouping of its parties, codes,
#: priorities and tags, and the join on it): the parts of ``lake_profile``. At 30M families one
#: part reached the 6 GB default limit; 300 gives 4 parts there and 13 at 100M.
PROFILE_BYTES = 300
#: The inputs of publications.sql sliced by publication number: profile_pubs.sql, profile_marks.sql.
SLICED = ("pubs", "marks")
#: The per office x year sums of ``lake_profile``.
SUMS = COUNTED + ("granted", "family_short")


def _load(name: str, **params) -> str:
    return sql.load(__name__, name, **params)


def provisions_table(lake) -> pa.Table:
    """(source, field, provision): what the rows of each ``publications.source`` carry. Per
    format in the lake, the adapter's ``PROVIDES``, or what an input entry declares itself
    (``provides`` in the manifest, for inputs written by other means); a declared list counts
    only where an input of that format wrote citation rows (a PATSTAT extract without tls212
    lists nothing)."""
    rows = []
    formats: dict[str, dict] = {}
    for entry in lake.manifest.get("inputs", []):
        fmt = entry["format"]
        known = formats.setdefault(fmt, {"tables": set(), "provides": {}})
        known["tables"].update(entry.get("parts", {}))
        declared = entry.get("provides") or adapter_provides(fmt)
        for field, provision in declared.items():
            if PROVISION_RANK.get(provision, 0) > PROVISION_RANK.get(known["provides"].get(field), 0):
                known["provides"][field] = provision
    for fmt, known in sorted(formats.items()):
        for field, provision in sorted(known["provides"].items()):
            if field in ("citation_list", "npl_list") and "citations" not in known["tables"]:
                provision = "absent"
            rows.append({"source": fmt, "field": field, "provision": provision})
    schema = pa.schema([("source", pa.string()), ("field", pa.string()), ("provision", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


def publications_sql(sources: dict[str, str]) -> str:
    """One row per subject publication of one slice (``sources``: the pubs and marks of a slice,
    from ``parts.buckets``)."""
    return _load("publications", provisions="SELECT * FROM _pq_provisions", **sources)


def build(session) -> dict:
    """Write ``lake_profile`` and record the summary in the manifest."""
    engine, lake = session.engine, session.lake
    with session.step("profile", "coverage"):
        engine.register_arrow("_pq_provisions", provisions_table(lake))
        sums = ",\n       ".join(f"sum({f}) AS {f}" for f in SUMS)
        # in hash slices of the publication number; an office x year has a row per slice it
        # occurs in, and read_sql sums them
        n = parts.count(engine, parts.table_rows(lake, "publications"), PROFILE_BYTES)
        inputs = {name: (_load(f"profile_{name}"), parts.hash_bucket("publication_number", n)) for name in SLICED}
        with parts.buckets(engine, "lake_profile", n, inputs) as slice_of:
            parts.write(engine, "lake_profile", [_load("profile", sums=sums, publications=publications_sql(slice_of(i)))
                                                 for i in range(n)])
        rows = len(engine.rows(read_sql()))
        ends = {r["source"]: r["last_date"] for r in engine.rows(_load("end_dates"))}
    summary = {"offices_years": rows, "end_dates": {s: _iso(d) for s, d in ends.items()}}
    session.lake.stamp("lake_profile", summary=summary)
    return summary


def read_sql() -> str:
    """``lake_profile`` per office x year (its parts' rows summed)."""
    sums = ", ".join(f"CAST(sum({f}) AS BIGINT) AS {f}" for f in ("publications", *SUMS))
    return _load("read", sums=sums)


def _iso(value) -> str | None:
    if value is None or value == dt.date(1, 1, 1):
        return None
    return value.isoformat()


def end_date(session) -> dt.date | None:
    """The date the lake's data ends: the latest declared end of its inputs (``end_date`` in an
    input's manifest entry, e.g. a CSET file's own date), else the latest date its publications
    carry; None when neither is known."""
    declared = [i.get("end_date") for i in session.lake.manifest.get("inputs", []) if i.get("end_date")]
    meta = (session.lake.derived("lake_profile") or {}).get("summary") or {}
    found = [d for d in (meta.get("end_dates") or {}).values() if d]
    dates = [dt.date.fromisoformat(d) for d in declared + found]
    return max(dates) if dates else None


def profile(session) -> dict:
    """Coverage per field (overall and per office × year), sources, end date, measure status."""
    session.require("lake_profile")
    table = session.engine.rows(read_sql())
    total = sum(r["publications"] for r in table) or 0
    fields = {}
    granted = sum(r.get("granted") or 0 for r in table)
    for f in COUNTED:
        present = sum(r[f] or 0 for r in table)
        base = granted if f == "grant_date" else total  # only grants have a grant date
        fields[f] = {"present": int(present), "publications": int(base),
                     "base": "grants" if f == "grant_date" else "publications",
                     "share": present / base if base else None, "about": FIELDS[f]}
    provides = lake_provides(session, fields)
    for field, lake_table in (("context_citing", "context_documents"), ("population_baselines", "baselines")):
        if session.lake.has(lake_table):
            provides[field] = "yes"
    shares = {f: cov["share"] for f, cov in fields.items()}
    end = end_date(session)
    overrides = _data_overrides(session, provides, shares, end, int(sum(r.get("family_short") or 0 for r in table)))
    measures = {m: dict(zip(("status", "reason"), measure_status(m, provides, shares, overrides))) for m in MEASURES}
    years = [r["year"] for r in table if r["year"] is not None]
    return {"lake": str(session.lake.path), "publications": int(total),
            "years": [min(years), max(years)] if years else None,
            "end_date": end.isoformat() if end else None,
            "fields": fields, "provides": provides, "measures": measures,
            "sources": sources(session), "by_office_year": table}


#: The citation window the composites and cohort measures use (fwd_cits_5).
WINDOW_YEARS = 5


def _data_overrides(session, provides: dict, shares: dict, end: dt.date | None, short: int) -> dict:
    """Statuses the data decides beyond its fields: windowed citations when no publication's
    5-year window ends before the data does (a USPTO weekly slice: every count is 0 so far), and
    grant as a lower bound where families are reported larger than the lake holds (``short``:
    publications not granted in such families)."""
    out = {}
    if measure_status("fwd_cits_windowed", provides, shares)[0] == "computed" and end is not None:
        cutoff = _years_before(end, WINDOW_YEARS)
        row = session.engine.rows(_load("windows", cutoff=cutoff))[0]
        if row["dated"] and not row["complete"]:
            out["fwd_cits_windowed"] = ("absent", f"no {WINDOW_YEARS}-year citation window is complete: the data ends "
                                        f"{end.isoformat()}, less than {WINDOW_YEARS} years after every publication")
        elif row["dated"] and row["complete"] < row["dated"]:
            share = row["complete"] / row["dated"]
            out["fwd_cits_windowed"] = ("computed", f"its inputs are present; {WINDOW_YEARS}-year windows complete for "
                                        f"{100 * share:.0f}% of publications (data ends {end.isoformat()}; an "
                                        f"incomplete window leaves the composites)")
    if short and measure_status("grant", provides, shares)[0] == "computed":
        out["grant"] = ("lower bound", f"{short:,} publication{'' if short == 1 else 's'} not granted belong to families "
                        "the source reports larger than the lake holds: a later grant may be missing "
                        "(grant_basis 'lower bound')")
    return out


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def lake_provides(session, fields: dict) -> dict:
    """The lake's provision of each field: ``yes`` where the data covers at least half the
    publications (``PRESENT``), ``partial`` below that, ``reported`` for the reported counts,
    and nothing where no publication has it."""
    out: dict[str, str | None] = {}
    for f, cov in fields.items():
        share = cov["share"] or 0
        if f.endswith("_reported"):
            if share > 0:
                out[f] = "reported"
        elif f == "family_members":
            out[f] = "yes" if share >= 0.999 else "partial" if total_rows(fields) else None
        elif share >= PRESENT:
            out[f] = "yes"
        elif share > 0:
            out[f] = "partial"
    return {k: v for k, v in out.items() if v}


def total_rows(fields: dict) -> int:
    return next(iter(fields.values()))["publications"] if fields else 0


def sources(session) -> dict:
    """Per input format: files, rows, the declared provisions and end dates."""
    out: dict[str, dict] = {}
    for entry in session.lake.manifest.get("inputs", []):
        src = out.setdefault(entry["format"], {"files": 0, "rows": 0, "end_date": None,
                                               "provides": adapter_provides(entry["format"])})
        src["files"] += 1
        src["rows"] += entry.get("rows_read", 0)
        if entry.get("end_date") and (src["end_date"] is None or entry["end_date"] > src["end_date"]):
            src["end_date"] = entry["end_date"]
    return out
