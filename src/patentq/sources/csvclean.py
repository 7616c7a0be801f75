"""The slow, sure path for a CSV that DuckDB's reader refused: record by record, in Python.

Why: DuckDB's reader is fast but all or nothing on some damage. One unterminated quote or one
20 MB cell makes it give up on the whole file ("Error when sniffing file"), an unterminated
quote can swallow the rows after it into one rejected record, and a header line with an invalid
byte is silently dropped. (A file whose only trouble is its encoding takes a cheaper path,
``transcode`` then DuckDB again: ``csvtools.load_csv``.) ``clean_copy`` streams the file once and writes a well-formed UTF-8 copy (LF line ends, quoting
by ``csv.writer``) that DuckDB then reads without trouble, quarantining only what is broken:

- line ends: CRLF, LF and bare CR are all line ends, mixed in one file too;
- quoting: a quoted cell may span lines only in formats whose records can (``single_line``
  false); a quote left open is cut off at the end of its line (single-line formats) or after
  ``limits.max_record`` bytes or at the end of the file, and then only the line it opened on is
  quarantined, and reading starts again on the next line, so no row after it is lost;
- size: a cell over ``limits.max_cell`` or a record over ``limits.max_record`` is quarantined,
  and a line is never held in memory beyond that;
- width: a record with more or fewer cells than the header is quarantined;
- encoding: a file with more invalid bytes than valid multi-byte UTF-8 characters is a Windows
  export (read as cp1252, with a note); otherwise an invalid byte is replaced by U+FFFD in its
  cell and the row is kept, logged with ``sink.repair`` (its line) instead of lost.

The parse rules are DuckDB's (RFC 4180 with ``"`` quoting and ``""`` inside quotes; a quote in
the middle of an unquoted cell is a plain character; a quoted cell must end at a delimiter).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import deque
from pathlib import Path

from ..errors import BadInputError
from .limits import Limits

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _cp1252_fallback(err: UnicodeDecodeError):
    """Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) decode to the same code
    point, as the WHATWG windows-1252 decoder in browsers does, so no byte is lost."""
    return "".join(chr(b) for b in err.object[err.start:err.end]), err.end


codecs.register_error("patentq-cp1252", _cp1252_fallback)


def sniff_encoding(path: Path, chunk: int = 1 << 22) -> str:
    """``utf-8``, or ``cp1252`` for a file with more bytes that are not UTF-8 than valid
    non-ASCII UTF-8 characters: a Windows export (whose byte pairs may happen to be valid UTF-8
    now and then), not a UTF-8 file with a damaged byte."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    invalid = valid = 0
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            text = decoder.decode(block)
            escaped = len(text) - len(text.encode("utf-8", "ignore").decode("utf-8"))  # invalid bytes
            invalid += escaped
            valid += len(text) - len(text.encode("ascii", "ignore")) - escaped
    return "cp1252" if invalid > valid else "utf-8"


def transcode(source: Path, target: Path, encoding: str, chunk: int = 1 << 22) -> None:
    """Copy ``source`` decoded as ``encoding`` to ``target`` as UTF-8, streaming at C speed:
    cp1252 with its five undefined bytes kept, UTF-8 with each invalid byte replaced by U+FFFD.
    Line breaks are kept, so line numbers hold."""
    errors = "patentq-cp1252" if encoding == "cp1252" else "replace"
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    with open(source, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while block := src.read(chunk):
            dst.write(decoder.decode(block))
        dst.write(decoder.decode(b"", final=True))


def physical_lines(stream, max_bytes: int, chunk: int = 1 << 22):
    """``(line number, bytes or None, length)`` for every line of a binary stream, any line end.

    A line longer than ``max_bytes`` comes as None (its length counted, its bytes dropped while
    streaming), so one huge line never sits in memory."""
    number, buf, dropping, dropped = 0, b"", False, 0
    while True:
        block = stream.read(chunk)
        if not block:
            break
        buf += block
        start = 0
        for m in _LINE_BREAK.finditer(buf):
            if m.group() == b"\r" and m.end() == len(buf):
                break  # a CR at the end of the block: its LF may come next
            number += 1
            if dropping:
                yield number, None, dropped + m.start() - start
                dropping, dropped = False, 0
            else:
                yield number, buf[start:m.start()], m.start() - start
            start = m.end()
        buf = buf[start:]
        if len(buf) > max_bytes:
            dropping, dropped, buf = True, dropped + len(buf), b""
    if buf or dropping:
        yield number + 1, None if dropping else buf, dropped + len(buf)


class _Unterminated(ValueError):
    """The record ends inside a quoted cell: it may go on on the next line."""


def split_record(text: str, delim: str) -> list[str]:
    """The cells of one CSV record. Raises ``_Unterminated`` for a quote left open and
    ``ValueError`` for text after a closing quote."""
    if '"' not in text:
        return text.split(delim)
    cells, i, n = [], 0, len(text)
    while True:
        if i < n and text[i] == '"':
            out, i = [], i + 1
            while True:
                j = text.find('"', i)
                if j < 0:
                    raise _Unterminated()
                out.append(text[i:j])
                if j + 1 < n and text[j + 1] == '"':
                    out.append('"')
                    i = j + 2
                    continue
                i = j + 1
                break
            cells.append("".join(out))
            if i < n and text[i] != delim:
                raise ValueError(f"text after a closing quote in cell {len(cells)}")
        else:
            j = text.find(delim, i)
            cells.append(text[i:] if j < 0 else text[i:j])
            i = n if j < 0 else j
        if i >= n:
            return cells
        i += 1  # past the delimiter
        if i == n:
            cells.append("")
            return cells


def clean_copy(source: Path, target: Path, sink, delim: str = ",", single_line: bool = True,
               limits: Limits | None = None) -> tuple[list[tuple[int, int]], int]:
    """Copy ``source`` to ``target`` as well-formed UTF-8 CSV, quarantining broken records with
    ``sink.reject``. A record is named as DuckDB's reader names the records it rejects: by its
    number in the file, the header being 1 (the line number where records never span lines).
    Returns ``(record number, first line)`` of each record written, the header first, and the
    number of records read (the header included)."""
    limits = limits or sink.limits
    encoding = sniff_encoding(source)
    if encoding == "cp1252":
        sink.note("not UTF-8: read as Windows-1252 (cp1252); check names with accents")
    starts: list[tuple[int, int]] = []
    record = 0
    pending: deque = deque()  # lines read ahead while a quoted cell stayed open
    width = None
    truncated = _ends_mid_line(source)  # with a quote open on the last line: a cut-off download
    with open(source, "rb") as raw, open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delim, quotechar='"', lineterminator="\n")
        lines = physical_lines(raw, limits.max_record)

        def next_line():
            if pending:
                return pending.popleft()
            return next(lines, None)

        while (first := next_line()) is not None:
            number, data, size = first
            record += 1
            if data is None:
                sink.reject(record, f"RECORD TOO LARGE: a line of {size:,} bytes, over the "
                            f"{limits.max_record:,}-byte limit")
                continue
            if number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8):]
            text, repaired = _decode(data, encoding)
            taken = [first]
            while True:
                try:
                    cells = split_record(text, delim)
                    reason = None
                except _Unterminated:
                    too_long = len(text) > limits.max_record
                    nxt = None if too_long else next_line()
                    if nxt is not None and nxt[1] is not None and not single_line:
                        more, fixed = _decode(nxt[1], encoding)
                        text, repaired = text + "\n" + more, repaired or fixed
                        taken.append(nxt)
                        continue
                    if nxt is not None:
                        pending.appendleft(nxt)
                    elif truncated and not too_long and len(taken) == 1:
                        raise BadInputError(f"{sink.path}: the file ends inside a quoted cell opened on line "
                                            f"{number} (a truncated download?)", hint="download the file again")
                    cells, reason = None, "UNTERMINATED QUOTE: a quoted cell is not closed"
                except ValueError as exc:
                    cells, reason = None, f"UNQUOTED VALUE: {exc}"
                break
            if reason and len(taken) > 1:  # only the line the quote opened on is lost
                pending.extendleft(reversed(taken[1:]))
            if reason is None and not any(c.strip() for c in cells) and len(cells) <= 1:
                record -= 1
                continue  # a blank line is no record
            if width is None and reason is None:
                width = len(cells)
            elif reason is None and len(cells) != width:
                reason = (f"TOO {'MANY' if len(cells) > width else 'FEW'} COLUMNS: "
                          f"expected {width}, found {len(cells)}")
            if reason is None and (big := max((len(c) for c in cells), default=0)) > limits.max_cell:
                reason = f"CELL TOO LARGE: a cell of {big:,} characters, over the {limits.max_cell:,} limit"
            if reason is not None:
                if width is None:
                    raise BadInputError(f"{sink.path}: the header line cannot be read ({reason})",
                                        hint="check that the file is a complete CSV export")
                sink.reject(record, reason, text)
                continue
            if repaired and encoding == "utf-8":
                sink.repair(record, "INVALID ENCODING: bytes that are not UTF-8 replaced by U+FFFD", text)
            writer.writerow(cells)
            starts.append((record, number))
    return starts, record


def _ends_mid_line(path: Path) -> bool:
    """Whether the file's last byte is not a line end (a download cut off, or an editor's habit)."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        if not handle.tell():
            return False
        handle.seek(-1, 2)
        return handle.read(1) not in (b"\n", b"\r")


def _decode(data: bytes, encoding: str) -> tuple[str, bool]:
    """One line as text, and whether invalid bytes were replaced."""
    try:
        return data.decode(encoding if encoding != "cp1252" else "utf-8"), False
    except UnicodeDecodeError:
        if encoding == "cp1252":
            return data.decode("cp1252", errors="patentq-cp1252"), False
        return data.decode("utf-8", errors="replace"), True
