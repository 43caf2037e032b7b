"""DuckDB's memory limit and threads come from environment variables (on-run-start hook)."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, PROJECT_DIR
from exporter import cli, engines


def compile_settings(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    command = [DBT, "compile", "--inline", "{{ apply_engine_settings() }}", "--target-path", str(tmp_path)]
    command += ["--log-path", str(tmp_path)]
    environment = {"ACTIVITY_TRACKING_DB": str(tmp_path / "unused.duckdb"), **environment}
    clean = {key: value for key, value in os.environ.items() if not key.startswith("ACTIVITY_TRACKING_")}
    return subprocess.run(
        command, cwd=PROJECT_DIR, env={**clean, **environment}, capture_output=True, text=True, check=False
    )


def test_set_variables_become_duckdb_settings(tmp_path: Path) -> None:
    result = compile_settings(tmp_path, ACTIVITY_TRACKING_MEMORY_LIMIT="3GB", ACTIVITY_TRACKING_THREADS="1")
    assert result.returncode == 0, result.stdout
    assert "set memory_limit = '3GB'; set threads = 1;" in result.stdout


def test_unset_variables_change_nothing(tmp_path: Path) -> None:
    result = compile_settings(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "set " not in result.stdout.split("Compiled inline node is:")[-1]


@pytest.mark.parametrize("threads", ["all", "0", "\u00b2"])
def test_a_thread_count_must_be_a_whole_number_of_one_or_more(tmp_path: Path, threads: str) -> None:
    result = compile_settings(tmp_path, ACTIVITY_TRACKING_THREADS=threads)
    assert result.returncode != 0
    assert f"Invalid value '{threads}' for environment variable ACTIVITY_TRACKING_THREADS" in result.stdout


# What DuckDB refuses (or takes for something else: -1GB is 16 PiB), and what it reads.
@pytest.mark.parametrize(
    ("memory_limit", "taken"),
    [
        ("3", False),  # no unit
        ("-1GB", False),
        ("150%", False),
        ("3 gb", True),
        ("2.5GiB", True),
        ("100%", True),
    ],
)
def test_a_memory_limit_is_a_size_duckdb_reads(tmp_path: Path, memory_limit: str, taken: bool) -> None:
    result = compile_settings(tmp_path, ACTIVITY_TRACKING_MEMORY_LIMIT=memory_limit)
    assert (result.returncode == 0) == taken, result.stdout
    if taken:
        with duckdb.connect() as connection:  # the setting compiled is one DuckDB takes
            connection.execute(f"set memory_limit = '{memory_limit}'")
    else:
        assert f"Invalid value '{memory_limit}' for environment variable ACTIVITY_TRACKING_MEMORY_LIMIT" in (
            result.stdout
        )


def test_the_settings_run_at_the_start_of_a_build(tmp_path: Path) -> None:
    command = [DBT, "--debug", "seed", "--select", "trainings", "--target-path", str(tmp_path)]
    command += ["--log-path", str(tmp_path)]
    environment = {
        **os.environ,
        "ACTIVITY_TRACKING_DB": str(tmp_path / "seed.duckdb"),
        "ACTIVITY_TRACKING_MEMORY_LIMIT": "2GB",
        "ACTIVITY_TRACKING_THREADS": "1",
    }
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    assert "set memory_limit = '2GB'; set threads = 1;" in result.stdout


def test_the_runner_writes_the_file_within_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The runner's own queries after the build (the COPY that writes the file, the delta state)
    share dbt's database instance, whose settings the build's hook set (the runner keeps the file
    open, and settings belong to the instance, not to the file)."""
    settings: list[tuple] = []
    connect = engines.Engine.connect

    @contextmanager
    def spy(
        engine: engines.Engine, tables: tuple[str, ...] = engines.READ_TABLES
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(engine, tables) as connection:
            query = "select current_setting('memory_limit'), current_setting('threads')"
            settings.append(connection.execute(query).fetchone())
            yield connection

    monkeypatch.setattr(engines.Engine, "connect", spy)
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(tmp_path / "settings.duckdb"))
    monkeypatch.setenv("ACTIVITY_TRACKING_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("ACTIVITY_TRACKING_THREADS", "1")
    output = tmp_path / "export.csv"
    assert cli.main(["--asOf", "2021-01-01", "--output", str(output)]) == 0, capsys.readouterr().err
    assert output.is_file()
    # the first connection reads the build state, before any build: DuckDB's defaults
    assert len(settings) > 2
    assert set(settings[1:]) == {("953.6 MiB", 1)}  # 1GB, as DuckDB shows it
