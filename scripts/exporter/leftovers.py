"""The temporary names a run writes under, and the removal of a killed run's by the next run.

A run writes under names that carry its tag, the host's and its process's ids
(`<host>-<pid>`): a file's partial version beside it (`.<name>.partial-<tag>`, `partial`),
the previous Parquet folder while it is replaced (`.<name>.previous-<tag>`), and its temporary
folders in the system's temporary folder (`activity_tracking_<purpose>_<tag>_<random>`,
`temporary_folder`). A partial file is created new (`create`): never through a link, never
over a file already there. A run killed with SIGKILL cannot remove them; the next run on the
same host removes those whose process is gone, and only those: a name that does not follow
the pattern exactly, another host's (a temporary folder or an output folder shared between
machines or containers), a special file, a link or another user's folder is left alone. On
Windows, where a process cannot be probed without ending it, nothing is removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

# The prefix of the runner's temporary folders in the system's temporary folder.
TEMPORARY_PREFIX = "activity_tracking_"
# This host, as the names carry it: a digest of its name (a process id means something on
# its host only).
HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]
_TAG = r"([0-9a-f]{8})-([0-9]+)"
_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"[a-z]+_" + _TAG + r"_[A-Za-z0-9_]+")
# What a name's temporary version adds to it, at most: `.`, `.manifest.json` (the manifest's own
# temporary name is built on the output's), `.previous-`, the tag and `.wal` (DuckDB's).
LONGEST_ADDITION = len(".") + len(".previous-") + 8 + 1 + 10 + len(".wal")


def tag() -> str:
    """This run's tag: the host's and the process's ids."""
    return f"{HOST}-{os.getpid()}"


def partial(path: Path, kind: str = "partial") -> Path:
    """The temporary name beside `path` under which this run writes it (`kind`: partial, or
    previous for a folder being replaced)."""
    return path.with_name(f".{path.name}.{kind}-{tag()}")


def create(path: Path) -> BinaryIO:
    """`path` created new for writing: never through a symbolic link, never over a file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags, 0o666), "wb")


@contextmanager
def temporary_folder(purpose: str) -> Iterator[Path]:
    """A temporary folder of this run, removed at the end (`purpose`: lowercase letters, e.g.
    `dbt`); a killed run's is removed by the next run (`remove_stale`)."""
    with tempfile.TemporaryDirectory(prefix=f"{TEMPORARY_PREFIX}{purpose}_{tag()}_") as folder:
        yield Path(folder)


def remove_stale(destination: Path | None = None) -> None:
    """Remove the leftovers of killed runs of this host: their temporary folders and, beside
    `destination` (a file or folder the run writes), their partial files and folders."""
    for leftover in _listed(Path(tempfile.gettempdir())):
        match = _TEMPORARY.fullmatch(leftover.name)
        if match and _gone(*match.groups()) and _own_folder(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
    if destination is None:
        return
    beside = re.compile(
        re.escape(f".{destination.name}")
        + r"(?:\.manifest\.json)?\.(?:partial|previous)-"
        + _TAG
        + r"(?:\.wal)?"
    )
    for leftover in _listed(destination.parent):
        match = beside.fullmatch(leftover.name)
        if not match or not _gone(*match.groups()):
            continue
        try:
            mode = os.lstat(leftover).st_mode
        except OSError:  # removed meanwhile (another run)
            continue
        if stat.S_ISREG(mode):
            leftover.unlink(missing_ok=True)
        elif stat.S_ISDIR(mode) and _own_folder(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def _listed(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _own_folder(path: Path) -> bool:
    """A real folder (not a link) of this process's user."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and (not hasattr(os, "getuid") or found.st_uid == os.getuid())


def _gone(host: str, pid: str) -> bool:
    """Whether the run of `host` and process `pid` is gone: on this host only, and never on
    Windows (os.kill would end the process)."""
    if host != HOST or os.name == "nt" or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False
