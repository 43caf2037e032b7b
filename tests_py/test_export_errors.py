"""A user's mistake: one clear message, a non-zero exit, no traceback, nothing written."""

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXPORT_SCRIPT, run_export
from exporter.engines import LOCATIONS, Engine

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

CASES = {
    "unknown option": (["--colour", "blue"], None, "error: unrecognized arguments: --colour blue"),
    "unknown parameter": (
        ["--param", "colour=blue"],
        None,
        "error: Unknown parameter colour: expected one of",
    ),
    "parameter without value": (
        ["--param", "activityType"],
        None,
        "error: --param activityType: expected NAME=VALUE.",
    ),
    "unknown XML element": (
        ["--config", "{config}"],
        UNKNOWN_ELEMENT,
        "error: Unknown element <colour> in <parameters>: expected <activityType>,",
    ),
    "malformed XML": (["--config", "{config}"], "<export><providers>", "error: Malformed XML in "),
    "entity expansion": (["--config", "{config}"], BILLION_LAUGHS, "error: Unsafe XML in "),
    "external entity": (["--config", "{config}"], EXTERNAL_ENTITY, "error: Unsafe XML in "),
    "missing configuration": (["--config", "{missing}"], None, "error: Configuration file not found: "),
    "unwritable output folder": (
        ["--output", "/proc/activity_tracking.csv"],
        None,
        "error: Output folder /proc is not writable",
    ),
    "output onto the database": (
        ["--output", "export.duckdb"],
        None,
        "export.duckdb would overwrite the working database",
    ),
    "output onto the database's WAL": (
        ["--output", "export.duckdb.wal"],
        None,
        "export.duckdb.wal would overwrite the working database",
    ),
    "marts published onto the database": (
        ["--publish-marts", "./sub/../export.duckdb"],
        None,
        "error: --publish-marts {tmp}/export.duckdb would overwrite the working database",
    ),
    "invalid file option": (
        ["--encoding", "UTF-32"],
        None,
        "error: Invalid value 'UTF-32' for file option encoding",
    ),
    "invalid parameter value": (
        ["--timeGlobalFormat", "hours"],
        None,
        "error: Invalid value 'hours' for parameter timeGlobalFormat: expected one of iso-8601,",
    ),
    "unencodable value": (
        ["--encoding", "ISO-8859-1"],
        None,
        "error: Row with reportId 4032, column 'activityName': the value 'Self check ✓' cannot be encoded",
    ),
    "strict mode": (["--strict"], None, "error: Strict mode: data_quality_issues has 69 rows"),
    "delta mode without GUID": (
        ["--deltaMode", "Y"],
        None,
        "error: Parameter deltaMode=Y needs an export GUID",
    ),
    "delta mode with a time frame": (
        [
            "--deltaMode",
            "Y",
            "--export-guid",
            "A1",
            "--timeFrames",
            "2",
            "--timeFramesScale",
            "less_than_n_days",
        ],
        None,
        "error: Parameter deltaMode=Y cannot be combined with timeFrames",
    ),
    "published marts from Spark": (
        ["--target", "spark", "--publish-marts", "marts.duckdb"],
        None,
        "error: --publish-marts copies DuckDB tables: it needs --target duckdb.",
    ),
    "reset without GUID": (
        ["--reset-delta-export", " "],
        None,
        "error: --reset-delta-export: expected an export GUID.",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_mistake_gives_one_message_and_writes_nothing(
    default_export: tuple[Path, Path], tmp_path: Path, case: str
) -> None:
    arguments, configuration, message = CASES[case]
    config = tmp_path / "export.xml"
    if configuration is not None:
        config.write_text(configuration, encoding="utf-8")
    arguments = [a.format(config=config, missing=tmp_path / "missing") for a in arguments]
    message = message.format(tmp=tmp_path)
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    earlier = tmp_path / "activity_tracking.csv"
    earlier.write_text("earlier file\n")
    before = sorted(path.name for path in tmp_path.iterdir())

    result = run_export(arguments, database, tmp_path)

    # strict mode's data quality failure has its own exit code; every other case is invalid input
    assert result.returncode == (3 if case == "strict mode" else 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1
    assert earlier.read_text() == "earlier file\n"
    # the runner's lock files beside the database hold no data
    after = sorted(p.name for p in tmp_path.iterdir() if p.name != "logs" and not p.name.endswith(".lock"))
    assert after == before


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
        f"error: Output {database} would overwrite the working database {database} "
        "(its tables and delta state): choose another path.\n"
    )
    assert database.read_bytes() == before


# Two things a run writes on one path, or one inside the folder --publish-parquet replaces whole:
# arguments (the folder bi/ exists, empty) → the message.
SHARED_PATHS = {
    "marts published onto the output": (
        ["--publish-marts", "activity_tracking.csv"],
        "--publish-marts {tmp}/activity_tracking.csv is also the output: give each its own path.",
    ),
    "marts published onto the manifest": (
        ["--publish-marts", "./bi/../activity_tracking.csv.manifest.json"],
        "--publish-marts {tmp}/activity_tracking.csv.manifest.json is also the manifest of the output:",
    ),
    "output in the Parquet folder": (
        ["--output", "bi/x.csv", "--publish-parquet", "bi"],
        "The output {tmp}/bi/x.csv is inside --publish-parquet {tmp}/bi, a folder the run replaces whole:",
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
        "The dbt log of --log-dir {tmp}/bi/dbt.log is also the output: give each its own path.",
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
        f"error: --log-dir {tmp_path / 'logs'}: dbt's log dbt.log cannot be written: Is a directory.\n"
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


def test_waiting_for_the_database_has_a_limit(default_export: tuple[Path, Path], tmp_path: Path) -> None:
    database = tmp_path / "export.duckdb"
    database.write_bytes(default_export[0].read_bytes())
    with (tmp_path / ".export.duckdb.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("process 4242 (a nightly export)\n")
        held.flush()
        result = run_export(["--lock-timeout", "1"], database, tmp_path)
    assert result.returncode == 4  # busy: retry later
    assert result.stderr.splitlines()[-1] == (
        f"error: Database {database} is still in use after 1 s (--lock-timeout), "
        "by process 4242 (a nightly export): try again later."
    )
    assert not (tmp_path / "activity_tracking.csv").exists()
