"""A copy of the marts for BI tools, which they can read while exports run.

DuckDB lets one process at a time open a database file for writing, and no other process
open it meanwhile, not even to read: a BI tool connected to the project's database would
stop exports, and exports would cut it off. BI tools read a published copy instead: the
marts with their descriptions (table and column comments), written beside the target under
a temporary name and moved in place, so that a tool with the previous copy open keeps
reading it until it reconnects.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from exporter.errors import ExportError
from exporter.writer import identifier, literal, remove_stale_partials

PUBLISHED_TABLES = ("activity_tracking", "learner_custom_fields", "data_quality_issues")


def publish_marts(database: Path, target: Path) -> None:
    """Write the marts of `database` to the DuckDB file `target`, whole or not at all."""
    remove_stale_partials(target)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    leftovers = (partial, partial.with_name(partial.name + ".wal"))
    try:
        with duckdb.connect(str(database)) as connection:
            connection.execute(f"attach {literal(str(partial))} as published")
            try:
                for table in PUBLISHED_TABLES:
                    _copy_table(connection, table)
            finally:
                connection.execute("detach published")
        os.replace(partial, target)
    except OSError as error:
        raise ExportError(f"Cannot publish the marts to {target}: {error.strerror or error}.") from None
    except duckdb.Error as error:
        raise ExportError(f"Cannot publish the marts to {target}: {error}") from None
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _copy_table(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """`main.<table>` into `published.main.<table>`: rows, column types and descriptions."""
    connection.execute(f"create table published.main.{table} as from main.{table}")
    comments = connection.execute(
        "select null as column_name, comment from duckdb_tables() "
        "where database_name = current_database() and schema_name = 'main' and table_name = $table "
        "union all "
        "select column_name, comment from duckdb_columns() "
        "where database_name = current_database() and schema_name = 'main' and table_name = $table",
        {"table": table},
    ).fetchall()
    for column, comment in comments:
        if not comment:
            continue
        published = f"published.main.{table}"
        subject = f"table {published}" if column is None else f"column {published}.{identifier(column)}"
        connection.execute(f"comment on {subject} is {literal(comment)}")
