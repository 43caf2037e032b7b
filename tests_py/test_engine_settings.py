"""DuckDB's memory limit, threads and spill folder come from environment variables (on-run-start
hook); the runner derives the limit and threads from the machine when they are unset."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, PROJECT_DIR, run_export
from exporter import cli, engines, resources
from exporter.errors import ExportError

GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"


def compile_settings(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    command = [DBT, "compile", "--inline", "{{ apply_engine_settings() }}", "--target-path", str(tmp_path)]
    command += ["--log-path", str(tmp_path)]
    environment = {"ACTIVITY_TRACKING_DB": str(tmp_path / "unused.duckdb"), **environment}
    clean = {key: value for key, value in os.environ.items() if not key.startswith("ACTIVITY_TRACKING_")}
    return subprocess.run(
        command, cwd=PROJECT_DIR, env={**clean, **environment}, capture_output=True, text=True, check=False
    )


def test_set_variables_become_duckdb_settings(tmp_path: Path) -> None:
    result = compile_settings(
        tmp_path,
        ACTIVITY_TRACKING_MEMORY_LIMIT="3GB",
        ACTIVITY_TRACKING_THREADS="1",
        ACTIVITY_TRACKING_TEMP_DIR="/tmp/it's spill",
    )
    assert result.returncode == 0, result.stdout
    assert (
        "set memory_limit = '3GB'; set threads = 1; set temp_directory = '/tmp/it''s spill';" in result.stdout
    )


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


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The memory limit and threads of each connection the runner opens to read the build."""
    seen: list[tuple] = []
    connect = engines.Engine.connect

    @contextmanager
    def spy(
        engine: engines.Engine, tables: tuple[str, ...] = engines.READ_TABLES
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(engine, tables) as connection:
            query = "select current_setting('memory_limit'), current_setting('threads')"
            seen.append(connection.execute(query).fetchone())
            yield connection

    monkeypatch.setattr(engines.Engine, "connect", spy)
    return seen


def test_the_runner_writes_the_file_within_the_settings(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: list[tuple],
) -> None:
    """The runner's own queries after the build (the COPY that writes the file, the delta state)
    share dbt's database instance, whose settings the build's hook set (the runner keeps the file
    open, and settings belong to the instance, not to the file)."""
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(tmp_path / "settings.duckdb"))
    monkeypatch.setenv("ACTIVITY_TRACKING_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("ACTIVITY_TRACKING_THREADS", "1")
    output = tmp_path / "export.csv"
    assert cli.main(["--asOf", "2021-01-01", "--output", str(output)]) == 0, capsys.readouterr().err
    assert output.is_file()
    # the first connection reads the build state, before any build: DuckDB's defaults
    assert len(settings) > 2
    assert set(settings[1:]) == {("953.6 MiB", 1)}  # 1GB, as DuckDB shows it


def fake_machine(root: Path, files: dict[str, str]) -> Path:
    """A machine's /proc and /sys/fs/cgroup files under `root`."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


GIB = 2**30
MEMINFO_24_GIB = "MemTotal:       25165824 kB\nMemFree:        1000 kB\n"


# (the machine's files, the processors it lets the process run on) → (memory, processors, limit):
# the limit is 30 % of the smaller of the physical memory and the cgroup's limit, at least 256 MiB
@pytest.mark.parametrize(
    ("files", "affinity", "memory", "cpus", "limit"),
    [
        ({"proc/meminfo": MEMINFO_24_GIB}, 2, 24 * GIB, 2, "7372MiB"),  # 24 GiB * 0.3 = 7372.8 MiB
        (
            {  # cgroup v2, the process's own cgroup: 8 GiB, one and a half processors
                "proc/meminfo": MEMINFO_24_GIB,
                "proc/self/cgroup": "0::/user.slice/export.scope\n",
                "sys/fs/cgroup/user.slice/export.scope/memory.max": f"{8 * GIB}\n",
                "sys/fs/cgroup/user.slice/export.scope/cpu.max": "150000 100000\n",
            },
            8,
            8 * GIB,
            2,
            "2457MiB",
        ),
        (
            {  # cgroup v2 without limits
                "proc/meminfo": MEMINFO_24_GIB,
                "proc/self/cgroup": "0::/\n",
                "sys/fs/cgroup/memory.max": "max\n",
                "sys/fs/cgroup/cpu.max": "max 100000\n",
            },
            8,
            24 * GIB,
            8,
            "7372MiB",
        ),
        (
            {  # cgroup v1, seen at the mount's root (a container): 4 GiB, 3 processors
                "proc/meminfo": MEMINFO_24_GIB,
                "proc/self/cgroup": "4:memory:/process_api/d6e\n1:cpu:/\n",
                "sys/fs/cgroup/memory/memory.limit_in_bytes": f"{4 * GIB}\n",
                "sys/fs/cgroup/cpu/cpu.cfs_quota_us": "300000\n",
                "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
            },
            16,
            4 * GIB,
            3,
            "1228MiB",
        ),
        (
            {  # cgroup v1 without limits (as on this kind of machine)
                "proc/meminfo": MEMINFO_24_GIB,
                "sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
                "sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
                "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
            },
            2,
            24 * GIB,
            2,
            "7372MiB",
        ),
        ({"proc/meminfo": "MemTotal:         524288 kB\n"}, 1, GIB // 2, 1, "256MiB"),  # the floor
    ],
)
def test_the_default_limit_and_threads_are_derived_from_the_machine(
    tmp_path: Path, files: dict[str, str], affinity: int, memory: int, cpus: int, limit: str
) -> None:
    machine = resources.Machine.detect(fake_machine(tmp_path, files), cpus=affinity)
    assert (machine.memory, machine.cpus) == (memory, cpus)
    assert resources.settings({}, machine) == {
        "ACTIVITY_TRACKING_MEMORY_LIMIT": limit,
        "ACTIVITY_TRACKING_THREADS": str(cpus),
    }


def test_the_environment_overrides_the_machine() -> None:
    machine = resources.Machine(memory=24 * GIB, cpus=2)
    given = {"ACTIVITY_TRACKING_MEMORY_LIMIT": " 3GB ", "ACTIVITY_TRACKING_THREADS": "1"}
    assert resources.settings(given, machine) == {
        "ACTIVITY_TRACKING_MEMORY_LIMIT": "3GB",
        "ACTIVITY_TRACKING_THREADS": "1",
    }
    assert resources.settings({"ACTIVITY_TRACKING_THREADS": " "}, machine)["ACTIVITY_TRACKING_THREADS"] == "2"


def shown_by_duckdb(memory_limit: str) -> str:
    """A memory limit as DuckDB shows it (current_setting)."""
    with duckdb.connect() as connection:
        connection.execute(f"set memory_limit = '{memory_limit}'")
        return connection.execute("select current_setting('memory_limit')").fetchone()[0]


def test_the_runner_derives_the_settings_it_is_not_given(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: list[tuple],
) -> None:
    monkeypatch.setattr(resources.Machine, "detect", lambda: resources.Machine(memory=10 * GIB, cpus=1))
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(tmp_path / "settings.duckdb"))
    monkeypatch.delenv("ACTIVITY_TRACKING_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("ACTIVITY_TRACKING_THREADS", raising=False)
    output = tmp_path / "export.csv"
    assert cli.main(["--asOf", "2021-01-01", "--output", str(output)]) == 0, capsys.readouterr().err
    assert output.is_file()
    assert len(settings) > 2
    assert set(settings[1:]) == {(shown_by_duckdb(f"{int(10 * 1024 * 0.3)}MiB"), 1)}
    # the run's settings are gone from the environment with it
    assert "ACTIVITY_TRACKING_MEMORY_LIMIT" not in os.environ


def test_the_in_memory_duckdb_has_the_settings_and_spills_where_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIVITY_TRACKING_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("ACTIVITY_TRACKING_THREADS", "1")
    monkeypatch.delenv("ACTIVITY_TRACKING_TEMP_DIR", raising=False)
    names = ("memory_limit", "threads", "temp_directory")
    query = "select " + ", ".join(f"current_setting('{name}')" for name in names)
    with resources.in_memory_duckdb(tmp_path / "spill") as connection:
        assert connection.execute(query).fetchone() == (shown_by_duckdb("1GB"), 1, str(tmp_path / "spill"))
    monkeypatch.setenv("ACTIVITY_TRACKING_TEMP_DIR", str(tmp_path / "elsewhere"))
    with resources.in_memory_duckdb(tmp_path / "spill") as connection:
        assert connection.execute(query).fetchone()[2] == str(tmp_path / "elsewhere")
    monkeypatch.setenv("ACTIVITY_TRACKING_THREADS", "many")
    with pytest.raises(ExportError, match="ACTIVITY_TRACKING_THREADS"):
        resources.in_memory_duckdb(tmp_path / "spill")


def test_a_small_memory_limit_spills_and_the_run_finishes(tmp_path: Path) -> None:
    """A limit far below what the build holds: DuckDB spills to ACTIVITY_TRACKING_TEMP_DIR (seen
    while the run goes on) and the file is the one a generous limit writes."""
    extract = tmp_path / "raw"
    generated = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(extract), "--trackings", "300000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    files = {}
    spilled = 0
    # 200MB: this extract spilled 50 MiB at it on 2026-12-07 (none at 350MB since the file's rows
    # are sorted as one line each; at 150MB the file's sort runs out of memory)
    for limit in ("4GB", "200MB"):
        spill = tmp_path / f"spill-{limit}"
        output = tmp_path / f"export-{limit}.csv"
        environment = {
            "ACTIVITY_TRACKING_MEMORY_LIMIT": limit,
            "ACTIVITY_TRACKING_THREADS": "2",
            "ACTIVITY_TRACKING_TEMP_DIR": str(spill),
        }
        arguments = ["--raw-path", str(extract), "--asOf", "2021-01-01", "--output", str(output)]
        with seen_in(spill) as largest:
            result = run_export(arguments, tmp_path / f"{limit}.duckdb", tmp_path, environment=environment)
        assert result.returncode == 0, result.stderr
        files[limit] = output.read_bytes()
        spilled = largest[0]
    assert spilled > 20 * 2**20  # the small limit's run spilled
    assert files["200MB"] == files["4GB"]


@contextmanager
def seen_in(folder: Path) -> Iterator[list[int]]:
    """The most bytes `folder` held at once while the block ran (looked at every 20 ms)."""
    largest = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            with suppress(OSError):
                size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
                largest[0] = max(largest[0], size)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield largest
    finally:
        done.set()
        watcher.join()
