"""Source adapters: one module per format (read → map → canonical rows). See ``base.py``."""

from __future__ import annotations

import importlib

from ..errors import UsageError

#: CLI format name → module. Adapters are imported only when used.
ADAPTERS = {
    "lens": "patentq.sources.lens",
    "cset": "patentq.sources.cset",
    "uspto-xml": "patentq.sources.uspto_xml",
    "google": "patentq.sources.google",
    "google-citing": "patentq.sources.google_citing",
    "google-baselines": "patentq.sources.google_baselines",
    "patentsview": "patentq.sources.patentsview",
    "patstat": "patentq.sources.patstat",
    "epo-ops": "patentq.sources.epo_ops",
    "uspto-json": "patentq.sources.uspto_json",
    "epoch": "patentq.sources.epoch",
}


def get_adapter(fmt: str):
    if fmt not in ADAPTERS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"choose one of: {', '.join(ADAPTERS)}")
    return importlib.import_module(ADAPTERS[fmt])


def available_formats() -> list[str]:
    return list(ADAPTERS)
