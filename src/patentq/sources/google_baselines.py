"""The baselines query's result (``patentq export-query google --query baselines``): the population.

Each row is one cohort (priority year × WIPO field) and either a measure value with the number
of families holding it (``baselines``) or, for ``measure = inventor_country``, the number of
families with an inventor in that country (``baseline_countries``). The indicators place a lake
family in its cohort's population wherever the lake holds one (``cohort_basis``, docs/indicators.md).
A row with a measure patentq does not know, or a value or count that is not a number, is
quarantined with its line.
"""

from __future__ import annotations

from pathlib import Path

from .base import Sink
from .bq_results import load_result

FORMAT = "google-baselines"
DESCRIPTION = "Google Patents population baselines: the result of `patentq export-query google --query baselines`"
#: What this format carries (patentq.capabilities.FIELDS): cohort populations of the whole source.
PROVIDES = {"population_baselines": "yes"}
PARALLEL = True

#: The measures the baselines query computes (the cohort components of docs/indicators.md).
MEASURES = ("fwd_cits_5", "fwd_cits_5_foreign", "fwd_cits_5_xapp", "family_size", "claims", "generality",
            "bwd_cits", "grant_lag_days")
FIELDS = {"cohort_year": '"VARCHAR"', "cohort_field": '"VARCHAR"', "measure": '"VARCHAR"', "value": '"VARCHAR"',
          "inventor_country": '"VARCHAR"', "families": '"VARCHAR"'}


def ingest(path: Path, sink: Sink) -> None:
    load_result(path, sink, FIELDS, "measure", "baselines result", "gb_rec")
    con = sink.con
    known = ", ".join(f"'{m}'" for m in MEASURES + ("inventor_country",))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE gb AS
        SELECT line_no, try_cast(cohort_year AS SMALLINT) AS y, try_cast(cohort_field AS SMALLINT) AS f,
               lower(trim(measure)) AS m, try_cast(value AS DOUBLE) AS v, pq_country(inventor_country) AS c,
               try_cast(families AS BIGINT) AS n,
               CASE WHEN lower(trim(measure)) NOT IN ({known}) THEN 'unknown measure'
                    WHEN try_cast(cohort_year AS SMALLINT) IS NULL OR try_cast(cohort_field AS SMALLINT) IS NULL
                      THEN 'cohort year or field not a number'
                    WHEN try_cast(families AS BIGINT) IS NULL OR try_cast(families AS BIGINT) < 0
                      THEN 'families not a count'
                    WHEN lower(trim(measure)) = 'inventor_country' AND pq_country(inventor_country) IS NULL
                      THEN 'no inventor country'
                    WHEN lower(trim(measure)) <> 'inventor_country' AND try_cast(value AS DOUBLE) IS NULL
                      THEN 'value not a number'
               END AS problem
        FROM gb_rec""")
    for line, problem, measure in con.execute("SELECT line_no, problem, m FROM gb WHERE problem IS NOT NULL "
                                              "ORDER BY line_no").fetchall():
        sink.reject(int(line), f"{problem}: {measure}")
    sink.copy_sql("baselines", {"source": "'google-baselines'", "cohort_year": "y", "cohort_field": "f", "measure": "m",
                                "value": "v", "families": "n"},
                  "gb WHERE problem IS NULL AND m <> 'inventor_country' ORDER BY line_no")
    sink.copy_sql("baseline_countries", {"source": "'google-baselines'", "cohort_year": "y", "cohort_field": "f",
                                         "inventor_country": "c", "families": "n"},
                  "gb WHERE problem IS NULL AND m = 'inventor_country' ORDER BY line_no")
