"""Landscapes: which patent families belong to a technology, and to which categories inside it.

``load(name_or_path)`` reads a definition (built-in ``genai``, ``ai``, or a YAML file);
``apply(definition, engine)`` writes ``landscape_<name>`` and ``landscape_<name>_categories``.
The query language is in ``query.py``, its SQL translation in ``compile.py``.
"""

from .definition import Definition, builtin_names, load, loads
from .query import parse

__all__ = ["Definition", "builtin_names", "load", "loads", "parse"]
