"""Map a 2001–2004 pre-grant publication (``patent-application-publication``, DTD pap-v15 /
pap-v16, USPTO "Patent Application Full Text" 2001–2004) to canonical rows.

This older layout has no citations; inventors carry ``residence-us`` (country implied US) or
``residence-non-us`` with a ``country-code``; the owner is ``assignee/organization-name``.
"""

from __future__ import annotations


from .. import normalize
from .uspto_xml_map import _t, application_number, compact_number, old_ipc, text_of


def map_pap(root, ref: str) -> dict[str, list[dict]]:
    bib = root.find("subdoc-bibliographic-information")
    if bib is None:
        raise ValueError("no subdoc-bibliographic-information section")
    number, kind = _t(bib, "document-id/doc-number"), _t(bib, "document-id/kind-code")
    pn = normalize.publication_number(number, kind=kind, country="US") if number else None
    if pn is None:
        raise ValueError(f"unreadable publication number {number!r}")
    pub_date = normalize.date(_t(bib, "document-id/document-date"))
    app_raw = _t(bib, "domestic-filing-data/application-number/doc-number")
    app_number = application_number('US', app_raw) if app_raw else None
    filing_date = normalize.date(_t(bib, "domestic-filing-data/filing-date"))
    priorities = []
    for fp in bib.iterfind("foreign-priority-data"):
        country = normalize.country(_t(fp, "country-code"))
        prio_number = _t(fp, "priority-application-number/doc-number")
        priorities.append({"publication_number": pn,
                           "priority_number": compact_number(country, prio_number),
                           "priority_country": country,
                           "priority_date": normalize.date(_t(fp, "filing-date"))})
    dates = [d for d in [filing_date] + [p["priority_date"] for p in priorities] if d]
    claims = root.findall("subdoc-claims/claim")
    abstract = " ".join(filter(None, (text_of(p) for p in root.iterfind("subdoc-abstract/paragraph"))))
    publication = {
        "publication_number": pn, "publication_number_raw": f"US{number}{kind or ''}", "country_code": "US",
        "kind_code": kind, "application_number": app_number,
        "family_id": normalize.surrogate_family_id("us-app", app_number),
        "publication_date": pub_date, "filing_date": filing_date,
        "priority_date": min(dates) if dates else None, "priority_year": min(dates).year if dates else None,
        "grant_date": None, "is_grant": False,
        "title": text_of(bib.find("technical-information/title-of-invention")),
        "abstract": abstract or None,
        "claims_text": "\n".join(filter(None, (text_of(c) for c in claims))) or None,
        "claims_count": len(claims), "language": "en", "source": "uspto-xml", "source_ref": ref,
    }
    return {"publications": [publication], "parties": _parties(bib, pn),
            "classifications": _classifications(bib, pn), "citations": [], "priorities": priorities}


def _parties(bib, pn: str) -> list[dict]:
    rows = []
    inventors = list(bib.iterfind("inventors/first-named-inventor")) + list(bib.iterfind("inventors/inventor"))
    for seq, inv in enumerate(inventors, 1):
        name = " ".join(p for p in (_t(inv, "name/given-name"), _t(inv, "name/family-name")) if p)
        if inv.find("residence/residence-us") is not None:
            country = normalize.country(_t(inv, "residence/residence-us/country-code")) or "US"
        else:
            country = normalize.country(_t(inv, "residence/residence-non-us/country-code"))
        rows.append({"publication_number": pn, "role": "inventor", "seq": seq, "name": name or None,
                     "country_code": country, "group_name": None})
    owners = []
    for a in bib.iterfind("assignee"):
        name = _t(a, "organization-name") or " ".join(
            filter(None, (_t(a, "name/given-name"), _t(a, "name/family-name"))))
        country = normalize.country(_t(a, "address/country/country-code") or _t(a, "address/country"))
        if name:
            owners.append((name, country))
    if not owners:  # no assignee: the inventors applied themselves
        owners = [(r["name"], r["country_code"]) for r in rows if r["name"]]
    for seq, (name, country) in enumerate(dict(owners).items(), 1):
        rows.append({"publication_number": pn, "role": "applicant", "seq": seq, "name": name,
                     "country_code": country, "group_name": None})
    return rows


def _classifications(bib, pn: str) -> list[dict]:
    rows, seen = [], set()
    for path, first in (("classification-ipc-primary/ipc", True), ("classification-ipc-secondary/ipc", False)):
        for el in bib.iterfind(f"technical-information/classification-ipc/{path}"):
            code = old_ipc(el.text)
            if code and code not in seen:
                seen.add(code)
                rows.append({"publication_number": pn, "scheme": "ipc", "code": code,
                             "is_first": first, "is_inventive": None})
    return rows
