"""--pii keep|pseudonymise|drop: the learners' personal columns in the export file and the
published copy. Expected pseudonyms are computed here, with Python's hmac, from the mart's values."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_DIR, destinations, query, run_export
from exporter import pii
from exporter.engines import Engine
from exporter.errors import ExportError
from exporter.request import FORMATS, file_options
from exporter.writer import write_export

PERSONAL = (
    "candidateFirstname",
    "candidateName",
    "candidateEmail",
    "candidateLogin",
    "candidateRefNumber",
)
# Keys are data: quotes, Jinja, SQL, accents, emoji.
KEY = "k'ey\"; drop table main.activity_tracking; -- {{ var('x') }} {% raw %} é 🔑"
OTHER_KEY = "another key"
# The personal values distinctive enough that finding them inside another text means a leak.
DISTINCTIVE = ("candidateEmail", "candidateLogin", "candidateRefNumber")


def expected(key: str, value: str | None) -> str | None:
    """The pseudonym of `value` under `key`, computed independently of the runner."""
    if value is None or value == "":
        return value
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def mart_values(database: Path, table: str = "activity_tracking") -> dict[int, dict[str, str | None]]:
    """Each row's personal values in `table`, by reportId."""
    columns = ", ".join(PERSONAL)
    return {
        row[0]: dict(zip(PERSONAL, row[1:], strict=True))
        for row in query(database, f"select reportId, {columns} from main.{table}")
    }


def raw_values(database: Path) -> set[str]:
    return {value for row in mart_values(database).values() for value in row.values() if value}


def distinctive_values(database: Path) -> set[str]:
    return {value for row in mart_values(database).values() for name in DISTINCTIVE if (value := row[name])}


# ---- reading a written file back, whatever its format: {reportId: {column: value}} ----


def read_file(path: Path, file_format: str) -> dict[int, dict[str, object]]:
    if file_format in ("csv", "tsv"):
        text = path.read_text(encoding="utf-8")
        delimiter = "\t" if file_format == "tsv" else ";"
        records = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    elif file_format == "jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    elif file_format == "parquet":
        with duckdb.connect() as connection:
            cursor = connection.execute("from read_parquet(?)", [str(path)])
            names = [column[0] for column in cursor.description]
            records = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    else:
        sheet = openpyxl.load_workbook(path).active
        header, *rows = list(sheet.values)
        records = [dict(zip(header, row, strict=True)) for row in rows]
    return {int(record["reportId"]): record for record in records}


def file_text(path: Path, file_format: str) -> str:
    """Everything a reader of the file sees as text (xlsx: every member of the zip)."""
    if file_format == "xlsx":
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    if file_format == "parquet":
        with duckdb.connect() as connection:
            return repr(connection.execute("from read_parquet(?)", [str(path)]).fetchall())
    return path.read_text(encoding="utf-8")


def empty(value: object) -> bool:
    return value is None or value == ""


def assert_no_raw_value(text: str, cells: list[object], database: Path) -> None:
    """No personal value of the mart is a cell, and no distinctive one is anywhere in the text."""
    assert not raw_values(database) & {cell for cell in cells if isinstance(cell, str)}
    leaked = [value for value in distinctive_values(database) if value in text]
    assert leaked == []


# ---- the writer, in process, on a copy of a built database ----


@pytest.fixture(scope="module")
def built(default_export: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("pii_built") / "export.duckdb"
    shutil.copy(default_export[0], database)
    return database


def write(database: Path, output: Path, file_format: str, mode: pii.Pii) -> dict[int, dict[str, object]]:
    write_export(
        Engine("duckdb", database),
        *destinations(output),
        {"file": output.name},
        None,
        file_options({"format": file_format}),
        replace_unencodable=False,
        pii=mode,
    )
    return read_file(output, file_format)


@pytest.mark.parametrize("file_format", FORMATS)
def test_pseudonyms_are_the_hmac_of_the_mart_values_in_every_format(
    built: Path, tmp_path: Path, file_format: str
) -> None:
    output = tmp_path / f"export.{file_format}"
    rows = write(built, output, file_format, pii.Pii("pseudonymise", KEY.encode("utf-8")))
    mart = mart_values(built)
    assert rows and set(rows) <= set(mart)
    for report_id, row in rows.items():
        for name in PERSONAL:
            want = expected(KEY, mart[report_id][name])
            assert row[name] == want or (empty(want) and empty(row[name])), (report_id, name)
    assert any(row["candidateLogin"] for row in rows.values())
    cells = [value for row in rows.values() for value in row.values()]
    assert_no_raw_value(file_text(output, file_format), cells, built)


@pytest.mark.parametrize("file_format", FORMATS)
def test_drop_writes_the_personal_columns_empty_and_keeps_the_others(
    built: Path, tmp_path: Path, file_format: str
) -> None:
    kept = write(built, tmp_path / f"kept.{file_format}", file_format, pii.KEEP)
    dropped = write(built, tmp_path / f"dropped.{file_format}", file_format, pii.Pii("drop"))
    assert list(next(iter(dropped.values()))) == list(next(iter(kept.values())))  # same layout
    for report_id, row in dropped.items():
        assert all(empty(row[name]) for name in PERSONAL), report_id
        assert {k: v for k, v in row.items() if k not in PERSONAL} == {
            k: v for k, v in kept[report_id].items() if k not in PERSONAL
        }
    cells = [value for row in dropped.values() for value in row.values()]
    assert_no_raw_value(file_text(tmp_path / f"dropped.{file_format}", file_format), cells, built)


def test_keep_writes_the_mart_values(built: Path, tmp_path: Path) -> None:
    rows = write(built, tmp_path / "kept.parquet", "parquet", pii.KEEP)
    mart = mart_values(built)
    assert {report_id: {name: row[name] for name in PERSONAL} for report_id, row in rows.items()} == {
        report_id: mart[report_id] for report_id in rows
    }


def test_the_default_export_keeps_personal_data(default_export: tuple[Path, Path]) -> None:
    database, output = default_export
    rows = read_file(output, "csv")
    mart = mart_values(database)
    for report_id, row in rows.items():
        assert [row[name] or None for name in PERSONAL] == [mart[report_id][name] for name in PERSONAL]
    manifest = json.loads(output.with_name(output.name + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["pii"] == "keep"


# ---- the key: from the environment, any non-empty text, never empty ----

KEYS = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40
)
VALUES = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=20), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=KEYS, values=VALUES)
@example(key=KEY, values=["o'brien", "{{ x }}", '"; drop table t; --', "", "é", "o'brien"])
@example(key=" ", values=["a"])
def test_any_key_from_the_environment_gives_the_hmac_of_each_value(key: str, values: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(pii.KEY_VARIABLE, key)
        mode = pii.settings("pseudonymise")
    assert repr(mode) == "Pii(mode='pseudonymise')"  # the key is never shown
    with duckdb.connect() as connection:
        connection.execute('create table people ("candidateLogin" varchar, position integer)')
        for position, value in enumerate(values):
            connection.execute("insert into people values (?, ?)", [value, position])
        connection.execute("insert into people values (null, -1)")
        pii.install(connection, mode, "people", ['"candidateLogin"'])
        column = pii.expression('people."candidateLogin"', mode)
        written = connection.execute(f"select {column} from people order by position").fetchall()
    assert [value for (value,) in written] == [None] + [expected(key, value) for value in values]


@pytest.mark.parametrize("value", [None, ""])
def test_pseudonymise_without_a_key_is_refused(value: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv(pii.KEY_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(pii.KEY_VARIABLE, value)
    with pytest.raises(ExportError, match=pii.KEY_VARIABLE):
        pii.settings("pseudonymise")
    assert pii.settings("drop") == pii.Pii("drop") and pii.settings("keep") == pii.KEEP


def test_the_runner_stops_before_the_build_without_a_key(tmp_path: Path) -> None:
    database = tmp_path / "never-built.duckdb"
    environment = {name: value for name, value in os.environ.items() if name != pii.KEY_VARIABLE}
    for extra in ({}, {pii.KEY_VARIABLE: ""}):
        result = run_with(
            [
                "--pii",
                "pseudonymise",
                "--output",
                "new/x.csv",
                "--publish-marts",
                "bi/bi.duckdb",
                "--log-dir",
                "logs",
            ],
            database,
            tmp_path,
            environment | extra,
        )
        assert result.returncode == 2  # invalid input
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: --pii pseudonymise")
        assert pii.KEY_VARIABLE in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""  # nothing built: no "Building…"
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def run_with(arguments: list[str], database: Path, cwd: Path, environment: dict[str, str]):
    with pytest.MonkeyPatch.context() as patch:
        for name in set(os.environ) - set(environment):
            patch.delenv(name)
        for name, value in environment.items():
            patch.setenv(name, value)
        return run_export(arguments, database, cwd)


# ---- the runner, end to end: the file, the published copies, two runs, another key ----


@pytest.fixture(scope="module")
def pseudonymised(default_export: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three runs on a copy of a built database: a.csv and b.csv (with both published copies)
    under KEY, c.csv under OTHER_KEY."""
    folder = tmp_path_factory.mktemp("pii_runs")
    database = folder / "export.duckdb"
    shutil.copy(default_export[0], database)
    runs = [
        ("a", KEY, ["--publish-marts", "bi-a.duckdb", "--publish-parquet", "bi-a"]),
        ("b", KEY, ["--publish-marts", "bi-b.duckdb"]),
        ("c", OTHER_KEY, []),
    ]
    for name, key, extra in runs:
        arguments = ["--asOf", "2021-01-01", "--pii", "pseudonymise", "--output", f"{name}.csv", *extra]
        arguments += ["--log-dir", str(folder / "logs")]  # dbt's log, searched for the key below
        result = run_with(arguments, database, folder, {**os.environ, pii.KEY_VARIABLE: key})
        assert result.returncode == 0, result.stderr
        assert "Personal data (--pii pseudonymise)" in result.stdout
        assert key not in result.stdout + result.stderr
    return folder


def test_pseudonyms_are_stable_across_runs_and_change_with_the_key(pseudonymised: Path) -> None:
    first, second, other = (read_file(pseudonymised / f"{name}.csv", "csv") for name in "abc")
    assert first == second
    mart = mart_values(pseudonymised / "export.duckdb")
    for report_id, row in other.items():
        for name in PERSONAL:
            assert row[name] == (expected(OTHER_KEY, mart[report_id][name]) or "")
            if mart[report_id][name]:
                assert row[name] != first[report_id][name]


def test_the_published_copies_hold_the_same_pseudonyms(pseudonymised: Path) -> None:
    database = pseudonymised / "export.duckdb"
    source = mart_values(database, "activity_tracking_bi")
    exported = read_file(pseudonymised / "a.csv", "csv")
    for copy in ("bi-a.duckdb", "bi-b.duckdb"):
        published = mart_values(pseudonymised / copy, "activity_tracking_bi")
        assert set(published) == set(source)
        for report_id, row in published.items():
            assert row == {name: expected(KEY, source[report_id][name]) for name in PERSONAL}
        # a login pseudonymised in the export file joins the same row of the copy
        for report_id, row in exported.items():
            assert row["candidateLogin"] == (published[report_id]["candidateLogin"] or "")
    with duckdb.connect() as connection:
        parquet = pseudonymised / "bi-a" / "activity_tracking_bi.parquet"
        cursor = connection.execute(
            f"select reportId, {', '.join(PERSONAL)} from read_parquet(?)", [str(parquet)]
        )
        in_parquet = {row[0]: dict(zip(PERSONAL, row[1:], strict=True)) for row in cursor.fetchall()}
    assert in_parquet == mart_values(pseudonymised / "bi-a.duckdb", "activity_tracking_bi")


def test_no_raw_value_and_no_key_in_what_the_runner_wrote(pseudonymised: Path) -> None:
    database = pseudonymised / "export.duckdb"
    for copy in ("bi-a.duckdb", "bi-b.duckdb"):
        with duckdb.connect(str(pseudonymised / copy), read_only=True) as connection:
            tables = [
                row[0] for row in connection.execute("select table_name from duckdb_tables()").fetchall()
            ]
            cells = [
                cell
                for table in tables
                for row in connection.execute(f"from main.{table}").fetchall()
                for cell in row
            ]
            [(mode,)] = connection.execute("select pii from main.export_metadata").fetchall()
            [(comment,)] = connection.execute(
                "select comment from duckdb_columns() "
                "where table_name = 'activity_tracking_bi' and column_name = 'candidateEmail'"
            ).fetchall()
        assert mode == "pseudonymise" and "Pseudonymised: HMAC-SHA-256" in comment
        assert_no_raw_value(repr(cells), cells, database)
    with duckdb.connect() as connection:
        for parquet in (pseudonymised / "bi-a").glob("*.parquet"):
            rows = connection.execute("from read_parquet(?)", [str(parquet)]).fetchall()
            cells = [cell for row in rows for cell in row]
            assert_no_raw_value(repr(rows), cells, database)
    metadata = json.loads((pseudonymised / "bi-a" / "_metadata.json").read_text(encoding="utf-8"))
    assert metadata["export_metadata"]["pii"] == "pseudonymise"
    for name in "abc":
        manifest = json.loads((pseudonymised / f"{name}.csv.manifest.json").read_text(encoding="utf-8"))
        assert manifest["pii"] == "pseudonymise"
    # the key is in no file the runner wrote (dbt's log among them), nor in dbt's kept parses
    written = [path for path in pseudonymised.rglob("*") if path.is_file()]
    assert (pseudonymised / "logs" / "dbt.log").stat().st_size > 0
    written += list((PROJECT_DIR / "target" / "runner-parses").glob("*"))
    for key in (KEY, OTHER_KEY):
        assert [path for path in written if key.encode("utf-8") in path.read_bytes()] == []


def test_the_data_quality_ledger_quotes_no_personal_value(default_export: tuple[Path, Path]) -> None:
    """The published data_quality_issues is copied as it is: it must hold no learner's email,
    login or reference number (it names learners by id)."""
    database = default_export[0]
    rows = query(database, "select record_key, issue_detail from main.data_quality_issues")
    text = repr(rows)
    assert rows and [value for value in distinctive_values(database) if value in text] == []


# ---- delta mode compares the raw values: pseudonyms change only with them ----


def test_a_delta_sequence_with_pseudonymised_logins(
    sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_delta_mode import Extract

    monkeypatch.setenv(pii.KEY_VARIABLE, KEY)
    extract = Extract(sample_build, tmp_path)

    def export() -> dict[int, dict[str, object]]:
        extract.export("--pii", "pseudonymise")
        return read_file(extract.output, "csv")

    first = export()
    mart = mart_values(extract.database)
    assert first and {report_id: row["candidateLogin"] for report_id, row in first.items()} == {
        report_id: expected(KEY, mart[report_id]["candidateLogin"]) or "" for report_id in first
    }
    extract.change(
        "learners",
        "update learners set login = 'laurie.m', updated_at = timestamp '2020-12-31' where learner_id = 101",
    )
    second = export()
    mart = mart_values(extract.database)
    changed = {report_id for report_id, row in mart.items() if row["candidateLogin"] == "laurie.m"}
    # only the changed learner's rows, with the pseudonym of the new login
    assert set(second) == changed != set()
    assert {row["candidateLogin"] for row in second.values()} == {expected(KEY, "laurie.m")}
    assert all(
        first[report_id]["candidateLogin"] != second[report_id]["candidateLogin"] for report_id in changed
    )
    assert export() == {}


def test_a_change_of_mode_or_key_sends_every_row_of_a_delta_again(
    sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GUID's delta stream never mixes two modes or two keys: after a change, its next delta
    holds every row, in the new mode; the same mode and key again hold none."""
    from test_delta_mode import Extract

    extract = Extract(sample_build, tmp_path)
    monkeypatch.setenv(pii.KEY_VARIABLE, KEY)

    def export(*mode: str) -> dict[int, dict[str, object]]:
        extract.export(*mode)
        assert extract.last.returncode == 0, extract.last.stderr
        return read_file(extract.output, "csv")

    every_row = set(export())  # keep: the first export of the GUID holds every row
    assert every_row and export() == {}
    for mode in (["--pii", "pseudonymise"], ["--pii", "drop"], []):
        assert set(export(*mode)) == every_row, mode
        assert export(*mode) == {}, mode
    export("--pii", "pseudonymise")
    monkeypatch.setenv(pii.KEY_VARIABLE, KEY + " rotated")
    rotated = export("--pii", "pseudonymise")
    assert set(rotated) == every_row
    mart = mart_values(extract.database)
    assert all(
        row["candidateLogin"] == (expected(KEY + " rotated", mart[report_id]["candidateLogin"]) or "")
        for report_id, row in rotated.items()
    )


# ---- one home, and the documents ----


def test_the_personal_columns_have_one_home_that_the_marts_hold(default_export: tuple[Path, Path]) -> None:
    from exporter.writer import export_fields

    assert sorted(pii.PERSONAL_FIELDS) == sorted(PERSONAL)
    with duckdb.connect(str(default_export[0]), read_only=True) as connection:
        fields = export_fields(connection)
    for table in ("activity_tracking", "activity_tracking_bi"):
        columns = query(
            default_export[0],
            f"select column_name from duckdb_columns() where table_name = '{table}'",
        )
        assert set(PERSONAL) <= {column for (column,) in columns}, table
    assert set(PERSONAL) <= set(fields)


def test_the_documents_say_what_pii_covers_and_how_to_keep_the_key() -> None:
    guide = (PROJECT_DIR / "docs" / "using.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Personal data") : guide.index("## Delta mode")]
    assert all(f"`{name}`" in section for name in pii.PERSONAL_FIELDS)
    assert all(f"`{mode}`" in section or f"**{mode}**" in section for mode in pii.MODES)
    assert pii.KEY_VARIABLE in section and "candidateCustomFieldGuid" in section
    operating = (PROJECT_DIR / "docs" / "operating.md").read_text(encoding="utf-8")
    assert "--pii" in operating and "`pii`" in operating
