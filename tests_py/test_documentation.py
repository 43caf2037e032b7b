"""Documentation coverage must be 100 %: every model, seed, source, exposure and singular test,
each of their columns, every macro and each argument in a macro's signature has a description."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, query
from exporter.project import macro_value

PACKAGE = "activity_tracking"
# `{% macro name(first, second=default) %}`: the arguments a macro's signature declares
SIGNATURE = re.compile(r"{%-?\s*macro\s+\w+\s*\((?P<arguments>[^)]*)\)")
# dispatched implementations (`duckdb__name`) share the arguments documented on `name`
IMPLEMENTATION = re.compile(r"^(default|duckdb|spark|postgres)__")
# The Markdown documents: the README and the guides
DOCUMENTS = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
FENCE = re.compile(r"^ *```.*?^ *```", re.S | re.M)
# `[text](target)`, outside code; an image `![alt](target)` is checked the same way
LINK = re.compile(r"\]\((?P<target>[^()\s]+)\)")


@pytest.fixture(scope="module")
def manifest(sample_build: Path) -> dict:
    # `dbt build` of the sample_build fixture wrote its manifest beside the database
    return json.loads((sample_build.parent / "target" / "manifest.json").read_text())


def project_nodes(manifest: dict, resource_type: str) -> list[dict]:
    return [
        node
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        if node["resource_type"] == resource_type and node["package_name"] == PACKAGE
    ]


def signature_arguments(macro: dict) -> list[str]:
    match = SIGNATURE.search(macro["macro_sql"])
    declared = match.group("arguments") if match else ""
    return [part.split("=")[0].strip() for part in declared.split(",") if part.strip()]


def documentation_items(manifest: dict) -> dict[str, bool]:
    """Every item that must be described, and whether it is."""
    items: dict[str, bool] = {}
    for resource_type in ("model", "seed", "source"):
        for node in project_nodes(manifest, resource_type):
            items[node["unique_id"]] = bool(node["description"].strip())
            for name, column in node["columns"].items():
                items[f"{node['unique_id']}.{name}"] = bool(column["description"].strip())
    for node in manifest["nodes"].values():
        # singular data tests (tests/*.sql); generic ones are described by their macro
        if (
            node["resource_type"] == "test"
            and node["package_name"] == PACKAGE
            and "test_metadata" not in node
        ):
            items[node["unique_id"]] = bool(node["description"].strip())
    for exposure in manifest["exposures"].values():
        if exposure["package_name"] == PACKAGE:
            owned = bool(exposure["owner"].get("name") and exposure["owner"].get("email"))
            items[exposure["unique_id"]] = bool(exposure["description"].strip()) and owned
    for macro in manifest["macros"].values():
        if macro["package_name"] != PACKAGE:
            continue
        items[macro["unique_id"]] = bool(macro["description"].strip())
        if IMPLEMENTATION.match(macro["name"]):
            continue
        documented = {argument["name"]: argument["description"] for argument in macro["arguments"]}
        for name in signature_arguments(macro):
            items[f"{macro['unique_id']}({name})"] = bool(documented.get(name, "").strip())
    return items


def test_documentation_coverage_is_complete(manifest: dict) -> None:
    items = documentation_items(manifest)
    missing = sorted(name for name, described in items.items() if not described)
    coverage = 100 * (len(items) - len(missing)) / len(items)
    assert missing == [], f"documentation coverage {coverage:.1f} % of {len(items)} items; missing: {missing}"


def test_coverage_counts_every_kind_of_item(manifest: dict) -> None:
    """The check above is not vacuous: it sees models, columns, sources, exposures, macros and arguments."""
    items = documentation_items(manifest)
    for prefix in ("model.", "seed.", "source.", "exposure.", "macro.", "test."):
        assert any(name.startswith(prefix) for name in items), prefix
    assert "macro.activity_tracking.row_fingerprint(expressions)" in items
    assert "model.activity_tracking.activity_tracking.reportId" in items


@pytest.mark.parametrize("resource_type", ["model", "seed"])
def test_every_built_column_is_documented(manifest: dict, sample_build: Path, resource_type: str) -> None:
    """Every column is described where it is declared: a seed's and a base model's on the lms
    source table they hold; the export's fields on the mart whose values it renders; any other
    on its node."""
    sources = {
        source["name"]: source for source in manifest["sources"].values() if source["source_name"] == "lms"
    }
    mart = manifest["nodes"][f"model.{PACKAGE}.activity_tracking"]
    undocumented = []
    for node in project_nodes(manifest, resource_type):
        built = query(
            sample_build,
            "select column_name from information_schema.columns "
            f"where table_schema = '{node['schema']}' and table_name = '{node['alias']}'",
        )
        described = {name: column for name, column in node["columns"].items() if column.get("description")}
        if resource_type == "seed":
            described = sources[node["name"]]["columns"]
        elif node["name"].startswith("base_lms__"):
            described = sources[node["name"].removeprefix("base_lms__")]["columns"]
        elif node["name"] == "activity_tracking_export":
            # its export fields on the mart; timeSpentSeconds, not an export field, on itself
            described = {**mart["columns"], **described}
        documented = {name.lower() for name, column in described.items() if column.get("description")}
        undocumented += [f"{node['name']}.{name}" for (name,) in built if name.lower() not in documented]
    assert undocumented == []


def test_mart_descriptions_are_stored_in_the_database(sample_build: Path) -> None:
    """persist_docs: a BI tool connected to the file reads each mart column's description."""
    [(table_comment,)] = query(
        sample_build,
        "select comment from duckdb_tables() where schema_name = 'main' and table_name = 'activity_tracking'",
    )
    assert table_comment.startswith("The Activity Tracking mart")
    comments = dict(
        query(
            sample_build,
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'main' and table_name = 'activity_tracking'",
        )
    )
    assert comments["candidateLogin"] == "Learner login (unique on the platform)."
    assert [name for name, comment in comments.items() if not comment] == []


def test_what_readers_use_is_public_and_owned(manifest: dict) -> None:
    # the marts, the export table and the build state are the project's interface (BI tools,
    # the runner and the export read them): public, in an owned group; exposures depend on them only
    groups = {group["name"]: group for group in manifest["groups"].values()}
    public = {node["unique_id"] for node in project_nodes(manifest, "model") if node["access"] == "public"}
    interface = {
        f"model.{PACKAGE}.{name}"
        for name in (
            "activity_tracking",
            "activity_tracking_bi",
            "learner_custom_fields",
            "data_quality_issues",
            "build_state",
            "daily_time_spent",
            "training_activities",
            "activity_tracking_export",
        )
    }
    assert public == interface
    for unique_id in interface:
        assert groups[manifest["nodes"][unique_id]["group"]]["owner"]["email"], unique_id
    for exposure in manifest["exposures"].values():
        assert set(exposure["depends_on"]["nodes"]) <= public, exposure["name"]


def test_the_guide_describes_exactly_the_data_quality_rules() -> None:
    """docs/using.md's table of the data-quality rules (first column) lists each rule of
    data_quality_rules once, in its order, no more: the table scripts/docs_tables.py writes."""
    guide = (PROJECT_DIR / "docs" / "using.md").read_text(encoding="utf-8")
    table = re.search(r"^\| issue_code \|.*?\n\n", guide, re.S | re.M)
    assert table is not None
    documented = [
        re.findall(r"`(\w+)`", line.split("|")[1])
        for line in table.group(0).splitlines()[2:]
        if line.startswith("|")
    ]
    rules = macro_value("macros/data_quality/data_quality_rules.sql", "data_quality_rules")
    assert documented == [[rule["code"]] for rule in rules]


def markdown_text(document: Path) -> str:
    """The document without its code blocks and inline code, where nothing is a link."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", document.read_text(encoding="utf-8")))


def anchors(document: Path) -> set[str]:
    """The anchors of a document's headings, as GitHub makes them (a repeated one gets -1, -2…)."""
    found: set[str] = set()
    for heading in re.findall(
        r"^#{1,6} +(.+?) *#*$", FENCE.sub("", document.read_text(encoding="utf-8")), re.M
    ):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        candidate, count = slug, 0
        while candidate in found:
            count += 1
            candidate = f"{slug}-{count}"
        found.add(candidate)
    return found


def test_documents_are_the_readme_and_the_guides() -> None:
    assert [document.name for document in DOCUMENTS] == [
        "README.md",
        "developing.md",
        "operating.md",
        "using.md",
    ]


@pytest.mark.parametrize(
    "document", DOCUMENTS, ids=lambda document: document.relative_to(PROJECT_DIR).as_posix()
)
def test_relative_links_lead_to_a_file_and_heading(document: Path) -> None:
    """Every relative link of the README and the guides names a file of the repository and,
    when it has one, an anchor of that file's headings."""
    broken = []
    for target in LINK.findall(markdown_text(document)):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:…: not relative
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.is_relative_to(PROJECT_DIR) or not linked.exists():
            broken.append(f"{target}: no such file in the repository")
        elif anchor and (linked.suffix != ".md" or anchor not in anchors(linked)):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert broken == []


def test_the_link_check_sees_links() -> None:
    """The check above is not vacuous: the README links to each guide and a guide's heading."""
    readme = LINK.findall(markdown_text(DOCUMENTS[0]))
    assert {"docs/using.md", "docs/operating.md", "docs/developing.md"} <= set(readme)
    assert "docs/using.md#the-data-quality-ledger" in readme
    assert "what-is-materialised-and-why" in anchors(PROJECT_DIR / "docs" / "operating.md")


def test_the_generated_parameter_table_has_its_place() -> None:
    """docs/using.md holds the parameter table between the markers its generator looks for."""
    text = (PROJECT_DIR / "docs" / "using.md").read_text(encoding="utf-8")
    assert text.count("<!-- parameters:start -->") == 1
    assert text.count("<!-- parameters:end -->") == 1
    inside = text.split("<!-- parameters:start -->")[1].split("<!-- parameters:end -->")[0]
    assert "| `reportStatus` |" in inside


def test_the_parameter_table_is_generated_from_the_declaration() -> None:
    """docs/using.md's parameter table is what scripts/docs_tables.py writes from export_parameters."""
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "docs_tables.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
