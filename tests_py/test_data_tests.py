"""Every model has a test of its grain, and every public model an enforced contract: read from the
manifest of the sample build, so that a model added without them fails here."""

import json
from pathlib import Path

import pytest

PACKAGE = "activity_tracking"
# Base models keep every raw row, duplicates and null keys included (data_quality_issues counts
# them there): no key to test; their test is that they hold exactly the raw table's rows.
BASE_PREFIX = "base_lms__"


@pytest.fixture(scope="module")
def manifest(sample_build: Path) -> dict:
    # `dbt build` of the sample_build fixture wrote its manifest beside the database
    return json.loads((sample_build.parent / "target" / "manifest.json").read_text())


def models(manifest: dict) -> dict[str, dict]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PACKAGE
    }


def grain_tests(manifest: dict) -> dict[str, list[str]]:
    """Each model's tests of its grain: `unique+not_null(column)` when a column has both,
    `unique_combination(columns)`, and for a base model `raw_row_count`."""
    names = {unique_id: node["name"] for unique_id, node in models(manifest).items()}
    generic: dict[str, dict[str, set[str]]] = {}
    found: dict[str, list[str]] = {unique_id: [] for unique_id in names}
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata")
        if node["resource_type"] != "test" or not metadata or node.get("attached_node") not in found:
            continue
        model, name = node["attached_node"], metadata["name"]
        if name in ("unique", "not_null"):
            generic.setdefault(model, {}).setdefault(node["column_name"], set()).add(name)
        elif name == "unique_combination":
            found[model].append(f"unique_combination({', '.join(metadata['kwargs']['columns'])})")
        elif name == "raw_row_count" and names[model].startswith(BASE_PREFIX):
            found[model].append("raw_row_count")
    for model, columns in generic.items():
        found[model] += [f"unique+not_null({column})" for column, kinds in columns.items() if len(kinds) == 2]
    return found


def test_every_model_has_a_test_of_its_grain(manifest: dict) -> None:
    names = {unique_id: node["name"] for unique_id, node in models(manifest).items()}
    assert sorted(names[unique_id] for unique_id, tests in grain_tests(manifest).items() if not tests) == []


def test_the_grain_check_sees_each_kind(manifest: dict) -> None:
    """The check above is not vacuous: on the project, it finds each kind where it is."""
    tests = {models(manifest)[unique_id]["name"]: found for unique_id, found in grain_tests(manifest).items()}
    assert tests["activity_tracking_export"] == ["unique+not_null(reportId)"]
    assert tests["learner_custom_fields"] == ["unique_combination(candidateId, candidateCustomFieldGuid)"]
    assert tests["base_lms__trackings"] == ["raw_row_count"]


def test_a_lone_unique_or_not_null_is_no_key_test() -> None:
    """A column with only one of unique and not_null, or raw_row_count on a model that is not a
    base model, leaves the model without a test of its grain."""

    def model(name: str) -> dict:
        return {"resource_type": "model", "package_name": PACKAGE, "name": name}

    def test(model_name: str, name: str, column: str | None = None) -> dict:
        return {
            "resource_type": "test",
            "attached_node": f"model.{PACKAGE}.{model_name}",
            "column_name": column,
            "test_metadata": {"name": name, "kwargs": {}},
        }

    nodes = {f"model.{PACKAGE}.{name}": model(name) for name in ("keyed", "half", "split", "stg_x")}
    tested = [
        test("keyed", "unique", "id"),
        test("keyed", "not_null", "id"),
        test("half", "unique", "id"),
        test("split", "unique", "id"),
        test("split", "not_null", "other_id"),
        test("stg_x", "raw_row_count"),
    ]
    nodes |= {f"test.{PACKAGE}.t{number}": node for number, node in enumerate(tested)}
    found = grain_tests({"nodes": nodes})
    assert {unique_id.split(".")[-1]: tests for unique_id, tests in found.items()} == {
        "keyed": ["unique+not_null(id)"],
        "half": [],
        "split": [],
        "stg_x": [],
    }


def test_every_public_model_has_an_enforced_contract(manifest: dict) -> None:
    public = [node for node in models(manifest).values() if node["access"] == "public"]
    assert len(public) >= 6
    assert [node["name"] for node in public if not node["config"]["contract"]["enforced"]] == []
