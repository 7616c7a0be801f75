"""The synthetic GenAI demo world: seeded, calibrated to WIPO's 2024 GenAI landscape, and
written out as real-format source files (Google NDJSON, Lens CSV, Epoch CSV) so the demo
pipeline runs through the normal adapters. Everything it produces is labelled synthetic.
"""

from .world import World, generate

__all__ = ["World", "generate"]
