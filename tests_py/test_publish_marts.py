"""--publish-marts: a copy of the marts, with their descriptions, that BI tools read while exports run."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from conftest import query, run_export

PUBLISHED = ("activity_tracking", "learner_custom_fields", "data_quality_issues")


def copy_of_sample(default_export: tuple[Path, Path], tmp_path: Path) -> Path:
    database = tmp_path / "export.duckdb"
    shutil.copy(default_export[0], database)
    return database


def test_published_file_holds_the_marts_and_their_descriptions(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = copy_of_sample(default_export, tmp_path)
    result = run_export(["--asOf", "2021-01-01", "--publish-marts", "bi.duckdb"], database, tmp_path)
    assert result.returncode == 0, result.stderr
    published = tmp_path / "bi.duckdb"
    for table in PUBLISHED:
        assert query(published, f"from main.{table} order by all") == query(
            database, f"from main.{table} order by all"
        ), table
    [(description,)] = query(
        published, "select comment from duckdb_tables() where table_name = 'activity_tracking'"
    )
    assert description.startswith("The Activity Tracking mart")
    [(column,)] = query(
        published,
        "select comment from duckdb_columns() "
        "where table_name = 'activity_tracking' and column_name = 'candidateLogin'",
    )
    assert column == "Learner login (unique on the platform)."
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".bi")) == []


def test_a_reader_of_the_published_file_does_not_stop_the_next_export(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = copy_of_sample(default_export, tmp_path)
    arguments = ["--asOf", "2021-01-01", "--publish-marts", "bi.duckdb"]
    assert run_export(arguments, database, tmp_path).returncode == 0
    with duckdb.connect(str(tmp_path / "bi.duckdb"), read_only=True) as reader:
        # a BI tool holds the published copy open while the next export runs and publishes
        result = run_export(arguments, database, tmp_path)
        assert result.returncode == 0, result.stderr
        # it keeps reading the copy it opened
        [(rows,)] = reader.execute("select count(*) from main.activity_tracking").fetchall()
        assert rows == 32


def test_an_unwritable_publish_target_fails_before_the_build(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = copy_of_sample(default_export, tmp_path)
    result = run_export(["--publish-marts", "/proc/bi.duckdb"], database, tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: --publish-marts folder /proc is not writable")
    assert not (tmp_path / "activity_tracking.csv").exists()
