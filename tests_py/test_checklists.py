"""The checklists of docs/developing.md are true: "Add an export field" and "Add a data-quality
rule" are each applied to a copy of the project, touching only the files they list (and what
their generator rewrites), and the build (models, data and unit tests) and the docs pass."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import copy_project, planted_issue_counts, query, run_dbt

DEVELOPING = Path(__file__).resolve().parent.parent / "docs" / "developing.md"


def checklist_files(title: str) -> set[str]:
    """The files a checklist of docs/developing.md names: its numbered steps' first paths."""
    text = DEVELOPING.read_text(encoding="utf-8")
    section = text.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"(?m)^\d+\. `([\w./<>-]+)`", section))


def changed_files(project: Path) -> set[str]:
    """The files of a project copy (copy_project: all in git's index) changed or added since."""
    changed = set()
    for command in (["diff", "--name-only"], ["ls-files", "--others", "--exclude-standard"]):
        listed = subprocess.run(["git", *command], cwd=project, capture_output=True, text=True, check=True)
        changed |= set(listed.stdout.splitlines())
    return changed


NEW_FIELD = """\
      - name: registrationId
        data_type: bigint
        description: >-
          Content registration ID: the identifier of the registration.
        config:
          meta:
            label: Content registration ID
            from: registrations.registration_id
            render: number
            bi: true
"""


def test_add_an_export_field(tmp_path: Path) -> None:
    """A field added to the catalogue (after the last export field) is in the mart, the BI view
    and the export, last, with the registration's id; only the catalogue was edited by hand."""
    project = copy_project(tmp_path / "project")
    home = project / "models" / "marts" / "_marts__models.yml"
    text = home.read_text(encoding="utf-8")
    home.write_text(
        text.replace("      - name: reportStatus\n", NEW_FIELD + "      - name: reportStatus\n", 1)
    )
    generate = subprocess.run(
        [sys.executable, "scripts/catalogue.py"], cwd=project, capture_output=True, text=True, check=False
    )
    assert generate.returncode == 0, generate.stderr
    listed = checklist_files("Add an export field")
    assert listed == {"models/marts/_marts__models.yml"}
    edited = changed_files(project) - {
        "macros/reference/field_catalogue.sql",
        "models/export/_export__models.yml",
        "models/_docs.md",
        "docs/using.md",
    }
    assert edited == listed
    database = tmp_path / "project.duckdb"
    build = run_dbt(["build"], database, tmp_path, project_dir=project)
    assert build.returncode == 0, build.stdout
    docs = run_dbt(["docs", "generate"], database, tmp_path, project_dir=project)
    assert docs.returncode == 0, docs.stdout
    columns = [
        name
        for (name,) in query(
            database,
            "select column_name from duckdb_columns() "
            "where table_name = 'activity_tracking_export' order by column_index",
        )
    ]
    assert columns[-2:] == ["registrationId", "timeSpentSeconds"]
    mismatched = query(
        database,
        "select count(*) from main.activity_tracking_export as export "
        "inner join main.stg_lms__trackings as trackings "
        "on export.reportId = cast(trackings.tracking_id as varchar) "
        "where export.registrationId is distinct from cast(trackings.registration_id as varchar)",
    )
    assert mismatched == [(0,)]
    assert ("registrationId",) in query(
        database, "select column_name from duckdb_columns() where table_name = 'activity_tracking_bi'"
    )
    single_home = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests_py/test_single_home.py",
            "-k",
            "not runner",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert single_home.returncode == 0, single_home.stdout[-3000:]


NEW_RULE = """\
        {
            'code': 'negative_points_gained',
            'family': 'values',
            'table': 'trackings',
            'column': 'points_gained',
            'detected': 'a negative number of points gained',
            'handling': 'kept',
            'effect': 'kept',
            'condition': 'points_gained < 0',
            'detail': "'points_gained ' || cast(points_gained as string) || ' is negative; kept'",
            'planted': ['4041'],
        },
"""


def test_add_a_data_quality_rule(tmp_path: Path) -> None:
    """A rule added to the rule table, with its anomaly planted in a seed, is detected and
    recorded under its code, counted in the sample's planted anomalies and in the docs' table;
    only the listed files were edited."""
    project = copy_project(tmp_path / "project")
    rules = project / "macros" / "data_quality" / "data_quality_rules.sql"
    text = rules.read_text(encoding="utf-8")
    anchor = "        {\n            'code': 'unreadable_duration',\n"
    assert anchor in text
    rules.write_text(text.replace(anchor, NEW_RULE + anchor, 1), encoding="utf-8")
    seed = project / "seeds" / "lms" / "trackings.csv"
    rows = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    header = rows[0].rstrip("\n").split(",")
    for index, row in enumerate(rows):
        values = row.rstrip("\n").split(",")
        if values[0] == "4041":
            values[header.index("points_gained")] = "-5"
            rows[index] = ",".join(values) + "\n"
    seed.write_text("".join(rows), encoding="utf-8")
    generate = subprocess.run(
        [sys.executable, "scripts/docs_tables.py"], cwd=project, capture_output=True, text=True, check=False
    )
    assert generate.returncode == 0, generate.stderr
    listed = checklist_files("Add a data-quality rule")
    assert listed == {"macros/data_quality/data_quality_rules.sql", "seeds/lms/<table>.csv", "docs/using.md"}
    assert changed_files(project) == {
        "macros/data_quality/data_quality_rules.sql",
        "seeds/lms/trackings.csv",
        "docs/using.md",  # generated: the rule table
    }
    assert "`negative_points_gained`" in (project / "docs" / "using.md").read_text(encoding="utf-8")
    database = tmp_path / "project.duckdb"
    build = run_dbt(["build"], database, tmp_path, project_dir=project)
    assert build.returncode == 0, build.stdout
    recorded = query(
        database,
        "select source_table, record_key, issue_detail from main.data_quality_issues "
        "where issue_code = 'negative_points_gained'",
    )
    assert recorded == [("trackings", "4041", "points_gained -5 is negative; kept")]
    planted = planted_issue_counts().total() + 1
    check = run_dbt(
        ["test", "--select", "data_quality_issues_is_empty"], database, tmp_path, project_dir=project
    )
    assert f"WARN {planted} data_quality_issues_is_empty" in check.stdout
    docs = run_dbt(["docs", "generate"], database, tmp_path, project_dir=project)
    assert docs.returncode == 0, docs.stdout
