"""The checklists of docs/developing.md are true. "Add an export field", "Add a raw column" and
"Add a data-quality rule" are each applied to a copy of the project, touching only the files
they list (and what their generator rewrites), and the build (models, data and unit tests) and
the docs pass. "Add an output format" and "Add an engine" list exactly the files where the
existing formats and engines are declared."""

from __future__ import annotations

import json
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


NEW_RAW_COLUMN = """\
          - name: location
            data_type: string
            description: Where the session takes place (a room, a site), as the platform shows it.
            meta:
              nullable: true
"""

NEW_MART_COLUMN = """\
      - name: sessionLocation
        data_type: string
        description: Where the session takes place (a room, a site); empty when not given.
        config:
          meta:
            from: sessions.location
            bi: true
"""


def test_add_a_raw_column(tmp_path: Path) -> None:
    """A column added to a raw table's declaration and to its sample seed reaches the mart and
    the BI view through a catalogue column, typed, described on staging, loaded from the seed
    and drawn by the data generator; only the listed files were edited."""
    project = copy_project(tmp_path / "project")
    sources = project / "models" / "staging" / "lms" / "_lms__sources.yml"
    text = sources.read_text(encoding="utf-8")
    anchor = "lms__sessions__end_date') }}\"\n            meta:\n              nullable: true\n"
    assert text.count(anchor) == 1
    sources.write_text(text.replace(anchor, anchor + NEW_RAW_COLUMN), encoding="utf-8")
    seed = project / "seeds" / "lms" / "sessions.csv"
    rows = seed.read_text(encoding="utf-8").splitlines()
    locations = {}
    position = rows[0].split(",").index("end_date") + 1
    for index, row in enumerate(rows):
        values = row.split(",")
        if index == 0:
            values.insert(position, "location")
        else:
            # every other session has none, the rest a room named after the session
            locations[values[0]] = f"Room {values[0]}" if index % 2 else None
            values.insert(position, locations[values[0]] or "")
        rows[index] = ",".join(values)
    seed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    home = project / "models" / "marts" / "_marts__models.yml"
    text = home.read_text(encoding="utf-8")
    home.write_text(
        text.replace(
            "      - name: trainingModality\n", NEW_MART_COLUMN + "      - name: trainingModality\n", 1
        )
    )
    generate = subprocess.run(
        [sys.executable, "scripts/catalogue.py"], cwd=project, capture_output=True, text=True, check=False
    )
    assert generate.returncode == 0, generate.stderr
    listed = checklist_files("Add a raw column")
    assert listed == {
        "models/staging/lms/_lms__sources.yml",
        "seeds/lms/<table>.csv",
        "models/marts/_marts__models.yml",
    }
    assert changed_files(project) == {
        "models/staging/lms/_lms__sources.yml",
        "seeds/lms/sessions.csv",
        "models/marts/_marts__models.yml",
        # generated by scripts/catalogue.py
        "seeds/lms/_lms__seeds.yml",
        "models/staging/lms/_lms__models.yml",
        "macros/reference/field_catalogue.sql",
        "models/_docs.md",
    }
    database = tmp_path / "project.duckdb"
    build = run_dbt(["build"], database, tmp_path, project_dir=project)
    assert build.returncode == 0, build.stdout
    docs = run_dbt(["docs", "generate"], database, tmp_path, project_dir=project)
    assert docs.returncode == 0, docs.stdout
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    staging = "model.activity_tracking.stg_lms__sessions"
    assert "location" in catalog["nodes"][staging]["columns"]
    assert manifest["nodes"][staging]["columns"]["location"]["description"].startswith("Where the session")
    assert (
        manifest["nodes"]["seed.activity_tracking.sessions"]["config"]["column_types"]["location"] == "string"
    )
    mart = dict(
        query(
            database,
            "select distinct cast(sessions.session_id as varchar), mart.sessionLocation "
            "from main.activity_tracking as mart "
            "inner join main.stg_lms__trackings as trackings on mart.reportId = trackings.tracking_id "
            "inner join main.stg_lms__registrations as registrations "
            "on trackings.registration_id = registrations.registration_id "
            "inner join main.stg_lms__sessions as sessions on registrations.session_id = sessions.session_id",
        )
    )
    assert mart and all(location == locations[session] for session, location in mart.items())
    assert {None} < set(mart.values())
    assert ("sessionLocation",) in query(
        database, "select column_name from duckdb_columns() where table_name = 'activity_tracking_bi'"
    )
    extract = tmp_path / "generated"
    generated = subprocess.run(
        [sys.executable, "scripts/generate_data.py", "--out", str(extract), "--trackings", "100"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    (drawn,) = query(database, f"select count(location) from read_parquet('{extract / 'sessions.parquet'}')")
    assert drawn[0] > 0


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
    assert listed == {"macros/data_quality/data_quality_rules.sql", "seeds/lms/<table>.csv"}
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


# ---- "Add an output format" and "Add an engine": their steps are where the code declares one ----

ROOT = DEVELOPING.parent.parent
# This file names the markers below, as the checklists name the places: neither is one.
MARKER_HOMES = ("tests_py/test_checklists.py",)


def repository_texts() -> dict[str, str]:
    """The text of each file of the repository (git's: tracked, or new and not ignored), by
    path; docs/developing.md without its checklists."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    texts = {}
    for name in sorted(set(listed) - set(MARKER_HOMES)):
        path = ROOT / name
        if path.is_symlink() or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        if name == "docs/developing.md":
            text = re.sub(r"(?ms)^## Checklists\n.*?(?=^## |\Z)", "", text)
        texts[name] = text
    return texts


def checklist_steps(title: str) -> dict[str, str]:
    """A checklist's steps (what checklist_files parses), each path with its step's text."""
    section = DEVELOPING.read_text(encoding="utf-8").split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]
    paths = {}
    for step in re.split(r"(?m)^(?=\d+\. )", section)[1:]:
        path = re.match(r"\d+\. `([\w./<>-]+)`", step)
        assert path, f"a step of {title!r} that does not start with its path: {step[:60]!r}"
        paths[path.group(1)] = " ".join(step.split())
    return paths


# A quoted name of a format only the export file writes (csv and parquet are also the raw
# files' and the published copy's formats).
EXPORT_ONLY_FORMAT = re.compile(r"""["'](tsv|jsonl|xlsx)["']""")


def test_add_an_output_format_lists_the_files_that_handle_the_formats() -> None:
    """The checklist's files are exactly the places where the formats are registered or handled
    one by one. Marker: the word `jsonl`, in any file (the one format name with no other meaning
    in the project: csv and parquet are also raw-file and publish formats, xlsx an invalid
    raw_format in a test, tsv a case of the build and engine tests), or, in the runner's code
    (outside tests_py/), a quoted name of a format only the export writes ("tsv", "jsonl",
    "xlsx"; pipeline.py's FORMULA_FORMATS names only csv and tsv). A new such place fails until
    the checklist lists it; a step that no longer is one fails too."""
    marked = {
        name
        for name, text in repository_texts().items()
        if re.search(r"\bjsonl\b", text)
        or (not name.startswith("tests_py/") and EXPORT_ONLY_FORMAT.search(text))
    }
    listed = checklist_files("Add an output format")
    assert listed == set(checklist_steps("Add an output format"))
    assert marked == listed


def test_using_lists_exactly_the_output_formats() -> None:
    """docs/using.md names the formats of FORMATS, in their order, wherever it lists them all: the
    values of the file option format, the columns of the table of what applies to which format,
    and the extensions that give the format."""
    from exporter.request import FORMATS

    text = (ROOT / "docs" / "using.md").read_text(encoding="utf-8")
    [values] = re.findall(r"(?m)^\| format \| ([^|]+?) \|", text)
    assert values.split(", ") == list(FORMATS)
    [columns] = re.findall(r"(?m)^\| parameter or option \| (.+) \|$", text)
    assert columns.split(" | ") == list(FORMATS)
    [extensions] = re.findall(r"an `--output` ending in (.+?) \(any case\)", text, flags=re.S)
    assert re.findall(r"`\.(\w+)`", extensions) == list(FORMATS)


# How a file names an engine: in code and configuration, lower case, as dbt and the runner
# spell it (the profile's target and `type:`, the adapter's package, the macros' prefix
# `<adapter>__`, --target, the engine's own modules); in Markdown, as the docs write it.
ENGINE_NAMES = {"postgres": ("postgres", "PostgreSQL"), "spark": ("spark", "Spark")}
# Files that name PostgreSQL without declaring it, and why.
NOT_ENGINE_PLACES = {
    "scripts/exporter/build.py": "a comment on dbt-postgres's error heading, read for every adapter",
}


def names_engine(name: str, text: str, engine: str) -> bool:
    code, prose = ENGINE_NAMES[engine]
    return (prose if name.endswith(".md") else code) in text


def step_covers(step: str, name: str) -> bool:
    """Whether the file `name` is the step's: the file it names, or a macro file of the folder it
    names (`macros/cross_db/`: one file per dispatched macro in it)."""
    if step.endswith("/"):
        rest = name.removeprefix(step)
        return rest != name and rest.endswith(".sql") and "/" not in rest
    return name == step


def test_add_an_engine_lists_the_files_that_declare_one() -> None:
    """Every file that names PostgreSQL (ENGINE_NAMES: `postgres` in code and configuration,
    `PostgreSQL` in Markdown; NOT_ENGINE_PLACES apart) is one of the checklist's steps, with
    `<engine>` read as postgres; and every step is a place where an existing engine, PostgreSQL
    or Spark, is named: a file of a new kind fails until the checklist lists it, a step that
    no engine needed fails until it goes. A folder is a step only for its macro files."""
    texts = repository_texts()
    steps = checklist_steps("Add an engine")
    assert set(steps) == checklist_files("Add an engine")
    for step, text in steps.items():
        assert not step.endswith("/") or "one file per dispatched macro in it" in text, step
        assert any(
            step_covers(step.replace("<engine>", engine), name) and names_engine(name, file_text, engine)
            for engine in ENGINE_NAMES
            for name, file_text in texts.items()
        ), f"step {step}: no file of an existing engine"
    named = {name for name, text in texts.items() if names_engine(name, text, "postgres")}
    assert set(NOT_ENGINE_PLACES) <= named
    unlisted = {
        name
        for name in named - set(NOT_ENGINE_PLACES)
        if not any(step_covers(step.replace("<engine>", "postgres"), name) for step in steps)
    }
    assert unlisted == set()
