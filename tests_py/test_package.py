"""Installed as a package (integration_tests/: packages.yml `local: ../`), over the sample
loaded into a schema of its own as an EL tool would load it, the project builds the same mart
and export as on its own; its models read their own models even when the consumer has a model
of the same name (dbt 1.11 resolves a package's one-argument ref() in the root project first)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import DBT, copy_tracked_files, query

# What the package's models hold, compared with the project's own build of the sample.
COMPARED = {
    "activity_tracking": "activity_tracking.activity_tracking",
    "activity_tracking_export": "activity_tracking.activity_tracking_export",
    "data_quality_issues": "activity_tracking.data_quality_issues",
}


def dbt(consumer: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A dbt command of the consumer project, as its user runs it (from its folder)."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("ACTIVITY_TRACKING_")
    }
    return subprocess.run(
        [DBT, *args], cwd=consumer, env=environment, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone's integration_tests/, after `dbt deps`, `dbt seed`, `dbt source freshness` and
    `dbt build`, as a consumer runs them."""
    repository = copy_tracked_files(tmp_path_factory.mktemp("package") / "repository")
    project = repository / "integration_tests"
    for command in (["deps"], ["seed"], ["source", "freshness"], ["build"]):
        result = dbt(project, *command)
        assert result.returncode == 0, f"dbt {' '.join(command)}\n{result.stdout[-3000:]}"
    return project


def rows(database: Path, relation: str) -> list[tuple]:
    return query(database, f"select * from {relation} order by all")


def test_the_package_builds_the_project_s_mart_and_export(consumer: Path, sample_build: Path) -> None:
    database = consumer / "integration_tests.duckdb"
    for model, relation in COMPARED.items():
        expected = rows(sample_build, f"main.{model}")
        assert expected, model
        assert rows(database, relation) == expected, model
    schemas = query(database, "select distinct table_schema from information_schema.tables order by 1")
    # the package's models in the schema the consumer gave them, the sample where its seeds
    # put it; the package's own sample seeds were not loaded
    assert schemas == [("activity_tracking",), ("main_lms_raw",)]


def test_the_package_s_models_read_their_own_models(consumer: Path, sample_build: Path) -> None:
    result = dbt(consumer, "run", "--vars", json.dumps({"shadow_package_model": True}))
    assert result.returncode == 0, result.stdout[-3000:]
    database = consumer / "integration_tests.duckdb"
    assert query(database, "select shadow from main.stg_lms__learners") == [("not the package's learners",)]
    for model, relation in COMPARED.items():
        assert rows(database, relation) == rows(sample_build, f"main.{model}"), model
