"""No run changes an input, and exit 0 means the file is there: drawn, not picked.

The properties point each path option of the runner (the output, its manifest, the published
copies, dbt's log, the database) at each kind of place — the raw folder and its files, the
sample seeds, the project's files, the XML configuration, the database and what lies beside it,
a FIFO, a device, a folder, a fresh path — directly, through a symbolic link or through a hard
link, and check that the run is refused with exit 2 and one line, or writes its file; and that
afterwards every input holds the same bytes and every special file is of the same kind. They
run a copy of the project (copy_project), built once from raw files, so that a broken guard
damages only the copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_DIR, copy_project, run_export, write_raw_files
from exporter import engines, paths

CONFIG = """<export><providers><activityProvider><parameters>
<reportStatus><completed/></reportStatus>
</parameters></activityProvider></providers></export>
"""
# Where an option may point. Safe for every option: the fresh paths; for some, a stream or a
# folder (SAFE); every other place is something the run reads or keeps.
PLACES = (
    "raw folder",
    "raw file",
    "new file in the raw folder",
    "sample seed",
    "new file in the seeds",
    "model",
    "tracked file",
    "runner code",
    "configuration",
    "database",
    "database WAL",
    "database lock file",
    "new file in the kept parses",
    "FIFO",
    "device",
    "folder",
    "fresh path",
    "fresh path in the project's root",
)
FRESH = ("fresh path", "fresh path in the project's root")
OPTIONS = ("--output", "manifest", "--publish-marts", "--publish-parquet", "--log-dir")
SAFE = {
    "--output": {*FRESH, "FIFO", "device"},
    "manifest": set(FRESH),
    "--publish-marts": set(FRESH),
    "--publish-parquet": {*FRESH, "folder"},
    "--log-dir": {*FRESH, "folder"},
}
LINKS = ("direct", "symbolic link", "hard link")


@dataclass(frozen=True)
class World:
    project: Path
    raw: Path
    config: Path
    database: Path


@pytest.fixture(scope="module")
def world(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    """A copy of the project, a raw folder, a configuration and a database built from them."""
    base = tmp_path_factory.mktemp("no_input_changes")
    project = copy_project(base / "project")
    raw = base / "raw"
    write_raw_files(sample_build, raw, "parquet")
    config = base / "export.xml"
    config.write_text(CONFIG, encoding="utf-8")
    database = base / "warehouse" / "export.duckdb"
    database.parent.mkdir()
    built = run_export(
        ["--raw-path", str(raw), "--config", str(config), "--output", str(base / "first.csv")],
        database,
        base,
        project,
    )
    assert built.returncode == 0, built.stderr
    return World(project, raw, config, database)


def place(world: World, kind: str, scratch: Path) -> Path:
    """The path of a place of `kind`; the FIFO and the folder are made in `scratch`."""
    places = {
        "raw folder": world.raw,
        "raw file": world.raw / "trackings.parquet",
        "new file in the raw folder": world.raw / "new.csv",
        "sample seed": world.project / "seeds" / "lms" / "learners.csv",
        "new file in the seeds": world.project / "seeds" / "lms" / "new.csv",
        "model": world.project / "models" / "marts" / "activity_tracking.sql",
        "tracked file": world.project / "README.md",
        "runner code": world.project / "scripts" / "exporter" / "cli.py",
        "configuration": world.config,
        "database": world.database,
        "database WAL": world.database.with_name(world.database.name + ".wal"),
        "database lock file": world.database.with_name(f".{world.database.name}.lock"),
        "new file in the kept parses": world.project / "target" / "runner-parses" / "new.msgpack",
        "device": Path(os.devnull),
        "fresh path": scratch / "fresh" / "out.csv",
        "fresh path in the project's root": world.project / f"out-{scratch.name}.csv",
    }
    if kind == "FIFO":
        os.mkfifo(scratch / "pipe")
        return scratch / "pipe"
    if kind == "folder":
        (scratch / "folder").mkdir()
        return scratch / "folder"
    return places[kind]


def linked(target: Path, link: str, name: Path) -> Path:
    """`name` made a symbolic or hard link to `target` (a hard link only to an existing file of
    this file system; a symbolic link otherwise); `target` itself for `direct`."""
    if link == "direct":
        return target
    name.parent.mkdir(parents=True, exist_ok=True)
    if link == "hard link" and target.exists() and not target.is_dir():
        try:
            os.link(target, name)
            return name
        except OSError:  # another file system (a device)
            pass
    name.symlink_to(target)
    return name


def snapshot(world: World) -> dict[Path, str]:
    """Every input's SHA-256: the raw files, the configuration, the project's files (not git's,
    dbt's target or logs, nor what a case writes in the project's root)."""
    project = [
        path
        for path in world.project.rglob("*")
        if not {".git", "target", "logs"} & set(path.relative_to(world.project).parts)
        and not path.relative_to(world.project).parts[0].startswith("out-")
    ]
    files = [*world.raw.rglob("*"), world.config, *project]
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files if path.is_file()}


def warehouse(world: World) -> dict[Path, str]:
    """The SHA-256 of the database and of every file beside it (its WAL, the lock files) and of
    the kept parses: what a refused run must leave as it was."""
    files = [*world.database.parent.iterdir(), *(world.project / "target" / "runner-parses").glob("*")]
    return {path: hashlib.sha256(path.read_bytes()).hexdigest() for path in files if path.is_file()}


def special_files(kind: str, target: Path) -> dict[Path, int]:
    """The kind of each special file a case touches: the null device, and its FIFO."""
    paths = [Path(os.devnull), *([target] if kind == "FIFO" else [])]
    return {path: stat.S_IFMT(os.lstat(path).st_mode) for path in paths}


class FifoReader:
    """Reads a FIFO in a thread, as another process would, until its writer closes it."""

    def __init__(self, fifo: Path) -> None:
        self.fifo = fifo
        self.data = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with self.fifo.open("rb") as source:
            self.data = source.read()

    def finish(self) -> bytes:
        """What it read; a reader still waiting for a writer (the run never opened the FIFO) is
        released."""
        with contextlib.suppress(OSError):  # no reader waits any more
            os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
        self.thread.join(timeout=30)
        return self.data


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(option=st.sampled_from(OPTIONS), kind=st.sampled_from(PLACES), link=st.sampled_from(LINKS))
# every kind of written case, whatever the draw
@example(option="--output", kind="FIFO", link="hard link")
@example(option="--output", kind="device", link="symbolic link")
@example(option="manifest", kind="fresh path", link="symbolic link")
@example(option="--publish-parquet", kind="folder", link="direct")
@example(option="--log-dir", kind="fresh path in the project's root", link="direct")
# and refusals through each kind of link
@example(option="manifest", kind="sample seed", link="hard link")
@example(option="--log-dir", kind="raw file", link="symbolic link")
@example(option="--publish-marts", kind="database", link="hard link")
# found by a draw: dbt's log folder at the WAL's path, which would make a folder of the WAL
@example(option="--log-dir", kind="database WAL", link="direct")
def test_an_output_is_written_or_refused_and_no_input_changes(
    world: World, tmp_path_factory: pytest.TempPathFactory, option: str, kind: str, link: str
) -> None:
    scratch = tmp_path_factory.mktemp("case")
    target = place(world, kind, scratch)
    arguments = ["--raw-path", str(world.raw), "--config", str(world.config)]
    if option == "manifest":
        output = scratch / "out.csv"
        linked(target, "symbolic link" if link == "direct" else link, scratch / "out.csv.manifest.json")
        arguments += ["--output", str(output)]
    elif option == "--log-dir" and link != "direct":
        linked(target, link, scratch / "logs" / "dbt.log")
        arguments += ["--log-dir", str(scratch / "logs")]
    else:
        arguments += [option, str(linked(target, link, scratch / "link"))]
    inputs = snapshot(world)
    kept = warehouse(world)
    special = special_files(kind, target)
    before = sorted(scratch.rglob("*"))
    reader = FifoReader(target) if kind == "FIFO" and option == "--output" else None

    result = run_export(arguments, world.database, scratch, world.project, timeout=600)

    streamed = reader.finish() if reader else None
    try:
        # dbt's log through a link: the link itself must be a place for a file
        if kind in SAFE[option] and not (option == "--log-dir" and link != "direct" and kind == "folder"):
            assert result.returncode == 0, result.stderr
            if streamed is not None:
                assert streamed.startswith(b"activityDuration;")
        else:
            assert result.returncode == 2, result.stdout + result.stderr
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1, result.stderr
            assert sorted(scratch.rglob("*")) == before  # nothing created
            assert warehouse(world) == kept  # nor the database and what lies beside it
        assert "Traceback" not in result.stderr
        assert snapshot(world) == inputs
        assert special_files(kind, target) == special
    finally:
        for leftover in world.project.glob(f"out-{scratch.name}.csv*"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()


# ACTIVITY_TRACKING_DB: the same places, and copies of the built database under names of any
# characters dbt-duckdb can carry (no ';', '?', '#' or backslash in the path).
DATABASE_PLACES = (
    *(kind for kind in PLACES if kind not in (*FRESH, "database", "database WAL")),
    "missing folder",
    "folder where nothing can be created",
    "copy of the database",
)
FOLDER = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="'\";?#\\/\x00."),
    min_size=1,
    max_size=12,
)
# the database's name (the file's up to its first dot): no control character either (the URL
# parser dbt-duckdb reads it with drops tabs and line breaks; the lms source refuses the others)
STEM = (
    FOLDER.filter(lambda name: not any(ord(c) < 32 or ord(c) == 127 for c in name))
    .filter(lambda name: name == name.strip())
    .filter(lambda name: name.lower() not in ("system", "temp", "main"))
)


@given(stem=STEM, control=st.characters(max_codepoint=31) | st.just("\x7f"), at=st.integers(0, 12))
def test_a_database_name_with_a_control_character_is_refused(stem: str, control: str, at: int) -> None:
    """The names STEM leaves out are refused before anything is built (the lms source would
    refuse them in the middle of the build, naming a var the user never set)."""
    name = stem[:at] + control + stem[at:]
    problem = engines.database_path_problem(Path("/tmp") / "warehouse" / f"{name}.duckdb")
    assert problem is not None and "control character" in problem


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=st.sampled_from(DATABASE_PLACES), link=st.sampled_from(LINKS), folder=FOLDER, stem=STEM)
# copies under hostile names, whatever the draw: control characters, other scripts, shell syntax
@example(kind="copy of the database", link="direct", folder="a\nb\x1b[31m", stem="e\u0301t\u00e9 \u4e2d")
@example(kind="copy of the database", link="symbolic link", folder="$(id)&{{ x }}", stem="\u202eabc")
@example(kind="sample seed", link="hard link", folder="a", stem="b")
def test_a_database_path_is_used_or_refused_and_no_input_changes(
    world: World, tmp_path_factory: pytest.TempPathFactory, kind: str, link: str, folder: str, stem: str
) -> None:
    scratch = tmp_path_factory.mktemp("database")
    if kind == "copy of the database":
        target = scratch / folder / f"{stem}.duckdb"
        target.parent.mkdir()
        shutil.copy(world.database, target)
    elif kind == "missing folder":
        target = scratch / folder / f"{stem}.duckdb"
    elif kind == "folder where nothing can be created":
        target = Path("/proc") / f"{stem}.duckdb"
    else:
        target = place(world, kind, scratch)
    database = linked(target, link, scratch / "link.duckdb")
    inputs = snapshot(world)
    special = special_files(kind, target)
    before = sorted(scratch.rglob("*"))
    output = scratch / "out" / "export.csv"
    arguments = ["--raw-path", str(world.raw), "--config", str(world.config), "--output", str(output)]

    result = run_export(arguments, database, scratch, world.project, timeout=600)

    assert "Traceback" not in result.stderr
    if kind == "copy of the database":
        assert result.returncode == 0, result.stderr
        assert output.read_text(encoding="utf-8").startswith("activityDuration;")
    else:
        assert result.returncode == 2, result.stdout + result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and errors[0].startswith("error: ACTIVITY_TRACKING_DB="), result.stderr
        assert sorted(scratch.rglob("*")) == before
    assert snapshot(world) == inputs
    assert special_files(kind, target) == special


def test_without_git_every_file_git_tracks_is_still_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's entries the guard keeps whether or not git can list its files
    (paths.PROJECT_ENTRIES, PROJECT_FOLDERS and dbt's folders) cover every file git tracks, but
    build/'s, which holds what runs write."""
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    monkeypatch.setenv("PATH", "")  # no git
    kept = paths.input_paths()
    assert not [item for item in kept if item.what == "the project's file"]  # git was not asked
    uncovered = [
        name
        for name in tracked.stdout.splitlines()
        if not name.startswith("build/")
        and not any(
            (PROJECT_DIR / name).resolve() == item.path or item.path in (PROJECT_DIR / name).resolve().parents
            for item in kept
        )
    ]
    assert uncovered == []
