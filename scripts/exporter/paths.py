"""The one guard over every path a run writes: nothing the run reads or keeps is overwritten.

Before anything is built, each destination of the run — the export file, its manifest, the
--publish-marts file, the --publish-parquet folder, dbt's log in --log-dir — is compared with
every path the run reads (`input_paths`: the raw folder and its files, the XML configuration,
the project's tracked files and the folders dbt reads — models, macros, seeds… —, the kept
parses, the runner's virtual environment) or keeps (`engine_paths`: the working database with
its WAL and lock files, or the Spark folder), and with the other destinations; the engine's
location itself is checked the same way against what the run reads (`check_location`,
`location_problem`).

Paths are compared twice: as resolved paths (symbolic links followed, also those inside the
raw folder and the project's folders), and as files (device and inode), so that a hard link,
another spelling of a name on a case-insensitive file system or a bind mount is caught too. A
destination that is one of them, lies inside one, holds one (a folder the run replaces whole)
or is another name of one is refused with one line naming both paths. So is a destination
that is a folder (but the Parquet folder), a file where a folder is needed, a special file (but
the export's stream), a name too long to take the run's temporary name beside it, or a Parquet
folder holding files the runner did not publish. Only once every check has passed are missing
folders created and dbt's log opened: a refused run creates and changes nothing.

The export itself may go to a stream, written as it is and never replaced: `-` (standard
output) or an existing FIFO or character device. A stream has no manifest beside it.
`requested_stdout` reads `--output -` before the command line is parsed, so that nothing else
is ever written to standard output.
"""

from __future__ import annotations

import glob
import json
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.errors import ExportError
from exporter.leftovers import LONGEST_ADDITION
from exporter.project import PARSES, PROJECT_DIR, project_parts

# `--output -`: the export goes to standard output.
STDOUT = "-"
MANIFEST_SUFFIX = ".manifest.json"
# dbt's log of each run, appended to in --log-dir
DBT_LOG = "dbt.log"
# The Parquet folder's metadata file, which lists the files of an earlier publication.
PARQUET_METADATA = "_metadata.json"
# Folders of the project the run reads besides those dbt_project.yml names: the runner's code,
# the repository's history.
PROJECT_FOLDERS = ("scripts", ".git")
# The project's other entries, kept whether or not git tells its files (a copy that is not a
# checkout): tests_py/test_no_input_changes.py holds the three lists to what git tracks.
PROJECT_ENTRIES = (
    ".ci",
    ".gitignore",
    ".sqlfluff",
    ".sqlfluffignore",
    "BENCHMARKS.md",
    "Makefile",
    "README.md",
    "benchmarks",
    "docs",
    "examples",
    "integration_tests",
    "pyproject.toml",
    "requirements.txt",
    "tests_py",
)
DEFAULT_OUTPUT_STEM = "activity_tracking"
# The first bytes of a DuckDB database file: a checksum, then this at DUCKDB_MAGIC_OFFSET.
DUCKDB_MAGIC, DUCKDB_MAGIC_OFFSET = b"DUCK", 8


@dataclass(frozen=True)
class Destination:
    """A path the run writes."""

    what: str  # how a message names it, e.g. "--output"
    path: Path  # resolved (followed through links); Path("-") for standard output
    folder: bool = False  # a folder the run replaces whole (--publish-parquet)
    stream: bool = False  # written as it is, never replaced: standard output, a FIFO, a device
    append: bool = False  # appended to (dbt's log): opened before the build

    @property
    def stdout(self) -> bool:
        """Whether the run writes it to its standard output (`-`, or the very file descriptor 1
        is open on)."""
        return self.stream and (str(self.path) == STDOUT or _same_file(self.path, 1))

    def __str__(self) -> str:
        return "standard output" if str(self.path) == STDOUT else str(self.path)


@dataclass(frozen=True)
class Kept:
    """A path the run reads or keeps, which no destination may touch."""

    what: str
    path: Path  # resolved
    tree: bool = False  # a folder: everything under it is kept too


@dataclass(frozen=True)
class Destinations:
    """Every path one export run writes, checked (`check`)."""

    output: Destination
    manifest: Destination | None  # none for a stream
    marts: Destination | None
    parquet: Destination | None
    log: Destination  # dbt's log file, followed through a link
    log_dir: Path  # the folder dbt writes its log in

    def all(self) -> list[Destination]:
        found = [self.output, self.manifest, self.marts, self.parquet, self.log]
        return [destination for destination in found if destination is not None]


def requested_stdout(argv: Sequence[str]) -> bool:
    """Whether the export goes to standard output (`--output -`), read before the arguments are
    parsed, so that nothing else is ever written there."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == f"--output={STDOUT}" or (
            argument == "--output" and argv[index + 1 : index + 2] == [STDOUT]
        ):
            return True
    return False


def input_paths(raw_path: str | None = None, config: Path | None = None) -> list[Kept]:
    """What a run reads: the raw folder, the XML configuration, the project and its code, with
    what the links in the raw folder and dbt's folders lead to."""
    kept = []
    if raw_path:
        kept.append(Kept("the raw folder", _resolved(Path(raw_path), "--raw-path"), tree=True))
    if config is not None:
        kept.append(Kept("the XML configuration", _resolved(config, "--config")))
    for part in project_parts(PROJECT_DIR):
        path = (PROJECT_DIR / part).resolve()
        kept.append(Kept(f"the project's {part}", path, tree=not path.is_file()))
    kept += _linked(kept)
    kept += [
        Kept(f"the project's {name}", (PROJECT_DIR / name).resolve(), tree=True) for name in PROJECT_FOLDERS
    ]
    kept.append(Kept("the runner's kept dbt parses", PARSES.resolve(), tree=True))
    if sys.prefix != sys.base_prefix:
        kept.append(Kept("the runner's virtual environment", Path(sys.prefix).resolve(), tree=True))
    return kept + _project_files()


def engine_paths(target: str, location: Path) -> list[Kept]:
    """What a run keeps: the DuckDB file with its WAL and the runner's lock files, or the Spark
    folder."""
    if target != "duckdb":
        return [Kept("the Spark folder", location, tree=True)]
    locks = location.parent.glob(glob.escape(f".{location.name}.guid-") + "*.lock")
    return [
        Kept("the working database", location),
        Kept("the working database's WAL", location.with_name(f"{location.name}.wal")),
        Kept("the working database's lock file", location.with_name(f".{location.name}.lock")),
        *(Kept("the working database's lock file", lock) for lock in sorted(locks)),
    ]


def location_problem(location: Path, folder: bool) -> str | None:
    """Why `location` cannot hold an engine's data, or None: a DuckDB file (`folder` false) must
    be a DuckDB database or new, a Spark folder a folder or new, in an existing folder where a
    file can be created."""
    parent = location.parent
    if not parent.is_dir():
        return f"its folder {parent} does not exist (or is not a folder): create it, or choose another path."
    problem = _unwritable(parent)
    if problem:
        return f"its folder {parent} is not writable ({problem}): choose another path."
    if not location.exists():
        return None
    if folder:
        return None if location.is_dir() else "is a file: name a folder for the Spark tables."
    if location.is_dir():
        return "is a folder: name the DuckDB database file (e.g. activity_tracking.duckdb)."
    if not location.is_file():
        return "is not a regular file (a FIFO, a device…): name a DuckDB database file."
    try:
        with location.open("rb") as handle:
            header = handle.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    except OSError as error:
        return f"cannot be read ({_reason(error)}): choose another path."
    if header[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
        return "is not a DuckDB database: name a DuckDB file, or a new one."
    if not os.access(location, os.W_OK):
        return "cannot be written (permissions): choose another path."
    return None


def check_location(variable: str, target: str, location: Path, kept: list[Kept]) -> None:
    """Refuse an engine's location (named by the environment variable `variable`) that would
    touch what the run reads (`kept`, input_paths): the database and its WAL and lock files are
    written beside it, a Spark folder is filled."""
    for item in engine_paths(target, location):
        conflict = _conflict(Destination(item.what, item.path), kept)
        if conflict is not None:
            raise ExportError(f"{variable}={location}: {item.what} {conflict}: choose another path.")


def _linked(kept: list[Kept]) -> list[Kept]:
    """What the symbolic links inside the kept folders lead to (a raw file linked from
    elsewhere, a local package installed as a link): the run reads through them."""
    found = []
    for item in (item for item in kept if item.tree):
        for folder, folders, files in os.walk(item.path):
            for name in [*folders, *files]:
                path = Path(folder) / name
                if path.is_symlink():
                    target = path.resolve()
                    found.append(Kept(f"{item.what} (through {path})", target, tree=target.is_dir()))
    return found


def _project_files() -> list[Kept]:
    """The project's own files: its entries (PROJECT_ENTRIES) and every file git tracks, when
    the project is a git checkout."""
    kept = [
        Kept(f"the project's {name}", path, tree=path.is_dir())
        for name in PROJECT_ENTRIES
        if (path := (PROJECT_DIR / name).resolve()).exists()
    ]
    try:
        listed = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "ls-files", "-z"],
            capture_output=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return kept
    names = [name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name]
    return kept + [Kept("the project's file", (PROJECT_DIR / name).resolve()) for name in names]


def destinations(
    output: str | None,
    file_format: str,
    marts: Path | None,
    parquet: Path | None,
    log_dir: Path,
    kept: list[Kept],
) -> Destinations:
    """The destinations of an export run, checked before anything is built (see the module's
    docstring): the output (default activity_tracking.<file_format>), its manifest, the published
    copies, dbt's log in `log_dir`."""
    export = _output(output or f"{DEFAULT_OUTPUT_STEM}.{file_format}")
    manifest = None
    if not export.stream:
        beside = export.path.with_name(export.path.name + MANIFEST_SUFFIX)
        manifest = Destination("the manifest of --output", _resolved(beside, "--output's manifest"))
    chosen = Destinations(
        export,
        manifest,
        Destination("--publish-marts", _resolved(marts, "--publish-marts")) if marts is not None else None,
        (
            Destination("--publish-parquet", _resolved(parquet, "--publish-parquet"), folder=True)
            if parquet is not None
            else None
        ),
        _log(log_dir),
        _resolved(log_dir, "--log-dir"),
    )
    check(chosen.all(), kept)
    return chosen


def log_destination(log_dir: Path, kept: list[Kept]) -> Path:
    """--log-dir alone (the delta state's commands write nothing else), checked; its folder."""
    check([_log(log_dir)], kept)
    return _resolved(log_dir, "--log-dir")


def check(chosen: list[Destination], kept: list[Kept]) -> None:
    """Refuse any destination that would touch what the run reads or keeps, or another
    destination; then create the missing folders (and open dbt's log)."""
    for destination in chosen:
        _check_kind(destination)
    for destination in chosen:
        _refuse_kept(destination, kept)
    _refuse_shared(chosen)
    for destination in chosen:
        if destination.folder and destination.path.is_dir():
            refuse_foreign(destination.path)
    for destination in chosen:
        _check_writable(destination)
    for destination in chosen:
        _create_folder(destination)


def _output(given: str) -> Destination:
    """--output: a stream for `-`, an existing FIFO or character device; otherwise a file.
    Standard error, where the log goes, is refused."""
    if given == STDOUT:
        return Destination("--output", Path(STDOUT), stream=True)
    path = Path(given).expanduser()
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = 0
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        return Destination("--output", _resolved(path, "--output"))
    if _same_file(path, 2):
        raise ExportError(
            f"--output {given} is standard error, where the runner's log goes: give - for standard output."
        )
    return Destination("--output", Path(os.path.abspath(path)), stream=True)


def _same_file(path: Path, descriptor: int) -> bool:
    """Whether `path` is the file the open `descriptor` is."""
    try:
        found, opened = os.stat(path), os.fstat(descriptor)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (opened.st_dev, opened.st_ino)


def _log(log_dir: Path) -> Destination:
    """dbt's log in --log-dir: a folder (or a new one) where dbt.log is a regular file (or new)."""
    folder = _resolved(log_dir, "--log-dir")
    if os.path.lexists(folder) and not folder.is_dir():
        raise ExportError(f"--log-dir {folder} is not a folder: name a folder.")
    log = _resolved(folder / DBT_LOG, "--log-dir")
    try:
        mode = os.stat(log).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else _kind(mode)
        raise ExportError(f"--log-dir {folder}: dbt's log {DBT_LOG} there is {kind}: name another folder.")
    return Destination("the dbt log of --log-dir", log, append=True)


def _resolved(path: Path, what: str) -> Path:
    """`path` absolute, with every symbolic link followed."""
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError) as error:  # a loop of links (RuntimeError before Python 3.13)
        raise ExportError(f"{what} {path} cannot be resolved: {_reason(error)}.") from None


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)


def _check_kind(destination: Destination) -> None:
    """A file destination is a regular file or new; the Parquet folder is a folder or new."""
    if destination.stream:
        return
    try:
        mode = os.stat(destination.path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise ExportError(f"{destination.what} {destination.path}: {_reason(error)}.") from None
    if destination.folder:
        if not stat.S_ISDIR(mode):
            raise ExportError(f"{destination.what} {destination.path} is not a folder: name a folder.")
    elif stat.S_ISDIR(mode):
        raise ExportError(f"{destination.what} {destination.path} is a folder: name the file to write.")
    elif not stat.S_ISREG(mode):
        raise ExportError(
            f"{destination.what} {destination.path} is not a regular file ({_kind(mode)}): "
            "name a file to write."
        )


def _kind(mode: int) -> str:
    kinds = {
        stat.S_ISFIFO: "a FIFO",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    return next((name for test, name in kinds.items() if test(mode)), "a special file")


def _refuse_shared(chosen: list[Destination]) -> None:
    """Two destinations on one path, or one inside the folder the run replaces whole."""
    seen: dict[Path, Destination] = {}
    for destination in chosen:
        if str(destination.path) == STDOUT:
            continue
        if destination.path in seen:
            other = seen[destination.path]
            raise ExportError(
                f"{_capitalised(destination.what)} {destination.path} is also {other.what}: "
                "give each its own path."
            )
        seen[destination.path] = destination
    for folder in (destination for destination in chosen if destination.folder):
        for destination in chosen:
            if destination is not folder and folder.path in destination.path.parents:
                raise ExportError(
                    f"{_capitalised(destination.what)} {destination.path} is inside {folder.what} "
                    f"{folder.path}, a folder the run replaces whole: choose another path."
                )


def _refuse_kept(destination: Destination, kept: list[Kept]) -> None:
    """Stop when `destination` would touch something the run reads or keeps (`_conflict`)."""
    conflict = None if str(destination.path) == STDOUT else _conflict(destination, kept)
    if conflict is not None:
        raise ExportError(
            f"{_capitalised(destination.what)} {destination.path} {conflict}: choose another path."
        )


def _conflict(destination: Destination, kept: list[Kept]) -> str | None:
    """How `destination` would touch something the run reads or keeps — it is one, lies inside
    one, holds one (a folder replaced whole), or is another name of one (the same file) — or
    None."""
    path = destination.path
    for item in kept:
        if path == item.path:
            return f"would overwrite {item.what} {item.path}"
        # under a kept file's path too: writing there would make a folder of it (a WAL)
        if item.path in path.parents:
            return f"lies inside {item.what} {item.path}"
        if destination.folder and path in item.path.parents:
            return f"holds {item.what} {item.path} (the run replaces this folder whole)"
    return _same_file_conflict(destination, kept)


def _same_file_conflict(destination: Destination, kept: list[Kept]) -> str | None:
    """_conflict by file identity (device and inode): the destination, or the nearest of its
    folders that exists, is a kept file or lies in a kept folder under another name (a hard
    link, another case on a case-insensitive file system, a bind mount)."""
    identities = {_identity(item.path): item for item in kept}
    identities.pop(None, None)
    existing = [folder for folder in (destination.path, *destination.path.parents) if os.path.lexists(folder)]
    for index, found in enumerate(existing):
        item = identities.get(_identity(found))
        if item is None:
            continue
        if index == 0:
            return f"is {item.what} {item.path} under another name (the same file)"
        return f"lies inside {item.what} {item.path} (as {found})"
    if destination.folder and existing and existing[0] == destination.path:
        folder = _identity(destination.path)
        for item in kept:
            if any(_identity(parent) == folder for parent in item.path.parents):
                return f"holds {item.what} {item.path} (the run replaces this folder whole)"
    linked = _hard_link(destination.path, kept)
    if linked is not None:
        item, file = linked
        return f"is a hard link to {item.what} {file} (the same file)"
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _hard_link(path: Path, kept: list[Kept]) -> tuple[Kept, Path] | None:
    """The kept file (inside a kept folder) `path` is another name of, if it is an existing
    file with several names."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or found.st_nlink < 2:
        return None
    for item in kept:
        for file in _files(item):
            if _identity(file) == (found.st_dev, found.st_ino):
                return item, file
    return None


def _files(item: Kept) -> Iterator[Path]:
    """The kept file, or every file under a kept folder (links not followed)."""
    if not item.tree:
        yield item.path
        return
    for folder, _, names in os.walk(item.path):
        for name in names:
            yield Path(folder) / name


def refuse_foreign(folder: Path) -> None:
    """Stop when the Parquet folder `folder` holds a file that no earlier publication wrote
    there: the run replaces the folder whole, and never wipes a file of someone else's."""
    try:
        names = set(os.listdir(folder))
    except OSError as error:
        raise ExportError(f"--publish-parquet {folder} cannot be read: {_reason(error)}.") from None
    foreign = sorted(names - _published_files(folder))
    if foreign:
        raise ExportError(
            f"--publish-parquet {folder} holds files the runner did not publish "
            f"({', '.join(foreign[:3])}{', …' if len(foreign) > 3 else ''}): name a new or empty "
            "folder, or one published before (the runner replaces it whole)."
        )


def _published_files(folder: Path) -> set[str]:
    """The files of an earlier publication in `folder`, as its metadata file lists them; none
    when it has no readable metadata file."""
    try:
        metadata = json.loads((folder / PARQUET_METADATA).read_text(encoding="utf-8"))
        return {PARQUET_METADATA, *(str(table["file"]) for table in metadata["tables"])}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _check_writable(destination: Destination) -> None:
    """The nearest existing folder of `destination`'s folder is a folder that takes a new file,
    and the run's temporary name beside the destination fits in a file name there."""
    if destination.stream:
        return
    folder = destination.path.parent
    existing = next(parent for parent in _and_parents(folder) if os.path.lexists(parent))
    if not existing.is_dir():
        raise ExportError(
            f"{_capitalised(destination.what)} {destination.path} cannot be written: "
            f"{existing} is not a folder."
        )
    problem = _unwritable(existing)
    if problem:
        raise ExportError(f"{_capitalised(destination.what)} folder {existing} is not writable: {problem}.")
    longest = len(destination.path.name.encode("utf-8", "surrogateescape")) + LONGEST_ADDITION
    if longest > _name_max(existing):
        raise ExportError(
            f"{_capitalised(destination.what)} {destination.path}: its name is too long for the "
            f"temporary name the run writes it under first ({longest} bytes, at most "
            f"{_name_max(existing)}): choose a shorter name."
        )


def _and_parents(folder: Path) -> Iterable[Path]:
    return (folder, *folder.parents)


def _unwritable(folder: Path) -> str | None:
    """Why `folder` takes no new file, tried with a temporary file, which is removed (permissions
    alone do not tell, for root or on a read-only file system); None when it takes one."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return _reason(error)
    return None


def _name_max(folder: Path) -> int:
    """The longest file name `folder` takes, in bytes (255 where the system does not say)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _create_folder(destination: Destination) -> None:
    """Create the missing folders of `destination` (and open dbt's log, which dbt appends to)."""
    if destination.stream:
        return
    try:
        destination.path.parent.mkdir(parents=True, exist_ok=True)
        if destination.append:
            with destination.path.open("a", encoding="utf-8"):
                pass
    except OSError as error:
        raise ExportError(
            f"{_capitalised(destination.what)} {destination.path} cannot be written: {_reason(error)}."
        ) from None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
