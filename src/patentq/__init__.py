"""patentq: measure innovation in a technology field from patent data, by quality as well as number.

The Python API (docs/api.md)::

    import patentq
    lake = patentq.open_lake("my-lake")
    df = lake.compare(by="applicant-group", landscape="genai")   # a pandas DataFrame
    lake.indicators().df()                                         # family indicators
"""

__version__ = "0.1.0"


def open_lake(path=None, engine: str = "duckdb", **settings):
    """Open a lake for analysis: a :class:`patentq.session.Session` (lake + engine).

    ``settings`` go to the engine: ``memory_limit``, ``threads``, ``temp_directory`` (DuckDB) or
    ``master`` (Spark).
    """
    from .session import Session

    return Session.open(path, engine, **settings)


__all__ = ["__version__", "open_lake"]
