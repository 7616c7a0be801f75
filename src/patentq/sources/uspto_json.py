"""USPTO JSON: Patent Public Search (PPUBS) results and documents, Open Data Portal applications.

Each file's layout is told from its top-level keys:

* ``{"patents": [...], "numFound": ...}`` — a PPUBS search result page (``/searches/searchWithBeFamily``):
  per document ``guid`` (``US-11803561-B1``), title, dates, applicant/assignee names, flattened
  CPC/IPC, ``urpn`` (the US patents and applications it cites) and ``familyIdentifierCur``;
* ``{"guid": ...}`` or a list of them — PPUBS full documents (``/patents/highlight/...``), which
  add inventors and applicants with city/state/country, claims, abstract, foreign and
  non-patent references and foreign priorities;
* ``{"q": ..., "caseId": ...}`` without ``patents`` — the PPUBS query echo: nothing to ingest;
* ``{"patentBag": [...]}`` — USPTO Open Data Portal / PEDS application records
  (``applicationNumberText``, ``inventorBag``, ``applicantBag``, ``cpcClassificationBag``,
  ``foreignPriorityBag``, ``continuityBag``, ``earliestPublicationNumber``). A record becomes
  a publication only when it names one; unpublished applications are counted in a note.

Field meanings: PPUBS has no published schema, so the names are those of its responses
(also read by patent_client's ``ppubs`` module); ODP: https://data.uspto.gov/apis/patent-file-wrapper.

Family ids: ``familyIdentifierCur`` is the DOCDB simple family when it has at most nine digits;
PPUBS gives 13-digit placeholders (``1000000503593``) to documents DOCDB has not yet grouped,
and those, like every ODP record, get ``~us-app:US-<application number>`` (8 digits, series code
included, e.g. ``~us-app:US-14231597``), the same key the USPTO XML and PatentsView adapters use.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .. import normalize
from ..errors import BadInputError
from .base import Sink, require_document_size, require_readable, text_encoding

FORMAT = "uspto-json"
DESCRIPTION = "USPTO Patent Public Search JSON (results, documents) and Open Data Portal application JSON"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".json",)
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # USPTO Patent Public Search / Open Data Portal JSON
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "grant_date": "yes", "inventor_country": "yes", "applicant_country": "yes", "applicant_name": "yes",
    "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes", "claims": "yes", "citation_list": "yes",
    "npl_list": "yes", "priority_numbers": "yes",
}

_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.I)
_CLAIM_START = re.compile(r"(?:^|\n)\s*(\d+)\s*\.\s")
_US_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split())
_OFFICE_NAMES = {"EUROPEAN PATENT OFFICE (EPO)": "EP", "WORLD INTELLECTUAL PROPERTY ORGANIZATION (WIPO)": "WO"}


def ingest(path: Path, sink: Sink) -> None:
    head = require_readable(path, "USPTO JSON response")
    require_document_size(path, sink, "USPTO JSON response")
    try:
        with open(path, encoding=text_encoding(head)) as handle:
            data = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not valid JSON ({exc})",
                            hint="the download is truncated or not JSON; save the API response again") from exc
    except RecursionError:  # arrays or objects nested thousands deep: no USPTO response is
        raise BadInputError(f"{path}: JSON nested too deep to be a USPTO response",
                            hint="save the API response again") from None
    layout = detect_layout(data)
    if layout is None:
        raise BadInputError(f"{path}: JSON of an unknown layout (top-level "
                            f"{'keys ' + ', '.join(sorted(data)[:8]) if isinstance(data, dict) else type(data).__name__})",
                            hint="this format reads PPUBS search results/documents and Open Data Portal "
                                 "application JSON (patentBag)")
    if layout == "ppubs-query":
        sink.note("PPUBS search request (query echo without documents): nothing ingested")
    elif layout == "ppubs-results":
        _ppubs(sink, path, data["patents"], "$.patents")
        sink.note("PPUBS search results list only the first inventor (no countries): inventors not ingested; "
                  "ingest full documents for inventors and their countries")
    elif layout == "ppubs-document":
        docs = data if isinstance(data, list) else [data]
        _ppubs(sink, path, docs, "$" if isinstance(data, list) else None)
    else:
        _odp(sink, path, data["patentBag"])


def detect_layout(data) -> str | None:
    if isinstance(data, dict):
        if isinstance(data.get("patents"), list):
            return "ppubs-results"
        if isinstance(data.get("patentBag"), list):
            return "odp"
        if "guid" in data:
            return "ppubs-document"
        if "caseId" in data and "q" in data:
            return "ppubs-query"
    if isinstance(data, list) and data and all(isinstance(d, dict) and "guid" in d for d in data):
        return "ppubs-document"
    return None


# --- shared helpers -----------------------------------------------------------------------

def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str | None:
    """Plain text from PPUBS HTML fragments (highlight spans, ``<br />``, entities)."""
    if value is None:
        return None
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value if v)
    text = html.unescape(_TAG.sub("", _BR.sub("\n", str(value))))
    text = "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()
    return text or None


def _na(value) -> str | None:
    text = (value or "").strip() if isinstance(value, str) else value
    return None if text in (None, "", "N/A", "[]") else text


def _residence(country, state) -> str | None:
    """PPUBS leaves the country of US residents as ``N/A`` and gives the state instead."""
    code = normalize.country(_na(country))
    if code is None and (_na(state) or "").upper() in _US_STATES:
        return "US"
    return code


def _app_digits(number) -> str | None:
    """``14/231597``, ``15123456`` → ``14231597``; None for PCT or other non-US numbers."""
    digits = re.sub(r"[\s/,\-]", "", str(number or ""))
    return digits if digits.isdigit() else None


def _family(family_identifier, app_digits: str | None) -> str | None:
    fid = str(family_identifier or "").strip()
    if fid.isdigit() and len(fid) <= 9:
        return fid
    return normalize.surrogate_family_id("us-app", f"US-{app_digits}" if app_digits else None)


def _flattened(doc: dict, field: str) -> list[str]:
    """A PPUBS ``;``-joined code list (``cpcInventiveFlattened``) as a list."""
    value = doc.get(field)
    if value is None:
        return []
    if not isinstance(value, str):
        raise ValueError(f"{field} should be a ';'-separated string, got {type(value).__name__}")
    return value.split(";")


def _claims_count(declared, claims_text: str | None) -> int | None:
    if str(declared or "").strip().isdigit():
        return int(declared)
    numbers = [int(n) for n in _CLAIM_START.findall(claims_text or "")]
    return len(numbers) if numbers and numbers == list(range(1, len(numbers) + 1)) else None


# --- PPUBS ----------------------------------------------------------------------------------

def _ppubs(sink: Sink, path: Path, docs: list, where_prefix: str | None) -> None:
    seen: set[str] = set()
    for i, doc in enumerate(docs):
        sink.rows_read += 1
        where = f"{where_prefix}[{i}]" if where_prefix else "$"
        pn = normalize.publication_number(doc.get("guid")) if isinstance(doc, dict) else None
        if pn is None:
            sink.reject(where, "record without a valid guid (publication number)", json.dumps(doc)[:2000])
            continue
        if pn in seen:
            sink.skip("document already read in this file")
            continue
        seen.add(pn)
        try:
            _ppubs_document(sink, path, pn, doc)
        except (TypeError, AttributeError, ValueError) as exc:
            sink.reject(where, f"malformed PPUBS record: {exc}", json.dumps(doc)[:2000])


def _ppubs_document(sink: Sink, path: Path, pn: str, doc: dict) -> None:
    cc, _, kind = normalize.split_publication_number(pn)
    kind = (_listed(doc.get("kindCode")) or [kind])[0] or kind
    app = _app_digits(doc.get("applicationNumber"))
    published = normalize.date(doc.get("datePublished"))
    filed = normalize.date((_listed(doc.get("applicationFilingDate")) or [None])[0])
    priorities = _ppubs_priorities(pn, doc)
    earlier = [p["priority_date"] for p in priorities] + [normalize.date(d) for d in _listed(doc.get("relatedApplFilingDate"))]
    grant = doc.get("type") != "US-PGPUB" and not (kind or "").startswith(("I", "H"))
    claims = _text(doc.get("claimsHtml"))
    # parties and classifications first: a malformed list fails the record before any row is added
    parties = _ppubs_parties(pn, doc)
    classes = _ppubs_classifications(pn, doc)
    citations = _ppubs_citations(pn, doc)
    sink.add("publications", {
        "publication_number": pn, "publication_number_raw": doc.get("guid"), "country_code": cc,
        "kind_code": kind, "application_number": f"US-{app}" if app else None,
        "family_id": _family(doc.get("familyIdentifierCur"), app),
        "publication_date": published, "filing_date": filed,
        "priority_date": min([d for d in earlier + [filed] if d], default=None),
        "grant_date": published if grant else None, "is_grant": grant,
        "title": _text(doc.get("inventionTitle")), "abstract": _text(doc.get("abstractHtml")),
        "claims_text": claims, "claims_count": _claims_count(doc.get("numberOfClaims"), claims),
        "language": (doc.get("languageIndicator") or "").lower() or None,
        "source": FORMAT, "source_ref": f"{path.name}:{doc.get('guid')}",
    })
    sink.add_many("parties", parties)
    sink.add_many("classifications", classes)
    sink.add_many("citations", citations)
    sink.add_many("priorities", priorities)


def _ppubs_parties(pn: str, doc: dict) -> list[dict]:
    rows = []
    inventors = _listed(doc.get("inventorsName"))
    countries, states = _listed(doc.get("inventorCountry")), _listed(doc.get("inventorState"))
    for i, name in enumerate(inventors):
        country = _residence(countries[i] if i < len(countries) else None, states[i] if i < len(states) else None)
        rows.append({"publication_number": pn, "role": "inventor", "seq": i + 1, "name": str(name).strip(),
                     "country_code": country})
    # the applicant of record (AIA applicant, else the assignee), with its own address lists
    prefix = "applicant" if _listed(doc.get("applicantName")) else "assignee"
    names = _listed(doc.get(f"{prefix}Name"))
    countries, states = _listed(doc.get(f"{prefix}Country")), _listed(doc.get(f"{prefix}State"))
    for i, name in enumerate(names):
        country = _residence(countries[i] if i < len(countries) else None, states[i] if i < len(states) else None)
        rows.append({"publication_number": pn, "role": "applicant", "seq": i + 1, "name": str(name).strip(),
                     "country_code": country})
    return rows


def _ppubs_classifications(pn: str, doc: dict) -> list[dict]:
    rows: dict[tuple[str, str], dict] = {}
    first_cpc = None
    for group in _listed(doc.get("cpcCurClassificationGroup")):  # "H H01L H01L21/30604 20130101 F I ..."
        parts = str(group).split()
        if len(parts) > 4 and parts[4] == "F":
            first_cpc = normalize.classification(parts[2])
    for field, inventive in (("cpcInventiveFlattened", True), ("cpcAdditionalFlattened", False)):
        for raw in _flattened(doc, field):
            code = normalize.classification(raw)
            if code and ("cpc", code) not in rows:
                rows[("cpc", code)] = {"publication_number": pn, "scheme": "cpc", "code": code,
                                       "is_first": None, "is_inventive": inventive}
    cpcs = [r for k, r in rows.items() if k[0] == "cpc"]
    for row in cpcs:
        row["is_first"] = row["code"] == (first_cpc or cpcs[0]["code"])
    primary = [normalize.classification(str(p).split()[0]) for p in _listed(doc.get("curIntlPatentClassificationPrimary"))]
    ipcs = [normalize.classification(c) for c in _flattened(doc, "ipcCodeFlattened")]
    for code in [c for c in primary + ipcs if c]:
        if ("ipc", code) not in rows:
            rows[("ipc", code)] = {"publication_number": pn, "scheme": "ipc", "code": code,
                                   "is_first": not any(k[0] == "ipc" for k in rows), "is_inventive": None}
    return list(rows.values())


def _ppubs_citations(pn: str, doc: dict) -> list[dict]:
    rows, seen = [], set()

    def add(cited, npl=None):
        if (cited, npl) not in seen and (cited or npl):
            seen.add((cited, npl))
            rows.append({"citing_publication_number": pn, "cited_publication_number": cited, "npl_text": npl,
                         "category": None, "origin": None})

    for number in _listed(doc.get("urpn")):  # US patents and pre-grant publications cited
        add(normalize.publication_number_from_parts("US", str(number)))
    numbers, offices = _listed(doc.get("foreignRefPatentNumber")), _listed(doc.get("foreignRefCountryCode"))
    for number, office in zip(numbers, offices):
        add(normalize.publication_number_from_parts(_na(office), _na(number)))
    for ref in _listed(doc.get("otherRefPub")):
        for item in (_text(ref) or "").split("\n"):
            if item.strip():
                add(None, item.strip())
    return rows


def _ppubs_priorities(pn: str, doc: dict) -> list[dict]:
    rows = []
    countries, numbers = _listed(doc.get("priorityClaimsCountry")), _listed(doc.get("priorityClaimsDocNumber"))
    dates = _listed(doc.get("priorityClaimsDate"))
    for i, number in enumerate(numbers):
        country = normalize.country(countries[i] if i < len(countries) else None)
        rows.append({"publication_number": pn, "priority_number": str(number), "priority_country": country,
                     "priority_date": normalize.date(dates[i] if i < len(dates) else None)})
    return rows


# --- Open Data Portal -----------------------------------------------------------------------

def _odp(sink: Sink, path: Path, bag: list) -> None:
    unpublished = 0
    for i, record in enumerate(bag):
        sink.rows_read += 1
        where = f"$.patentBag[{i}]"
        if not isinstance(record, dict):
            sink.reject(where, "application record is not a JSON object", json.dumps(record)[:2000])
            continue
        pubs = _odp_publications(record)
        if pubs is None:
            sink.reject(where, f"unreadable publication number {record.get('earliestPublicationNumber')!r}",
                        json.dumps(record)[:2000])
            continue
        if not pubs:
            unpublished += 1
            sink.skip("application record naming no publication")
            continue
        _odp_record(sink, path, record, pubs)
    if unpublished:
        sink.note(f"{unpublished} of {len(bag)} application records name no publication (unpublished "
                  "applications, re-examinations or partial responses): not ingested as publications")


def _odp_publications(record: dict) -> list[tuple[str, object, bool]] | None:
    """``[(publication number, date, is_grant)]``; ``[]`` if none; None if a number is unreadable."""
    out = []
    raw = record.get("earliestPublicationNumber")
    if raw:
        pn = normalize.publication_number(raw)
        if pn is None:
            return None
        out.append((pn, normalize.date(record.get("earliestPublicationDate")), False))
    if record.get("patentNumber"):
        kind = _grant_kind(str(record["patentNumber"]), published_before=bool(raw))
        pn = normalize.publication_number_from_parts("US", str(record["patentNumber"]), kind)
        if pn is None:
            return None
        out.append((pn, normalize.date(record.get("grantDate")), True))
    return out


def _grant_kind(number: str, published_before: bool) -> str:
    """The kind code of a US grant from its number (WIPO ST.16 as the USPTO applies it, DOCDB
    spelling): designs ``D...`` are S, reissues ``RE...`` E, plants ``PP...`` P3 after a pre-grant
    publication and P2 without; utility patents B2 after a pre-grant publication and B1 without."""
    number = number.strip().upper()
    if number.startswith("D"):
        return "S"
    if number.startswith("RE"):
        return "E"
    if number.startswith("PP"):
        return "P3" if published_before else "P2"
    return "B2" if published_before else "B1"


def _odp_record(sink: Sink, path: Path, record: dict, pubs) -> None:
    app = _app_digits(record.get("applicationNumberText"))
    filed = normalize.date(record.get("filingDate"))
    for pn, published, grant in pubs:
        priorities = _odp_priorities(pn, record)
        sink.add("publications", {
            "publication_number": pn, "publication_number_raw": str(record.get("earliestPublicationNumber")
                                                                  if not grant else record.get("patentNumber")),
            "country_code": "US", "kind_code": normalize.split_publication_number(pn)[2],
            "application_number": f"US-{app}" if app else None,
            "family_id": _family(None, app),
            "publication_date": published, "filing_date": filed,
            "priority_date": min([p["priority_date"] for p in priorities if p["priority_date"]] + ([filed] if filed else []),
                                 default=None),
            "grant_date": published if grant else None, "is_grant": grant,
            "title": _text(record.get("inventionTitle")),
            "source": FORMAT, "source_ref": f"{path.name}:{record.get('applicationNumberText')}",
        })
        sink.add_many("parties", _odp_parties(pn, record))
        codes = [normalize.classification(c) for c in _listed(record.get("cpcClassificationBag"))]
        codes = list(dict.fromkeys(c for c in codes if c))
        sink.add_many("classifications", [{"publication_number": pn, "scheme": "cpc", "code": c,
                                           "is_first": i == 0, "is_inventive": None} for i, c in enumerate(codes)])
        sink.add_many("priorities", priorities)


def _odp_residence(addresses) -> str | None:
    bag = [a for a in _listed(addresses) if isinstance(a, dict)]
    chosen = next((a for a in bag if a.get("postalAddressCategory") == "residence"), bag[0] if bag else None)
    return normalize.country(chosen.get("countryCode") or chosen.get("countryName")) if chosen else None


def _odp_parties(pn: str, record: dict) -> list[dict]:
    rows = []
    for i, inventor in enumerate(_listed(record.get("inventorBag"))):
        name = inventor.get("inventorNameText") or " ".join(
            filter(None, (inventor.get("firstName"), inventor.get("lastName"))))
        rows.append({"publication_number": pn, "role": "inventor", "seq": i + 1, "name": name,
                     "country_code": _odp_residence(inventor.get("correspondenceAddressBag"))})
    for i, applicant in enumerate(_listed(record.get("applicantBag"))):
        name = applicant.get("applicantNameText") or applicant.get("applicant")
        rows.append({"publication_number": pn, "role": "applicant", "seq": i + 1, "name": name,
                     "country_code": _odp_residence(applicant.get("correspondenceAddressBag"))})
    return rows


def _odp_priorities(pn: str, record: dict) -> list[dict]:
    rows = []
    for claim in _listed(record.get("foreignPriorityBag")):
        office = claim.get("ipOfficeName") or claim.get("countryName")
        country = _OFFICE_NAMES.get(str(office).upper()) or normalize.country(office)
        rows.append({"publication_number": pn, "priority_number": claim.get("priorityNumberText")
                     or claim.get("applicationNumberText"), "priority_country": country,
                     "priority_date": normalize.date(claim.get("filingDate"))})
    parents = _listed((record.get("continuityBag") or {}).get("parentContinuityBag"))
    for parent in parents:  # domestic benefit claims: provisional, continuation, PCT national stage
        number = parent.get("parentApplicationNumberText")
        if number:
            rows.append({"publication_number": pn, "priority_number": number,
                         "priority_country": "WO" if str(number).upper().startswith("PCT") else "US",
                         "priority_date": normalize.date(parent.get("filingDate"))})
    return rows
