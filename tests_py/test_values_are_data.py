"""Whatever an export configuration holds, it is data: no value is ever evaluated.

dbt renders Jinja inside every text var, so the runner hands each value to dbt encoded
(macro as_data): these properties send arbitrary text, Jinja delimiters in every spelling,
quotes, backslashes, NUL and control characters and characters outside the Basic
Multilingual Plane through the command line and through the XML configuration, and check
that the macros receive each value exactly as given and that the database is unchanged.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import query
from exporter import cli
from exporter.build import Dbt
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
    args = cli.parser().parse_args([*arguments, f"--export-guid={guid}"])
    request = cli.request_from(args)
    got = received(database, cli.dbt_vars(request, args, "2021-01-01", "RUN"), tmp_path, monkeypatch, capsys)
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
    args = cli.parser().parse_args(["--config", str(configuration)])
    request = cli.request_from(args)
    # the configuration's values, trimmed as every parameter is
    assert request.parameters == {
        name: value.strip() for name, value in zip(TEXT_PARAMETERS, values, strict=True)
    }
    got = received(database, cli.dbt_vars(request, args, "2021-01-01", "RUN"), tmp_path, monkeypatch, capsys)
    for name in TEXT_PARAMETERS:
        assert got[name] == request.parameters.get(name)
    assert got["exportGuid"] == (guid.strip() or None)
    assert tables(database) == before
