"""The runner exports from Spark (dbt-spark, a local session) the same file as from DuckDB.

Each export runs once on DuckDB and once on Spark, with the same parameters and file options,
and the two files must be equal byte for byte. The Spark exports share one local Spark folder
and run one after the other on one pytest worker (xdist group "spark"): a local Spark uses
every core, and its metastore opens in one process at a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from test_delta_mode import configuration
from test_export_runner import CONFIGURATION

from conftest import EXPORT_SCRIPT, run_export, write_raw_files

pytestmark = pytest.mark.xdist_group("spark")

# name: the runner's arguments (parameters and file options), the same on both engines
COMBINATIONS = {
    "defaults": ["--asOf", "2021-01-01"],
    "rendering": [
        "--asOf",
        "2021-01-01",
        "--dateTimeFormat",
        "DD/MM/YYYY hh:ii:ss",
        "--dateFormat",
        "MM-DD-YYYY",
        "--timeGlobalFormat",
        "paddedhh",
        "--timezone",
        "America/New_York",
        "--decimal",
        "comma",
        "--format",
        "tsv",
        "--encoding",
        "windows-1252",
        "--encoding-errors",
        "replace",
    ],
    # the runner test's XML: custom fields, constants, labels, filters, a time frame of full
    # months, iso-8601 durations; the time frame here also limits timeSpent
    "time frames and filters": [
        "--config",
        "export.xml",
        "--timeFrameScaleMode",
        "timeSpent",
    ],
    "time frame in days": [
        "--asOf",
        "2020-06-15",
        "--timeFrames",
        "120",
        "--timeFramesScale",
        "less_than_n_days",
        "--timeGlobalFormat",
        "iso-8601",
        # typed columns, their types read from the Spark tables' Parquet files
        "--format",
        "parquet",
    ],
    # typed cells, date-times in the export's time zone, from the mart's Parquet files
    "xlsx": ["--asOf", "2021-01-01", "--timezone", "Europe/Paris", "--format", "xlsx"],
}


@pytest.fixture(scope="module")
def spark_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local Spark folder (warehouse and metastore) the module's Spark exports share, named
    with every kind of character a Spark folder may hold (letters of other scripts, digits,
    spaces, '-', '_', '.')."""
    return tmp_path_factory.mktemp("spark") / "spark é中-1_x.y z"


def run_spark_export(args: list[str], spark_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the export runner with --target spark, as an operator would."""
    environment = {**os.environ, "ACTIVITY_TRACKING_SPARK_DIR": str(spark_dir)}
    return subprocess.run(
        [sys.executable, str(EXPORT_SCRIPT), "--target", "spark", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def manifest(output: Path) -> dict:
    return json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))


def export_on_both(args: list[str], spark_dir: Path, work_dir: Path, name: str) -> tuple[Path, Path]:
    """The file of `args` written from DuckDB and from Spark: (duckdb file, spark file)."""
    files = {}
    for engine in ("duckdb", "spark"):
        output = work_dir / f"{name}-{engine}.out"
        arguments = [*args, "--output", str(output)]
        if engine == "duckdb":
            result = run_export(arguments, work_dir / "export.duckdb", work_dir)
        else:
            result = run_spark_export(arguments, spark_dir, work_dir)
        assert result.returncode == 0, result.stderr
        assert manifest(output)["engine"] == engine
        files[engine] = output
    return files["duckdb"], files["spark"]


@pytest.mark.parametrize("name", COMBINATIONS)
def test_spark_writes_the_same_file_as_duckdb(spark_dir: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / "export.xml").write_text(CONFIGURATION, encoding="utf-8")
    from_duckdb, from_spark = export_on_both(COMBINATIONS[name], spark_dir, tmp_path, name)
    content = from_duckdb.read_bytes()
    # a file with rows in it: equal empty files would prove nothing
    assert len(content.splitlines()) >= 3
    assert from_spark.read_bytes() == content


def change_raw_file(path: Path, statement: str) -> None:
    """Apply one SQL statement to a raw Parquet file, its table named `raw`."""
    with duckdb.connect() as connection:
        connection.execute("create table raw as select * from read_parquet(?)", [str(path)])
        connection.execute(statement)
        target = str(path).replace("'", "''")
        connection.execute(f"copy raw to '{target}' (format parquet)")


def test_spark_delta_exports_from_raw_files_match_duckdb(
    spark_dir: Path, sample_build: Path, tmp_path: Path
) -> None:
    """Delta mode (a first export, then the changes) on both engines, the raw extract read from
    Parquet files (raw_path) that change between the two exports."""
    raw = tmp_path / "raw"
    write_raw_files(sample_build, raw, "parquet")
    (tmp_path / "export.xml").write_text(configuration("SPARK-DELTA"), encoding="utf-8")
    arguments = ["--config", "export.xml", "--raw-path", str(raw)]

    first = export_on_both(arguments, spark_dir, tmp_path, "first")
    assert first[1].read_bytes() == first[0].read_bytes()

    retitle = "update raw set title = 'Sales Mastery II' where training_id = 1002"
    change_raw_file(raw / "trainings.parquet", retitle)
    second = export_on_both(arguments, spark_dir, tmp_path, "second")
    assert second[1].read_bytes() == second[0].read_bytes()
    # both engines recorded their state: the second export follows the first one
    for later, earlier in zip(second, first, strict=True):
        assert manifest(later)["delta"]["previousExport"]["runId"] == manifest(earlier)["delta"]["runId"]
    # the second file holds the changed rows only
    assert 1 < len(second[0].read_bytes().splitlines()) < len(first[0].read_bytes().splitlines())
    assert b"Sales Mastery II" in second[0].read_bytes()

    # the delta state reads the same on both engines (up to run ids and times)
    listings = [
        run_export(["--list-delta-exports"], tmp_path / "export.duckdb", tmp_path),
        run_spark_export(["--list-delta-exports"], spark_dir, tmp_path),
    ]
    for listing in listings:
        assert listing.returncode == 0, listing.stderr
    lines = [
        next(line for line in listing.stdout.splitlines() if line.startswith("SPARK-DELTA: "))
        for listing in listings
    ]
    assert lines[0].startswith("SPARK-DELTA: 32 rows exported; last run ")
    assert lines[1].split("; last run ")[0] == lines[0].split("; last run ")[0]


def test_raw_csv_files_on_spark_are_refused_with_one_message(
    spark_dir: Path, sample_build: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    write_raw_files(sample_build, raw, "csv")
    output = tmp_path / "activity_tracking.csv"
    result = run_spark_export(
        ["--raw-path", str(raw), "--raw-format", "csv", "--output", str(output)], spark_dir, tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.endswith(
        "error: raw_format csv is not supported on Spark: give the raw extract as Parquet files "
        "(raw_format parquet).\n"
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert not output.exists()


# A process holding a Spark folder's metastore open, as another Spark session would.
HOLDER = textwrap.dedent(
    """
    import sys, time
    from pyspark.sql import SparkSession
    folder = sys.argv[1]
    spark = (
        SparkSession.builder.master("local[1]").enableHiveSupport()
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", folder + "/warehouse")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                f"jdbc:derby:;databaseName={folder}/metastore_db;create=true")
        .getOrCreate()
    )
    spark.sql("show databases").collect()
    print("ready", flush=True)
    time.sleep(300)
    """
)


def test_a_spark_folder_another_process_has_open_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "spark"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        output = tmp_path / "activity_tracking.csv"
        result = run_spark_export(["--output", str(output)], folder, tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 4  # busy
    assert (
        f"error: Spark folder {folder} is in use by another process (its metastore is open)" in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert not output.exists()
    assert not (folder / "warehouse" / "main.db").exists()
