"""A copy of the marts for BI tools, which they can read while exports run.

DuckDB lets one process at a time open a database file for writing, and no other process
open it meanwhile, not even to read: a BI tool connected to the project's database would
stop exports, and exports would cut it off. BI tools read a published copy instead: the
marts with their descriptions (table and column comments), and the table export_metadata
(when the marts were built, from which extract, by which code), written beside the target
under a temporary name and moved in place, so that a tool with the previous copy open keeps
reading it until it reconnects.

- --publish-marts FILE: a DuckDB file in the storage format of --publish-storage-version
  (default: the oldest that holds the marts, so that DuckDB 1.x readers and BI tools that
  bundle a 1.x driver open it).
- --publish-parquet DIR: one Parquet file per mart and a metadata file, a folder replaced
  whole.

Both hold the personal columns (pii.py) in the mode of --pii, like the export file; the
column descriptions and export_metadata say which.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from exporter import leftovers, report
from exporter.build_state import extract_read
from exporter.errors import ExportError, OutputFailure, output_failures
from exporter.leftovers import remove_stale
from exporter.paths import PARQUET_METADATA, Destinations, refuse_foreign
from exporter.pii import KEEP, Pii, expression, install, note, personal
from exporter.project import git_commit, identifier, literal, project_version

if TYPE_CHECKING:
    from exporter.engines import Engine

# What BI tools read: the mart without its internal columns (a view, published as a table), the
# custom field values and the data quality issues.
PUBLISHED_TABLES = ("activity_tracking_bi", "learner_custom_fields", "data_quality_issues")
PUBLISHED_RELATIONS = tuple(f"main.{table}" for table in PUBLISHED_TABLES)

# The storage formats a published DuckDB file can be written in, each named after the DuckDB
# release that introduced it (DuckDB's storage_version names; a DuckDB of that release or later
# reads it): every format this DuckDB writes. v1.0.0, the oldest, holds every type of the marts
# and their comments, and every DuckDB since 1.0 reads it; DuckDB 1.x cannot read v2.0.0.
STORAGE_VERSIONS = ("v1.0.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v2.0.0")
DEFAULT_STORAGE_VERSION = STORAGE_VERSIONS[0]

# The table export_metadata, in the published DuckDB file and in the Parquet folder's metadata
# file: one row, its columns with their DuckDB type and description.
METADATA_TABLE = "export_metadata"
METADATA_DESCRIPTION = (
    "What the published marts were built from, in one row: when they were built and published, "
    "from which raw extract, by which version of the project's code. Written by the export runner."
)
METADATA_COLUMNS = {
    "built_at": ("timestamp", "When the build that made the marts finished (UTC; main.build_state)."),
    "published_at": ("timestamp", "When the export runner published this copy (UTC)."),
    "extract": (
        "varchar",
        "The raw extract the marts were built from: the folder of raw files (--raw-path), or "
        "'the sample seeds'.",
    ),
    "build_fingerprint": (
        "varchar",
        "SHA-256 of everything the build read: the project's files, the raw extract's files and "
        "the package versions (main.build_state). Equal fingerprints, equal marts.",
    ),
    "project_version": ("varchar", "The project's version (version in dbt_project.yml)."),
    "code_fingerprint": (
        "varchar",
        "SHA-256 of the project's files, the engine and the package versions: the build "
        "fingerprint without the raw extract.",
    ),
    "git_commit": (
        "varchar",
        "The git commit checked out in the project's folder when the runner published; empty "
        "when the folder is not a git checkout (its files may differ from the commit: "
        "code_fingerprint tells).",
    ),
    "pii": (
        "varchar",
        "What the runner did to the learners' names, emails, logins and reference numbers "
        "(--pii): keep, pseudonymise (HMAC-SHA-256 under a key kept outside the copy) or drop "
        "(written empty).",
    ),
}


def publish_copies(chosen: Destinations, engine: Engine, code: str, version: str, pii: Pii) -> None:
    """--publish-marts (in storage format `version`) and --publish-parquet, if asked, once the
    export file is in place (`code`: the run's code fingerprint); a failure says that the file is
    written."""
    if chosen.marts is None and chosen.parquet is None:
        return
    assert engine.target == "duckdb"  # the copies keep DuckDB's comments: the options need it
    metadata = export_metadata(engine, code)
    try:
        if chosen.marts is not None:
            publish_marts(engine, chosen.marts.path, version, metadata, pii)
            report.current().event(
                "published",
                f"Published the marts to {chosen.marts.path} (storage {version}).",
                target=str(chosen.marts.path),
            )
        if chosen.parquet is not None:
            publish_parquet(engine, chosen.parquet.path, metadata, pii)
            report.current().event(
                "published",
                f"Published the marts as Parquet to {chosen.parquet.path}.",
                target=str(chosen.parquet.path),
            )
    except ExportError as error:
        raise OutputFailure(f"{chosen.output} is written, but: {error}") from None


def export_metadata(engine: Engine, code: str) -> dict[str, object]:
    """The row of export_metadata: what the build of `engine` recorded (main.build_state), and
    the code now (`code`, the runner's code_fingerprint, which the build's fingerprint covers)."""
    with engine.connect(("main.build_state",)) as connection:
        try:
            rows = connection.execute(
                "select built_at, raw_path, lms_schema, build_fingerprint from main.build_state"
            ).fetchall()
        except duckdb.CatalogException:  # a warehouse changed by a build that did not finish
            rows = []
    built_at, raw_path, lms_schema, fingerprint = rows[0] if len(rows) == 1 else (None, None, None, None)
    return {
        "built_at": built_at,
        "published_at": datetime.now(UTC).replace(tzinfo=None),
        "extract": extract_read(raw_path, lms_schema) if rows else None,
        "build_fingerprint": fingerprint or None,
        "project_version": project_version(),
        "code_fingerprint": code,
        "git_commit": git_commit(),
    }


def storage_version(value: str | None) -> str:
    """--publish-storage-version, checked before the build: one of STORAGE_VERSIONS."""
    if value is None:
        return DEFAULT_STORAGE_VERSION
    if value not in STORAGE_VERSIONS:
        raise ExportError(
            f"--publish-storage-version {value}: expected one of {', '.join(STORAGE_VERSIONS)} "
            f"(default {DEFAULT_STORAGE_VERSION}, which every DuckDB since 1.0 reads)."
        )
    return value


def publish_marts(
    engine: Engine, target: Path, version: str, metadata: dict[str, object], pii: Pii = KEEP
) -> None:
    """Write the marts of `engine` and export_metadata to the DuckDB file `target` in storage
    format `version` (one of STORAGE_VERSIONS), whole or not at all; the personal columns in
    `pii`'s mode."""
    remove_stale(target)
    partial = leftovers.partial(target)
    created = (partial, partial.with_name(partial.name + ".wal"))
    with output_failures(f"Cannot publish the marts to {target}"):
        if any(os.path.lexists(path) for path in created):  # not this run's: left alone
            raise FileExistsError(errno.EEXIST, "a file has the temporary name of the copy", str(partial))
        try:
            with engine.connect(PUBLISHED_RELATIONS) as connection:
                connection.execute(
                    f"attach {literal(str(partial))} as published (storage_version {literal(version)})"
                )
                try:
                    for table in PUBLISHED_TABLES:
                        _copy_table(connection, table, pii)
                    _write_metadata_table(connection, {**metadata, "pii": pii.mode})
                finally:
                    connection.execute("detach published")
            os.replace(partial, target)
        finally:
            for leftover in created:
                leftover.unlink(missing_ok=True)


def _rows_query(connection: duckdb.DuckDBPyConnection, table: str, columns: list[tuple], pii: Pii) -> str:
    """The query of `main.<table>`'s rows as published: its personal columns in `pii`'s mode
    (pseudonymise: their pseudonyms installed in `connection`)."""
    names = personal([name for name, _, _ in columns])
    if pii.mode == "keep" or not names:
        return f"from main.{table}"
    install(connection, pii, f"main.{table}", [identifier(name) for name in names])
    replaced = ", ".join(
        f"{expression(f'source.{identifier(name)}', pii)} as {identifier(name)}" for name in names
    )
    return f"select * replace ({replaced}) from main.{table} as source"


def _descriptions(
    connection: duckdb.DuckDBPyConnection, table: str, pii: Pii = KEEP
) -> tuple[str | None, list[tuple]]:
    """`main.<table>`'s description (a table's or a view's), and its columns in order: (name,
    DuckDB type, description); a personal column's description says what `pii` did to it."""
    [(description,)] = connection.execute(
        "select comment from duckdb_tables() "
        "where database_name = current_database() and schema_name = 'main' and table_name = $table "
        "union all select comment from duckdb_views() "
        "where database_name = current_database() and schema_name = 'main' and view_name = $table",
        {"table": table},
    ).fetchall()
    columns = connection.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where database_name = current_database() and schema_name = 'main' and table_name = $table "
        "order by column_index",
        {"table": table},
    ).fetchall()
    columns = [
        (name, kind, note(comment, pii) if personal([name]) else comment) for name, kind, comment in columns
    ]
    return description or None, columns


def _copy_table(connection: duckdb.DuckDBPyConnection, table: str, pii: Pii) -> None:
    """`main.<table>` into `published.main.<table>`: rows, column types and descriptions."""
    published = f"published.main.{table}"
    description, columns = _descriptions(connection, table, pii)
    connection.execute(f"create table {published} as {_rows_query(connection, table, columns, pii)}")
    if description:
        connection.execute(f"comment on table {published} is {literal(description)}")
    for column, _, comment in columns:
        if comment:
            connection.execute(f"comment on column {published}.{identifier(column)} is {literal(comment)}")


def _write_metadata_table(connection: duckdb.DuckDBPyConnection, metadata: dict[str, object]) -> None:
    published = f"published.main.{METADATA_TABLE}"
    columns = ", ".join(f"{name} {kind}" for name, (kind, _) in METADATA_COLUMNS.items())
    connection.execute(f"create table {published} ({columns})")
    connection.execute(
        f"insert into {published} values ({', '.join(f'${name}' for name in METADATA_COLUMNS)})",
        {name: metadata[name] for name in METADATA_COLUMNS},
    )
    connection.execute(f"comment on table {published} is {literal(METADATA_DESCRIPTION)}")
    for name, (_, description) in METADATA_COLUMNS.items():
        connection.execute(f"comment on column {published}.{name} is {literal(description)}")


def publish_parquet(engine: Engine, target: Path, metadata: dict[str, object], pii: Pii = KEEP) -> None:
    """Write one Parquet file per mart of `engine` and the metadata file to the folder `target`:
    built in a temporary sibling folder, then moved in place of the previous one, whole; the
    personal columns in `pii`'s mode."""
    remove_stale(target)
    partial, previous = leftovers.partial(target), leftovers.partial(target, "previous")
    with output_failures(f"Cannot publish the marts as Parquet to {target}"):
        partial.mkdir()  # new: a folder of that name already there is left alone
        moved = False
        try:
            tables = []
            with engine.connect(PUBLISHED_RELATIONS) as connection:
                for table in PUBLISHED_TABLES:
                    file = f"{table}.parquet"
                    description, columns = _descriptions(connection, table, pii)
                    connection.execute(
                        f"copy ({_rows_query(connection, table, columns, pii)}) "
                        f"to {literal(str(partial / file))} (format parquet, compression zstd)"
                    )
                    [(rows,)] = connection.execute(f"select count(*) from main.{table}").fetchall()
                    tables.append(
                        {
                            "table": table,
                            "file": file,
                            "rows": rows,
                            "description": description,
                            "columns": [
                                {"name": name, "type": kind, "description": comment}
                                for name, kind, comment in columns
                            ],
                        }
                    )
            document = {
                METADATA_TABLE: {
                    name: f"{value.isoformat()}Z" if isinstance(value, datetime) else value
                    for name, value in {**metadata, "pii": pii.mode}.items()
                },
                "tables": tables,
            }
            (partial / PARQUET_METADATA).write_text(
                json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            if target.exists():
                refuse_foreign(target)  # again: files may have been added during the build
                if os.path.lexists(previous):  # not this run's: left alone
                    raise FileExistsError(errno.EEXIST, "a file has the temporary name", str(previous))
                os.rename(target, previous)
                moved = True
                try:
                    os.rename(partial, target)
                except OSError:
                    os.rename(previous, target)
                    moved = False
                    raise
            else:
                os.rename(partial, target)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
            if moved:  # the previous set, now that the new one is in place
                shutil.rmtree(previous, ignore_errors=True)
