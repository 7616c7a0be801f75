"""The lake: a folder of canonical Parquet files plus ``manifest.json``.

Layout::

    LAKE/manifest.json                 the only source of truth for what the lake holds
    LAKE/data/<table>/<id>-<n>.parquet canonical tables written by ingest
    LAKE/derived/<name>/<id>-<n>.parquet  tables written by later stages (families, indicators, ...)
    LAKE/quarantine/<id>.jsonl         rejected records: file, line, reason, raw text

Atomicity: writers put new files in ``LAKE/.staging-<id>/`` and commit by moving them in and
then replacing ``manifest.json`` with one ``os.replace``. Readers only read files the manifest
lists, so an interrupted or failed write leaves the previous lake readable and unchanged; stray
files are cleaned at the next commit.

One writer at a time: a writer holds an OS lock on ``LAKE/.lock`` (``fcntl.flock``, released by
the kernel when the process dies) from the moment it reads the manifest until it has committed,
and re-reads the manifest once it holds the lock, so no commit drops another's inputs. A second
writer waits (``wait`` seconds) or fails with ``LockedError`` naming the holder's PID.

Readers see a consistent snapshot: every part file has a name of its own (the transaction id),
so a commit never rewrites a file in place, and parts a commit replaces are retired, not
deleted: they are removed at a later commit once ``RETIRE_SECONDS`` have passed, so a reader
still working from the previous manifest can finish.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path


from . import __version__
from .errors import LakeError, LockedError, UsageError
from .schema import CANONICAL, CORE_TABLES, READABLE_VERSIONS, SCHEMA_VERSION

MANIFEST = "manifest.json"
DEFAULT_LAKE = "patentq-lake"
#: How DuckDB writes every Parquet part of the lake's canonical tables (``COPY ... TO file
#: (<these>)``): zstd level 1, cheaper to write than DuckDB's default level for a few % more bytes.
PARQUET_COPY_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1"
#: ... and of the derived tables, which the stages rewrite on every run and read back part by part:
#: snappy, 12 % less time to write and 25 % less to read than zstd level 1 for 30 % more bytes
#: (docs/performance-notes.md).
DERIVED_COPY_OPTIONS = "FORMAT parquet, COMPRESSION snappy"
LOCK_FILE = ".lock"
#: How long a part replaced by a commit stays on disk for readers of the previous manifest.
RETIRE_SECONDS = 3600


def default_lake_path(path: str | os.PathLike | None = None) -> Path:
    """``--lake`` if given, else ``$PATENTQ_LAKE``, else ``./patentq-lake``."""
    return Path(path or os.environ.get("PATENTQ_LAKE") or DEFAULT_LAKE)


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _empty_manifest() -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "patentq_version": __version__,
        "created": _now(),
        "updated": _now(),
        "inputs": [],
        "derived": {},
    }


@dataclass
class Transaction:
    """A set of new files and manifest changes that become visible together, or not at all."""

    lake: "Lake"
    id: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8])
    inputs: list = field(default_factory=list)
    derived: dict = field(default_factory=dict)
    #: Manifest fields merged into existing derived entries (a stage's key and parameters).
    stamps: dict = field(default_factory=dict)
    #: Lake settings to set (``settings`` in the manifest, e.g. the user's group files); a value
    #: of None removes the setting.
    settings: dict = field(default_factory=dict)
    #: Top-level manifest flags to set (e.g. ``synthetic``).
    flags: dict = field(default_factory=dict)
    #: Files found in a folder and refused as not of the format (kept in the manifest's ``refused``).
    refused: list = field(default_factory=list)

    @property
    def staging(self) -> Path:
        return self.lake.path / f".staging-{self.id}"

    def new_part(self, area: str, table: str) -> Path:
        """A fresh staging path for one Parquet part of ``area/table`` (area: data | derived)."""
        folder = self.staging / area / table
        folder.mkdir(parents=True, exist_ok=True)
        n = len(list(folder.iterdir()))
        return folder / f"{self.id}-{n:05d}.parquet"

    def quarantine_path(self) -> Path:
        folder = self.staging / "quarantine"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{self.id}.jsonl"

    def relative(self, staged: Path) -> str:
        return staged.relative_to(self.staging).as_posix()


class Lake:
    """A lake folder. ``Lake.open`` reads; ``Lake.create`` makes an empty one if absent."""

    def __init__(self, path: Path, manifest: dict):
        self.path = path
        self.manifest = manifest

    # --- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path=None) -> "Lake":
        path = default_lake_path(path)
        manifest_file = path / MANIFEST
        if not manifest_file.exists():
            raise LakeError(
                f"no lake at {path}: {MANIFEST} is missing",
                hint="ingest something first, e.g. `patentq ingest lens FILE.csv --lake DIR`, or pass --lake",
            )
        try:
            manifest = json.loads(manifest_file.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise LakeError(f"cannot read {manifest_file}: {exc}", hint="restore the lake from a backup") from exc
        version = manifest.get("schema_version")
        if version not in READABLE_VERSIONS:
            raise LakeError(
                f"lake {path} has schema version {version}; this patentq reads versions "
                f"{', '.join(map(str, READABLE_VERSIONS))}",
                hint="use the patentq version that wrote it, or re-ingest the source files into a new lake",
            )
        return cls(path, manifest)

    @classmethod
    def create(cls, path=None) -> "Lake":
        path = default_lake_path(path)
        if (path / MANIFEST).exists():
            return cls.open(path)
        if path.exists() and any(path.iterdir()):
            raise LakeError(
                f"{path} exists, is not empty and is not a lake", hint="choose an empty folder for --lake"
            )
        path.mkdir(parents=True, exist_ok=True)
        lake = cls(path, _empty_manifest())
        lake._write_manifest(lake.manifest)
        return lake

    # --- reading ------------------------------------------------------------------------
    def parts(self, table: str) -> list[Path]:
        """The Parquet files that make up ``table`` (canonical or derived), per the manifest."""
        if table in self.manifest.get("derived", {}):
            rel = self.manifest["derived"][table]["parts"]
        else:
            rel = [p for entry in self.manifest["inputs"] for p in entry.get("parts", {}).get(table, [])]
        return [self.path / p for p in rel]

    def tables(self) -> list[str]:
        """Every table name this lake can serve: the canonical ones plus derived ones."""
        return list(CANONICAL) + [t for t in self.manifest.get("derived", {}) if t not in CANONICAL]

    def counts(self) -> dict[str, int]:
        """Rows per canonical core table, from Parquet footers (no data scan)."""
        import pyarrow.parquet as pq

        return {t: sum(pq.ParquetFile(p).metadata.num_rows for p in self.parts(t)) for t in CORE_TABLES}

    def is_synthetic(self) -> bool:
        """Whether any of the lake's data is synthetic: written by ``patentq synth`` or ingested
        from files ``patentq demo`` generated (both mark it in the manifest; file names play no
        part). Reports and the dashboard then carry a SYNTHETIC banner."""
        return bool(self.manifest.get("synthetic")) or any(i.get("synthetic") for i in self.manifest["inputs"])

    def counts_of(self, table: str) -> int:
        """Rows of one table, from Parquet footers."""
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(p).metadata.num_rows for p in self.parts(table))

    def derived(self, name: str) -> dict | None:
        """The manifest entry of a derived table, or None."""
        return self.manifest.get("derived", {}).get(name)

    def has(self, table: str) -> bool:
        """Whether the lake holds ``table`` with at least one part."""
        return bool(self.parts(table))

    def reload(self) -> "Lake":
        """Read the manifest again (another process may have committed)."""
        fresh = Lake.open(self.path)
        self.manifest = fresh.manifest
        return self

    def manifest_hash(self) -> str:
        """A short hash of the manifest, so reports can say exactly which lake produced them.

        Bookkeeping that says nothing about the data is left out (the time of the last commit,
        retired parts, the record of outputs ``patentq run`` wrote), so the report a run writes
        names the lake as the run leaves it."""
        manifest = {k: v for k, v in self.manifest.items() if k not in ("updated", "retired")}
        manifest["settings"] = {k: v for k, v in manifest.get("settings", {}).items() if k != "outputs"}
        return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16]

    def damaged_part(self, tables=None) -> tuple[Path, str] | None:
        """The first part of ``tables`` (default: every table) that cannot be read whole, with
        the reader's error; None when all read. Reads every row: used on the error path only,
        to tell a damaged lake (exit 3) from a bug (exit 1)."""
        import pyarrow.parquet as pq

        for table in tables or self.tables():
            for part in self.parts(table):
                try:
                    with pq.ParquetFile(part) as handle:
                        for group in range(handle.num_row_groups):
                            handle.read_row_group(group)
                except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ... for a damaged file
                    return part, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        return None

    def has_input(self, sha256: str, fmt: str) -> bool:
        return any(i["sha256"] == sha256 and i["format"] == fmt for i in self.manifest["inputs"])

    # --- writing ------------------------------------------------------------------------
    def upgrade(self) -> tuple[int | None, int]:
        """Record the current schema version in a lake of an older readable one (v1 → v2 adds
        tables only, so no data changes). Returns (from, to)."""
        with self.transaction() as txn:
            before = self.manifest.get("schema_version")
            if before != SCHEMA_VERSION:
                txn.flags["schema_version"] = SCHEMA_VERSION
        return before, SCHEMA_VERSION

    def stamp(self, table: str, **meta) -> None:
        """Add ``meta`` to the manifest entry of the derived table ``table``."""
        with self.transaction() as txn:
            txn.stamps[table] = meta

    @contextlib.contextmanager
    def writer(self, wait: float | None = None):
        """Hold the lake's writer lock (re-entrant within a thread; another thread of the same
        process waits like another process); the manifest is re-read once the lock is held.
        ``wait``: seconds to wait for another writer (default ``$PATENTQ_LOCK_WAIT``, else 0:
        fail at once)."""
        key = (str(self.path.resolve()), threading.get_ident())
        held = _HELD.get(key)
        if held:
            held[1] += 1
            try:
                yield self
            finally:
                held[1] -= 1
            return
        handle = _acquire(self.path, wait)
        _HELD[key] = [handle, 1]
        try:
            self.reload()
            self._clean_after_crash()
            yield self
        finally:
            del _HELD[key]
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    @contextlib.contextmanager
    def transaction(self, wait: float | None = None):
        """Stage files, then commit them with the manifest in one step; on error, discard."""
        with self.writer(wait):
            txn = Transaction(self)
            try:
                yield txn
            except BaseException:
                shutil.rmtree(txn.staging, ignore_errors=True)
                raise
            self._commit(txn)

    def _commit(self, txn: Transaction) -> None:
        if not (txn.inputs or txn.derived or txn.stamps or txn.settings or txn.flags or txn.refused
                or txn.staging.exists()):
            return  # nothing to commit: the manifest stays byte for byte as it was
        manifest = json.loads(json.dumps(self.manifest))
        manifest["inputs"].extend(txn.inputs)
        replaced = []
        for name, meta in txn.derived.items():
            if name in manifest["derived"]:
                replaced.extend(manifest["derived"][name]["parts"])
            manifest["derived"][name] = meta
        for name, stamp in txn.stamps.items():
            if name in manifest["derived"]:
                manifest["derived"][name].update(stamp)
        settings = manifest.setdefault("settings", {})
        for name, value in txn.settings.items():
            if value is None:
                settings.pop(name, None)
            else:
                settings[name] = value
        manifest.update(txn.flags)
        if txn.refused:
            manifest["refused"] = manifest.get("refused", []) + [{**r, "at": _now()} for r in txn.refused]
        manifest["updated"] = _now()
        manifest["patentq_version"] = __version__
        moved = []
        try:
            if txn.staging.exists():
                for staged in sorted(p for p in txn.staging.rglob("*") if p.is_file()):
                    target = self.path / txn.relative(staged)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged, target)
                    moved.append(target)
            kept = {p for d in manifest["derived"].values() for p in d["parts"]}
            retired = [r for r in manifest.get("retired", []) if time.time() - r["at"] < RETIRE_SECONDS]
            gone = [p for r in manifest.get("retired", []) if r not in retired for p in r["parts"]]
            fresh = [rel for rel in replaced if rel not in kept]
            if fresh:
                retired.append({"at": time.time(), "parts": fresh})
            manifest["retired"] = retired
            self._write_manifest(manifest)
        except BaseException:  # a full or read-only disk: no new file stays beside the old manifest
            for target in moved:
                with contextlib.suppress(OSError):
                    target.unlink()
            raise
        self.manifest = manifest
        shutil.rmtree(txn.staging, ignore_errors=True)
        for rel in gone:
            (self.path / rel).unlink(missing_ok=True)
        self._clean_strays()

    def _write_manifest(self, manifest: dict) -> None:
        tmp = self.path / f".{MANIFEST}.{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, self.path / MANIFEST)

    def _clean_strays(self) -> None:
        """Remove Parquet files no manifest entry lists (left by an interrupted commit)."""
        listed = {p for e in self.manifest["inputs"] for ps in e.get("parts", {}).values() for p in ps}
        listed |= {p for d in self.manifest["derived"].values() for p in d["parts"]}
        listed |= {p for r in self.manifest.get("retired", []) for p in r["parts"]}
        for area in ("data", "derived"):
            for file in (self.path / area).rglob("*.parquet") if (self.path / area).exists() else []:
                if file.relative_to(self.path).as_posix() not in listed:
                    file.unlink(missing_ok=True)
        for stale in self.path.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)

    def _clean_after_crash(self) -> None:
        """Under the writer lock no other writer runs: staging folders and temporary manifests
        left by a killed writer can go."""
        for stale in self.path.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for tmp in self.path.glob(f".{MANIFEST}.*.tmp"):
            tmp.unlink(missing_ok=True)


#: Locks this process holds: (resolved lake path, thread id) → [open lock file, depth].
_HELD: dict[tuple[str, int], list] = {}


def lock_wait_from_env() -> float:
    """``$PATENTQ_LOCK_WAIT`` as seconds (0 when unset); anything but 0 to a week is a usage error."""
    text = os.environ.get("PATENTQ_LOCK_WAIT") or "0"
    try:
        wait = float(text)
    except ValueError:
        wait = float("nan")
    if not 0 <= wait <= 7 * 86400:
        raise UsageError(f"bad $PATENTQ_LOCK_WAIT {text!r}", hint="give seconds to wait, from 0 to 604800, or unset it")
    return wait


def _acquire(path: Path, wait: float | None):
    if wait is None:
        wait = lock_wait_from_env()
    try:
        handle = open(path / LOCK_FILE, "a+")
    except OSError as exc:
        raise LakeError(f"cannot write to the lake {path}: {exc.strerror or exc}",
                        hint="check the folder's permissions, or copy the lake somewhere writable") from None
    deadline = time.monotonic() + max(0.0, wait)
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                raise LockedError(
                    f"the lake {path} is being written by {holder}",
                    hint="wait for it to finish, or pass --wait SECONDS (or set $PATENTQ_LOCK_WAIT) to queue "
                         "behind it") from None
            time.sleep(0.1)
    handle.seek(0)
    handle.truncate()
    handle.write(f"patentq process {os.getpid()}")
    handle.flush()
    return handle
