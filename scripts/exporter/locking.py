"""The runner's hold on its database for a whole command (build, file, delta state).

- one command per export GUID at a time: a second one fails at once, changing nothing
;
- one command per database (DuckDB file, or Spark folder) at a time: a command for another
  GUID waits for its turn;
- and, while it runs, a DuckDB file stays open in the runner (`keep_open`), so that no other
  process (a plain `dbt build`, a tool writing to it) can change what is being exported:
  DuckDB lets one process at a time open a file for writing. (A local Spark's metastore is
  an embedded Derby database, which one process at a time can open once the build started.)

The lock files (`.<database>.lock`, `.<database>.guid-<hash>.lock`) stay beside the
database; they hold no data (the database's names the process holding it, for the message
of a command that waited `--lock-timeout` seconds in vain), and the operating system
releases a lock when its process ends. The locks are portalocker's: `flock` on POSIX systems,
`LockFileEx` (or msvcrt's locking) on Windows.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb
import portalocker

from exporter import report
from exporter.errors import Busy, ExportError


@contextmanager
def exclusive_use(database: Path, export_guid: str | None, timeout: float) -> Iterator[None]:
    """Hold `database` (and `export_guid`, if any) for the time of the block, waiting at most
    `timeout` seconds for the database. (The folder was checked: Engine.from_environment.)"""
    try:
        with _export_guid_lock(database, export_guid), _database_lock(database, timeout):
            yield
    except OSError as error:
        if error.filename is None or not Path(error.filename).name.startswith(f".{database.name}."):
            raise
        raise ExportError(
            f"The lock file {error.filename} beside {database} cannot be written: {error.strerror}."
        ) from None


@contextmanager
def _export_guid_lock(database: Path, export_guid: str | None) -> Iterator[None]:
    if export_guid is None:
        yield
        return
    digest = hashlib.sha256(export_guid.encode("utf-8")).hexdigest()[:16]
    path = database.with_name(f".{database.name}.guid-{digest}.lock")
    with path.open("a") as handle:
        if not _try_lock(handle):
            raise Busy(
                f"Export GUID {export_guid} is in use by another export running on {database}: "
                "this command stops without changing anything."
            )
        yield


@contextmanager
def _database_lock(database: Path, timeout: float) -> Iterator[None]:
    """The database's lock; its file names the process holding it, for whoever waits."""
    path = database.with_name(f".{database.name}.lock")
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        waiting = False
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise Busy(
                    f"Database {database} is still in use after {timeout:g} s (--lock-timeout), "
                    f"by {_holder(handle)}: try again later."
                )
            if not waiting:
                report.current().event(
                    "waiting", f"Waiting for another export on {database} to finish...", to_err=True
                )
                waiting = True
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()} ({' '.join(sys.argv) or 'python'})\n")
        handle.flush()
        yield


def _try_lock(handle: IO) -> bool:
    """Take the exclusive lock of the open file `handle` if no other process holds it."""
    try:
        portalocker.lock(handle, portalocker.LOCK_EX | portalocker.LOCK_NB)
    except portalocker.AlreadyLocked:
        return False
    return True


def _holder(handle: IO) -> str:
    """Who holds the database's lock, as its lock file says (Windows may refuse the read)."""
    try:
        handle.seek(0)
        return handle.read().strip() or "another process"
    except OSError:
        return "another process"


# DuckDB's words when another process has the file open
LOCK_CONFLICT = "Could not set lock on file"


@contextmanager
def keep_open(database: Path, variable: str) -> Iterator[None]:
    """Keep the DuckDB file `database` (named by the environment variable `variable`) open for
    the time of the block."""
    try:
        connection = duckdb.connect(str(database))
    except duckdb.Error as error:
        reason = str(error).splitlines()[0]
        if LOCK_CONFLICT in reason:
            raise Busy(f"Database {database} is in use by another process: {reason}") from None
        raise ExportError(f"{variable}={database}: DuckDB cannot open it: {reason}") from None
    try:
        yield
    finally:
        connection.close()
