"""Each layer reads only what docs/developing.md says it reads: every edge of dbt's graph between
models (and from a model to the raw extract) is held to the guide's table "What each layer
reads" and its "Layer exceptions", read from the guide itself, so that the guide is the one
home of the rule and of its exceptions. An edge added to a model fails here until the guide
lists it, with its reason; an exception the graph no longer uses fails too."""

from __future__ import annotations

import copy
import json
import re
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, run_dbt

PACKAGE = "activity_tracking"
GUIDE = PROJECT_DIR / "docs" / "developing.md"
# What a parent that is not a model (the lms source, or its sample seeds) counts as
RAW = "lms"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    # the graph alone: `dbt parse` writes the manifest without building anything
    work_dir = tmp_path_factory.mktemp("layers")
    result = run_dbt(["parse"], work_dir / "parse.duckdb", work_dir)
    assert result.returncode == 0, result.stdout
    return json.loads((work_dir / "target" / "manifest.json").read_text())


def guide_table(text: str, heading: str) -> list[dict[str, str]]:
    """The rows of the first table under `### heading` in the guide, as {column: cell}."""
    section = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^#)", text + "\n#", re.S | re.M)
    assert section is not None, f"docs/developing.md has no section {heading!r}"
    lines = [line for line in section.group(1).splitlines() if line.startswith("|")]
    assert len(lines) > 2, f"the section {heading!r} of docs/developing.md has no table"
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


def quoted(cell: str) -> list[str]:
    """The names a cell writes as inline code."""
    return re.findall(r"`([^`]+)`", cell)


def layer_rule(text: str) -> dict[str, set[str]]:
    """Each layer (a folder under models/) and the layers it may read, from the guide."""
    rows = guide_table(text, "What each layer reads")
    return {quoted(row["layer"])[0]: set(quoted(row["reads"])) for row in rows}


def exceptions(text: str) -> list[tuple[str, str]]:
    """The (model, parent pattern) edges the guide allows beyond the layer rule."""
    return [
        (quoted(row["model"])[0], pattern)
        for row in guide_table(text, "Layer exceptions")
        for pattern in quoted(row["reads"])
    ]


def layer_of(node: dict, layers: set[str]) -> str | None:
    """A model's layer: the longest listed folder holding its file; RAW for a source or a seed."""
    if node["resource_type"] in ("source", "seed"):
        return RAW
    folder = str(Path(node["original_file_path"]).parent.relative_to("models"))
    holding = [layer for layer in layers if folder == layer or folder.startswith(layer + "/")]
    return max(holding, key=len) if holding else None


def project_models(manifest: dict) -> dict[str, dict]:
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PACKAGE
    }


def edges(manifest: dict) -> list[tuple[dict, dict]]:
    """Every (model, parent) of the project: the parent a model, a seed or a source."""
    everything = {**manifest["nodes"], **manifest["sources"]}
    return [
        (node, everything[parent])
        for node in project_models(manifest).values()
        for parent in node["depends_on"]["nodes"]
    ]


def violations(manifest: dict, text: str) -> list[str]:
    """The edges neither the layer rule nor a listed exception allows, as `model (layer) → parent
    (layer)`; a model outside every listed layer is one too."""
    rule = layer_rule(text)
    allowed = exceptions(text)
    found = []
    for node, parent in edges(manifest):
        layer, parent_layer = layer_of(node, set(rule)), layer_of(parent, set(rule))
        if layer is not None and parent_layer in rule[layer]:
            continue
        if any(node["name"] == model and fnmatchcase(parent["name"], pattern) for model, pattern in allowed):
            continue
        found.append(f"{node['name']} ({layer}) → {parent['name']} ({parent_layer})")
    return sorted(found)


def unused_exceptions(manifest: dict, text: str) -> list[tuple[str, str]]:
    used = edges(manifest)
    return [
        (model, pattern)
        for model, pattern in exceptions(text)
        if not any(node["name"] == model and fnmatchcase(parent["name"], pattern) for node, parent in used)
    ]


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_every_edge_keeps_the_layer_rule_or_is_a_listed_exception(manifest: dict, guide: str) -> None:
    assert violations(manifest, guide) == []


def test_every_listed_exception_is_an_edge_of_the_graph(manifest: dict, guide: str) -> None:
    assert unused_exceptions(manifest, guide) == []


def test_the_export_reads_marts_only(manifest: dict, guide: str) -> None:
    """Stated on its own: the export's parents are models of models/marts/ (macros aside)."""
    rule = layer_rule(guide)
    assert rule["export"] == {"marts"}
    export = [node for node in project_models(manifest).values() if layer_of(node, set(rule)) == "export"]
    assert [node["name"] for node in export] == ["activity_tracking_export"]
    everything = {**manifest["nodes"], **manifest["sources"]}
    for node in export:
        parents = [everything[parent] for parent in node["depends_on"]["nodes"]]
        assert {layer_of(parent, set(rule)) for parent in parents} == {"marts"}, node["name"]


def test_intermediate_reads_base_only_where_the_guide_lists_it(manifest: dict, guide: str) -> None:
    rule = layer_rule(guide)
    listed = {model for model, _ in exceptions(guide)}
    reading_base = {
        node["name"]
        for node, parent in edges(manifest)
        if layer_of(node, set(rule)) == "intermediate" and layer_of(parent, set(rule)) == "staging/lms/base"
    }
    assert "staging/lms/base" not in rule["intermediate"]
    assert reading_base == listed == {"int_raw_rows_checked"}


def test_the_guide_gives_every_layer_its_reads(guide: str) -> None:
    """The check above is not vacuous: the guide's tables parse into the rule they state."""
    assert layer_rule(guide) == {
        "staging/lms/base": {RAW},
        "staging/lms": {"staging/lms/base"},
        "intermediate": {"staging/lms", "intermediate"},
        "marts": {"intermediate", "staging/lms", "marts"},
        "export": {"marts"},
    }
    assert exceptions(guide) == [("int_raw_rows_checked", "base_lms__*")]


def test_an_added_edge_fails_until_the_guide_lists_it(manifest: dict, guide: str) -> None:
    """The export reading staging, or an intermediate model reading a base model, is a violation;
    a row of the exceptions' table naming that edge allows it."""
    graph = copy.deepcopy(manifest)
    models = project_models(graph)
    models[f"model.{PACKAGE}.activity_tracking_export"]["depends_on"]["nodes"].append(
        f"model.{PACKAGE}.stg_lms__activities"
    )
    models[f"model.{PACKAGE}.int_trackings_validated"]["depends_on"]["nodes"].append(
        f"model.{PACKAGE}.base_lms__trackings"
    )
    assert violations(graph, guide) == [
        "activity_tracking_export (export) → stg_lms__activities (staging/lms)",
        "int_trackings_validated (intermediate) → base_lms__trackings (staging/lms/base)",
    ]
    row = "| `int_trackings_validated` | `base_lms__trackings` | a reason |\n"
    listed = guide.replace("| `int_raw_rows_checked` |", row + "| `int_raw_rows_checked` |")
    assert violations(graph, listed) == [
        "activity_tracking_export (export) → stg_lms__activities (staging/lms)",
    ]


def test_a_model_outside_every_listed_layer_is_a_violation(manifest: dict, guide: str) -> None:
    graph = copy.deepcopy(manifest)
    export = project_models(graph)[f"model.{PACKAGE}.activity_tracking_export"]
    export["original_file_path"] = "models/reports/activity_tracking_export.sql"
    assert "activity_tracking_export (None) → activity_tracking (marts)" in violations(graph, guide)
