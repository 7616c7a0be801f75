"""Apache Spark: the same stage SQL, transpiled from DuckDB to Spark SQL with sqlglot.

Spark reads the lake's Parquet files directly and writes derived tables back as Parquet, so a
lake prepared on a laptop can be processed on a cluster and vice versa. ``master`` is
``local[*]`` by default; a cluster URL (``spark://…``, ``yarn``) or ``$SPARK_REMOTE`` (Spark
Connect, e.g. Databricks) selects a cluster.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa

from ..errors import MissingDependencyError, StageError
from ..schema import CANONICAL
from .base import Engine

_SESSIONS: dict = {}


def transpile(sql: str) -> str:
    """DuckDB-dialect stage SQL → Spark SQL.

    Decimal literals (``0.01``) become DOUBLE: Spark would otherwise do decimal arithmetic with
    its own precision rules and round intermediate results (1/3 → 0.333333), where DuckDB's
    results are doubles.
    """
    import sqlglot
    from sqlglot import exp

    def doubles(node):
        if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
            return exp.Cast(this=node.copy(), to=exp.DataType.build("DOUBLE"))
        return node

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise StageError(f"stage SQL cannot be transpiled to Spark: {exc}", sql=sql) from exc
    return tree.transform(doubles).sql(dialect="spark")


def spark_session(master: str | None = None):
    """One shared session per master (starting a JVM costs seconds)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingDependencyError(
            "--engine spark needs pyspark", hint="install it with: pip install 'patentq[spark]' (and Java 17+)"
        ) from exc
    remote = os.environ.get("SPARK_REMOTE") if master is None else None
    key = remote or master or "local[*]"
    if key in _SESSIONS:
        return _SESSIONS[key]
    builder = SparkSession.builder.appName("patentq")
    if remote:
        builder = builder.remote(remote)
    else:
        builder = (
            builder.master(key)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", os.environ.get("PATENTQ_SPARK_PARTITIONS", "8"))
            .config("spark.driver.memory", os.environ.get("PATENTQ_SPARK_DRIVER_MEMORY", "4g"))
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.ansi.enabled", "false")  # DuckDB semantics: x/0 is NULL, not an error
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR") if not remote else None
    _SESSIONS[key] = session
    return session


def _spark_schema(schema: pa.Schema):
    from pyspark.sql import types as T

    def convert(t):
        if pa.types.is_list(t):
            return T.ArrayType(convert(t.value_type))
        return {
            pa.string(): T.StringType(), pa.date32(): T.DateType(), pa.int16(): T.ShortType(),
            pa.int32(): T.IntegerType(), pa.int64(): T.LongType(), pa.float64(): T.DoubleType(),
            pa.bool_(): T.BooleanType(),
        }[t]

    return T.StructType([T.StructField(f.name, convert(f.type), True) for f in schema])


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, lake, master: str | None = None, **_ignored):
        super().__init__(lake)
        self.master = master
        self.spark = spark_session(master)
        self.refresh()

    def refresh(self) -> None:
        if self.lake is None:
            return
        for table in self.lake.tables():
            files = [str(p) for p in self.lake.parts(table)]
            if files:
                frame = self.spark.read.option("mergeSchema", "true").parquet(*files)
            elif table in CANONICAL:
                frame = self.spark.createDataFrame([], _spark_schema(CANONICAL[table]))
            else:
                continue
            frame.createOrReplaceTempView(table)

    def sql(self, sql: str):
        return self.spark.sql(transpile(sql))

    def _query(self, sql: str) -> pa.Table:
        return self.sql(sql).toArrow()

    def _create_view(self, name: str, sql: str) -> None:
        self.sql(sql).createOrReplaceTempView(name)

    def register_arrow(self, name: str, table: pa.Table) -> None:
        if table.num_rows:
            frame = self.spark.createDataFrame(table.to_pandas(), schema=_spark_schema(table.schema))
        else:
            frame = self.spark.createDataFrame([], _spark_schema(table.schema))
        frame.createOrReplaceTempView(name)

    def limits(self) -> dict:
        conf = self.spark.conf
        return {"master": self.master or "local[*]",
                "driver memory": conf.get("spark.driver.memory", None),
                "shuffle partitions": conf.get("spark.sql.shuffle.partitions", None)}

    def classify(self, exc: BaseException) -> str | None:
        text = str(exc)
        if "OutOfMemoryError" in text or "Java heap space" in text:
            return "memory"
        if "No space left on device" in text:
            return "disk"
        return None

    def _write_parquet(self, sql: str, folder) -> list:
        folder = Path(folder)
        out = folder / "_spark"
        self.sql(sql).write.mode("overwrite").option("compression", "zstd").parquet(str(out))
        files = []
        for i, part in enumerate(sorted(out.glob("part-*.parquet"))):
            target = folder / f"part-{i:05d}.parquet"
            os.replace(part, target)
            files.append(target)
        shutil.rmtree(out, ignore_errors=True)
        return files
