"""The engine an export builds on, and how the runner reads back what dbt built.

- duckdb (default): the DuckDB file; the runner reads its tables directly.
- spark: a local Spark, started inside the runner's process by dbt-spark (profile target
  `spark`, method session), its tables stored as Parquet under one folder (warehouse and
  metastore). The runner reads the tables it needs from their Parquet files with an
  in-memory DuckDB, so the file is written by the same code, byte for byte, as on DuckDB.
- postgres: a PostgreSQL server (profile target `postgres`, libpq's PG* variables): the
  runner's locks are advisory locks on the server, and it copies the tables it needs into an
  in-memory DuckDB (postgres.py), for the same reason.

Every read of what dbt built (the build state, the delta state, the data quality issues, the
export file's rows, the published copies) opens its connection through `Engine.connect`, and
the runner's hold on the database through `Engine.hold`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import portalocker

from exporter.errors import BuildFailure, Busy, ExportError
from exporter.locking import exclusive_use, keep_open
from exporter.paths import location_problem
from exporter.postgres import Server
from exporter.project import CUSTOM_FIELDS, EXPORT, MART, PROJECT_DIR, literal
from exporter.resources import in_memory_duckdb

# dbt target name of an engine keeping its data in a local file or folder: (environment
# variable naming the location, default location)
LOCATIONS = {
    "duckdb": ("ACTIVITY_TRACKING_DB", "build/activity_tracking.duckdb"),
    "spark": ("ACTIVITY_TRACKING_SPARK_DIR", "build/spark"),
}
# Every engine the runner builds on (--target): those of LOCATIONS, and a PostgreSQL server
TARGETS = (*LOCATIONS, "postgres")
# What dbt-duckdb can carry (see database_path_problem): a path that holds no ';', '?', '#' or
# backslash, whose database name holds no quote and no control character (a tab, a line break…).
NOT_IN_PATH = (";", "?", "#", "\\")
NOT_IN_NAME = ("'", '"', *map(chr, range(32)), chr(127))
# Catalog names DuckDB keeps for itself: a file named so is opened as `<name>_db`, which is not
# the name dbt-duckdb gives it.
RESERVED_NAMES = ("system", "temp", "main")
# What a local Spark's settings can carry (profiles.yml): letters, digits, spaces, '-', '_',
# '.' and folder separators.
SPARK_FOLDER = re.compile(r"[\w ./-]+")
# What the runner reads from a build: the export, the mart (column types), the custom
# fields, the data quality issues, what the build was made from and the delta state.
READ_TABLES = (
    EXPORT,
    "main.build_state",
    MART,
    CUSTOM_FIELDS,
    "main.data_quality_issues",
    "delta_state.export_runs",
)


@dataclass(frozen=True)
class Engine:
    """A dbt target of profiles.yml and where it keeps its data: a local file or folder
    (`location`), or a PostgreSQL server (`server`)."""

    target: str
    location: Path | None
    server: Server | None = None
    # the column names dbt declares for the tables the runner reads (with_columns)
    columns: tuple[str, ...] = ()

    @property
    def database(self) -> str:
        """What messages and the manifest call where the data is: the file, the folder, or
        postgresql://user@host:port/database."""
        return self.server.name if self.server is not None else str(self.location)

    @classmethod
    def from_environment(cls, target: str) -> Engine:
        """The target's location (its environment variable, relative to the project, or the
        default), exported to the environment for profiles.yml; a server's from libpq's
        variables."""
        if target == "postgres":
            return cls(target, None, Server.from_environment())
        variable, default = LOCATIONS[target]
        given = os.environ.get(variable) or default  # empty: unset
        try:
            location = (PROJECT_DIR / Path(given).expanduser()).resolve()
        except (OSError, RuntimeError) as error:  # a loop of links (RuntimeError before Python 3.13)
            raise ExportError(f"{variable}={given}: {getattr(error, 'strerror', None) or error}.") from None
        problem = database_path_problem(location) if target == "duckdb" else spark_folder_problem(location)
        problem = problem or location_problem(location, folder=target != "duckdb")
        if problem:
            raise ExportError(f"{variable}={location}: {problem}")
        os.environ[variable] = str(location)
        return cls(target, location)

    def with_columns(self, declared: Mapping[str, Sequence[str]]) -> Engine:
        """This engine, reading its tables under the column names dbt declares for the models of
        READ_TABLES (`declared`: by model; build.declared_columns): a server folds unquoted names
        to lower case (reportid), and the file needs dbt's (reportId). The names of those models
        are pooled: the export's columns are the mart's, which only the mart's YAML declares."""
        models = [table.split(".")[1] for table in READ_TABLES if table.startswith("main.")]
        names = (name for model in models for name in declared.get(model, ()))
        return dataclasses.replace(self, columns=tuple(dict.fromkeys(names)))

    @contextmanager
    def hold(self, export_guid: str | None, lock_timeout: float) -> Iterator[None]:
        """This command's hold on the location (locking.py), waiting at most `lock_timeout`
        seconds for another export on it; a DuckDB file also stays open. On a server, the
        locks are the server's (postgres.py)."""
        if self.server is not None:
            with self.server.hold(export_guid, lock_timeout):
                yield
            return
        assert self.location is not None
        with exclusive_use(self.location, export_guid, lock_timeout):
            if self.target == "duckdb":
                with keep_open(self.location, LOCATIONS[self.target][0]):
                    yield
            else:
                spark_usable(self.location)
                yield

    @contextmanager
    def connect(self, tables: tuple[str, ...] = READ_TABLES) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection in which the built tables are `main.<table>`, `delta_state.<table>`:
        at least `tables` (READ_TABLES), which a server's are copied from."""
        if self.server is not None:
            with self.server.tables(tables, self.columns) as connection:
                yield connection
            return
        assert self.location is not None
        if self.target == "duckdb":
            with duckdb.connect(str(self.location)) as connection:
                yield connection
            return
        # spilling next to the Spark folder, as DuckDB does next to its file
        with in_memory_duckdb(Path(f"{self.location}.tmp")) as connection:
            connection.execute("set TimeZone = 'UTC'")
            connection.execute("create schema delta_state")
            for table in tables:
                self.read_spark_table(connection, table)
            yield connection

    def read_spark_table(self, connection: duckdb.DuckDBPyConnection, table: str) -> None:
        """`table` (schema.table) as a view over its Parquet files, if it was built."""
        files = self.parquet_files(table)
        if not files:
            return
        listed = ", ".join(literal(str(path)) for path in files)
        try:
            connection.execute(f"create view {table} as select * from read_parquet([{listed}])")
        except duckdb.Error as error:
            raise BuildFailure(f"Cannot read Spark table {table} in {files[0].parent}: {error}") from None

    def parquet_files(self, table: str) -> list[Path]:
        """The Parquet files of a Spark table (schema.table) under the warehouse folder; none
        when the table was never built. Named one by one: the folder's path is not a pattern."""
        schema, name = table.split(".")
        assert self.location is not None
        return sorted((self.location / "warehouse" / f"{schema}.db" / name).glob("*.parquet"))


def database_name(location: Path) -> str:
    """The name DuckDB gives the database of a file: its name up to the first dot (leading dots
    aside), e.g. `activity_tracking` for `activity_tracking.duckdb`."""
    return location.name.lstrip(".").split(".")[0]


def database_path_problem(location: Path) -> str | None:
    """Why dbt-duckdb cannot build into the DuckDB file `location`, or None.

    dbt-duckdb reads the path as a URL (a ';', '?' or '#' ends the file name it sees), DuckDB
    reads a backslash as a folder separator, dbt-duckdb writes the database's name into its
    own SQL unescaped, between quotes, and derives that name through Python's URL parser,
    which drops tabs and line breaks. So a path is taken only when it holds none of those
    characters and its database name holds no quote, tab or line break, nor any other control
    character, which the lms source refuses in the names it reads from (lms_source); any other
    character, letters of every script included, is taken.
    """
    # (as_posix: on Windows the backslash separates folders and is not in the names)
    if any(character in location.as_posix() for character in NOT_IN_PATH):
        return (
            "dbt-duckdb cannot open a database whose path holds ';', '?', '#' or '\\': choose another path."
        )
    name = database_name(location)
    if name.lower() in RESERVED_NAMES:
        return (
            f"the database would be named {name!r} (the file name up to its first "
            f"dot), a name DuckDB keeps for itself ({', '.join(RESERVED_NAMES)}): name the file otherwise "
            "(e.g. activity_tracking.duckdb)."
        )
    # (dbt strips the spaces around a database name: " a" reaches its SQL as "a", which is not
    # the catalog DuckDB opened, and a name of spaces alone as "")
    if not name or name != name.strip() or any(character in name for character in NOT_IN_NAME):
        return (
            f"the database would be named {name!r} (the file name up to its first dot), which "
            "dbt-duckdb cannot use: name the file with no quote, control character (a tab, a line "
            "break…) or space at either end, and something before its first dot "
            "(e.g. activity_tracking.duckdb)."
        )
    return None


def spark_folder_problem(location: Path) -> str | None:
    """Why a local Spark cannot keep its tables in the folder `location`, or None: the folder
    goes into Java options and into Derby's connection URL (profiles.yml), where a quote, a ';'
    and others change their meaning."""
    if SPARK_FOLDER.fullmatch(str(location)):
        return None
    return (
        "a local Spark's folder may hold only letters, digits, spaces, '-', '_' and '.' in its path "
        "(it goes into Java options and Derby's connection URL): choose another folder."
    )


def spark_usable(location: Path) -> None:
    """Fail before the build, with one message, when a local Spark cannot start on `location`:
    no Java, or the folder's metastore (an embedded Derby database, one process at a time)
    open in another process."""
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise ExportError(
            "--target spark needs Java 17 (a local Spark runs on it): install it or set JAVA_HOME."
        )
    # Derby holds a lock on this file for as long as a process has the metastore open
    lock_file = location / "metastore_db" / "dbex.lck"
    if not lock_file.exists():
        return
    # Java's file locks are record locks (lockf) on POSIX systems, not flock's; portalocker's
    # default locker elsewhere (Windows)
    lockf = getattr(portalocker.portalocker, "LockfLocker", None)
    lock, unlock = (lockf().lock, lockf().unlock) if lockf else (portalocker.lock, portalocker.unlock)
    with lock_file.open("rb+") as handle:
        try:
            lock(handle, portalocker.LOCK_EX | portalocker.LOCK_NB)
        except portalocker.AlreadyLocked:
            raise Busy(
                f"Spark folder {location} is in use by another process (its metastore is open): "
                "this command stops without changing anything."
            ) from None
        unlock(handle)
