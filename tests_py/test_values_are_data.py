"""Whatever an export configuration holds, it is data: no value is ever evaluated.

dbt renders Jinja inside every text var, so the runner hands each value to dbt encoded
(macro as_data): these properties send arbitrary text, Jinja delimiters in every spelling,
quotes, backslashes, NUL and control characters and characters outside the Basic
Multilingual Plane through the command line and through the XML configuration, and check
that the macros receive each value exactly as given and that the database is unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import duckdb
import pytest
from dbt.adapters.duckdb.credentials import DuckDBCredentials
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import query, run_export
from exporter import cli, config, pipeline
from exporter.build import Dbt
from exporter.engines import Engine, database_name
from exporter.errors import ExportError
from exporter.request import export_parameters

HOSTILE = [
    "{{ run_query('create table main.pwned as select 1') }}",
    '{%endraw%}{{ run_query("create table main.pwned as select 1") }}{%raw%}',
    "{%- endraw -%}{{ env_var('HOME') }}{% raw %}",
    "{# comment #}",
    "{% set x = 1 %}",
    "{{",
    "}}",
    "{%",
    "%}",
    "'",
    '"',
    "\\",
    "\\u007b",
    "\x00",
    "\x1b",
    "\r\n",
    "\t",
    "🎓",
    "\U00020000",
    "--",
    ";",
]
TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text()), min_size=1, max_size=6).map("".join)
# What XML 1.0 can carry (no NUL, no other C0 control but tab and line feed; a carriage
# return becomes a line feed when parsed).
XML_TEXT = TEXT.map(
    lambda text: "".join(
        character
        for character in text
        if character in "\t\n"
        or ("\x20" <= character <= "\ud7ff")
        or ("\ue000" <= character <= "\ufffd")
        or character >= "\U00010000"
    )
)
# Every parameter whose value is free text (exact text or a text list), from the project's table.
TEXT_PARAMETERS = tuple(
    parameter["name"] for parameter in export_parameters() if parameter["kind"] in ("text", "text_list")
)


@pytest.fixture(scope="module")
def database(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("values_are_data") / "sample.duckdb"
    shutil.copy(sample_build, copy)
    return copy


def tables(database: Path) -> list[tuple]:
    """Every table with its row count: what must stay as it was."""
    names = query(database, "select schema_name, table_name from duckdb_tables() order by 1, 2")
    return [
        (schema, name, query(database, f'select count(*) from "{schema}"."{name}"')[0][0])
        for schema, name in names
    ]


def received(database: Path, dbt_vars: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> dict:
    """The vars as the project's macros receive them (run-operation show_vars)."""
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(database))
    capsys.readouterr()
    Dbt("duckdb", tmp_path / "target", dbt_vars).run_operation("show_vars", {}, quiet=False)
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    return json.loads(printed[-1])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(TEXT, min_size=len(TEXT_PARAMETERS), max_size=len(TEXT_PARAMETERS)), guid=TEXT)
@example(values=["--"] * len(TEXT_PARAMETERS), guid="--")  # argparse took "--" for the end of options
def test_command_line_values_reach_the_macros_exactly(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, values: list[str], guid: str
) -> None:
    before = tables(database)
    arguments = [f"--{name}={value}" for name, value in zip(TEXT_PARAMETERS, values, strict=True)]
    args = cli.arguments([*arguments, f"--export-guid={guid}"])
    request = config.request_from(args)
    got = received(
        database, pipeline.dbt_vars(request, args, "2021-01-01", "RUN"), tmp_path, monkeypatch, capsys
    )
    for name, value in zip(TEXT_PARAMETERS, values, strict=True):
        assert got[name] == value
    assert got["exportGuid"] == (guid.strip() or None)
    assert tables(database) == before


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(XML_TEXT, min_size=len(TEXT_PARAMETERS), max_size=len(TEXT_PARAMETERS)), guid=XML_TEXT)
def test_xml_values_reach_the_macros_exactly(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, values: list[str], guid: str
) -> None:
    before = tables(database)
    parameters = "".join(
        f"<{name}>{escape(value)}</{name}>" for name, value in zip(TEXT_PARAMETERS, values, strict=True)
    )
    configuration = tmp_path / "export.xml"
    configuration.write_text(
        f"<export guid={quoteattr(guid)}><providers><activityProvider>"
        f"<parameters>{parameters}</parameters></activityProvider></providers></export>",
        encoding="utf-8",
    )
    args = cli.arguments(["--config", str(configuration)])
    request = config.request_from(args)
    # the configuration's values, trimmed as every parameter is
    assert request.parameters == {
        name: value.strip() for name, value in zip(TEXT_PARAMETERS, values, strict=True)
    }
    got = received(
        database, pipeline.dbt_vars(request, args, "2021-01-01", "RUN"), tmp_path, monkeypatch, capsys
    )
    for name in TEXT_PARAMETERS:
        assert got[name] == request.parameters.get(name)
    assert got["exportGuid"] == (guid.strip() or None)
    assert tables(database) == before


# A file or folder name: any text a file system takes (no '/', no NUL, at most 255 bytes).
NAME = TEXT.map(lambda text: text.replace("/", "").replace("\x00", "")).filter(
    lambda name: name not in ("", ".", "..") and len(name.encode("utf-8", "surrogatepass")) <= 200
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(folder=NAME, stem=NAME)
@example(folder="x';{{ y }}", stem="v2'")  # a quote in the name; ';' in the folder
@example(folder="a b", stem="é中 b-_1.v2")
@example(folder="a\\b", stem="x")  # DuckDB: a backslash separates folders
@example(folder="a#b", stem="x")  # dbt-duckdb: the path is a URL
@example(folder="a", stem="x?y")
@example(folder="a", stem="system")  # DuckDB keeps system, temp and main: `system_db`
@example(folder="a", stem="Temp.v2")
@example(folder="a", stem="main")
@example(folder="a", stem="e\u0301te")  # a letter and its combining accent (macOS writes names so)
@example(folder="a", stem="\u0915\u094d\u0937")  # Devanagari: letters and signs
def test_the_database_path_is_taken_only_when_dbt_duckdb_can_carry_it(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, folder: str, stem: str
) -> None:
    """A DuckDB path the runner takes works in dbt-duckdb: the database name dbt-duckdb derives
    from it (reading the path as a URL) is DuckDB's own, and the statements dbt-duckdb writes
    with that name unescaped run. Any other path is refused with one message naming the
    variable, before anything is created."""
    base = tmp_path_factory.mktemp("paths")
    location = base / folder / f"{stem}.duckdb"
    location.parent.mkdir()
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(location))
    try:
        engine = Engine.from_environment("duckdb")
    except ExportError as error:
        assert str(error).startswith(f"ACTIVITY_TRACKING_DB={location}: ")
        assert "dbt-duckdb cannot" in str(error) or "a name DuckDB keeps for itself" in str(error)
        assert os.environ["ACTIVITY_TRACKING_DB"] == str(location)  # as the user set it
        assert list(location.parent.iterdir()) == []
        return
    name = database_name(engine.location)
    assert DuckDBCredentials.path_derived_database_name(str(engine.location)) == name
    engine.location.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(engine.location)) as connection:
        assert connection.execute("select current_database()").fetchone()[0] == name
        # as dbt-duckdb's macros write them (adapters.sql): the name between quotes, unescaped
        connection.execute(f'create schema if not exists "{name}"."main"')
        schemata = connection.execute(
            "select schema_name from system.information_schema.schemata "
            f"where lower(catalog_name) = '{name.lower()}'"
        ).fetchall()
        assert ("main",) in schemata


def test_a_database_path_dbt_duckdb_cannot_carry_stops_the_runner_before_anything(tmp_path: Path) -> None:
    database = tmp_path / "v2'.duckdb"
    result = run_export([], database, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: ACTIVITY_TRACKING_DB={database}: the database would be named")
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_runner_builds_into_a_database_path_of_any_other_characters(
    sample_build: Path, tmp_path: Path
) -> None:
    """Quotes, Jinja delimiters, shell syntax and other scripts in the folders, and every kind of
    character a database name may hold."""
    folder = tmp_path / "f'\"{{ x }}{% if %}$(id)&!@,[]()=+~^%` é" / "中"
    folder.mkdir(parents=True)
    database = folder / "é中 b-_1.v2.duckdb"
    shutil.copy(sample_build, database)
    result = run_export(["--output", str(folder / "out.csv")], database, tmp_path)
    assert result.returncode == 0, result.stderr
    expected = query(database, "select count(*) from main.activity_tracking_export")[0][0]
    assert f"Wrote {expected} rows" in result.stdout
