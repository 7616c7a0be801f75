"""What a lake can measure: the data fields each measure needs, and what each source provides.

Two declarations, used everywhere a "can we measure this?" question comes up:

- ``FIELDS``: the data a measure can need (dates, family ids, countries, classifications, text,
  citation lists and reported counts, family members...). Each source adapter declares in its
  ``PROVIDES`` which of them its format carries: ``yes``, ``reported`` (a count the source
  states, not a list patentq can recount), ``partial`` (only what the export happens to
  include, e.g. the family members that are rows of a Lens export) or nothing.
- ``MEASURES``: each measure with the fields it needs, and what stands in when they are absent
  (a reported count, a lower bound).

The lake profile (``patentq.profile``) measures what the data actually holds, per office and
year; ``measure_status`` combines both into computed / reported / lower bound / absent with a
reason, which the indicators, ``compare``, the report and ``patentq lake profile`` state.
docs/sources-capabilities.md is generated from these declarations (``source_matrix``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: field → what it means (the profile measures the share of publications where it is present).
FIELDS = {
    "publication_date": "publication date",
    "priority_date": "earliest priority date (or year)",
    "filing_date": "application filing date",
    "grant_status": "granted or not (kind code or document type)",
    "grant_date": "grant date",
    "family_id": "DOCDB simple family id (not a surrogate made by patentq)",
    "inventor_country": "inventors' country of residence",
    "applicant_country": "applicants' country of residence",
    "applicant_name": "applicant names",
    "cpc": "CPC classifications",
    "ipc": "IPC classifications",
    "title": "title",
    "abstract": "abstract",
    "claims": "number of claims",
    "citation_list": "patent citation lists (each document's citations, complete, possibly empty)",
    "npl_list": "non-patent literature citations as a list",
    "cited_by_reported": "forward citation count reported by the source (lifetime)",
    "cites_reported": "backward patent citation count reported by the source",
    "npl_reported": "non-patent citation count reported by the source",
    "family_members": "the family's members at other offices (all of them)",
    "family_size_reported": "family size reported by the source (documents)",
    "priority_numbers": "priority numbers (their offices)",
    "tags": "the source's own categories (e.g. CSET's AI flags)",
    "end_date": "the date the source's data ends",
    "context_citing": "documents outside the export that cite it (forward citations from the whole world)",
    "population_baselines": "population baselines (each cohort's histogram over the whole source, not just the export)",
}
#: Fields that describe the lake rather than a publication: the profile does not count them per
#: publication; a lake provides the context ones where it holds their tables' rows.
LAKE_FIELDS = ("end_date", "context_citing", "population_baselines")

PROVISIONS = ("yes", "reported", "partial")
#: What generated data declares (``patentq synth``, benchmarks, test fixtures): every field as a
#: complete list, no reported counts.
EVERYTHING = {f: "yes" for f in FIELDS if not f.endswith("_reported") and f not in ("tags",) + LAKE_FIELDS}


@dataclass(frozen=True)
class Measure:
    name: str
    #: every one of these must be present to compute it
    needs: tuple[str, ...]
    #: any one of these also serves (e.g. cpc or ipc)
    any_of: tuple[str, ...] = ()
    #: a reported stand-in when the needs are absent (``fwd_cits_total``: the lifetime count)
    reported: str | None = None
    #: when only partial member lists exist, the value is a lower bound (reach)
    lower_bound: bool = False
    doc: str = ""


MEASURES = {m.name: m for m in (
    Measure("families", (), doc="family counts"),
    Measure("inventor_country", ("inventor_country",), doc="attribution to inventor countries"),
    Measure("applicant_country", ("applicant_country",), doc="attribution to applicant countries"),
    Measure("applicant_group", ("applicant_name",), doc="attribution to applicant groups"),
    Measure("priority_office", (), any_of=("priority_numbers", "filing_date", "priority_date"),
            doc="attribution to the office of first filing"),
    Measure("reach", ("family_members",), lower_bound=True,
            doc="offices, IP5, triadic, filed abroad (from members at other offices; a lower bound from the "
                "publishing and priority offices where the members are not all listed)"),
    Measure("family_size", ("family_members",), reported="family_size_reported", lower_bound=True,
            doc="offices of the family (Lens reports documents: kept apart as reported_family_size)"),
    Measure("grant", ("grant_status",), doc="granted anywhere; grant rate over families whose fate is known"),
    Measure("grant_lag", ("grant_status", "grant_date"), any_of=("filing_date", "priority_date"),
            doc="days from filing to the first grant"),
    Measure("fwd_cits_windowed", ("citation_list", "publication_date"),
            doc="forward citations within 3, 5 and 7 years (recounted from citation lists)"),
    Measure("fwd_cits_total", ("citation_list",), reported="cited_by_reported",
            doc="forward citations, lifetime (recounted, or as the source reports)"),
    Measure("bwd_cits", ("citation_list",), reported="cites_reported", doc="backward patent citations"),
    Measure("npl_cits", ("npl_list",), reported="npl_reported", doc="non-patent literature citations"),
    Measure("claims", ("claims",), doc="claims at first grant, else the most"),
    Measure("scope", (), any_of=("ipc", "cpc"), doc="OECD patent scope: IPC subclasses (CPC where no IPC)"),
    Measure("generality", ("citation_list",), any_of=("ipc", "cpc"),
            doc="OECD generality and originality: spread of citing / cited families over subclasses"),
    Measure("cohort", ("citation_list", "publication_date"), any_of=("ipc", "cpc"),
            doc="cohort-relative citations, top 10 % and top 1 % (cohort: priority year x WIPO field)"),
    Measure("fwd_cits_foreign", ("citation_list", "publication_date"),
            any_of=("inventor_country", "applicant_country"),
            doc="5-year forward citations from families sharing no inventor country (else applicant country) "
                "with the cited family, and their share"),
    Measure("fwd_cits_world", ("citation_list", "publication_date", "context_citing"),
            doc="forward citations counting the citing documents outside the export (else from the export alone)"),
    Measure("cohort_population", ("population_baselines",),
            doc="cohort measures against each cohort's whole population (else against the lake's families)"),
    Measure("quality_index_4", (), doc="OECD composite of forward citations, family size, claims and "
                                       "generality: NULL below 3 of the 4 components"),
    Measure("quality_index_6", (), doc="the composite with backward citations and grant lag: NULL below 4 of 6"),
)}


def adapter_provides(fmt: str) -> dict:
    """The ``PROVIDES`` declaration of a source format's adapter (nothing for a format patentq
    has no adapter for, e.g. a lake written by a test or another tool)."""
    from .sources import ADAPTERS, get_adapter

    if fmt not in ADAPTERS:
        return {}
    return dict(getattr(get_adapter(fmt), "PROVIDES", {}))


def measure_status(measure: str, provides: dict, shares: dict | None = None,
                   overrides: dict | None = None) -> tuple[str, str]:
    """(``computed`` | ``reported`` | ``lower bound`` | ``absent``, reason) for a measure given
    what is provided (field → provision). ``shares``: field → share of publications carrying it
    (the lake profile's), so a field held by a few says "only 5% ..." rather than "no ...";
    ``overrides``: measure → (status, reason) the data itself decides (the profile's citation
    windows and grant lower bound), which the composites' component counts follow too."""
    if overrides and measure in overrides:
        return overrides[measure]
    m = MEASURES[measure]
    if m.name in ("quality_index_4", "quality_index_6"):
        parts = ("fwd_cits_windowed", "family_size", "claims", "generality") + (
            ("bwd_cits", "grant_lag") if m.name == "quality_index_6" else ())
        known = [p for p in parts if measure_status(p, provides, shares, overrides)[0] in ("computed", "lower bound")]
        need = 3 if m.name == "quality_index_4" else 4
        if len(known) >= need:
            return "computed", f"{len(known)} of {len(parts)} components known"
        return "absent", f"only {len(known)} of {len(parts)} components known (needs {need})"
    missing = [f for f in m.needs if provides.get(f) not in ("yes",)]
    partial = [f for f in m.needs if provides.get(f) == "partial"]
    if m.any_of and not any(provides.get(f) == "yes" for f in m.any_of):
        missing.append(m.any_of)
    if not missing:
        return "computed", "its inputs are present"
    if m.lower_bound and (partial or any(provides.get(f) == "yes" for f in ("priority_numbers",))) \
            and not [f for f in missing if f not in partial]:
        return "lower bound", ("the sources list only the family members the data happens to hold (export rows), "
                               "so the offices known are theirs and their priority numbers'")
    if m.lower_bound and set(missing) <= {"family_members"}:
        return "lower bound", ("the sources do not list the family's members at other offices: the offices known "
                               "are the publishing and priority offices")
    if m.reported and provides.get(m.reported) == "reported":
        return "reported", f"{FIELDS[m.reported]} (no {', '.join(_names(f) for f in missing)})"
    return "absent", ", ".join(_lacking(f, provides, shares) for f in missing)


def _names(field: str | tuple) -> str:
    return " or ".join(FIELDS.get(f, f) for f in field) if isinstance(field, tuple) else FIELDS.get(field, field)


def _lacking(field: str | tuple, provides: dict, shares: dict | None) -> str:
    """"no X", or "only 5% of publications carry X" where a few carry it."""
    group = field if isinstance(field, tuple) else (field,)
    held = [(shares or {}).get(f) or 0 for f in group if provides.get(f) == "partial"]
    if not held:
        return "no " + _names(field)
    top = max(held)
    pct = "<0.1%" if top < 0.001 else f"{100 * top:.1f}%" if top < 0.01 else f"{100 * top:.0f}%"
    base = "grants" if group == ("grant_date",) else "publications"  # only grants have a grant date
    return f"only {pct} of {base} carry {_names(field)}"


def source_matrix() -> list[dict]:
    """One row per source format: each measure's status from the format's declaration alone."""
    from .sources import ADAPTERS

    rows = []
    for fmt in ADAPTERS:
        provides = adapter_provides(fmt)
        if not provides:
            continue
        rows.append({"source": fmt, **{m: measure_status(m, provides)[0] for m in MEASURES}})
    return rows


def matrix_markdown() -> str:
    """docs/sources-capabilities.md's table (``tests/test_docs.py`` holds the docs equal to it)."""
    rows = source_matrix()
    head = "| measure | " + " | ".join(r["source"] for r in rows) + " |"
    sep = "|---|" + "---|" * len(rows)
    lines = [head, sep]
    for m in MEASURES:
        lines.append(f"| `{m}` | " + " | ".join(r[m] for r in rows) + " |")
    return "\n".join(lines)
