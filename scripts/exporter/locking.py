"""Locks beside the database file: one export at a time per database, fail fast per GUID.

The lock files (`.<database>.lock`, `.<database>.guid-<hash>.lock`) stay beside the
database; they hold no data, and the operating system releases a lock when its process ends.
"""

from __future__ import annotations

import fcntl
import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exporter.errors import ExportError


@contextmanager
def export_guid_lock(database: Path, export_guid: str | None) -> Iterator[None]:
    """Held while an export of `export_guid` runs; a second one fails at once (SPEC §5.4)."""
    if export_guid is None:
        yield
        return
    digest = hashlib.sha256(export_guid.encode("utf-8")).hexdigest()[:16]
    path = database.with_name(f".{database.name}.guid-{digest}.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(
                f"Another export of GUID {export_guid} is running on {database}: "
                "this one stops without changing anything."
            ) from None
        yield


@contextmanager
def database_lock(database: Path) -> Iterator[None]:
    """Held from the build to the end: two exports never interleave on one database."""
    if not database.parent.is_dir():
        raise ExportError(f"Database folder {database.parent} does not exist.")
    path = database.with_name(f".{database.name}.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another export on {database} to finish...", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
