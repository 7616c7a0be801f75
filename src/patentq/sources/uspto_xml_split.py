"""Reading USPTO bulk XML files: sniffing the layout and splitting concatenated documents.

The weekly full-text files (``ipgYYMMDD.xml``, ``ipaYYMMDD.xml``) are not one XML document but
thousands glued together, each starting with its own ``<?xml ...?>`` declaration. They run to
500 MB+, so they are split while streaming in fixed-size blocks, never read whole. Bulk zips
(as downloaded from bulkdata.uspto.gov) are read member by member, also streaming.

Layouts the USPTO used over time (USPTO "Patent Grant Full Text" / "Patent Application Full
Text" product pages on bulkdata.uspto.gov): APS "Green Book" text (grants 1976–2001), ST.32
SGML-derived XML with root ``PATDOC`` (grants 2001–2004), ``patent-application-publication``
v1.5/v1.6 (applications 2001–2004), and the ST.36-based ``us-patent-grant`` /
``us-patent-application`` v4.0–v4.7 (2005 on). XML4IP are file-wrapper documents, not
publications. This module only tells them apart; the mapping lives in ``uspto_xml_map*.py``.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

from ..errors import BadInputError

BLOCK = 1 << 23  # 8 MiB reads: big enough for throughput, small enough to keep memory flat
DECL = b"<?xml"

#: Root elements this adapter maps to canonical rows.
SUPPORTED_ROOTS = {"us-patent-grant", "us-patent-application", "patent-application-publication"}
#: Root elements that belong in USPTO bulk files but carry no bibliographic data.
SKIPPED_ROOTS = {"sequence-cwu": "sequence listing"}
#: Known USPTO layouts this adapter does not read, with the name the user knows them by.
UNSUPPORTED_ROOTS = {
    "PATDOC": "USPTO grant XML v2.4/v2.5 (ST.32, root PATDOC, grants 2001–2004)",
    "SpecificationDocument": "USPTO XML4IP file-wrapper document (not a publication)",
    "ClaimsDocument": "USPTO XML4IP file-wrapper document (not a publication)",
    "AbstractDocument": "USPTO XML4IP file-wrapper document (not a publication)",
}

_ROOT_RE = re.compile(rb"<(?![?!/])([A-Za-z_][\w.:-]*)")
_COMMENT_RE = re.compile(rb"<!--.*?-->", re.S)
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.S)
_DOCTYPE_NAME_RE = re.compile(rb"<!DOCTYPE\s+([A-Za-z_][\w.:-]*)")


def root_name(head: bytes) -> str | None:
    """The first element name of a document (namespace prefix dropped), from its first bytes."""
    text = _COMMENT_RE.sub(b"", head)
    text = _DOCTYPE_RE.sub(b"", text, count=1)
    m = _ROOT_RE.search(text)
    if not m:  # a DOCTYPE internal subset longer than the sample: trust the DOCTYPE name
        m = _DOCTYPE_NAME_RE.search(head)
    if not m:
        return None
    return m.group(1).decode("ascii", "replace").split(":")[-1]


def sniff(path: Path, head: bytes, where: str | None = None) -> str:
    """Check that ``head`` (the first bytes of a file or zip member) starts USPTO patent XML.

    Returns the root element name of the first document. Raises ``BadInputError`` naming the
    file and what it is instead: empty, binary, an older USPTO text format, an unrelated XML
    or HTML page, a CSV.
    """
    name = f"{path}{'!' + where if where else ''}"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise BadInputError(f"{name} is empty", hint="download the USPTO XML file again")
    if b"\x00" in head:
        raise BadInputError(f"{name} is a binary file, not USPTO XML",
                            hint="pass the .xml files from bulkdata.uspto.gov (or their .zip)")
    if stripped.startswith(b"PATN"):
        raise BadInputError(f"{name} is USPTO APS 'Green Book' text (grants 1976–2001), which uspto-xml does not read",
                            hint="use a source that covers pre-2005 grants (e.g. google or patentsview)")
    if b"*** BRS DOCUMENT BOUNDARY ***" in head:
        raise BadInputError(f"{name} is a USPTO BRS text export, which uspto-xml does not read",
                            hint="download the full-text XML of the same documents from bulkdata.uspto.gov")
    if not stripped.startswith(b"<"):
        preview = stripped[:40].decode("utf-8", "replace")
        raise BadInputError(f"{name} is not XML (it starts with {preview!r})",
                            hint="pass USPTO full-text grant or application XML files")
    root = root_name(head)
    if root in UNSUPPORTED_ROOTS:
        raise BadInputError(f"{name} is {UNSUPPORTED_ROOTS[root]}, which uspto-xml does not read",
                            hint="uspto-xml reads us-patent-grant / us-patent-application v4.x (2005 on) "
                                 "and patent-application-publication v1.5/v1.6")
    if root not in SUPPORTED_ROOTS and root not in SKIPPED_ROOTS:
        raise BadInputError(f"{name} is not USPTO patent XML (its first element is <{root}>)",
                            hint="pass USPTO full-text grant or application XML files")
    return root


class Oversized:
    """A document larger than the limit: its size and first bytes, never the whole of it."""

    def __init__(self, size: int, head: bytes):
        self.size, self.head = size, head


def split_stream(stream, block: int = BLOCK, max_document: int | None = None) -> Iterator[tuple[int, bytes]]:
    """``(byte offset, document bytes)`` for each ``<?xml``-delimited document in ``stream``.

    Holds at most one block plus one partial document in memory. Text before the first
    declaration counts as a document too (files saved without a declaration). A document
    larger than ``max_document`` comes as ``Oversized`` (dropped while streaming).
    """
    buf = b""
    base = 0  # file offset of buf[0]
    over = None  # (offset, size dropped so far, head) of a document being skipped
    while True:
        chunk = stream.read(block)
        if not chunk:
            break
        buf = buf + chunk if buf else chunk
        start = 0
        search = 1
        while True:
            nxt = buf.find(DECL, search)
            if nxt < 0:
                break
            if nxt + 5 < len(buf) and buf[nxt + 5] not in b" \t\r\n":  # <?xml-stylesheet ...?>
                search = nxt + 5
                continue
            if nxt + 5 >= len(buf):  # cannot tell yet: wait for the next block
                break
            if over is not None:
                yield over[0], Oversized(over[1] + nxt - start, over[2])
                over = None
            elif buf[start:nxt].strip():
                yield base + start, _capped(buf[start:nxt], max_document)
            start = search = nxt
            search += 1
        buf = buf[start:]
        base += start
        if max_document and len(buf) > max_document + 16:  # keep the tail: a declaration may straddle blocks
            if over is None:
                over = (base, 0, buf[:2000])
            over = (over[0], over[1] + len(buf) - 16, over[2])
            base += len(buf) - 16
            buf = buf[-16:]
    if over is not None:
        yield over[0], Oversized(over[1] + len(buf), over[2])
    elif buf.strip():
        yield base, _capped(buf, max_document)


def _capped(doc: bytes, max_document: int | None):
    return Oversized(len(doc), doc[:2000]) if max_document and len(doc) > max_document else doc


def documents(path: Path, limits=None) -> Iterator[tuple[str, int, bytes]]:
    """``(member or '', offset, bytes)`` for every document of a plain or zipped USPTO file;
    zips expand within ``limits`` (``limits.py``)."""
    from .limits import LimitedReader, Limits

    limits = limits or Limits()
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".xml")]
                if not members:
                    raise BadInputError(f"{path}: the zip holds no .xml file", hint="pass the USPTO bulk XML zip")
                total = [0]
                for member in members:
                    with archive.open(member) as stream:
                        first = True
                        limited = LimitedReader(stream, path, path.stat().st_size, limits, total)
                        for offset, doc in split_stream(limited, max_document=limits.max_document):
                            if first:
                                sniff(path, doc.head if isinstance(doc, Oversized) else doc[:65536], member)
                                first = False
                            yield member, offset, doc
        except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
            raise BadInputError(f"{path}: corrupt or truncated zip ({exc})", hint="download the file again") from exc
        return
    with open(path, "rb") as stream:
        sniff(path, stream.read(65536))
        stream.seek(0)
        for offset, doc in split_stream(stream, max_document=limits.max_document):
            yield "", offset, doc
