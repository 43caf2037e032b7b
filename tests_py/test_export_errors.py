"""A user's mistake: one clear message, the documented exit code, no traceback, nothing written.

The cases are those of the table "What each mistake gets" in docs/operating.md, which holds each
case's exit code and message: MISTAKES says how each is made, and the test runs it against the
runner of a copy of the project (so that a case aiming at the project's files harms nothing).
"""

import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import EXPORT_SCRIPT, PROJECT_DIR, run_export
from exporter import build, cli
from exporter.engines import LOCATIONS, Engine
from exporter.errors import Terminated, raise_if_stopped, stops_recorded

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<export><providers><activityProvider><parameters>
<sessionTitle>&lol2;</sessionTitle>
</parameters></activityProvider></providers></export>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE export [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<export><providers><activityProvider><parameters>
<sessionTitle>&secret;</sessionTitle>
</parameters></activityProvider></providers></export>
"""
UNKNOWN_ELEMENT = """<export><providers><activityProvider>
<parameters><sessionTitle>x</sessionTitle><colour>blue</colour></parameters>
</activityProvider></providers></export>
"""
UNKNOWN_OPTION = """<providers><activityProvider><columns><reportId/></columns></activityProvider></providers>
"""


@dataclass(frozen=True)
class Mistake:
    """How a case of the table is made. In `arguments` and `environment`, {tmp} is the case's
    folder (the runner's working folder, holding the database `export.duckdb`), {project} the
    project's copy, {config} the XML configuration `configuration` written in {tmp}."""

    arguments: list[str]
    configuration: str | None = None
    environment: dict[str, str] = field(default_factory=dict)
    # what the case needs besides: a raw folder, a folder with a file of someone else's…
    setup: str | None = None
    # the lock the case holds while the runner runs: the database's, or the export GUID's
    held: str | None = None
    # standard output closed before the runner writes to it
    closed_stdout: bool = False


GUID = "A1B2"
MISTAKES = {
    "an unknown option": Mistake(["--colour", "blue"]),
    "an unknown parameter": Mistake(["--param", "colour=blue"]),
    "`--param` without a value": Mistake(["--param", "activityType"]),
    "an invalid parameter value": Mistake(["--timeGlobalFormat", "hours"]),
    "an invalid file option": Mistake(["--encoding", "UTF-32"]),
    "`--escape-formulas` with a format it does not apply to": Mistake(
        ["--escape-formulas", "--format", "parquet"]
    ),
    "an unknown element in the XML configuration": Mistake(["--config", "{config}"], UNKNOWN_ELEMENT),
    "malformed XML": Mistake(["--config", "{config}"], "<export><providers>"),
    "XML entity expansion": Mistake(["--config", "{config}"], BILLION_LAUGHS),
    "an external XML entity": Mistake(["--config", "{config}"], EXTERNAL_ENTITY),
    "a missing configuration file": Mistake(["--config", "{tmp}/missing.xml"]),
    "a line break in a path": Mistake(["--config", "{tmp}/missing\nconfig.xml"]),
    "a line break in an output's path": Mistake(
        ["--output", "{tmp}/new\nline.csv", "--publish-marts", "{tmp}/new\nline.csv"]
    ),
    "deltaMode=Y without an export GUID": Mistake(["--deltaMode", "Y"]),
    "deltaMode=Y with a time frame": Mistake(
        [
            "--deltaMode",
            "Y",
            "--export-guid",
            GUID,
            "--timeFrames",
            "2",
            "--timeFramesScale",
            "less_than_n_days",
        ]
    ),
    "a value the file's encoding cannot hold": Mistake(["--encoding", "ISO-8859-1"]),
    "`--output` into the raw folder": Mistake(
        ["--raw-path", "{tmp}/raw", "--output", "{tmp}/raw/trackings.parquet"], setup="raw folder"
    ),
    "`--output` onto a sample seed": Mistake(["--output", "{project}/seeds/lms/learners.csv"]),
    "`--output` onto the XML configuration": Mistake(
        ["--config", "{config}", "--output", "{config}"], "<export/>"
    ),
    "`--output` onto the working database": Mistake(["--output", "export.duckdb"]),
    "`--output` onto the database's WAL": Mistake(["--output", "export.duckdb.wal"]),
    "`--output` a hard link to a project file": Mistake(["--output", "{tmp}/linked.csv"], setup="hard link"),
    "`--output` a folder": Mistake(["--output", "{tmp}"]),
    "`--publish-marts` onto a FIFO or a device": Mistake(["--publish-marts", "/dev/null"]),
    "two outputs on one path": Mistake(["--publish-marts", "activity_tracking.csv"]),
    "a `--publish-parquet` folder holding files of someone else's": Mistake(
        ["--publish-parquet", "{tmp}/bi"], setup="foreign file"
    ),
    "an output folder where nothing can be created": Mistake(["--output", "/proc/activity_tracking.csv"]),
    "`ACTIVITY_TRACKING_DB` not a DuckDB database": Mistake(
        [], environment={"ACTIVITY_TRACKING_DB": "{tmp}/raw/trackings.parquet"}, setup="raw folder"
    ),
    "`ACTIVITY_TRACKING_DB` a folder": Mistake([], environment={"ACTIVITY_TRACKING_DB": "{tmp}"}),
    "`ACTIVITY_TRACKING_DB` in a missing folder": Mistake(
        [], environment={"ACTIVITY_TRACKING_DB": "{tmp}/missing/export.duckdb"}
    ),
    "`ACTIVITY_TRACKING_DB` in a folder where nothing can be created": Mistake(
        [], environment={"ACTIVITY_TRACKING_DB": "/proc/export.duckdb"}
    ),
    "`ACTIVITY_TRACKING_DB` inside the project's seeds": Mistake(
        [], environment={"ACTIVITY_TRACKING_DB": "{project}/seeds/export.duckdb"}
    ),
    "`ACTIVITY_TRACKING_DB` a name dbt-duckdb cannot carry": Mistake(
        [], environment={"ACTIVITY_TRACKING_DB": "{tmp}/it's.duckdb"}
    ),
    "`ACTIVITY_TRACKING_DB` a name with a space at one end": Mistake(
        [], environment={"ACTIVITY_TRACKING_DB": "{tmp}/ a.duckdb"}
    ),
    "an invalid `ACTIVITY_TRACKING_MEMORY_LIMIT`": Mistake(
        [], environment={"ACTIVITY_TRACKING_MEMORY_LIMIT": "bogus"}
    ),
    "an invalid `ACTIVITY_TRACKING_THREADS`": Mistake([], environment={"ACTIVITY_TRACKING_THREADS": "all"}),
    "`--reset-delta-export` of a GUID with no state": Mistake(["--reset-delta-export", "NOPE"]),
    "`--reset-delta-export` without a GUID": Mistake(["--reset-delta-export", " "]),
    "`--publish-marts` with `--target spark`": Mistake(
        ["--target", "spark", "--publish-marts", "marts.duckdb"]
    ),
    "`--strict` on an extract with data quality issues": Mistake(["--strict"]),
    "the database in use beyond `--lock-timeout`": Mistake(["--lock-timeout", "1"], held="database"),
    "the export GUID in use": Mistake(["--export-guid", GUID, "--deltaMode", "Y"], held="guid"),
    "an engine error (out of memory)": Mistake(
        ["--rebuild"], environment={"ACTIVITY_TRACKING_MEMORY_LIMIT": "1MB"}
    ),
    "a stream that cannot be written": Mistake(["--output", "/dev/full"]),
    "standard output closed before the file is written": Mistake(["--output", "-"], closed_stdout=True),
}


def documented_mistakes() -> dict[str, tuple[int, str]]:
    """The table "What each mistake gets" of docs/operating.md: case → (exit code, message)."""
    guide = (PROJECT_DIR / "docs" / "operating.md").read_text(encoding="utf-8")
    section = guide.split("### What each mistake gets", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `(\d+)` \| `(.+)` \|$", section, re.M)
    # every row of the table is read: none is skipped for a shape the pattern does not know
    assert len(rows) == len(re.findall(r"^\|", section, re.M)) - 2  # the header and its rule
    return {case: (int(code), message) for case, code, message in rows}


def matches(message: str, line: str) -> bool:
    """Whether `line` is the documented `message`, where `…` stands for any text."""
    pattern = ".+?".join(re.escape(part) for part in message.split("…"))
    return re.fullmatch(pattern, line) is not None


def test_every_documented_mistake_is_tried() -> None:
    assert sorted(documented_mistakes()) == sorted(MISTAKES)


@contextmanager
def holding(lock_file: Path | None) -> Iterator[None]:
    """Hold `lock_file`'s lock as another run would, for the time of the block."""
    if lock_file is None:
        yield
        return
    with lock_file.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("process 4242 (a nightly export)\n")
        held.flush()
        yield


@pytest.mark.parametrize("case", list(MISTAKES))
def test_a_mistake_gets_its_documented_code_and_one_line(
    default_export: tuple[Path, Path], project_copy: Path, tmp_path: Path, case: str
) -> None:
    mistake = MISTAKES[case]
    code, message = documented_mistakes()[case]
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    config = tmp_path / "export.xml"
    if mistake.configuration is not None:
        config.write_text(mistake.configuration, encoding="utf-8")
    if mistake.setup == "raw folder":
        (tmp_path / "raw").mkdir()
        (tmp_path / "raw" / "trackings.parquet").write_bytes(b"PAR1")
    elif mistake.setup == "hard link":
        os.link(project_copy / "README.md", tmp_path / "linked.csv")
    elif mistake.setup == "foreign file":
        (tmp_path / "bi").mkdir()
        (tmp_path / "bi" / "notes.txt").write_text("mine\n")
    earlier = tmp_path / "activity_tracking.csv"
    earlier.write_text("earlier file\n")
    inputs = {path: path.read_bytes() for path in sorted(project_copy.rglob("*")) if _input(path)}
    before = sorted(tmp_path.rglob("*"))

    def placed(text: str) -> str:
        return text.format(tmp=tmp_path, project=project_copy, config=config)

    arguments = [placed(argument) for argument in mistake.arguments]
    environment = {name: placed(value) for name, value in mistake.environment.items()}
    digest = hashlib.sha256(GUID.encode()).hexdigest()[:16]
    lock = {"database": ".export.duckdb.lock", "guid": f".export.duckdb.guid-{digest}.lock"}.get(
        mistake.held or ""
    )
    with holding(tmp_path / lock if lock else None):
        if mistake.closed_stdout:
            result = _with_closed_stdout(arguments, database, tmp_path, project_copy)
        else:
            result = run_export(arguments, database, tmp_path, project_copy, environment)

    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert matches(message, errors[0]), errors[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert earlier.read_text() == "earlier file\n"
    # nothing written but dbt's log (logs/), the runner's lock files (they hold no data) and the
    # database's WAL (a build that ran)
    after = [p for p in sorted(tmp_path.rglob("*")) if "logs" not in p.parts and not _beside_database(p)]
    assert after == [p for p in before if not _beside_database(p)]
    assert inputs == {path: path.read_bytes() for path in inputs}


def _beside_database(path: Path) -> bool:
    return path.name.endswith((".lock", ".duckdb.wal"))


def _input(path: Path) -> bool:
    return (
        path.is_file()
        and ".git" not in path.parts
        and "target" not in path.parts
        and "logs" not in path.parts
    )


def _with_closed_stdout(
    arguments: list[str], database: Path, cwd: Path, project: Path
) -> subprocess.CompletedProcess[str]:
    """The runner whose standard output is a pipe its reader has closed."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            [sys.executable, str(project / "scripts" / "export.py"), *arguments],
            cwd=cwd,
            env={**os.environ, "ACTIVITY_TRACKING_DB": str(database)},
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write)
    return subprocess.CompletedProcess(result.args, result.returncode, "", result.stderr)


def test_a_run_killed_while_building_leaves_the_earlier_file(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    earlier = tmp_path / "activity_tracking.csv"
    earlier.write_text("earlier file\n")
    environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(database)}
    process = subprocess.Popen(
        [sys.executable, str(EXPORT_SCRIPT)], cwd=tmp_path, env=environment, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert "Building the dbt project" in process.stderr.readline()
    time.sleep(2)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert earlier.read_text() == "earlier file\n"
    left = sorted(path.name for path in tmp_path.iterdir() if not path.name.endswith(".lock"))
    assert left == ["activity_tracking.csv", "export.duckdb"]


def run_on_spark(environment: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The runner's default export with --target spark, in `environment`."""
    return subprocess.run(
        [sys.executable, str(EXPORT_SCRIPT), "--target", "spark"],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_spark_without_java_stops_before_the_build(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "JAVA_HOME"}
    environment["PATH"] = str(tmp_path)  # no java on it
    environment["ACTIVITY_TRACKING_SPARK_DIR"] = str(tmp_path / "spark")
    result = run_on_spark(environment, tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "error: --target spark needs Java 17 (a local Spark runs on it): install it or set JAVA_HOME.\n"
    )
    assert not (tmp_path / "spark").exists()
    assert not (tmp_path / "activity_tracking.csv").exists()


def test_a_spark_folder_its_settings_cannot_carry_stops_before_the_build(tmp_path: Path) -> None:
    # a quote would end the Java option naming the folder, a ';' Derby's connection URL
    folder = tmp_path / "it's;here" / "spark"
    environment = {**os.environ, "ACTIVITY_TRACKING_SPARK_DIR": str(folder)}
    result = run_on_spark(environment, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"error: ACTIVITY_TRACKING_SPARK_DIR={folder}: a local Spark's folder may hold only letters"
    )
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_output_linked_to_the_database_is_refused(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    before = database.read_bytes()
    (tmp_path / "out.csv").symlink_to(database)
    result = run_export(["--output", "out.csv"], database, tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: --output {database} would overwrite the working database {database}: choose another path.\n"
    )
    assert database.read_bytes() == before


# Two things a run writes on one path, or one inside the folder --publish-parquet replaces whole:
# arguments (the folder bi/ exists, empty) → the message.
SHARED_PATHS = {
    "marts published onto the output": (
        ["--publish-marts", "activity_tracking.csv"],
        "--publish-marts {tmp}/activity_tracking.csv is also --output: give each its own path.",
    ),
    "marts published onto the manifest": (
        ["--publish-marts", "./bi/../activity_tracking.csv.manifest.json"],
        "--publish-marts {tmp}/activity_tracking.csv.manifest.json is also the manifest of --output:",
    ),
    "output in the Parquet folder": (
        ["--output", "bi/x.csv", "--publish-parquet", "bi"],
        "--output {tmp}/bi/x.csv is inside --publish-parquet {tmp}/bi, a folder the run replaces whole:",
    ),
    "published file in the Parquet folder": (
        ["--publish-marts", "bi/m.duckdb", "--publish-parquet", "bi"],
        "--publish-marts {tmp}/bi/m.duckdb is inside --publish-parquet {tmp}/bi,",
    ),
    "log folder in the Parquet folder": (
        ["--log-dir", "bi/logs", "--publish-parquet", "bi"],
        "The dbt log of --log-dir {tmp}/bi/logs/dbt.log is inside --publish-parquet {tmp}/bi,",
    ),
    "output onto dbt's log": (
        ["--output", "bi/dbt.log", "--log-dir", "bi"],
        "The dbt log of --log-dir {tmp}/bi/dbt.log is also --output: give each its own path.",
    ),
}


@pytest.mark.parametrize("case", SHARED_PATHS, ids=list(SHARED_PATHS))
def test_two_outputs_on_one_path_are_refused_before_the_build(
    default_export: tuple[Path, Path], tmp_path: Path, case: str
) -> None:
    arguments, message = SHARED_PATHS[case]
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    (tmp_path / "bi").mkdir()
    before = sorted(tmp_path.rglob("*"))
    result = run_export(arguments, database, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {message.format(tmp=tmp_path)}")
    assert result.stderr.count("\n") == 1
    after = [path for path in sorted(tmp_path.rglob("*")) if not path.name.endswith(".lock")]
    assert after == before


def test_a_log_folder_where_dbt_cannot_write_its_log_is_refused(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    (tmp_path / "logs" / "dbt.log").mkdir(parents=True)  # what root cannot write either
    result = run_export(["--log-dir", "logs"], database, tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: --log-dir {tmp_path / 'logs'}: dbt's log dbt.log there is a folder: name another folder.\n"
    )
    assert not (tmp_path / "activity_tracking.csv").exists()


@pytest.mark.parametrize("target", ["duckdb", "spark"])
def test_an_empty_location_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    variable = LOCATIONS[target][0]
    monkeypatch.delenv(variable, raising=False)
    unset = Engine.from_environment(target).location
    monkeypatch.setenv(variable, "")
    assert Engine.from_environment(target).location == unset


def test_missing_output_folders_are_created(default_export: tuple[Path, Path], tmp_path: Path) -> None:
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    result = run_export(["--output", "out/a1b2/export.csv"], database, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        (tmp_path / "out" / "a1b2" / "export.csv").read_text(encoding="utf-8").startswith("activityDuration;")
    )


def test_sigterm_stops_like_ctrl_c(default_export: tuple[Path, Path], tmp_path: Path) -> None:
    # what schedulers send: temporaries removed, the earlier file kept, one line, exit 143
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    earlier = tmp_path / "activity_tracking.csv"
    earlier.write_text("earlier file\n")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(database), "TMPDIR": str(temporary)}
    process = subprocess.Popen(
        [sys.executable, str(EXPORT_SCRIPT)], cwd=tmp_path, env=environment, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert "Building the dbt project" in process.stderr.readline()
    time.sleep(3)
    process.send_signal(signal.SIGTERM)
    rest = process.stderr.read()
    assert process.wait() == 143
    assert rest.strip() == "terminated: no file written."
    assert earlier.read_text() == "earlier file\n"
    assert list(temporary.iterdir()) == []
    left = sorted(path.name for path in tmp_path.iterdir() if not path.name.endswith(".lock"))
    assert left == ["activity_tracking.csv", "export.duckdb", "tmp"]


@pytest.mark.parametrize(
    ("number", "exit_code", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_stop_during_a_query_of_the_runner_is_a_stop(
    number: int,
    exit_code: int,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def run(argv: object) -> int:
        try:
            # to this thread: the handler runs before raise_signal returns (os.kill may reach
            # another thread of the process first, a DuckDB or dbt thread an earlier test left)
            signal.raise_signal(number)
        except KeyboardInterrupt:
            # what DuckDB raises when a signal handler raises during its query (duckdb 2.0)
            raise RuntimeError("Query interrupted") from None
        return 0

    monkeypatch.setattr(cli, "run", run)
    assert cli.main([]) == exit_code
    assert capsys.readouterr().err.strip() == f"{said}: no file written."
    raise_if_stopped()  # the run's stop ended with it: a later dbt invocation in this process runs


def test_a_stop_during_a_query_of_dbt_is_a_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # dbt runs a run-operation's queries (and its hooks') in the main thread; the stop raised
    # there (or DuckDB's error for it) becomes a failed node
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(tmp_path / "export.duckdb"))
    query = "select count(*) from range(1000000000) as numbers(n) where n % 7 = 3"  # seconds long

    def on_event(event: Any) -> None:
        if event.info.name == "SQLQuery" and "range(" in event.data.sql:  # sent as the query starts
            threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()

    dbt = build.Dbt("duckdb", tmp_path / "target", {})
    # dbt's own run_query macro, given its SQL as it is (the project's macros take no SQL)
    operation = ["run-operation", "run_query", "--args", json.dumps({"sql": query})]
    with stops_recorded(), pytest.raises(Terminated):
        dbt._invoke(operation, on_event)


def test_a_home_folder_in_the_database_path_is_expanded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", "~/export.duckdb")
    assert Engine.from_environment("duckdb").location == tmp_path / "export.duckdb"
