"""The raw tables are the lms source, whichever of three places holds them (docs/using.md,
"Point it at your data"): the sample seeds, tables in the warehouse (vars lms_database,
lms_schema, lms_<table>_identifier) or files (raw_path). Models read them only through it, the
three give the same rows, `dbt source freshness` reads where the models read, and the vars
naming them are data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, RAW_TABLES, load_tables, query, run_dbt, run_export, write_raw_files

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from exporter.build_state import SAMPLE_SCHEMA

PACKAGE = "activity_tracking"
GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"
# The three places, as --vars; "tables" names one table under another name as an EL tool may.
MODES = {
    "sample": {},
    "files": {"raw_path": "/nowhere/extract", "raw_format": "parquet"},
    "tables": {"lms_schema": "lms_raw", "lms_learners_identifier": "el_learners"},
}


def parsed(mode: str, tmp_path: Path) -> dict:
    """The manifest of a parse of the project with the vars of `mode`."""
    result = run_dbt(["parse"], tmp_path / "parse.duckdb", tmp_path, MODES[mode])
    assert result.returncode == 0, result.stdout
    return json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", list(MODES))
def test_every_base_model_reads_its_table_through_the_lms_source(mode: str, tmp_path: Path) -> None:
    manifest = parsed(mode, tmp_path)
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    seeds = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "seed"}
    for table in RAW_TABLES:
        parents = models[f"base_lms__{table}"]["depends_on"]["nodes"]
        expected = [f"source.{PACKAGE}.lms.{table}"]
        # with the sample, the seed is loaded first (the same relation as the source's)
        expected += [f"seed.{PACKAGE}.{table}"] if mode == "sample" else []
        assert sorted(parents) == sorted(expected), table
        assert "lms_source(" in models[f"base_lms__{table}"]["raw_code"]
    # the seeds are loaded only when the source reads them
    assert seeds == (set(RAW_TABLES) if mode == "sample" else set())
    for name, model in models.items():
        if not name.startswith("base_lms__"):
            raw = [node for node in model["depends_on"]["nodes"] if node.startswith(("source.", "seed."))]
            assert raw == [], name
    relation = manifest["sources"][f"source.{PACKAGE}.lms.learners"]["relation_name"]
    if mode == "tables":
        assert relation == '"parse"."lms_raw"."el_learners"'
    else:
        assert relation == f'"parse"."{SAMPLE_SCHEMA}"."learners"'


def test_the_defaults_of_the_lms_vars_are_said_once(tmp_path: Path) -> None:
    """Every var('lms_…', default) in the source's YAML, dbt_project.yml and the macros has the
    default project_vars gives it (what run-operation show_vars prints); the seeds land in the
    default schema, which the runner knows as SAMPLE_SCHEMA."""
    result = run_dbt(["run-operation", "show_vars"], tmp_path / "vars.duckdb", tmp_path)
    assert result.returncode == 0, result.stdout
    shown = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{")))
    files = [
        PROJECT_DIR / "dbt_project.yml",
        *PROJECT_DIR.glob("models/**/*.yml"),
        *PROJECT_DIR.glob("macros/**/*.sql"),
    ]
    calls = [
        (path.name, name, default)
        for path in files
        for name, default in re.findall(r"var\('(lms_\w+)', ([^)]+?)\)", path.read_text(encoding="utf-8"))
    ]
    assert len(calls) >= len(RAW_TABLES) + 4
    for file, name, default in calls:
        assert name in shown, (file, name)
        if default == "target.database":
            assert shown[name] is None, (file, name)  # none: the target's database
        else:
            assert json.dumps(shown[name]) == default.replace("'", '"') or str(shown[name]) == default, (
                file,
                name,
            )
    assert shown["lms_schema"] == SAMPLE_SCHEMA
    project = (PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    assert f"+schema: {SAMPLE_SCHEMA}\n" in project


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated extract with anomalies in every table (Parquet files)."""
    directory = tmp_path_factory.mktemp("extract") / "raw"
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--out",
            str(directory),
            "--trackings",
            "3000",
            "--anomaly-rate",
            "0.05",
        ],
        check=True,
        capture_output=True,
    )
    return directory


def test_tables_in_the_warehouse_give_the_file_of_the_same_extract_read_as_files(
    generated: Path, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    # a fresh database reading files: `dbt build` passes at once (unit tests included)
    built = run_dbt(["build"], files / "warehouse.duckdb", files, {"raw_path": str(generated)})
    assert built.returncode == 0, built.stdout
    from_files = run_export(
        ["--raw-path", str(generated), "--asOf", "2024-06-01"], files / "warehouse.duckdb", files
    )
    assert from_files.returncode == 0, from_files.stderr

    tables = tmp_path / "tables"
    tables.mkdir()
    database = tables / "warehouse.duckdb"
    load_tables(generated, database, "lms_raw")
    built = run_dbt(["build"], database, tables, {"lms_schema": "lms_raw"})
    assert built.returncode == 0, built.stdout
    from_tables = run_export(["--lms-schema", "lms_raw", "--asOf", "2024-06-01"], database, tables)
    assert from_tables.returncode == 0, from_tables.stderr
    assert "from the tables of schema lms_raw" in from_tables.stdout

    written = (tables / "activity_tracking.csv").read_bytes()
    assert written == (files / "activity_tracking.csv").read_bytes()
    assert written.count(b"\n") > 1000
    # the sample was not loaded beside the user's tables, and theirs are as they were
    schemas = query(database, "select distinct table_schema from information_schema.tables order by 1")
    assert schemas == [("lms_raw",), ("main",)]
    assert query(database, "select count(*) from lms_raw.trackings") == query(
        database, f"select count(*) from read_parquet('{generated / 'trackings.parquet'}')"
    )


def test_a_table_under_another_name_is_read_through_its_identifier_var(
    sample_build: Path, tmp_path: Path
) -> None:
    extract = tmp_path / "extract"
    write_raw_files(sample_build, extract, "parquet")
    database = tmp_path / "warehouse.duckdb"
    load_tables(extract, database, "lms_raw")
    with duckdb.connect(str(database)) as connection:
        connection.execute("alter table lms_raw.learners rename to el_learners")
    missing = run_dbt(["run", "-s", "base_lms__learners"], database, tmp_path, {"lms_schema": "lms_raw"})
    assert missing.returncode == 1
    assert (
        'The raw table "warehouse"."lms_raw"."learners" does not exist: the lms source reads learners from '
        "the vars lms_database, lms_schema and lms_learners_identifier." in missing.stdout
    )
    renamed = run_dbt(["build", "-s", "+activity_tracking"], database, tmp_path, MODES["tables"])
    assert renamed.returncode == 0, renamed.stdout
    assert query(database, "select count(*) from main.activity_tracking") == query(
        sample_build, "select count(*) from main.activity_tracking"
    )


def test_a_missing_raw_file_is_named(sample_build: Path, tmp_path: Path) -> None:
    extract = tmp_path / "extract"
    write_raw_files(sample_build, extract, "parquet")
    (extract / "sessions.parquet").unlink()
    result = run_dbt(
        ["run", "-s", "base_lms__sessions"], tmp_path / "w.duckdb", tmp_path, {"raw_path": str(extract)}
    )
    assert result.returncode == 1
    assert (
        f"Raw file {extract}/sessions.parquet does not exist: with raw_path set, the raw table sessions is "
        "read from <raw_path>/sessions.parquet." in result.stdout
    )


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("lms_schema", 'lms"; drop table main.activity_tracking; --'),
        ("lms_learners_identifier", "learners'`\\"),
        ("lms_database", "db\nx"),
    ],
)
def test_a_name_that_could_end_its_quotes_is_refused(
    var: str, value: str, sample_build: Path, tmp_path: Path
) -> None:
    before = query(sample_build, "select count(*) from main.activity_tracking")
    result = run_dbt(["run", "-s", "base_lms__learners"], sample_build, tmp_path, {var: value})
    assert result.returncode != 0
    assert f"Invalid {var} {json.dumps(value)}: a name of the lms source holds no quote" in result.stdout
    assert query(sample_build, "select count(*) from main.activity_tracking") == before


def test_the_runner_takes_only_a_plain_schema_name(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    result = run_export(["--lms-schema", "lms_raw; drop"], database, tmp_path)
    assert result.returncode == 2
    assert "'lms_raw; drop' is not a schema name of letters, digits and _" in result.stderr
    assert not database.exists()


def freshness(database: Path, tmp_path: Path, dbt_vars: dict) -> tuple[int, dict[str, str]]:
    """Exit code and each source table's status of `dbt source freshness`."""
    output = tmp_path / "sources.json"
    result = run_dbt(["source", "freshness", "--output", str(output)], database, tmp_path, dbt_vars)
    statuses = {
        item["unique_id"].rsplit(".", 1)[1]: item["status"]
        for item in json.loads(output.read_text(encoding="utf-8"))["results"]
    }
    return result.returncode, statuses


def hours_since_newest_update(database: Path) -> float:
    """Hours from the sample's newest trackings.updated_at to now (UTC)."""
    newest = query(database, f"select max(updated_at) from {SAMPLE_SCHEMA}.trackings")[0][0]
    return (datetime.now(UTC).replace(tzinfo=None) - newest).total_seconds() / 3600


def test_freshness_checks_each_table_with_a_load_time_against_the_thresholds(
    sample_build: Path, tmp_path: Path
) -> None:
    code, statuses = freshness(sample_build, tmp_path, {})
    # the sample's rows are years old: past the default error threshold (48 hours)
    assert code == 1
    timed = sorted(set(RAW_TABLES) - {"tracking_time_logs"})
    assert statuses == dict.fromkeys(timed, "error")
    age = hours_since_newest_update(sample_build)
    code, statuses = freshness(
        sample_build,
        tmp_path,
        {
            "lms_freshness_warn_after_hours": int(age) - 1,
            "lms_freshness_error_after_hours": int(age) + 10_000,
        },
    )
    assert code == 0
    assert statuses["trackings"] == "warn"
    code, statuses = freshness(sample_build, tmp_path, {"lms_freshness_warn_after_hours": int(age) + 10_000})
    assert statuses["trackings"] == "error"  # warn later than error: error stands
    code, statuses = freshness(
        sample_build,
        tmp_path,
        {
            "lms_freshness_warn_after_hours": int(age) + 10_000,
            "lms_freshness_error_after_hours": int(age) + 20_000,
        },
    )
    assert code == 0
    assert statuses == dict.fromkeys(timed, "pass")


def test_freshness_reads_the_files_with_raw_path(sample_build: Path, tmp_path: Path) -> None:
    """A database without the sample's tables: the files are what freshness reads (trackings
    updated an hour ago, the other tables as old as the sample's)."""
    extract = tmp_path / "extract"
    write_raw_files(sample_build, extract, "parquet")
    trackings, fresh = extract / "trackings.parquet", extract / "fresh.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select * replace ((current_timestamp at time zone 'UTC') - interval 1 hour as updated_at) "
            f"from read_parquet('{trackings}')) to '{fresh}' (format parquet)"
        )
    fresh.replace(trackings)
    code, statuses = freshness(tmp_path / "empty.duckdb", tmp_path, {"raw_path": str(extract)})
    assert code == 1
    assert statuses["trackings"] == "pass"
    assert statuses["learners"] == "error"
