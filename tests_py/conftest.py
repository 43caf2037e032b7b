"""Shared helpers: run dbt on a database of the test's own, read results back."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).with_name("dbt"))
EXPORT_SCRIPT = PROJECT_DIR / "scripts" / "export.py"
sys.path.insert(0, str(EXPORT_SCRIPT.parent))

from exporter.paths import Destination  # noqa: E402  (the runner's package, on the path above)
from exporter.project import macro_value  # noqa: E402

# The platform's own page of the export (tests_py/fixtures/platform_export_page.md, the customer's
# documentation copied as it is): the oracle the mart and the export's default columns are held
# to, independent of the project's field catalogue. Its field table, in its order: each system
# field and the platform's type. candidateCustomFieldGuid is a column per custom field (in
# learner_custom_fields), not a mart column.
PLATFORM_PAGE = PROJECT_DIR / "tests_py" / "fixtures" / "platform_export_page.md"
FIELD_TABLE = PLATFORM_PAGE.read_text(encoding="utf-8").split("## Fields available")[1].split("\n## ")[0]
PLATFORM_FIELDS = {
    name: kind
    for name, kind in re.findall(r"^\|[^|*]+\|\s*\*(\w+)\*\s*\|\s*([^|(]+?)\s*[|(]", FIELD_TABLE, re.M)
    if name != "candidateCustomFieldGuid"
}
# The mart types (DuckDB's names) each platform type may be.
PLATFORM_TYPES = {
    "Text": ("VARCHAR",),
    "Integer": ("INTEGER", "BIGINT"),
    "Decimal": ("DECIMAL(5,2)", "DECIMAL(9,2)"),
    "Date and time": ("TIMESTAMP", "DATE"),
    "Time spent format": ("BIGINT",),
    "Y or N": ("VARCHAR",),
}


def in_order(expected: list[str], actual: list[str]) -> bool:
    """Whether every name of `expected` is in `actual`, in the same order (others between)."""
    remaining = iter(actual)
    return all(name in remaining for name in expected)


def planted_issue_counts() -> Counter[str]:
    """How many anomalies of each issue code are planted in the sample seeds: the `planted`
    entries of the rule table data_quality_rules, their one home (never a count by hand)."""
    counts: Counter[str] = Counter()
    for rule in macro_value("macros/data_quality/data_quality_rules.sql", "data_quality_rules"):
        counts[rule["code"]] += len(rule["planted"])
    return counts


# The raw extract's tables (raw contract), as the sample seeds hold them in schema lms_sample.
RAW_TABLES = [
    "entities",
    "learners",
    "learner_custom_field_values",
    "trainings",
    "training_chapters",
    "sessions",
    "learning_objects",
    "learning_object_versions",
    "activities",
    "registrations",
    "trackings",
    "tracking_time_logs",
]


def run_dbt(
    args: list[str],
    database: Path,
    work_dir: Path,
    dbt_vars: dict | None = None,
    project_dir: Path = PROJECT_DIR,
) -> subprocess.CompletedProcess[str]:
    """Run a dbt command of `project_dir` on `database`, keeping dbt's target and logs in `work_dir`."""
    command = [DBT, *args, "--target-path", str(work_dir / "target")]
    command += ["--log-path", str(work_dir / "logs")]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(database)}
    return subprocess.run(
        command,
        cwd=project_dir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def query(database: Path, sql: str) -> list[tuple]:
    """Rows of `sql` on `database`, opened read-only."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(sql).fetchall()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from the sample seeds with `dbt build`; returns its path."""
    work_dir = tmp_path_factory.mktemp("sample_build")
    database = work_dir / "sample.duckdb"
    result = run_dbt(["build"], database, work_dir)
    assert result.returncode == 0, result.stdout
    return database


def run_export(
    args: list[str],
    database: Path,
    cwd: Path,
    project: Path = PROJECT_DIR,
    environment: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the export runner of `project` as an operator would, on `database`, from `cwd`, with
    `environment` over the test's own."""
    variables = {**os.environ, "ACTIVITY_TRACKING_DB": str(database), **(environment or {})}
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "export.py"), *args],
        cwd=cwd,
        env=variables,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def destinations(output: Path) -> tuple[Destination, Destination]:
    """The file `output` and its manifest, as the runner's path guard gives them to the writer."""
    manifest = output.with_name(output.name + ".manifest.json")
    return Destination("--output", output), Destination("the manifest of --output", manifest)


def copy_tracked_files(directory: Path) -> Path:
    """The project's committed files (and those added to git's index), as a clone holds them,
    copied into `directory`."""
    listed = subprocess.run(["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    for file in listed.stdout.splitlines():
        source = PROJECT_DIR / file
        if source.is_file():
            (directory / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, directory / file)
    return directory


def copy_project(directory: Path) -> Path:
    """The project's files (copy_tracked_files) in `directory`, a git checkout of its own that
    tracks them: a project a test may see damaged without harm."""
    copy_tracked_files(directory)
    for command in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *command], cwd=directory, capture_output=True, check=True)
    return directory


@pytest.fixture(scope="session")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project (copy_project) for the session's tests that point outputs at it."""
    return copy_project(tmp_path_factory.mktemp("project") / "project")


@pytest.fixture(scope="session")
def default_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One default run of the export runner on a fresh database: (database, written file)."""
    work_dir = tmp_path_factory.mktemp("default_export")
    database = work_dir / "export.duckdb"
    result = run_export(["--asOf", "2021-01-01"], database, work_dir)
    assert result.returncode == 0, result.stderr
    return database, work_dir / "activity_tracking.csv"


def write_raw_files(sample_build: Path, directory: Path, file_format: str) -> None:
    """Write the sample seeds' raw tables as `<directory>/<table>.<file_format>`."""
    directory.mkdir()
    options = "format parquet" if file_format == "parquet" else "format csv, header true"
    with duckdb.connect(str(sample_build), read_only=True) as connection:
        for table in RAW_TABLES:
            target = directory / f"{table}.{file_format}"
            path = str(target).replace("'", "''")
            connection.execute(f"copy lms_sample.{table} to '{path}' ({options})")


def load_tables(extract: Path, database: Path, schema: str) -> None:
    """The extract's Parquet files as tables of `schema` in `database`, as an EL tool loads them."""
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"create schema {schema}")
        for table in RAW_TABLES:
            path = str(extract / f"{table}.parquet").replace("'", "''")
            connection.execute(f"create table {schema}.{table} as select * from read_parquet('{path}')")
