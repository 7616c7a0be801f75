"""patentq: measure innovation in a technology field from patent data, by quality as well as number."""

__version__ = "0.1.0"


def open_lake(path=None):
    """Open a lake folder for reading (see :class:`patentq.lake.Lake`)."""
    from .lake import Lake

    return Lake.open(path)


__all__ = ["__version__", "open_lake"]
