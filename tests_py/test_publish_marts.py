"""--publish-marts and --publish-parquet: copies of the marts, with their descriptions and export_metadata,
that BI tools read while exports run (a DuckDB 1.x reader among them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import PROJECT_DIR, query, run_export
from exporter.leftovers import HOST

PUBLISHED = ("activity_tracking_bi", "learner_custom_fields", "data_quality_issues")


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
        published, "select comment from duckdb_tables() where table_name = 'activity_tracking_bi'"
    )
    assert description.startswith("The mart activity_tracking as BI tools read it")
    [(column,)] = query(
        published,
        "select comment from duckdb_columns() "
        "where table_name = 'activity_tracking_bi' and column_name = 'candidateLogin'",
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
        [(rows,)] = reader.execute("select count(*) from main.activity_tracking_bi").fetchall()
        assert rows == 32


def test_an_unwritable_publish_target_fails_before_the_build(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    database = copy_of_sample(default_export, tmp_path)
    result = run_export(["--publish-marts", "/proc/bi.duckdb"], database, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --publish-marts folder /proc is not writable")
    assert not (tmp_path / "activity_tracking.csv").exists()


# ---- the published copy for readers of DuckDB 1.x, the Parquet folder, export_metadata ----

BI_READER = PROJECT_DIR / "build" / "bi-reader" / "bin" / "python"
READ_PUBLISHED = Path(__file__).parent / "bi_reader" / "read_published.py"
PARQUET_FILES = {f"{table}.parquet" for table in PUBLISHED} | {"_metadata.json"}


def run_duckdb_1_reader(database: Path, parquet_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """bi_reader/read_published.py run by the DuckDB 1.x reader's Python: build/bi-reader, its own
    environment, which `make test` installs."""
    assert BI_READER.exists(), f"{BI_READER} is missing: run `make test` (it installs the DuckDB 1.x reader)"
    command = [
        str(BI_READER),
        str(READ_PUBLISHED),
        str(database),
        *([str(parquet_dir)] if parquet_dir else []),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def read_with_duckdb_1(database: Path, parquet_dir: Path | None = None) -> dict:
    """What the DuckDB 1.x reader reads in the published file (and Parquet folder)."""
    result = run_duckdb_1_reader(database, parquet_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def as_text(rows: list[tuple]) -> list[list[str | None]]:
    return [[None if value is None else str(value) for value in row] for row in rows]


@pytest.fixture(scope="module")
def published(default_export: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export of a copy of the sample database that publishes both copies: its folder, which
    holds export.duckdb, bi.duckdb and bi-parquet/."""
    folder = tmp_path_factory.mktemp("published")
    database = copy_of_sample(default_export, folder)
    arguments = ["--asOf", "2021-01-01", "--publish-marts", "bi.duckdb", "--publish-parquet", "bi-parquet"]
    result = run_export(arguments, database, folder)
    assert result.returncode == 0, result.stderr
    assert "Published the marts to" in result.stdout and "(storage v1.0.0)" in result.stdout
    return folder


def test_a_duckdb_1_reader_opens_the_published_file_and_the_parquet_folder(published: Path) -> None:
    read = read_with_duckdb_1(published / "bi.duckdb", published / "bi-parquet")
    assert read["version"].startswith("1."), read["version"]
    assert set(read["duckdb"]) == {*PUBLISHED, "export_metadata"}
    with duckdb.connect(str(published / "export.duckdb"), read_only=True) as source:
        for table in PUBLISHED:
            expected = as_text(source.execute(f"from main.{table} order by all").fetchall())
            assert expected, table
            copy = read["duckdb"][table]
            assert copy["count"] == len(expected), table
            assert copy["values"] == expected, table
            assert read["parquet"][f"{table}.parquet"]["values"] == expected, table
            [(comment,)] = source.execute(
                "select comment from duckdb_tables() where table_name = $table "
                "union all select comment from duckdb_views() where view_name = $table",
                {"table": table},
            ).fetchall()
            columns = dict(
                source.execute(
                    "select column_name, comment from duckdb_columns() where table_name = ?", [table]
                ).fetchall()
            )
            assert comment and copy["comment"] == comment, table
            assert all(columns.values()) and copy["columns"] == columns, table
    assert read["duckdb"]["activity_tracking_bi"]["columns"]["candidateLogin"] == (
        "Learner login (unique on the platform)."
    )
    metadata = read["duckdb"]["export_metadata"]
    assert metadata["count"] == 1 and metadata["comment"]
    assert all(metadata["columns"].values()), metadata["columns"]


def test_export_metadata_says_when_from_what_and_by_which_code(published: Path) -> None:
    from exporter.build_state import code_fingerprint

    [(built_at, fingerprint)] = query(
        published / "export.duckdb", "select built_at, build_fingerprint from main.build_state"
    )
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    git = subprocess.run(["git", "-C", str(PROJECT_DIR), "rev-parse", "HEAD"], capture_output=True, text=True)
    with duckdb.connect(str(published / "bi.duckdb"), read_only=True) as connection:
        [row] = connection.execute("from main.export_metadata").fetchall()
        values = {column[0]: value for column, value in zip(connection.description, row, strict=True)}
    assert values["built_at"] == built_at
    assert built_at <= values["published_at"] <= datetime.now(UTC).replace(tzinfo=None)
    assert values["extract"] == "the sample seeds"
    assert values["build_fingerprint"] == fingerprint and len(fingerprint) == 64
    assert values["project_version"] == project["version"]
    assert values["code_fingerprint"] == code_fingerprint("duckdb", None, None)
    assert values["git_commit"] == (git.stdout.strip() if git.returncode == 0 else None)
    # the Parquet folder's metadata file: the same values, and each file's table, rows and columns
    document = json.loads((published / "bi-parquet" / "_metadata.json").read_text(encoding="utf-8"))
    assert document["export_metadata"] == {
        name: f"{value.isoformat()}Z" if isinstance(value, datetime) else value
        for name, value in values.items()
    }
    assert [table["table"] for table in document["tables"]] == list(PUBLISHED)
    with duckdb.connect(str(published / "export.duckdb"), read_only=True) as source:
        for table in document["tables"]:
            [(rows,)] = source.execute(f"select count(*) from main.{table['table']}").fetchall()
            assert table["file"] == f"{table['table']}.parquet" and table["rows"] == rows
            columns = source.execute(
                "select column_name, data_type, comment from duckdb_columns() "
                "where table_name = ? order by column_index",
                [table["table"]],
            ).fetchall()
            assert [tuple(column.values()) for column in table["columns"]] == columns
            assert table["description"]
    assert set(os.listdir(published / "bi-parquet")) == PARQUET_FILES
    assert [path.name for path in published.iterdir() if path.name.startswith((".bi", ".bi-parquet"))] == []


def test_the_duckdb_1_reader_refuses_duckdb_2_storage(tmp_path: Path) -> None:
    """The rule the published copy keeps: a file in DuckDB 2 storage is one 1.x cannot open."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{tmp_path / 'v2.duckdb'}' as v2 (storage_version 'v2.0.0')")
        connection.execute("create table v2.main.t as select 1 as a")
    result = run_duckdb_1_reader(tmp_path / "v2.duckdb")
    assert result.returncode != 0
    assert "version number" in result.stderr


def test_the_storage_versions_offered_are_the_formats_duckdb_writes(tmp_path: Path) -> None:
    """Each --publish-storage-version is a format of its own (DuckDB names it so), holds the marts'
    types and comments; the default is the oldest, and the DuckDB 1.x reader opens it."""
    from exporter.publish import DEFAULT_STORAGE_VERSION, STORAGE_VERSIONS

    with duckdb.connect() as connection:
        for version in (*STORAGE_VERSIONS, "v0.10.0"):
            connection.execute(f"attach '{tmp_path / version}.duckdb' as v (storage_version '{version}')")
            connection.execute(
                "create table v.main.t as select 1::bigint a, 1::int b, 'x' c, 1.5::decimal(9, 2) d, "
                "date '2020-01-01' e, timestamp '2020-01-01 10:00:00' f, true g"
            )
            connection.execute("comment on column v.main.t.a is 'described'")
            [(tags,)] = connection.execute(
                "select tags from duckdb_databases() where database_name = 'v'"
            ).fetchall()
            # an older name than the oldest offered gives the same format: there is none older
            expected = DEFAULT_STORAGE_VERSION if version == "v0.10.0" else version
            assert tags["storage_version"] == f"{expected}+"
            connection.execute("detach v")
    oldest = min(STORAGE_VERSIONS, key=lambda version: tuple(map(int, version[1:].split("."))))
    assert oldest == DEFAULT_STORAGE_VERSION
    read = read_with_duckdb_1(tmp_path / f"{DEFAULT_STORAGE_VERSION}.duckdb")
    assert read["duckdb"]["t"]["columns"]["a"] == "described"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--publish-marts", "bi.duckdb", "--publish-storage-version", "v2"],
            "error: --publish-storage-version v2: expected one of v1.0.0, v1.2.0,",
        ),
        (
            ["--publish-marts", "bi.duckdb", "--publish-storage-version", "v1.0.0'; drop table x; --"],
            "error: --publish-storage-version v1.0.0'; drop table x; --: expected one of",
        ),
        (
            ["--publish-storage-version", "v1.0.0"],
            "error: --publish-storage-version is the format of --publish-marts: give both.",
        ),
        (
            ["--publish-parquet", "notes"],
            "error: --publish-parquet {tmp}/notes holds files the runner did not publish (todo.txt)",
        ),
        (
            ["--publish-parquet", "."],
            "error: --publish-parquet {tmp} holds the working database {tmp}/export.duckdb "
            "(the run replaces this folder whole): choose another path.",
        ),
        (
            ["--publish-parquet", "export.duckdb"],
            "error: --publish-parquet {tmp}/export.duckdb is not a folder: name a folder.",
        ),
        (
            ["--target", "spark", "--publish-parquet", "bi-parquet"],
            "error: --publish-parquet copies DuckDB tables: it needs --target duckdb.",
        ),
    ],
    ids=[
        "unknown storage version",
        "storage version as SQL",
        "storage version alone",
        "a user's folder",
        "the database's folder",
        "the database",
        "from Spark",
    ],
)
def test_a_publish_mistake_gives_one_message_and_writes_nothing(
    default_export: tuple[Path, Path], tmp_path: Path, arguments: list[str], message: str
) -> None:
    database = copy_of_sample(default_export, tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine", encoding="utf-8")
    before = sorted(path.name for path in tmp_path.rglob("*"))
    result = run_export(arguments, database, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(message.format(tmp=tmp_path)), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert sorted(path.name for path in tmp_path.rglob("*")) == before
    assert (tmp_path / "notes" / "todo.txt").read_text(encoding="utf-8") == "mine"


def test_the_parquet_folder_is_replaced_whole(default_export: tuple[Path, Path], tmp_path: Path) -> None:
    database = copy_of_sample(default_export, tmp_path)
    arguments = ["--asOf", "2021-01-01", "--publish-parquet", "bi-parquet"]
    assert run_export(arguments, database, tmp_path).returncode == 0
    folder = tmp_path / "bi-parquet"
    # a file of an earlier publication that this one does not write (listed in its metadata file)
    metadata = json.loads((folder / "_metadata.json").read_text(encoding="utf-8"))
    metadata["tables"].append({"table": "retired_mart", "file": "retired_mart.parquet", "rows": 0})
    (folder / "_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (folder / "retired_mart.parquet").write_bytes(b"PAR1")
    # what a killed run left (its process is gone), and what a running one is writing
    finished = subprocess.Popen(["true"])
    finished.wait()
    (tmp_path / f".bi-parquet.partial-{HOST}-{finished.pid}").mkdir()
    (tmp_path / f".bi-parquet.partial-{HOST}-{finished.pid}" / "activity_tracking_bi.parquet").write_bytes(
        b"PAR1"
    )
    (tmp_path / f".bi-parquet.previous-{HOST}-{os.getpid()}").mkdir()
    with (folder / "activity_tracking_bi.parquet").open("rb") as reader:
        first = (folder / "activity_tracking_bi.parquet").read_bytes()
        # a reader holds a file of the folder open while the next export publishes over it
        result = run_export(arguments, database, tmp_path)
        assert result.returncode == 0, result.stderr
        assert reader.read() == first
    assert set(os.listdir(folder)) == PARQUET_FILES
    assert query(database, "select count(*) from main.activity_tracking") == [(32,)]
    with duckdb.connect() as connection:
        [(rows,)] = connection.execute(
            f"select count(*) from '{folder / 'activity_tracking_bi.parquet'}'"
        ).fetchall()
    assert rows == 32
    leftovers = sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".bi-parquet"))
    assert leftovers == [f".bi-parquet.previous-{HOST}-{os.getpid()}"]


def test_the_guide_describes_export_metadata_and_the_storage_versions() -> None:
    """docs/operating.md's table of export_metadata has the columns publish.py declares, in order,
    and its text names every storage version offered."""
    from exporter.publish import METADATA_COLUMNS, STORAGE_VERSIONS

    guide = (PROJECT_DIR / "docs" / "operating.md").read_text(encoding="utf-8")
    section = guide[guide.index("**`export_metadata`: what the copy was built from.**") :].split("\n## ")[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| `")]
    assert [(row[1].strip(" `"), row[2].strip()) for row in rows] == [
        (name, kind) for name, (kind, _) in METADATA_COLUMNS.items()
    ]
    versions = guide[guide.index("`--publish-storage-version VERSION` chooses another:") :].split(" — ")[0]
    assert re.findall(r"`(v[0-9.]+)`", versions) == list(STORAGE_VERSIONS)
