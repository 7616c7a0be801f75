"""``patentq export-query``: print the query to run at a data provider for a landscape."""

from __future__ import annotations

import click

from ..errors import UsageError
from ..sources.sql import FALLBACK_CPC_PREFIXES
from ..sources.sql.context import QUERIES, google_queries


def landscape_prefixes(name: str) -> tuple[list[str], str]:
    """CPC prefixes of a landscape: from its definition, else the documented fallback list."""
    from ..landscapes import load

    try:
        return load(name).cpc_prefixes(), f"landscape definition {name!r}"
    except UsageError:
        if name not in FALLBACK_CPC_PREFIXES:
            raise
    if name in FALLBACK_CPC_PREFIXES:
        return FALLBACK_CPC_PREFIXES[name], f"fallback CPC list for {name!r} (patentq.sources.sql)"
    raise UsageError(f"no landscape named {name!r}", hint="pass --cpc PREFIX (repeatable) or a landscape YAML file")


def landscape_keywords(name: str) -> str | None:
    """The keyword gate of a landscape definition (None for the fallback lists)."""
    from ..landscapes import load

    try:
        return load(name).keyword_regex()
    except UsageError:
        return None


@click.command("export-query")
@click.argument("source", type=click.Choice(["google"]))
@click.option("--landscape", default=None, help="Landscape name or YAML file whose CPC codes restrict the export.")
@click.option("--cpc", "cpc", multiple=True, help="CPC code prefix (repeatable), instead of or on top of --landscape.")
@click.option("--since", type=click.IntRange(1800, 2200), default=None, help="First publication year.")
@click.option("--until", type=click.IntRange(1800, 2200), default=None, help="Last publication year.")
@click.option("--no-claims", is_flag=True, help="Leave out claims_localized, the largest column (no claim counts).")
@click.option("--no-keywords", is_flag=True, help="CPC prefixes only: leave out the keyword prefilter over the "
              "localized titles and abstracts (it loses the members the definition finds by words alone).")
@click.option("--query", "which", type=click.Choice(["all", *QUERIES]), default="all", show_default=True,
              help="Which query: the candidates, the documents citing them, the population baselines, or all three.")
def export_query(source, landscape, cpc, since, until, no_claims, no_keywords, which):
    """Print the SOURCE export queries restricted to a landscape's CPC codes and keywords.

    For google: the candidate query (`patentq ingest google`), the citing-documents query
    (`patentq ingest google-citing`) and the population baselines query (`patentq ingest
    google-baselines`). Run each in BigQuery, export its result as newline-delimited JSON or
    Parquet (baselines also CSV) and ingest it. See docs/bigquery.md.
    """
    if not landscape and not cpc:
        raise UsageError("give --landscape NAME or at least one --cpc PREFIX", hint="e.g. --landscape genai")
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}", hint="give the first year first")
    prefixes, origin, keywords = list(cpc), "--cpc", None
    if landscape:
        found, origin = landscape_prefixes(landscape)
        prefixes += found
        keywords = None if no_keywords else landscape_keywords(landscape)
    if not prefixes and not keywords:
        raise UsageError(f"landscape {landscape!r} has no CPC codes to restrict the export to",
                         hint="pass --cpc PREFIX")
    click.echo(f"-- CPC prefixes from the {origin}", err=True)
    click.echo(google_queries(prefixes, landscape or "custom", claims=not no_claims, since=since, until=until,
                              keywords=keywords, which=which))


def register(main):
    main.add_command(export_query)
