"""EPO Open Patent Services (OPS) XML responses → canonical rows.

Handles the three OPS responses that carry publications (OPS v3.2 reference guide,
https://www.epo.org/en/searching-for-patents/data/web-services/ops, and the DOCDB exchange
format it embeds, WIPO ST.36):

* exchange documents (``published-data/.../biblio``, ``full-cycle``): ``ops:world-patent-data/
  exchange-documents/exchange-document`` with ``family-id`` (the DOCDB simple family),
  bibliographic data, abstract and cited documents;
* INPADOC family (``family``): ``ops:patent-family/ops:family-member``, one per member with its
  DOCDB ``family-id``, publication, application and priorities. The INPADOC (extended) family
  id is not in the response, so every member gets the stand-in ``~inpadoc:<smallest DOCDB
  family id among the members>``, which is the same whichever member was queried;
* search results (``published-data/search``): ``ops:search-result`` with either bare
  ``ops:publication-reference`` (number + family id) or, with ``biblio``, exchange documents.

Claims, description, abstract-only image inquiries carry no bibliographic record; the file is
noted and nothing is ingested. Within a document the DOCDB form of a number is used (OPS also
gives ``epodoc`` and ``original`` forms); parties prefer the ``docdb`` data format (residence
country), then ``epodoc`` (country as a ``[CC]`` suffix), then ``original`` (no country).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .. import normalize
from ..errors import BadInputError
from .base import Sink, require_document_size, require_readable

FORMAT = "epo-ops"
DESCRIPTION = "EPO OPS XML responses: biblio / full-cycle exchange documents, INPADOC family, search results"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".xml",)
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # EPO Open Patent Services XML (biblio, family, search responses)
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "family_id": "yes", "inventor_country": "yes", "applicant_country": "yes", "applicant_name": "yes",
    "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes", "citation_list": "yes", "npl_list": "yes",
    "family_members": "partial", "priority_numbers": "yes",
}

OPS = "http://ops.epo.org"
EX = "http://www.epo.org/exchange"
FT = "http://www.epo.org/fulltext"
NS = {"ops": OPS, "ex": EX, "ft": FT}

_PARTY_FORMATS = ("docdb", "epodoc", "original")
_SUFFIX_COUNTRY = re.compile(r"\s*\[([A-Z]{2})\]\s*$")
_IPCR = re.compile(r"^([A-HY]\d\d[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")


def _parser() -> etree.XMLParser:
    # no entity expansion, no network: OPS files come from outside
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)


def ingest(path: Path, sink: Sink) -> None:
    head = require_readable(path, "EPO OPS XML response")
    require_document_size(path, sink, "EPO OPS XML response")
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        kind = "JSON" if head.lstrip()[:1] in (b"{", b"[") else "text"
        raise BadInputError(f"{path} is {kind}, not an EPO OPS XML response",
                            hint="save the raw XML OPS returns (Accept: application/xml), not a converted copy")
    try:
        root = etree.fromstring(path.read_bytes(), _parser())  # from bytes: bad encoding is a syntax error
    except etree.XMLSyntaxError as exc:
        raise BadInputError(f"{path}: not well-formed XML ({exc})",
                            hint="the response is truncated or corrupt; request it from OPS again") from exc
    if root.tag != f"{{{OPS}}}world-patent-data":
        raise BadInputError(f"{path}: XML root is <{etree.QName(root).localname}>, not OPS <ops:world-patent-data>",
                            hint="this format reads EPO OPS responses; pick the adapter for this file's format")
    mapper = _Mapper(path, sink)
    families = root.findall("ops:patent-family", NS)
    searches = root.findall(".//ops:search-result", NS)
    documents = root.findall("ex:exchange-documents/ex:exchange-document", NS)
    for family in families:
        mapper.family(family)
    for search in searches:
        mapper.search(search)
    for doc in documents:
        mapper.document(doc)
    if not (families or searches or documents):
        sink.note(_why_nothing(root))


def _why_nothing(root) -> str:
    claims = root.findall(".//ft:claims", NS)
    number = _docdb_number(root.find(".//ft:fulltext-document//ft:publication-reference", NS))
    if claims:
        count = len(root.findall(".//ft:claim-text", NS))
        return (f"claims response for {number} ({count} claim texts): no bibliographic record, nothing ingested; "
                "ingest its biblio response for the publication")
    if root.find(".//ft:description", NS) is not None:
        return f"description response for {number}: no bibliographic record, nothing ingested"
    if root.find("ops:document-inquiry", NS) is not None:
        return "image inquiry response: lists page images only, nothing ingested"
    return "OPS response without exchange documents, family members or search results: nothing ingested"


def _docdb_number(ref) -> str | None:
    """The canonical number of a ``publication-reference`` (its docdb ``document-id``)."""
    if ref is None:
        return None
    for doc_id in ref.iter(f"{{{EX}}}document-id", f"{{{FT}}}document-id"):
        if doc_id.get("document-id-type") in (None, "docdb"):
            cc, num, kind = (_text(doc_id, t) for t in ("country", "doc-number", "kind"))
            pn = normalize.publication_number_from_parts(cc, num, kind)
            if pn:
                return pn
    return None


def _text(element, child: str) -> str | None:
    """Stripped text of the first child ``child`` in either namespace, or None."""
    if element is None:
        return None
    found = element.find(f"ex:{child}", NS)
    if found is None:
        found = element.find(f"ft:{child}", NS)
    if found is None:
        return None
    text = " ".join("".join(found.itertext()).split())
    return text or None


def _doc_ids(ref, kind: str):
    return [d for d in (ref.findall("ex:document-id", NS) if ref is not None else [])
            if d.get("document-id-type") == kind]


class _Mapper:
    """Maps one file's OPS elements to canonical rows, one publication number at most once."""

    def __init__(self, path: Path, sink: Sink):
        self.path = path
        self.sink = sink
        self.seen: set[str] = set()

    def ref(self, element) -> str:
        return f"{self.path.name}:{element.sourceline}"

    # --- exchange documents ---------------------------------------------------------------
    def document(self, doc, extended_family_id: str | None = None) -> None:
        self.sink.rows_read += 1
        raw = etree.tostring(doc, encoding="unicode")[:2000]
        if doc.get("status"):  # OPS marks unknown numbers with status="not found" and no content
            self.sink.reject(doc.sourceline, f"exchange document {doc.get('status')}", raw)
            return
        biblio = doc.find("ex:bibliographic-data", NS)
        pub_ref = biblio.find("ex:publication-reference", NS) if biblio is not None else None
        docdb = (_doc_ids(pub_ref, "docdb") or [None])[0]
        cc = _text(docdb, "country") or doc.get("country")
        num = _text(docdb, "doc-number") or doc.get("doc-number")
        kind = _text(docdb, "kind") or doc.get("kind")
        pn = normalize.publication_number_from_parts(cc, num, kind)
        if pn is None or biblio is None:
            self.sink.reject(doc.sourceline, "exchange document without publication number or "
                             "bibliographic data", raw)
            return
        if pn in self.seen:
            self.sink.skip("publication already read in this file")
            return
        self.seen.add(pn)
        published = normalize.date(_text(docdb, "date") or _first_date(pub_ref))
        priorities = self.priorities(pn, biblio.find("ex:priority-claims", NS))
        grant = _is_grant(cc, kind, published)
        title, language = _localized(biblio.findall("ex:invention-title", NS))
        abstract, _ = _localized(doc.findall("ex:abstract", NS))
        app_number, filed = _application(biblio.find("ex:application-reference", NS))
        self.sink.add("publications", {
            "publication_number": pn, "publication_number_raw": f"{cc}.{num}.{kind}" if kind else f"{cc}.{num}",
            "country_code": cc.upper(), "kind_code": kind, "application_number": app_number,
            "family_id": doc.get("family-id"), "extended_family_id": extended_family_id,
            "publication_date": published, "filing_date": filed,
            "priority_date": min((p["priority_date"] for p in priorities if p["priority_date"]), default=None),
            "grant_date": published if grant else None, "is_grant": grant,
            "title": title, "abstract": abstract, "language": None,
            "source": FORMAT, "source_ref": self.ref(doc),
        })
        self.sink.add_many("priorities", priorities)
        self.sink.add_many("texts", _texts(pn, biblio.findall("ex:invention-title", NS), doc.findall("ex:abstract", NS)))
        self.sink.add_many("parties", _parties(pn, biblio.find("ex:parties", NS)))
        self.sink.add_many("classifications", _classifications(pn, biblio))
        self.sink.add_many("citations", _citations(pn, biblio.find("ex:references-cited", NS)))

    def priorities(self, pn: str, claims) -> list[dict]:
        rows = []
        for claim in claims.findall("ex:priority-claim", NS) if claims is not None else []:
            row = _priority(pn, claim)
            if row:
                rows.append(row)
        return rows

    # --- INPADOC family -------------------------------------------------------------------
    def family(self, family) -> None:
        members = family.findall("ops:family-member", NS)
        ids = sorted({m.get("family-id") for m in members if m.get("family-id")}, key=lambda f: int(f) if f.isdigit() else 0)
        extended = normalize.surrogate_family_id("inpadoc", ids[0] if ids else None)
        for member in members:
            docs = member.findall("ex:exchange-document", NS)
            if docs:
                for doc in docs:
                    self.document(doc, extended)
            else:
                self.member(member, extended)

    def member(self, member, extended: str | None) -> None:
        self.sink.rows_read += 1
        pub_ref = member.find("ex:publication-reference", NS)
        docdb = (_doc_ids(pub_ref, "docdb") or [None])[0]
        cc, num, kind = (_text(docdb, t) for t in ("country", "doc-number", "kind"))
        pn = normalize.publication_number_from_parts(cc, num, kind)
        if pn is None:
            self.sink.reject(member.sourceline, "family member without a docdb publication number",
                             etree.tostring(member, encoding="unicode"))
            return
        if pn in self.seen:
            self.sink.skip("publication already read in this file")
            return
        self.seen.add(pn)
        published = normalize.date(_text(docdb, "date"))
        app_number, filed = _application(member.find("ex:application-reference", NS))
        priorities = [p for p in (_priority(pn, c) for c in member.findall("ex:priority-claim", NS)) if p]
        grant = _is_grant(cc, kind, published)
        self.sink.add("publications", {
            "publication_number": pn, "publication_number_raw": f"{cc}.{num}.{kind}" if kind else f"{cc}.{num}",
            "country_code": cc.upper(), "kind_code": kind, "application_number": app_number,
            "family_id": member.get("family-id"), "extended_family_id": extended,
            "publication_date": published, "filing_date": filed,
            "priority_date": min((p["priority_date"] for p in priorities if p["priority_date"]), default=None),
            "grant_date": published if grant else None, "is_grant": grant,
            "source": FORMAT, "source_ref": self.ref(member),
        })
        self.sink.add_many("priorities", priorities)

    # --- search results -------------------------------------------------------------------
    def search(self, result) -> None:
        for ref in result.findall("ops:publication-reference", NS):
            self.sink.rows_read += 1
            docdb = (_doc_ids(ref, "docdb") or [None])[0]
            cc, num, kind = (_text(docdb, t) for t in ("country", "doc-number", "kind"))
            pn = normalize.publication_number_from_parts(cc, num, kind)
            if pn is None:
                self.sink.reject(ref.sourceline, "search result without a docdb publication number",
                                 etree.tostring(ref, encoding="unicode"))
                continue
            if pn in self.seen:
                self.sink.skip("publication already read in this file")
                continue
            self.seen.add(pn)
            self.sink.add("publications", {
                "publication_number": pn, "publication_number_raw": f"{cc}.{num}.{kind}" if kind else f"{cc}.{num}",
                "country_code": cc.upper(), "kind_code": kind, "family_id": ref.get("family-id"),
                "is_grant": _is_grant(cc, kind, None), "source": FORMAT, "source_ref": self.ref(ref),
            })
        for doc in result.findall("ex:exchange-documents/ex:exchange-document", NS):
            self.document(doc)


# --- field mappers --------------------------------------------------------------------------

def _first_date(ref):
    for doc_id in ref.findall("ex:document-id", NS) if ref is not None else []:
        if _text(doc_id, "date"):
            return _text(doc_id, "date")
    return None


def _is_grant(cc: str | None, kind: str | None, published) -> bool:
    """Grant kinds per WIPO ST.16: B* (and C* at offices that used C for grants); US utility
    patents were kind A before 2001-01-02, and reissues are E."""
    cc, kind = (cc or "").upper(), (kind or "").upper()
    if not kind or cc == "WO":
        return False
    if cc == "US":
        if kind.startswith(("B", "E")):
            return True
        return kind == "A" and published is not None and published.year < 2001
    return kind[0] in ("B", "C")


def _localized(elements) -> tuple[str | None, str | None]:
    """The English text of an ``invention-title`` / ``abstract`` list, else the first one."""
    chosen = next((e for e in elements if (e.get("lang") or "").lower() == "en"), elements[0] if elements else None)
    if chosen is None:
        return None, None
    text = " ".join(" ".join(chosen.itertext()).split())
    return text or None, (chosen.get("lang") or "").lower() or None


def _texts(pn: str, titles, abstracts) -> list[dict]:
    """Every ``invention-title`` and ``abstract`` with its ``lang`` (OPS gives the titles in
    the three EPO languages and abstracts as published): one ``texts`` row each."""
    rows = []
    for field, elements in (("title", titles), ("abstract", abstracts)):
        for el in elements:
            text = " ".join(" ".join(el.itertext()).split())
            if text:
                rows.append({"publication_number": pn, "field": field, "language": (el.get("lang") or "").lower() or None,
                             "text": text, "machine_translated": None, "source": FORMAT})
    return rows


def _application(ref) -> tuple[str | None, object]:
    """``(CC-number, filing date)`` from an ``application-reference`` (docdb, date from any form)."""
    if ref is None:
        return None, None
    docdb = (_doc_ids(ref, "docdb") or [None])[0]
    cc, num = _text(docdb, "country"), _text(docdb, "doc-number")
    number = f"{cc}-{num}" if cc and num else None  # office-number, as the other adapters write it
    if number is None:
        epodoc = (_doc_ids(ref, "epodoc") or [None])[0]
        number = _text(epodoc, "doc-number")
    return number, normalize.date(_first_date(ref))


def _priority(pn: str, claim) -> dict | None:
    docdb = (_doc_ids(claim, "docdb") or [None])[0]
    epodoc = (_doc_ids(claim, "epodoc") or [None])[0]
    if docdb is not None and _text(docdb, "doc-number"):
        cc = _text(docdb, "country")
        number = f"{cc or ''}{_text(docdb, 'doc-number')}"
    elif epodoc is not None and _text(epodoc, "doc-number"):
        number = _text(epodoc, "doc-number")
        cc = number[:2] if number[:2].isalpha() else None
    else:
        return None
    return {"publication_number": pn, "priority_number": number, "priority_country": cc,
            "priority_date": normalize.date(_first_date(claim))}


def _parties(pn: str, parties) -> list[dict]:
    rows: list[dict] = []
    if parties is None:
        return rows
    for role, group, person, name_tag in (("applicant", "applicants", "applicant", "applicant-name"),
                                          ("inventor", "inventors", "inventor", "inventor-name")):
        people = parties.findall(f"ex:{group}/ex:{person}", NS)
        fmt = next((f for f in _PARTY_FORMATS if any(p.get("data-format") == f for p in people)), None)
        for seq, person_el in enumerate((p for p in people if p.get("data-format") == fmt), start=1):
            name = _text(person_el.find(f"ex:{name_tag}", NS), "name")
            if not name:
                continue
            country = normalize.country(_text(person_el.find("ex:residence", NS), "country"))
            match = _SUFFIX_COUNTRY.search(name)
            if match:
                country = country or match.group(1)
                name = name[:match.start()]
            name = name.strip(" ,")
            sequence = person_el.get("sequence")
            rows.append({"publication_number": pn, "role": role,
                         "seq": int(sequence) if sequence and sequence.isdigit() else seq,
                         "name": name, "country_code": country})
    return rows


def _classifications(pn: str, biblio) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}
    cpcs = sorted(biblio.findall("ex:patent-classifications/ex:patent-classification", NS), key=_sequence)
    for el in cpcs:
        scheme = el.find("ex:classification-scheme", NS)
        if scheme is None or not (scheme.get("scheme") or "").upper().startswith("CPC"):
            continue  # US "UC" (USPC) codes are not CPC
        parts = [_text(el, t) or "" for t in ("section", "class", "subclass", "main-group", "subgroup")]
        code = normalize.classification(f"{''.join(parts[:3])}{parts[3]}/{parts[4]}")
        if code:
            _keep(rows, pn, "cpc", code, (_text(el, "classification-value") or "").upper() == "I")
    ipcrs = sorted(biblio.findall("ex:classifications-ipcr/ex:classification-ipcr", NS), key=_sequence)
    for el in ipcrs:
        text = _text(el, "text") or ""
        match = _IPCR.match(text)
        if match:
            code = normalize.classification(f"{match.group(1)}{match.group(2)}/{match.group(3)}")
            tokens = text[match.end():].split()
            _keep(rows, pn, "ipc", code, bool(tokens) and tokens[-1] == "I")
    if not ipcrs:  # pre-2006 documents give plain IPC texts
        for el in biblio.findall("ex:classification-ipc/ex:text", NS):
            code = normalize.classification(el.text)
            if code:
                _keep(rows, pn, "ipc", code, None)
    return list(rows.values())


def _sequence(el) -> int:
    value = el.get("sequence") or ""
    return int(value) if value.isdigit() else 1 << 30


def _keep(rows: dict, pn: str, scheme: str, code: str | None, inventive: bool | None) -> None:
    """One row per code: OPS repeats a CPC code once per office that allocated it."""
    if not code:
        return
    key = (scheme, code)
    if key in rows:
        if inventive:
            rows[key]["is_inventive"] = True
        return
    first = not any(s == scheme for s, _ in rows)
    rows[key] = {"publication_number": pn, "scheme": scheme, "code": code, "is_first": first, "is_inventive": inventive}


_PHASE_ORIGIN = (("search", "search report"), ("examination", "examiner"), ("opposition", "opposition"),
                 ("applicant", "applicant"))


def _citations(pn: str, refs) -> list[dict]:
    rows, seen = [], set()
    for cit in refs.findall("ex:citation", NS) if refs is not None else []:
        category = _text(cit, "category") or cit.get("category")
        phase = (cit.get("cited-phase") or "").lower()
        origin = "applicant" if cit.get("cited-by") == "applicant" else next(
            (o for key, o in _PHASE_ORIGIN if key in phase), phase or None)
        patcit, nplcit = cit.find("ex:patcit", NS), cit.find("ex:nplcit", NS)
        cited, npl = None, None
        if patcit is not None:
            cited = _docdb_number(patcit)
            if cited is None:
                epodoc = (_doc_ids(patcit, "epodoc") or [None])[0]
                cited = normalize.publication_number(_text(epodoc, "doc-number"))
            if cited is None:
                continue
        elif nplcit is not None:
            npl = _text(nplcit, "text") or " ".join(" ".join(nplcit.itertext()).split()) or None
        else:
            continue
        key = (cited, npl, category, origin)
        if key not in seen:
            seen.add(key)
            rows.append({"citing_publication_number": pn, "cited_publication_number": cited,
                         "npl_text": npl, "category": category, "origin": origin})
    return rows
