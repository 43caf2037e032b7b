"""For schedulers: an exit code per kind of failure, JSON log lines, dbt's log in a file,
progress, and a manifest that says which run, which code and how clean the data was."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXPORT_SCRIPT, PROJECT_DIR, query, run_export
from exporter import cli, report
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


def test_an_output_that_cannot_be_written_after_the_build_exits_with_its_own_code(
    database: Path, tmp_path: Path
) -> None:
    # a folder where the manifest goes: the checks before the build pass, the write fails
    (tmp_path / "activity_tracking.csv.manifest.json").mkdir()
    result = run_export([], database, tmp_path)
    assert result.returncode == 6
    assert result.stderr.splitlines()[-1].startswith(
        f"error: Cannot write {tmp_path / 'activity_tracking.csv'}"
    )
    assert "Traceback" not in result.stderr


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
    guide = (PROJECT_DIR / "docs" / "operating.md").read_text(encoding="utf-8")
    documented = {int(code) for code in re.findall(r"^ *\| `(\d+)` \|", guide, re.M)}
    assert documented == set(EXIT_CODES)
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
    assert cli.requested_log_format(argv) == expected


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
