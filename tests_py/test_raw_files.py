"""The same models read a directory of Parquet or CSV files through the var raw_path."""

from pathlib import Path

import duckdb
import pytest

from conftest import query, run_dbt, run_export, write_raw_files

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
    loaded = "select count(*) from information_schema.tables where table_schema = 'lms_sample'"
    assert query(database, loaded) == [(0,)]


def test_an_unknown_raw_format_is_an_error_naming_it(tmp_path: Path) -> None:
    result = run_dbt(
        ["compile", "--select", "base_lms__trackings"],
        tmp_path / "unused.duckdb",
        tmp_path,
        {"raw_path": str(tmp_path), "raw_format": "xlsx"},
    )
    assert result.returncode != 0
    assert "Invalid raw_format 'xlsx': expected parquet or csv." in result.stdout


def broken_extract(sample_build: Path, directory: Path, file_format: str, table: str, select: str) -> Path:
    """The sample extract as files, `table` replaced by `select` over its own rows (named `raw`)."""
    write_raw_files(sample_build, directory, file_format)
    path = directory / f"{table}.{file_format}"
    options = "format parquet" if file_format == "parquet" else "format csv, header true"
    with duckdb.connect() as connection:
        reader = "read_parquet" if file_format == "parquet" else "read_csv"
        connection.execute(f"create table raw as select * from {reader}('{path}')")
        connection.execute(f"copy ({select}) to '{path}' ({options})")
    return path


@pytest.mark.parametrize(
    ("file_format", "table", "select", "message"),
    [
        (
            "parquet",
            "trackings",
            "select * exclude (last_access_at) from raw",
            "has no column last_access_at: the raw table trackings has the columns tracking_id,",
        ),
        (
            "parquet",
            "registrations",
            "select * replace ('R' || registration_id as registration_id) from raw",
            "could not be read: Conversion Error: Could not convert string 'R3001' to INT64 when casting "
            "from source column registration_id",
        ),
    ],
    ids=["missing column", "mistyped column"],
)
def test_a_malformed_raw_file_is_named_with_its_column_and_cause(
    sample_build: Path, tmp_path: Path, file_format: str, table: str, select: str, message: str
) -> None:
    path = broken_extract(sample_build, tmp_path / "raw", file_format, table, select)
    arguments = ["--raw-path", str(tmp_path / "raw"), "--raw-format", file_format]
    result = run_export(arguments, tmp_path / "export.duckdb", tmp_path)
    assert result.returncode == 2  # invalid input: the extract
    assert result.stderr.splitlines()[-1].startswith(f"error: Raw file {path} {message}")
    assert not (tmp_path / "activity_tracking.csv").exists()


def test_a_raw_csv_file_in_another_encoding_is_named_with_the_cause(
    sample_build: Path, tmp_path: Path
) -> None:
    write_raw_files(sample_build, tmp_path / "raw", "csv")
    learners = tmp_path / "raw" / "learners.csv"
    learners.write_bytes(learners.read_text(encoding="utf-8").encode("latin-1"))  # "Chloé" in ISO-8859-1
    result = run_export(
        ["--raw-path", str(tmp_path / "raw"), "--raw-format", "csv"], tmp_path / "x.duckdb", tmp_path
    )
    assert result.returncode == 2  # invalid input: the extract
    assert result.stderr.splitlines()[-1].startswith(f"error: Raw file {learners} could not be read: ")
    assert "This file is not utf-8 encoded." in result.stderr


def test_a_raw_path_outside_the_basic_multilingual_plane_is_read(sample_build: Path, tmp_path: Path) -> None:
    # emoji and CJK extension characters are ordinary text, in a path too
    raw_dir = tmp_path / "🎓 extract 𠀀"
    write_raw_files(sample_build, raw_dir, "parquet")
    result = run_export(["--raw-path", str(raw_dir), "--export-guid", "🎓"], tmp_path / "x.duckdb", tmp_path)
    assert result.returncode == 0, result.stderr
    (exported,) = query(sample_build, "select count(*) from activity_tracking")[0]
    assert f"Wrote {exported} rows to " in result.stdout
