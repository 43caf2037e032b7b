"""What a killed run leaves behind, and its removal by the next run.

A run writes under names that carry its process id: the partial export file and manifest
beside the output (`.<name>.partial-<pid>`), the published copy's partial file and folders
(`.<name>.partial-<pid>`, `.<name>.previous-<pid>`), and its temporary folders in the system's
temporary folder (`activity_tracking_<purpose>_<pid>_<random>`). A run killed with SIGKILL
cannot remove them; the next run removes those whose process is gone, and only those: a name
that does not follow the pattern exactly, a special file, a link or another user's folder is
left alone.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The prefix of the runner's temporary folders in the system's temporary folder.
TEMPORARY_PREFIX = "activity_tracking_"
_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"[a-z]+_([0-9]+)_[A-Za-z0-9_]+")


@contextmanager
def temporary_folder(purpose: str) -> Iterator[Path]:
    """A temporary folder of this run, removed at the end (`purpose`: lowercase letters, e.g.
    `dbt`); a killed run's is removed by the next run (`remove_stale`)."""
    prefix = f"{TEMPORARY_PREFIX}{purpose}_{os.getpid()}_"
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def remove_stale(destination: Path | None = None) -> None:
    """Remove the leftovers of killed runs: their temporary folders and, beside `destination`
    (a file or folder the run writes), their partial files and folders."""
    temporary = Path(tempfile.gettempdir())
    for leftover in _listed(temporary):
        match = _TEMPORARY.fullmatch(leftover.name)
        if match and _gone(int(match.group(1))) and _own_folder(leftover):
            shutil.rmtree(leftover, ignore_errors=True)
    if destination is None:
        return
    beside = re.compile(
        re.escape(f".{destination.name}") + r"(?:\.manifest\.json)?\.(partial|previous)-([0-9]+)(?:\.wal)?"
    )
    for leftover in _listed(destination.parent):
        match = beside.fullmatch(leftover.name)
        if not match or not _gone(int(match.group(2))):
            continue
        mode = os.lstat(leftover).st_mode
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


def _gone(pid: int) -> bool:
    """Whether process `pid` is gone. On Windows, where os.kill would end the process, no
    process counts as gone: a killed run's leftovers stay (they hold no data anyone reads)."""
    if os.name == "nt" or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False
