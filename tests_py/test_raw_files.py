"""The same models read a directory of Parquet or CSV files through the var raw_path."""

from pathlib import Path

import pytest

from conftest import query, run_dbt, write_raw_files

OUTPUTS = {
    "activity_tracking": "reportId",
    "learner_custom_fields": "candidateId, candidateCustomFieldGuid",
    "data_quality_issues": "issue_id",
}


def rows(database: Path, model: str) -> list[tuple]:
    return query(database, f"select * from main.{model} order by {OUTPUTS[model]}")


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_raw_files_build_the_same_outputs_as_the_seeds(
    sample_build: Path, tmp_path: Path, file_format: str
) -> None:
    # a quote and a space in the path: it reaches SQL only as an escaped literal
    raw_dir = tmp_path / "customer's raw extract"
    write_raw_files(sample_build, raw_dir, file_format)
    database = tmp_path / "files.duckdb"
    result = run_dbt(
        ["run"],
        database,
        tmp_path,
        {"raw_path": str(raw_dir), "raw_format": file_format},
    )
    assert result.returncode == 0, result.stdout
    for model in OUTPUTS:
        assert rows(database, model) == rows(sample_build, model), model
    # the files were read, not the seeds: no seed was loaded into this database
    assert query(database, "select count(*) from information_schema.tables where table_schema = 'lms'") == [
        (0,)
    ]


def test_an_unknown_raw_format_is_an_error_naming_it(tmp_path: Path) -> None:
    result = run_dbt(
        ["compile", "--select", "base_lms__trackings"],
        tmp_path / "unused.duckdb",
        tmp_path,
        {"raw_path": str(tmp_path), "raw_format": "xlsx"},
    )
    assert result.returncode != 0
    assert "Invalid raw_format 'xlsx': expected parquet or csv." in result.stdout
