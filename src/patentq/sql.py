"""SQL text: the one way patentq loads, fills in and quotes the SQL its stages run.

Stage SQL lives in ``.sql`` files beside the stage's module and is loaded with
``load(package, name, **params)``. Parameters are written ``$name`` (or ``${name}``) in the
file, the one templating form of the project: no ``str.format`` (so SQL braces, struct
literals ``{'d': x}`` and lambdas need no escaping). A parameter value is inserted as SQL:

- ``str``: inserted as is, so it must already be SQL (a table name, an expression, a
  subquery). Quote user values with ``literal`` first.
- ``Raw``: the same, said explicitly.
- ``int``, ``float``, ``bool``, ``None``, ``datetime.date``: written as SQL literals.

Quoting user values anywhere else is a bug: ``literal``, ``ident`` and ``in_list`` are the
only quoting helpers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from importlib import resources


class Raw(str):
    """A SQL fragment to insert unquoted (an expression or a subquery)."""


def literal(value) -> str:
    """``value`` as a SQL literal: strings quoted with '' doubled, NULL, numbers, booleans, dates."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no SQL literal for {value!r}")
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def exact_sum(expr: str) -> str:
    """``sum(expr)`` that gives the same double every run: each term rounded to 18 decimals (far
    below a double's precision for the weights and rates summed), summed exactly as DECIMAL,
    then made a DOUBLE. A plain ``sum`` of doubles adds in whatever order the engine's threads
    finish, so its last digits change from run to run (issue 17 F16). Portable to Spark."""
    return f"CAST(sum(CAST({expr} AS DECIMAL(38, 18))) AS DOUBLE)"


def values(rows, columns: tuple[str, ...], types: tuple[str, ...]) -> str:
    """A small table computed in Python (``rows`` of literals) as a portable subquery with
    ``columns`` of SQL ``types``; no rows gives the empty table of those types."""
    if not rows:
        nulls = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in zip(columns, types))
        return f"SELECT {nulls} WHERE false"
    body = ", ".join("(" + ", ".join(f"CAST({literal(v)} AS {t})" for v, t in zip(row, types)) + ")" for row in rows)
    return f"SELECT * FROM (VALUES {body}) AS t({', '.join(columns)})"


def ident(name: str) -> str:
    """A quoted identifier (``"group"``); double quotes inside are doubled."""
    return '"' + str(name).replace('"', '""') + '"'


def in_list(values) -> str:
    """``'a', 'b'`` for ``IN (...)``; an empty list gives ``NULL`` (matches nothing)."""
    items = [literal(v) for v in values]
    return ", ".join(items) if items else "NULL"


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def table_name(name: str) -> str:
    """A table or view name patentq builds from user input (``landscape_<name>``), checked."""
    if not _PLAIN.match(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


#: ``$name`` or ``${name}`` with a lower-case name; ``$$`` is a literal ``$``. Any other ``$`` (a
#: regular expression's ``$`` anchor, ``$1``) is left as it is.
_PLACEHOLDER = re.compile(r"\$(?:\$|\{([a-z_][a-z0-9_]*)\}|([a-z_][a-z0-9_]*))")


def _value(value) -> str:
    if isinstance(value, str):
        return value
    return literal(value)


def render(text: str, **params) -> str:
    """Fill ``$name`` placeholders; a placeholder without a value is an error (no silent gaps)."""

    def fill(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name is None:
            return "$"
        if name not in params:
            raise KeyError(f"SQL parameter ${name} has no value")
        return _value(params[name])

    return _PLACEHOLDER.sub(fill, text)


@lru_cache(maxsize=None)
def _read(package: str, name: str) -> str:
    file = name if name.endswith(".sql") else f"{name}.sql"
    try:
        folder = resources.files(package)
    except TypeError:  # a module, not a package: its files sit beside it
        folder = resources.files(package.rsplit(".", 1)[0])
    return folder.joinpath(file).read_text(encoding="utf-8")


def load(package: str, name: str, **params) -> str:
    """The SQL file ``name`` (``.sql`` optional) of ``package``, with ``params`` filled in."""
    return render(_read(package, name), **params)


def statements(text: str) -> list[str]:
    """A script split into statements on ``;`` at line ends (for files of several macros)."""
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", text) if s.strip() and not _only_comments(s)]


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())
