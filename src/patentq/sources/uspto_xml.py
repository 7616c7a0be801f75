"""USPTO full-text grant and pre-grant publication XML (bulkdata.uspto.gov).

Reads the weekly files (many documents concatenated, plain or zipped) and single documents:
``us-patent-grant`` / ``us-patent-application`` v4.0–v4.7 (2005 on) and the 2001–2004
``patent-application-publication`` v1.5/v1.6. Each document is parsed alone with lxml, with
DTD loading, entity resolution and network access off: the DTDs the documents name are not
shipped with them, and a parser must never fetch anything.

Bad input: a document that is not well-formed (a truncated download, a broken edit) is
quarantined with its byte offset and the rest of the file is still read; a file that is not
USPTO patent XML at all (empty, binary, HTML, CSV, the older Green Book / BRS / PATDOC
layouts) raises ``BadInputError`` naming what it is. Sequence listings (``sequence-cwu``),
which the weekly grant files interleave with the grants, carry no bibliographic data and are
skipped with a note.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import BadInputError
from .base import Sink, require_readable
from .uspto_xml_map import map_v4
from .uspto_xml_pap import map_pap
from .uspto_xml_split import SKIPPED_ROOTS, SUPPORTED_ROOTS, UNSUPPORTED_ROOTS, Oversized, documents

FORMAT = "uspto-xml"
DESCRIPTION = "USPTO full-text grant / application XML (weekly bulk files, zipped or not)"
#: File names this format reads when a folder is given (``ingest.expand_paths``).
SUFFIXES = (".xml", ".zip")
#: What this format carries (patentq.capabilities.FIELDS); the lake profile measures what a file holds.
PROVIDES = {  # USPTO full-text grant and application XML
    "publication_date": "yes", "priority_date": "yes", "filing_date": "yes", "grant_status": "yes",
    "grant_date": "yes", "inventor_country": "yes", "applicant_country": "yes", "applicant_name": "yes",
    "cpc": "yes", "ipc": "yes", "title": "yes", "abstract": "yes", "claims": "yes", "citation_list": "yes",
    "npl_list": "yes", "priority_numbers": "yes",
}
PARALLEL = True

MAPPERS = {"us-patent-grant": map_v4, "us-patent-application": map_v4, "patent-application-publication": map_pap}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                           remove_comments=True, remove_pis=True)


def ingest(path: Path, sink: Sink) -> None:
    require_readable(path, "USPTO XML file", binary_ok=True)
    parser = _parser()
    skipped: dict[str, int] = {}
    seen: dict[str, str] = {}  # publication number → where it was first read
    for member, offset, doc in documents(path, sink.limits):
        sink.rows_read += 1
        where = f"{member + ' ' if member else ''}byte {offset}"
        ref = f"{path.name}{'!' + member if member else ''}:byte {offset}"
        if isinstance(doc, Oversized):
            sink.reject(where, f"document too large: {doc.size:,} bytes, over the {sink.limits.max_document:,}-byte "
                               "limit (--max-document-size)", _preview(doc.head))
            continue
        try:
            root = etree.fromstring(_without_description(doc), parser)
        except etree.XMLSyntaxError as exc:
            sink.reject(where, f"not well-formed XML: {exc}", _preview(doc))
            continue
        tag = root.tag if isinstance(root.tag, str) else ""
        tag = etree.QName(tag).localname if tag.startswith("{") else tag
        if tag in SKIPPED_ROOTS:
            skipped[tag] = skipped.get(tag, 0) + 1
            continue
        if tag not in SUPPORTED_ROOTS:
            what = UNSUPPORTED_ROOTS.get(tag, "not a USPTO patent document")
            sink.reject(where, f"unsupported document <{tag}>: {what}", _preview(doc))
            continue
        try:
            rows = MAPPERS[tag](root, ref)
        except ValueError as exc:
            sink.reject(where, f"incomplete document: {exc}", _preview(doc))
            continue
        pn = rows["publications"][0]["publication_number"]
        if pn in seen:
            sink.reject(where, f"duplicate document: {pn} already read at {seen[pn]}", _preview(doc))
            continue
        seen[pn] = where
        for table, table_rows in rows.items():
            for row in table_rows:
                sink.add(table, row)
    for tag, count in skipped.items():
        sink.note(f"skipped {count} {SKIPPED_ROOTS[tag]} document(s) <{tag}>: no bibliographic data")
        sink.skip(f"{SKIPPED_ROOTS[tag]} <{tag}>", count)
    if sink.rows_read == 0:
        raise BadInputError(f"{path} holds no XML document", hint="pass USPTO full-text grant or application XML files")


def _without_description(doc: bytes) -> bytes:
    """The document minus its ``<description>`` element, which no canonical column uses and
    which is two thirds of a grant's bytes: parsing the rest is three times faster. A document
    cut short inside its description still fails to parse (its ``</description>`` is missing)."""
    start = doc.find(b"<description ")
    if start < 0:
        start = doc.find(b"<description>")
    if start < 0:
        return doc
    end = doc.find(b"</description>", start)
    if end < 0:
        return doc
    return doc[:start] + doc[end + len(b"</description>"):]


def _preview(doc: bytes) -> str:
    return doc[:2000].decode("utf-8", "replace")
