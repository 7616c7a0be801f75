"""Map one USPTO v4.x grant or application document (lxml element) to canonical rows.

Element names follow the USPTO DTDs ``us-patent-grant-v40..v47`` and
``us-patent-application-v40..v46`` (Red Book / Yellow Book documentation on
bulkdata.uspto.gov). Versions differ mainly in the parties block:

* v4.0–v4.2 (2005–2012): ``parties/applicants/applicant[@app-type="applicant-inventor"]`` are
  the inventors (pre-AIA, inventors were the applicants); owners are ``assignees/assignee``.
* v4.3+ (2012 on): ``us-parties/us-applicants/us-applicant`` (often the assignee, AIA) and
  ``us-parties/inventors/inventor``.

Citations are ``references-cited/citation`` (≤ v4.3) or ``us-references-cited/us-citation``
(v4.4+), each holding a ``patcit`` or an ``nplcit`` and a ``<category>`` saying who cited it.
"""

from __future__ import annotations

import functools
import html
import html.entities
import re

from .. import normalize

ORIGINS = {
    "cited by examiner": "examiner",
    "cited by applicant": "applicant",
    "cited by other": "other",
    "cited by third party": "third party",
}

_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_HTML5 = {name.rstrip(";") for name in html.entities.html5}


def text_of(el) -> str | None:
    """All text inside ``el`` with whitespace collapsed; named entities left unresolved by the
    parser (no DTD is loaded) are turned into their characters where HTML knows them."""
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    if "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)) if m.group(1) in _HTML5 else m.group(0), text)
    return text or None



def _t(el, path: str) -> str | None:
    value = el.findtext(path)
    if value is None:
        return None
    value = value.strip()
    return value or None


def old_ipc(raw: str | None) -> str | None:
    """``A45F  504`` → ``A45F5/04``: the fixed-width IPC of ``classification-ipc`` (v4.0–v4.1).

    Layout: 4-character subclass, main group right-aligned in 3 characters, then the
    subgroup (WIPO ST.8 style). Slash forms such as ``G06F015/16`` go straight to the normaliser.
    """
    if not raw:
        return None
    text = raw.strip()
    if "/" in text or len(text) < 6:
        return normalize.classification(text)
    subclass, group, subgroup = text[:4], text[4:7].strip(), text[7:].strip()
    if not group.isdigit() or not (subgroup.isdigit() or subgroup == ""):
        return normalize.classification(text)
    return normalize.classification(f"{subclass} {group}/{subgroup or '00'}")


def _structured_code(c) -> str | None:
    """``classification-ipcr`` / ``classification-cpc`` parts → ``G06F15/16``."""
    parts = [_t(c, "section"), _t(c, "class"), _t(c, "subclass"), _t(c, "main-group"), _t(c, "subgroup")]
    if not all(parts[:3]):
        return None
    return normalize.classification(f"{parts[0]}{parts[1]}{parts[2]} {parts[3] or ''}/{parts[4] or '00'}"
                                    if parts[3] else f"{parts[0]}{parts[1]}{parts[2]}")


def _person_name(book) -> str | None:
    org = _t(book, "orgname")
    if org:
        return org
    first, last = _t(book, "first-name"), _t(book, "last-name")
    name = " ".join(p for p in (first, last) if p)
    return name or _t(book, "name")


def _party(el) -> tuple[str | None, str | None]:
    """Name and residence country of an inventor / applicant / assignee element."""
    book = el.find("addressbook")
    if book is None:
        book = el
    name = _person_name(book)
    country = normalize.country(_t(book, "address/country")) or normalize.country(_t(el, "residence/country"))
    return name, country


def compact_number(country: str | None, number: str | None) -> str | None:
    """A priority or application number as office + number without spaces: ``JP2002-156293``."""
    if not number:
        return None
    return (country or "") + re.sub(r"\s+", "", number)


def application_number(country: str, raw: str) -> str:
    """``US-13648029``: office and the application number with separators removed; the
    surrogate family key for USPTO documents."""
    return country + "-" + re.sub(r"[^0-9A-Za-z]", "", raw)


_KIND_RE = re.compile(r"[A-Z]\d?")


@functools.lru_cache(maxsize=1 << 16)  # the same patents are cited again and again
def _doc_number(cc: str | None, number: str | None, kind: str | None) -> str | None:
    """Canonical number of a publication or a cited document; placeholder kinds (``00``) dropped."""
    if not number:
        return None
    kind = kind.strip().upper() if kind else None
    if kind and not _KIND_RE.fullmatch(kind):
        kind = None
    return (normalize.publication_number(number, kind=kind, country=cc)
            or normalize.publication_number_from_parts(cc or "US", number, kind))


def map_v4(root, ref: str) -> dict[str, list[dict]]:
    """Canonical rows of one ``us-patent-grant`` / ``us-patent-application`` element.

    Raises ``ValueError`` when the document has no usable publication number.
    """
    is_grant = root.tag == "us-patent-grant"
    bib = root.find("us-bibliographic-data-grant" if is_grant else "us-bibliographic-data-application")
    if bib is None:
        raise ValueError("no us-bibliographic-data section")
    pub = bib.find("publication-reference/document-id")
    if pub is None:
        raise ValueError("no publication-reference")
    cc = _t(pub, "country") or "US"
    number, kind = _t(pub, "doc-number"), _t(pub, "kind")
    if kind == "S1" and cc == "US":  # design grants say S1 here but S when cited (and in DOCDB)
        kind = "S"
    pn = _doc_number(cc, number, kind)
    if pn is None:
        raise ValueError(f"unreadable publication number {number!r}")
    pub_date = normalize.date(_t(pub, "date"))
    app = bib.find("application-reference/document-id")
    app_number = None
    filing_date = None
    if app is not None:
        app_raw = _t(app, "doc-number")
        if app_raw:
            app_number = application_number(_t(app, 'country') or cc, app_raw)
        filing_date = normalize.date(_t(app, "date"))

    priorities = _priorities(bib, pn)
    dates = [d for d in [filing_date] + [p["priority_date"] for p in priorities] if d is not None]
    claims = root.findall("claims/claim")
    claims_text = "\n".join(filter(None, (text_of(c) for c in claims))) or None
    publication = {
        "publication_number": pn,
        "publication_number_raw": f"{cc}{number}{kind or ''}",
        "country_code": cc,
        "kind_code": kind,
        "application_number": app_number,
        "family_id": normalize.surrogate_family_id("us-app", app_number),
        "publication_date": pub_date,
        "filing_date": filing_date,
        "priority_date": min(dates) if dates else None,
        "priority_year": min(dates).year if dates else None,
        "grant_date": pub_date if is_grant else None,
        "is_grant": is_grant,
        "title": text_of(bib.find("invention-title")),
        "abstract": text_of(root.find("abstract")),
        "claims_text": claims_text,
        "claims_count": len(claims),
        "language": (root.get("lang") or "EN").lower(),
        "source": "uspto-xml",
        "source_ref": ref,
    }
    return {
        "publications": [publication],
        "parties": _parties(bib, pn),
        "classifications": _classifications(bib, pn),
        "citations": _citations(bib, pn),
        "priorities": priorities,
    }


def _priorities(bib, pn: str) -> list[dict]:
    """Paris Convention priority claims, plus US provisional applications (35 USC 119(e))."""
    rows = []
    for claim in bib.iterfind("priority-claims/priority-claim"):
        country = normalize.country(_t(claim, "country"))
        number = _t(claim, "doc-number")
        rows.append({"publication_number": pn,
                     "priority_number": compact_number(country, number),
                     "priority_country": country,
                     "priority_date": normalize.date(_t(claim, "date"))})
    for prov in bib.iterfind("us-related-documents/us-provisional-application/document-id"):
        number = _t(prov, "doc-number")
        rows.append({"publication_number": pn,
                     "priority_number": compact_number('US', number),
                     "priority_country": "US",
                     "priority_date": normalize.date(_t(prov, "date"))})
    return rows


def _parties(bib, pn: str) -> list[dict]:
    groups = [bib.find("us-parties"), bib.find("parties")]
    groups = [g for g in groups if g is not None]
    inventors, applicants = [], []
    for g in groups:
        inventors.extend(g.iterfind("inventors/inventor"))
        applicants.extend(g.iterfind("us-applicants/us-applicant"))
        applicants.extend(g.iterfind("applicants/applicant"))
    if not inventors:  # pre-AIA: the inventors are the applicants
        inventors = [a for a in applicants if a.get("app-type") == "applicant-inventor"]
    owners = list(bib.iterfind("assignees/assignee"))
    if not owners:  # no assignee: the applicants (individual inventors, or an AIA applicant) own it
        owners = applicants
    rows = []
    for role, elements in (("inventor", inventors), ("applicant", owners)):
        seen = set()
        for el in elements:
            name, country = _party(el)
            if not name or name in seen:
                continue
            seen.add(name)
            rows.append({"publication_number": pn, "role": role, "seq": len(seen), "name": name,
                         "country_code": country, "group_name": None})
    return rows


def _classifications(bib, pn: str) -> list[dict]:
    found: dict[tuple[str, str], dict] = {}

    def add(scheme, code, first, inventive):
        if code and (scheme, code) not in found:
            found[(scheme, code)] = {"publication_number": pn, "scheme": scheme, "code": code,
                                     "is_first": first, "is_inventive": inventive}

    for part, first in (("main-cpc", True), ("further-cpc", False)):
        for c in bib.iterfind(f"classifications-cpc/{part}/classification-cpc"):
            add("cpc", _structured_code(c), first, _t(c, "classification-value") == "I")
    for i, c in enumerate(bib.iterfind("classifications-ipcr/classification-ipcr")):
        position = _t(c, "symbol-position")
        add("ipc", _structured_code(c), position == "F" if position else i == 0,
            _t(c, "classification-value") == "I")
    ipc = bib.find("classification-ipc")
    if ipc is not None:
        add("ipc", old_ipc(_t(ipc, "main-classification")), True, None)
        for further in ipc.iterfind("further-classification"):
            add("ipc", old_ipc(further.text), False, None)
    return list(found.values())


def _iter_citations(bib):
    yield from bib.iterfind("references-cited/citation")
    yield from bib.iterfind("us-references-cited/us-citation")


def _leaves(el) -> dict[str, str]:
    """``{child tag: stripped text}`` of an element's children: one pass instead of one
    ``findtext`` per field, which matters on documents citing hundreds of patents."""
    return {c.tag: (c.text or "").strip() for c in el}


def _citations(bib, pn: str) -> list[dict]:
    rows = []
    for cit in _iter_citations(bib):
        patent = npl = None
        category = ""
        for child in cit:
            tag = child.tag
            if tag == "patcit":
                patent = child
            elif tag == "nplcit":
                npl = child
            elif tag == "category":
                category = (child.text or "").strip()
        origin = ORIGINS.get(category.lower(), category or None)
        if patent is not None:
            doc = patent.find("document-id")
            cited = None
            if doc is not None:
                f = _leaves(doc)
                cited = _doc_number(f.get("country") or None, f.get("doc-number") or None, f.get("kind") or None)
            rows.append({"citing_publication_number": pn, "cited_publication_number": cited,
                         "npl_text": None, "category": None, "origin": origin})
        elif npl is not None:
            rows.append({"citing_publication_number": pn, "cited_publication_number": None,
                         "npl_text": text_of(npl.find("othercit")) or text_of(npl),
                         "category": None, "origin": origin})
    return rows
