"""Every model, column, seed, source and macro of the project is described."""

import json
from pathlib import Path

import pytest

from conftest import query


@pytest.fixture(scope="module")
def manifest(sample_build: Path) -> dict:
    # `dbt build` of the sample_build fixture wrote its manifest beside the database
    return json.loads((sample_build.parent / "target" / "manifest.json").read_text())


def project_nodes(manifest: dict, resource_type: str) -> list[dict]:
    return [
        node
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        if node["resource_type"] == resource_type and node["package_name"] == "activity_tracking"
    ]


@pytest.mark.parametrize("resource_type", ["model", "seed", "source"])
def test_every_node_and_documented_column_has_a_description(manifest: dict, resource_type: str) -> None:
    nodes = project_nodes(manifest, resource_type)
    assert nodes
    missing = [node["unique_id"] for node in nodes if not node["description"].strip()]
    missing += [
        f"{node['unique_id']}.{name}"
        for node in nodes
        for name, column in node["columns"].items()
        if not column["description"].strip()
    ]
    assert missing == []


@pytest.mark.parametrize("resource_type", ["model", "seed"])
def test_every_built_column_is_documented(manifest: dict, sample_build: Path, resource_type: str) -> None:
    undocumented = []
    for node in project_nodes(manifest, resource_type):
        built = query(
            sample_build,
            "select column_name from information_schema.columns "
            f"where table_schema = '{node['schema']}' and table_name = '{node['alias']}'",
        )
        documented = {name.lower() for name in node["columns"]}
        undocumented += [f"{node['name']}.{name}" for (name,) in built if name.lower() not in documented]
    assert undocumented == []


def test_every_macro_is_described(manifest: dict) -> None:
    macros = [macro for macro in manifest["macros"].values() if macro["package_name"] == "activity_tracking"]
    assert macros
    assert [macro["name"] for macro in macros if not macro["description"].strip()] == []
