"""The raw tables are declared once, in the lms source: the sample seeds and the base models follow it."""

import json
from pathlib import Path

import pytest

from conftest import RAW_TABLES, query

PACKAGE = "activity_tracking"
# the raw contract's portable types as DuckDB names them
DUCKDB_TYPES = {
    "bigint": "BIGINT",
    "int": "INTEGER",
    "string": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


@pytest.fixture(scope="module")
def manifest(sample_build: Path) -> dict:
    # `dbt build` of the sample_build fixture wrote its manifest beside the database
    return json.loads((sample_build.parent / "target" / "manifest.json").read_text())


def declared(manifest: dict, table: str) -> list[tuple[str, str]]:
    """(column, data_type) of the lms source's table, in its order."""
    source = manifest["sources"][f"source.{PACKAGE}.lms.{table}"]
    return [(name, (column["data_type"] or "").lower()) for name, column in source["columns"].items()]


def duckdb_type(data_type: str) -> str:
    return DUCKDB_TYPES.get(data_type, data_type.upper().replace(" ", ""))


def test_the_source_types_every_raw_column(manifest: dict) -> None:
    untyped = [
        f"{table}.{name}"
        for table in RAW_TABLES
        for name, data_type in declared(manifest, table)
        if not data_type
    ]
    assert untyped == []


@pytest.mark.parametrize("table", RAW_TABLES)
def test_the_sample_seed_has_the_declared_columns_and_types(manifest: dict, table: str) -> None:
    seed = manifest["nodes"][f"seed.{PACKAGE}.{table}"]
    seed_types = [
        (name, data_type.lower().replace(" ", ""))
        for name, data_type in seed["config"]["column_types"].items()
    ]
    assert seed_types == [(name, data_type.replace(" ", "")) for name, data_type in declared(manifest, table)]


@pytest.mark.parametrize("table", RAW_TABLES)
def test_each_base_model_has_the_declared_types(manifest: dict, sample_build: Path, table: str) -> None:
    """(Its parents: tests_py/test_sources.py.)"""
    built = query(
        sample_build,
        "select column_name, replace(data_type, ' ', '') from information_schema.columns "
        f"where table_schema = 'main' and table_name = 'base_lms__{table}' order by ordinal_position",
    )
    assert built == [(name, duckdb_type(data_type)) for name, data_type in declared(manifest, table)]
