"""For schedulers: an exit code per kind of failure, JSON log lines, dbt's log in a file,
progress, and a manifest that says which run, which code and how clean the data was."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXPORT_SCRIPT, PROJECT_DIR, query, run_export
from exporter import cli, leftovers, report
from exporter.build_state import code_fingerprint
from exporter.errors import EXIT_CODES


@pytest.fixture
def database(default_export: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of a built database: an export from it builds the export model alone."""
    copy = tmp_path / "export.duckdb"
    shutil.copy(default_export[0], copy)
    return copy


def json_lines(text: str) -> list[dict]:
    """Every line of `text` as a JSON object (fails on a line that is not one)."""
    return [json.loads(line) for line in text.splitlines()]


def test_json_log_lines_tell_each_step_and_the_summary(database: Path, tmp_path: Path) -> None:
    logs = tmp_path / "dbt-logs"
    result = run_export(["--log-format", "json", "--log-dir", str(logs)], database, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    events = json_lines(result.stdout)
    names = [event["event"] for event in events]
    assert names[0] == "started" and names[-1] == "summary"
    assert {"building", "written", "built"} <= set(names)
    manifest = json.loads((tmp_path / "activity_tracking.csv.manifest.json").read_text(encoding="utf-8"))
    assert {event["runId"] for event in events} == {manifest["runId"]}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", event["at"]) for event in events)
    summary = events[-1]
    counts = dict(query(database, "select issue_code, count(*) from main.data_quality_issues group by 1"))
    assert summary["dataQualityIssues"] == counts
    assert summary["exitCode"] == 0
    (rows,) = query(database, "select count(*) from main.activity_tracking_export")[0]
    assert summary["rows"] == rows
    assert summary["dbtLog"] == str(logs / "dbt.log")
    # the build's progress ends with every node done
    build = [event for event in events if event["event"] == "progress" and event["stage"] == "build"]
    assert build and build[-1]["done"] == build[-1]["total"]


def test_dbt_writes_its_log_of_the_run_to_the_log_folder(database: Path, tmp_path: Path) -> None:
    logs = tmp_path / "dbt-logs"
    result = run_export(["--log-dir", str(logs)], database, tmp_path)
    assert result.returncode == 0, result.stderr
    log = (logs / "dbt.log").read_text(encoding="utf-8")
    assert "Running with dbt=" in log
    assert "activity_tracking_export" in log
    assert "\x1b[" not in log  # no colour codes in a file


def test_the_manifest_records_the_run_the_code_and_the_data_quality(database: Path, tmp_path: Path) -> None:
    result = run_export([], database, tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "activity_tracking.csv.manifest.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[0-9a-f]{32}", manifest["runId"])
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert manifest["code"]["projectVersion"] == str(project["version"])
    assert manifest["code"]["codeFingerprint"] == code_fingerprint("duckdb", None, None)
    issues = query(database, "select count(*) from main.data_quality_issues")[0][0]
    assert (
        manifest["dataQualityIssues"]["total"]
        == issues
        == sum(manifest["dataQualityIssues"]["byCode"].values())
    )
    assert manifest["dbtLog"] == str(PROJECT_DIR / "logs" / "dbt.log")


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (["--reportStatus", "bogus"], 2, "Invalid value 'bogus' for parameter reportStatus"),
        (["--colour", "blue"], 2, "unrecognized arguments: --colour blue"),
        (["--strict"], 3, "Strict mode: data_quality_issues has"),
    ],
    ids=["parameter", "option", "strict"],
)
def test_a_failure_in_json_is_one_error_line_with_its_exit_code(
    database: Path, tmp_path: Path, arguments: list[str], exit_code: int, message: str
) -> None:
    result = run_export(["--log-format=json", *arguments], database, tmp_path)
    assert result.returncode == exit_code
    assert result.stderr == ""
    error = json_lines(result.stdout)[-1]
    assert error["event"] == "error" and error["exitCode"] == exit_code
    assert message in error["message"]
    assert not (tmp_path / "activity_tracking.csv").exists()


def test_a_failed_build_exits_with_its_own_code(database: Path, tmp_path: Path) -> None:
    # an engine error: DuckDB out of memory, its limit set far too low for any model
    environment = {
        **os.environ,
        "ACTIVITY_TRACKING_MEMORY_LIMIT": "1MB",
        "ACTIVITY_TRACKING_DB": str(database),
    }
    result = subprocess.run(
        [sys.executable, str(EXPORT_SCRIPT), "--rebuild"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 5
    assert "Out of Memory Error" in result.stderr.splitlines()[-1]
    # the build's last progress line counts the nodes that failed
    progress = [line for line in result.stderr.splitlines() if line.startswith("Building the dbt project:")]
    assert re.fullmatch(r"Building the dbt project: \d+ of \d+ nodes done, [1-9]\d* failed\.", progress[-1])
    assert result.stderr.splitlines()[-1].startswith("error: dbt ")
    assert not (tmp_path / "activity_tracking.csv").exists()


def test_the_file_s_progress_is_reported(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(database))
    monkeypatch.setattr(report, "PROGRESS_SECONDS", 0.0)
    output = tmp_path / "out.csv"
    assert cli.main(["--log-format", "json", "--output", str(output)]) == 0
    events = json_lines(capsys.readouterr().out)
    writing = [event for event in events if event["event"] == "progress" and event["stage"] == "file"]
    # the rows' bytes: the file but its header line, which is written before them
    header = output.read_bytes().split(b"\n", 1)[0] + b"\n"
    assert writing and writing[-1]["bytes"] == output.stat().st_size - len(header)


def test_the_exit_codes_are_documented_and_in_the_help() -> None:
    """EXIT_CODES is the one home of the codes and their meanings: the table of
    docs/operating.md and --help say the same, and the table of mistakes uses no other code."""
    guide = (PROJECT_DIR / "docs" / "operating.md").read_text(encoding="utf-8")
    codes, mistakes = guide.split("### What each mistake gets", 1)
    table = dict(re.findall(r"^ *\| `(\d+)` \| (.+?) \|", codes, re.M))
    assert {int(code): meaning for code, meaning in table.items()} == EXIT_CODES
    used = mistakes.split("\n## ", 1)[0]
    assert {int(code) for code in re.findall(r"\| `(\d+)` \|", used)} <= set(EXIT_CODES)
    help_text = cli.parser().format_help()
    for code, meaning in EXIT_CODES.items():
        assert f"{code:<4}{meaning}" in help_text


@given(
    before=st.lists(st.sampled_from(["--strict", "--format", "csv", "--", "x", "--log-format", "yaml"])),
    chosen=st.sampled_from(report.LOG_FORMATS),
    spelling=st.booleans(),
)
def test_the_log_format_is_read_before_the_arguments(before: list[str], chosen: str, spelling: bool) -> None:
    given_format = [f"--log-format={chosen}"] if spelling else ["--log-format", chosen]
    argv = [*before, *given_format]
    expected = chosen
    # an earlier valid --log-format wins; after "--" nothing is an option
    for index, argument in enumerate(before):
        if argument == "--":
            expected = "text"
            break
        if argument == "--log-format" and index + 1 < len(argv) and argv[index + 1] in report.LOG_FORMATS:
            expected = argv[index + 1]
            break
    assert report.requested_log_format(argv) == expected


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_without_named_pipes_the_file_is_the_same(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_format: str
) -> None:
    """Where the operating system has no named pipes (Windows), the COPY goes through a
    temporary file: the same bytes, the same manifest."""
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(database))
    piped = tmp_path / f"piped.{file_format}"
    assert cli.main(["--asOf", "2021-01-01", "--output", str(piped)]) == 0
    monkeypatch.delattr(os, "mkfifo")
    through_file = tmp_path / f"through-file.{file_format}"
    assert cli.main(["--asOf", "2021-01-01", "--output", str(through_file)]) == 0
    assert through_file.read_bytes() == piped.read_bytes()
    manifests = [
        json.loads(path.with_name(path.name + ".manifest.json").read_text()) for path in (piped, through_file)
    ]
    assert manifests[0]["sha256"] == manifests[1]["sha256"]
    assert manifests[0]["rowCount"] == manifests[1]["rowCount"]


# ---- streams: exit 0 means the file is there, a log stream closing early stops nothing ----


def test_a_reader_closing_the_log_early_stops_nothing(database: Path, tmp_path: Path) -> None:
    """`… | head -1`: the log's reader goes away after the first line, written before the build
    (JSON lines: `started`), so every later line meets a closed pipe; the run finishes its file
    and its manifest, and exits 0. Standard error is closed too."""
    command = (
        f"{sys.executable} {EXPORT_SCRIPT} --asOf 2021-01-01 --log-format json 2>&- | head -1; "
        "exit ${PIPESTATUS[0]}"
    )
    environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(database)}
    result = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["event"] == "started"
    written = tmp_path / "activity_tracking.csv"
    manifest = json.loads(written.with_name(written.name + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256(written.read_bytes()).hexdigest()
    (rows,) = query(database, "select count(*) from main.activity_tracking_export")[0]
    with written.open(encoding="utf-8", newline="") as lines:
        assert manifest["rowCount"] == rows == len(list(csv.reader(lines, delimiter=";"))) - 1


def test_the_export_goes_to_standard_output_and_the_log_to_stderr(database: Path, tmp_path: Path) -> None:
    to_file = run_export(["--asOf", "2021-01-01", "--output", "file.csv"], database, tmp_path)
    assert to_file.returncode == 0, to_file.stderr
    streamed = subprocess.run(
        [sys.executable, str(EXPORT_SCRIPT), "--asOf", "2021-01-01", "--output", "-", "--log-format", "json"],
        cwd=tmp_path,
        env={**os.environ, "ACTIVITY_TRACKING_DB": str(database)},
        capture_output=True,
        check=False,
    )
    assert streamed.returncode == 0, streamed.stderr
    assert streamed.stdout == (tmp_path / "file.csv").read_bytes()
    events = json_lines(streamed.stderr.decode("utf-8"))
    assert events[-1]["event"] == "summary" and events[-1]["file"] == "standard output"
    assert events[-1]["manifest"] is None
    assert events[-1]["sha256"] == hashlib.sha256(streamed.stdout).hexdigest()
    assert not (tmp_path / "-").exists()
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.endswith(".lock")) == [
        "export.duckdb",
        "file.csv",
        "file.csv.manifest.json",
    ]


def test_a_fifo_read_by_another_process_gets_the_export_and_stays_a_fifo(
    database: Path, tmp_path: Path
) -> None:
    to_file = run_export(["--asOf", "2021-01-01", "--output", "file.csv"], database, tmp_path)
    assert to_file.returncode == 0, to_file.stderr
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with (tmp_path / "read.csv").open("wb") as sink:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=sink)
        result = run_export(["--asOf", "2021-01-01", "--output", str(fifo)], database, tmp_path)
        assert reader.wait(timeout=60) == 0
    assert result.returncode == 0, result.stderr
    assert f"Wrote {to_file.stdout.split()[1]} rows to {fifo}" in result.stdout
    assert (tmp_path / "read.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert not (tmp_path / "pipe.csv.manifest.json").exists()


def test_a_device_is_written_and_stays_a_device(database: Path, tmp_path: Path) -> None:
    result = run_export(["--output", os.devnull], database, tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert list(Path(os.devnull).parent.glob(".null*")) == []


# ---- what a killed run leaves is removed by the next run, and only that ----


def test_a_killed_run_s_leftovers_are_removed_by_the_next_run(database: Path, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    host, gone, alive = leftovers.HOST, _gone_pid(), os.getpid()
    other_host = "0" * 8 if host != "0" * 8 else "1" * 8
    stale = [
        temporary / f"activity_tracking_dbt_{host}-{gone}_k2j3",
        temporary / f"activity_tracking_copy_{host}-{gone}_x1",
    ]
    kept = [
        temporary / f"activity_tracking_dbt_{host}-{alive}_a1b2",  # its process runs
        temporary / f"activity_tracking_dbt_{other_host}-{gone}_c3",  # another machine's
        temporary / "activity_tracking_dbt_notes",  # not a run's name
        tmp_path / "mine",
    ]
    for folder in stale + kept:
        folder.mkdir()
        (folder / "inside").write_text("x")
    (temporary / f"activity_tracking_dbt_{host}-{gone}_link").symlink_to(tmp_path / "mine")  # a link
    partial = tmp_path / f".activity_tracking.csv.partial-{host}-{gone}"
    partial.write_text("half a file")
    beside = [
        tmp_path / ".activity_tracking.csv-2024",  # a file of the user's, named close to a partial one
        tmp_path / f".activity_tracking.csv.partial-{host}-{alive}",
        tmp_path / f".activity_tracking.csv.partial-{other_host}-{gone}",
    ]
    for path in beside:
        path.write_text("mine")
    fifo = tmp_path / f".activity_tracking.csv.manifest.json.partial-{host}-{gone}"
    os.mkfifo(fifo)  # not a regular file: never removed

    environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(database), "TMPDIR": str(temporary)}
    result = subprocess.run(
        [sys.executable, str(EXPORT_SCRIPT)], cwd=tmp_path, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in [*stale, partial])
    assert all((folder / "inside").read_text() == "x" for folder in kept)
    assert all(path.read_text() == "mine" for path in beside)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert (temporary / f"activity_tracking_dbt_{host}-{gone}_link").is_symlink()
    # and the run removed its own temporary folders
    assert sorted(path.name for path in temporary.iterdir()) == sorted(
        [*(folder.name for folder in kept[:3]), f"activity_tracking_dbt_{host}-{gone}_link"]
    )


def _gone_pid() -> int:
    """A process id no process has now."""
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


@given(text=st.text())
def test_a_message_is_one_line_whatever_it_quotes(text: str) -> None:
    """Paths and values a message quotes are shown with their control and invisible characters
    escaped (a line break, an escape, a bidirectional override): every message is one line."""
    shown = report.shown(text)
    assert len(f"error: {shown}".splitlines()) == 1
    assert shown.isprintable()
    if text.isprintable():
        assert shown == text


def test_printable_text_is_shown_as_it_is() -> None:
    assert report.shown("Chloé 中 🎓 'x' \"y\" \\") == "Chloé 中 🎓 'x' \"y\" \\"
    assert report.shown("a\nb\x1b[31m\u202e") == "a\\nb\\x1b[31m\\u202e"
