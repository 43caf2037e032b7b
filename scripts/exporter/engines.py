"""The engine an export builds on (SPEC §9), and how the runner reads back what dbt built.

- duckdb (default): the DuckDB file; the runner reads its tables directly.
- spark: a local Spark, started inside the runner's process by dbt-spark (profile target
  `spark`, method session), its tables stored as Parquet under one folder (warehouse and
  metastore). The runner reads the tables it needs from their Parquet files with an
  in-memory DuckDB, so the file is written by the same code, byte for byte, as on DuckDB.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from exporter.build import PROJECT_DIR
from exporter.locking import exclusive_use, keep_open
from exporter.writer import literal

# dbt target name: (environment variable naming the location, default location)
LOCATIONS = {
    "duckdb": ("ACTIVITY_TRACKING_DB", "build/activity_tracking.duckdb"),
    "spark": ("ACTIVITY_TRACKING_SPARK_DIR", "build/spark"),
}
# What the runner reads from a build: the export, the mart (column types), the custom
# fields, the data quality issues and the delta state.
READ_TABLES = (
    "main.activity_tracking_export",
    "main.activity_tracking",
    "main.learner_custom_fields",
    "main.data_quality_issues",
    "delta_state.export_runs",
)


@dataclass(frozen=True)
class Engine:
    """A dbt target of profiles.yml and where it keeps its data."""

    target: str
    location: Path

    @classmethod
    def from_environment(cls, target: str) -> Engine:
        """The target's location (its environment variable, relative to the project, or the
        default), exported to the environment for profiles.yml."""
        variable, default = LOCATIONS[target]
        location = (PROJECT_DIR / os.environ.get(variable, default)).resolve()
        os.environ[variable] = str(location)
        return cls(target, location)

    @contextmanager
    def hold(self, export_guid: str | None) -> Iterator[None]:
        """This command's hold on the location (locking.py); a DuckDB file also stays open."""
        with exclusive_use(self.location, export_guid):
            if self.target == "duckdb":
                with keep_open(self.location):
                    yield
            else:
                yield

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection in which the built tables are `main.<table>`, `delta_state.<table>`."""
        if self.target == "duckdb":
            with duckdb.connect(str(self.location)) as connection:
                yield connection
            return
        with duckdb.connect() as connection:
            connection.execute("set TimeZone = 'UTC'")
            connection.execute("create schema delta_state")
            for table in READ_TABLES:
                files = self.parquet_files(table)
                if files is not None:
                    connection.execute(f"create view {table} as select * from read_parquet({literal(files)})")
            yield connection

    def parquet_files(self, table: str) -> str | None:
        """The Parquet files of a Spark table (schema.table) under the warehouse folder, as a
        glob; None when the table was never built."""
        schema, name = table.split(".")
        folder = self.location / "warehouse" / f"{schema}.db" / name
        if not any(folder.glob("*.parquet")):
            return None
        return str(folder / "*.parquet")
