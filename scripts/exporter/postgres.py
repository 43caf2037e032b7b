"""PostgreSQL (profile target `postgres`): the server, the runner's locks on it, and its tables
read back into an in-memory DuckDB.

- The server and the user are libpq's standard variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
  PGDATABASE), with profiles.yml's defaults (SETTINGS; a test holds them to profiles.yml).
- The runner's locks are PostgreSQL advisory locks taken by a session of the runner's own for
  the whole command, not files: one command per export GUID (a second fails at once) and one
  command per database (others wait). They are held on the server, so runners on other
  machines see them too, keyed on the database (advisory locks belong to one database), the
  schema and the GUID, and the server releases them when that session ends, however the
  runner ends.
- The tables the runner reads are copied (COPY … TO STDOUT, CSV, in the session settings
  COPY_SETTINGS, so that no server setting changes how values are written) into an in-memory
  DuckDB, under the column names dbt's parse of the models' YAML declares (PostgreSQL folds
  unquoted names to lower case: reportid is reportId again; Engine.with_columns), so that the
  file is written by the same code as on DuckDB.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from exporter import report
from exporter.errors import BuildFailure, Busy, ExportError
from exporter.leftovers import temporary_folder
from exporter.resources import in_memory_duckdb

# profiles.yml's postgres target: each setting's variable and default
SETTINGS = {
    "host": ("PGHOST", "localhost"),
    "port": ("PGPORT", "5432"),
    "user": ("PGUSER", "postgres"),
    "password": ("PGPASSWORD", ""),
    "dbname": ("PGDATABASE", "activity_tracking"),
}
# The profile's schema: where the models are built (as on DuckDB)
SCHEMA = "main"
# What the runner's session sets before it reads: dates and times written in ISO form, floats
# whole. Not the time zone: the export is a view, computed as the runner reads it, and what it
# shows must not depend on the session's time zone, as for any reader of the view (no column
# the runner reads is a timestamp with time zone).
COPY_SETTINGS = {"DateStyle": "ISO, YMD", "IntervalStyle": "postgres", "extra_float_digits": "3"}
# PostgreSQL's type names (format_type) as DuckDB's
TYPES = {
    "bigint": "BIGINT",
    "integer": "INTEGER",
    "smallint": "SMALLINT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "text": "VARCHAR",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
}
NUMERIC = re.compile(r"numeric\((\d+),(\d+)\)")
TIMESTAMP = re.compile(r"timestamp(?:\(\d+\))? (with|without) time zone")
# The advisory locks' keys: one class of locks for the project (pg_locks shows it as classid)
LOCK_CLASS = "activity_tracking export"
# How the session holding the locks names itself (pg_stat_activity.application_name)
HOLDER = "activity_tracking export runner"


@dataclass(frozen=True)
class Server:
    """The server, database and user of the postgres target, as the environment gives them."""

    settings: dict[str, str]

    @classmethod
    def from_environment(cls) -> Server:
        settings = {
            name: os.environ.get(variable) or default for name, (variable, default) in SETTINGS.items()
        }
        if not settings["port"].isdigit():
            raise ExportError(f"PGPORT={settings['port']}: expected a port number.")
        return cls(settings)

    @property
    def name(self) -> str:
        """What messages and the manifest call it (no password)."""
        s = self.settings
        return f"postgresql://{s['user']}@{s['host']}:{s['port']}/{s['dbname']}"

    def connect(self, application_name: str = HOLDER) -> Any:
        import psycopg2

        try:
            connection = psycopg2.connect(
                **{name: value for name, value in self.settings.items() if value},
                application_name=application_name,
                connect_timeout=10,
            )
        except psycopg2.OperationalError as error:
            reason = (str(error).strip().splitlines() or ["no answer"])[0]
            raise ExportError(f"Cannot connect to PostgreSQL {self.name}: {reason}") from None
        connection.autocommit = True
        return connection

    @contextmanager
    def hold(self, export_guid: str | None, timeout: float) -> Iterator[None]:
        """The command's locks (module docstring) for the time of the block, waiting at most
        `timeout` seconds for the database's."""
        connection = self.connect(f"{HOLDER} {os.getpid()} on {socket.gethostname()}")
        try:
            with connection.cursor() as cursor:
                if export_guid is not None and not _try_lock(cursor, _lock_key("guid", export_guid)):
                    raise Busy(
                        f"Export GUID {export_guid} is in use by another export running on {self.name}: "
                        "this command stops without changing anything."
                    )
                self._wait_for_database(cursor, timeout)
            yield
        finally:
            connection.close()  # the server releases the session's advisory locks

    def _wait_for_database(self, cursor: Any, timeout: float) -> None:
        key = _lock_key("database", "")
        deadline = time.monotonic() + timeout
        waiting = False
        while not _try_lock(cursor, key):
            if time.monotonic() >= deadline:
                raise Busy(
                    f"Database {self.name} is still in use after {timeout:g} s (--lock-timeout), "
                    f"by {_holder(cursor, key)}: try again later."
                )
            if not waiting:
                report.current().event(
                    "waiting", f"Waiting for another export on {self.name} to finish...", to_err=True
                )
                waiting = True
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))

    @contextmanager
    def tables(
        self, tables: tuple[str, ...], columns: Sequence[str] = ()
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """An in-memory DuckDB holding `tables` (schema.table) as the server has them, a column
        named as in `columns` (dbt's names) whatever its case on the server; a table the build
        never made is left out."""
        names: dict[str, str] = {}
        for column in columns:
            names.setdefault(column.lower(), column)
        connection = self.connect()
        try:
            with (
                temporary_folder("postgres") as folder,
                in_memory_duckdb(folder / "spill") as duck,
                connection.cursor() as cursor,
            ):
                for setting, value in COPY_SETTINGS.items():
                    cursor.execute(f"set {setting} = %s", (value,))
                duck.execute("set TimeZone = 'UTC'")
                for schema in sorted({table.split(".")[0] for table in tables} - {"main"}):
                    duck.execute(f"create schema {schema}")
                for table in tables:
                    _copy_table(cursor, duck, table, names, folder)
                yield duck
        finally:
            connection.close()


def _lock_key(kind: str, value: str) -> int:
    """A lock's 64-bit key: the project's class of locks, the schema, the kind and the value."""
    digest = hashlib.sha256("\0".join((LOCK_CLASS, SCHEMA, kind, value)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _try_lock(cursor: Any, key: int) -> bool:
    cursor.execute("select pg_try_advisory_lock(%s)", (key,))
    return bool(cursor.fetchone()[0])


def _holder(cursor: Any, key: int) -> str:
    """The session holding the advisory lock `key`, as it names itself."""
    cursor.execute(
        "select activity.application_name, activity.client_addr from pg_locks as locks "
        "inner join pg_stat_activity as activity on activity.pid = locks.pid "
        "where locks.locktype = 'advisory' and locks.granted and locks.database = "
        "(select oid from pg_database where datname = current_database()) "
        "and ((locks.classid::bigint << 32) | locks.objid::bigint) = %s",
        (key,),
    )
    row = cursor.fetchone()
    if row is None:
        return "another session"
    application, address = row
    return f"{application or 'another session'}" + (f" ({address})" if address else "")


def duckdb_type(postgres_type: str) -> str:
    """DuckDB's type for a column of PostgreSQL's type `postgres_type` (format_type's name)."""
    if match := NUMERIC.fullmatch(postgres_type):
        return f"DECIMAL({match.group(1)},{match.group(2)})"
    if match := TIMESTAMP.fullmatch(postgres_type):
        return TYPES[f"timestamp {match.group(1)} time zone"]
    return TYPES.get(postgres_type, "VARCHAR")


# a column's type, a domain read as its base type (the models' `string` is a domain over text)
COLUMNS = """
    select attribute.attname, format_type(
        case when type.typtype = 'd' then type.typbasetype else attribute.atttypid end,
        case when type.typtype = 'd' then type.typtypmod else attribute.atttypmod end
    )
    from pg_catalog.pg_attribute as attribute
    inner join pg_catalog.pg_class as relation on relation.oid = attribute.attrelid
    inner join pg_catalog.pg_namespace as namespace on namespace.oid = relation.relnamespace
    inner join pg_catalog.pg_type as type on type.oid = attribute.atttypid
    where namespace.nspname = %s and relation.relname = %s
        and attribute.attnum > 0 and not attribute.attisdropped
    order by attribute.attnum
"""


def _copy_table(cursor: Any, duck: duckdb.DuckDBPyConnection, table: str, names: dict, folder: Path) -> None:
    """Copy `table` from the server into the DuckDB `duck` through a CSV file in `folder`."""
    import psycopg2

    schema, name = table.split(".")
    cursor.execute(COLUMNS, (schema, name))
    columns = [(names.get(column, column), duckdb_type(data_type)) for column, data_type in cursor.fetchall()]
    if not columns:
        return
    quoted = ", ".join(f'"{column}" {data_type}' for column, data_type in columns)
    duck.execute(f"create table {table} ({quoted})")
    path = folder / f"{table}.csv"
    try:
        with path.open("wb") as target:
            cursor.copy_expert(
                f"copy (select * from {schema}.{name}) to stdout "
                "with (format csv, null '\\N', encoding 'UTF8')",
                target,
            )
    except psycopg2.Error as error:
        raise BuildFailure(f"Cannot read PostgreSQL table {table}: {str(error).strip()}") from None
    types = "{" + ", ".join(f"'{column}': '{data_type}'" for column, data_type in columns) + "}"
    duck.execute(
        f"insert into {table} select * from read_csv(?, header = false, columns = {types}, "
        "delim = ',', quote = '\"', escape = '\"', nullstr = '\\N', allow_quoted_nulls = false, "
        "auto_detect = false)",
        [str(path)],
    )
    path.unlink()
