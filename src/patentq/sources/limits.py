"""Limits on what an input may expand to, checked while streaming (no decompression bombs).

Why: a 9 MB zip can hold 2 GiB of one repeated CSV row, a 1 MB zip one 1 GiB XML document and
a 0.5 MB ``.ndjson.gz`` 2 GiB of JSON. Nothing in such a file is worth ingesting, and expanding
it fills the disk (staging), the memory (a document parsed whole) and the lake (millions of
duplicate rows). So every decompression in ``sources/`` goes through ``LimitedReader``, which
counts the bytes it hands out and stops with ``BadInputError`` (exit 3, the lake unchanged):

- once more than ``ratio_floor`` bytes have come out, when they exceed ``max_expansion`` times
  the compressed size (real exports expand 5-20 times; 100 is far above that);
- when they exceed ``max_expanded`` bytes in total, whatever the ratio.

Single records have their own caps: an XML document larger than ``max_document`` is quarantined
with its offset, never held in memory whole, and a CSV cell larger than ``max_cell`` is
quarantined with its line (``csvclean``).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..engines.base import human_bytes
from ..errors import BadInputError, UsageError

MIB = 1 << 20
GIB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """What one input file may expand to (``patentq ingest --max-expansion ...``)."""

    #: expanded bytes per compressed byte, checked once ``ratio_floor`` bytes have come out
    max_expansion: float = 100.0
    ratio_floor: int = 64 * MIB
    #: expanded bytes of one input file in total
    max_expanded: int = 64 * GIB
    #: one XML document (USPTO bulk files glue thousands together)
    max_document: int = 256 * MIB
    #: one CSV cell, and one CSV record (DuckDB's reader is given room for the record)
    max_cell: int = 2 * MIB
    max_record: int = 8 * MIB

    def __post_init__(self):
        if not self.max_expansion >= 1 or self.max_expansion == float("inf"):
            raise UsageError(f"bad --max-expansion {self.max_expansion}: give a ratio of at least 1, e.g. 100")
        for name in ("max_expanded", "max_document"):
            if getattr(self, name) < 1:
                raise UsageError(f"bad --{name.replace('_', '-')}-size {getattr(self, name)}: give a size such as 512MB")


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?I?B?)\s*$", re.I)


def parse_size(text: str, option: str) -> int:
    """``512MB``, ``2GiB``, ``1000000`` → bytes (units are powers of 1024)."""
    m = _SIZE.match(str(text))
    if not m:
        raise UsageError(f"bad {option} {text!r}", hint="give a size such as 512MB, 2GB or a number of bytes")
    value = float(m.group(1)) * 1024 ** " KMGT".index((m.group(2)[:1] or " ").upper())
    if value < 1:
        raise UsageError(f"bad {option} {text!r}: must be at least one byte")
    return int(value)


class LimitedReader:
    """A binary stream that raises ``BadInputError`` once it has handed out more than the limits
    allow. ``compressed`` is the size of what is being expanded; ``total`` is shared by every
    reader of one input file (all members of a zip count together)."""

    def __init__(self, stream, path: Path, compressed: int, limits: Limits, total: list[int] | None = None):
        self.stream, self.path, self.compressed, self.limits = stream, path, max(compressed, 1), limits
        self.total = total if total is not None else [0]

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.total[0] += len(data)
        self._check()
        return data

    def _check(self) -> None:
        done, lim = self.total[0], self.limits
        if done > lim.max_expanded:
            raise BadInputError(
                f"{self.path}: expands to more than {human_bytes(lim.max_expanded)}, the limit for one input "
                "(a decompression bomb, or an export larger than expected); nothing was ingested",
                hint="raise the limit with --max-expanded-size if the file is genuine")
        if done > lim.ratio_floor and done > lim.max_expansion * self.compressed:
            raise BadInputError(
                f"{self.path}: expands more than {lim.max_expansion:g} times ({human_bytes(self.compressed)} compressed, "
                f"over {human_bytes(done)} so far): a decompression bomb, or data repeated over and over; "
                "nothing was ingested",
                hint="raise the ratio with --max-expansion if the file is genuine")


def copy_limited(stream, target: Path, path: Path, compressed: int, limits: Limits, total: list[int] | None = None):
    """Write the expansion of ``stream`` to ``target`` through ``LimitedReader`` (a partial
    ``target`` is removed when a limit stops it)."""
    try:
        with open(target, "wb") as out:
            shutil.copyfileobj(LimitedReader(stream, path, compressed, limits, total), out, 4 * MIB)
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise


def gunzipped(path: Path, workdir: Path, limits: Limits, hint: str) -> Path:
    """``path`` expanded into ``workdir`` when it is gzip (``1f 8b``), else ``path`` itself. A
    corrupt or truncated gzip raises ``BadInputError``."""
    import gzip
    import zlib

    with open(path, "rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return path
    target = Path(workdir) / (path.name[:-3] if path.name.endswith(".gz") else path.name + ".expanded")
    try:
        with gzip.open(path, "rb") as stream:
            copy_limited(stream, target, path, path.stat().st_size, limits)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise BadInputError(f"{path}: corrupt or truncated gzip file ({exc})", hint=hint) from exc
    return target

