"""Say each thing once: the export fields, the export parameters and each raw table's columns
have one home, and everything else derives from it. A second list written by hand fails here.

The export fields' home is the field catalogue: the contract of the mart activity_tracking
(scripts/catalogue.py generates the rest from it). Files may still name a field where they use
it (a filter on it, a test of its values, prose); what they may not do is declare it again: list
it as a column of a model's YAML or select list, or write the list of fields."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import catalogue
import pytest
import yaml

from conftest import PROJECT_DIR, run_dbt
from exporter.project import LMS_SOURCE
from exporter.request import PARAMETERS, export_parameters

FIELDS_HOME = catalogue.HOME
PARAMETERS_HOME = "macros/parameters/export_parameters.sql"
SOURCES_HOME = LMS_SOURCE
# Files allowed to hold a list besides its home, and why.
ALLOWED = {
    catalogue.MACRO: "generated from the field catalogue by scripts/catalogue.py (test_the_generated_files_"
    "are_what_the_catalogue_gives)",
    "tests_py/fixtures/platform_export_page.md": "the platform's own page, copied as it is: the oracle the "
    "tests hold the catalogue to, not a list the project reads",
    "benchmarks/handwritten_export.sql": "the hand-written baseline of the benchmark, which repeats "
    "the rules on purpose (see its header)",
}
# A name counts where it is written as a quoted string, or as a column of a seed or a source in
# YAML (a model's YAML describes that model's own columns, which is not a copy).
QUOTED = re.compile(r"""['"](\w+)['"]""")


def named(path: str, text: str) -> set[str]:
    """The names a file writes: quoted strings, and the columns its YAML gives seeds or sources."""
    names = set(QUOTED.findall(text))
    if path.endswith(".yml"):
        document = yaml.safe_load(text)
        document = document if isinstance(document, dict) else {}
        tables = list(document.get("seeds") or [])
        tables += [table for source in document.get("sources") or [] for table in source.get("tables") or []]
        tables = [table for table in tables if isinstance(table, dict)]
        names |= {column["name"] for table in tables for column in table.get("columns") or []}
    return names


def tracked_texts() -> dict[str, str]:
    listed = subprocess.run(["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    return {
        name: (PROJECT_DIR / name).read_text(encoding="utf-8")
        for name in listed.stdout.splitlines()
        if name.endswith((".py", ".sql", ".yml", ".md")) and (PROJECT_DIR / name).is_file()
    }


def export_field_names() -> list[str]:
    return [field["name"] for field in catalogue.catalogue() if field["render"]]


def raw_tables() -> dict[str, list[str]]:
    sources = yaml.safe_load((PROJECT_DIR / SOURCES_HOME).read_text(encoding="utf-8"))["sources"]
    return {
        table["name"]: [column["name"] for column in table["columns"]]
        for source in sources
        for table in source["tables"]
    }


def copies(names: list[str], home: str, texts: dict[str, str] | None = None) -> list[str]:
    """The files other than `home` (and the allowed ones) naming most of `names`: a list by hand."""
    wanted = set(names)
    found = []
    for path, text in (tracked_texts() if texts is None else texts).items():
        if path == home or path in ALLOWED:
            continue
        written = named(path, text) & wanted
        if len(written) >= 5 and len(written) >= 0.8 * len(wanted):
            found.append(f"{path} ({len(written)} of {len(wanted)})")
    return found


def test_the_export_fields_have_one_home() -> None:
    assert len(export_field_names()) >= 50
    assert copies(export_field_names(), FIELDS_HOME) == []


# Where a field would be declared again: a column of a model's YAML, or an alias of a select list,
# in the files after the mart (the models before it have columns of their own, some of the same
# name as a field: the raw `likes`, `progression`, `score`). Generated blocks are left out.
DECLARES = {".yml": r"(?m)^\s*- name: {name}\s*$", ".sql": r"\bas {name}\b"}
AFTER_THE_MART = ("models/marts/", "models/export/", "macros/", "tests/", "analyses/")
# Declarations that are not copies, and why.
OWN_COLUMNS = {
    ("models/marts/learner_custom_fields.sql", "candidateId"): "the learner a value belongs to: "
    "the table's own key, which the export joins on",
    ("models/marts/daily_time_spent.sql", "reportId"): "the tracking a day's time belongs to, which "
    "the export joins on",
    ("models/marts/daily_time_spent.sql", "timeSpent"): "the seconds of one day, which timeSpent "
    "mode sums in place of the field",
    ("models/marts/training_activities.sql", "activityId"): "the table's own key",
    ("models/marts/training_activities.sql", "trainingId"): "the training the activityType filter keeps",
    ("models/marts/training_activities.sql", "activityType"): "what the activityType filter compares",
}
GENERATED = re.compile(r"(?m)^.*field catalogue:start.*\n(?:.*\n)*?.*field catalogue:end.*\n")


def declarations(names: list[str], texts: dict[str, str]) -> list[tuple[str, str]]:
    """(file, field) for each field a file declares outside the home and the generated text."""
    found = []
    for path, text in texts.items():
        pattern = DECLARES.get(Path(path).suffix)
        if path in (FIELDS_HOME, catalogue.MACRO) or not pattern or not path.startswith(AFTER_THE_MART):
            continue
        text = GENERATED.sub("", text)
        found += [(path, name) for name in names if re.search(pattern.format(name=name), text)]
    return [found_one for found_one in found if found_one not in OWN_COLUMNS]


def test_each_export_field_is_declared_in_its_home_only() -> None:
    assert declarations(export_field_names(), tracked_texts()) == []


def test_a_field_declared_again_is_found() -> None:
    """The check itself: a model's YAML column or a select alias outside the home is reported,
    generated blocks and a use of the field are not."""
    start, end = catalogue.START, catalogue.END
    texts = {
        "models/marts/copy.yml": "      - name: sessionTitle\n",
        "models/export/copy.sql": "select session_title as sessionTitle\n",
        "models/marts/generated.yml": f"# {start}\n      - name: sessionTitle\n# {end}\n",
        "macros/use.sql": "where sessionTitle = 'x'\n",
    }
    assert declarations(["sessionTitle"], texts) == [
        ("models/marts/copy.yml", "sessionTitle"),
        ("models/export/copy.sql", "sessionTitle"),
    ]


def test_the_generated_files_are_what_the_catalogue_gives() -> None:
    stale = [
        path
        for path, text in catalogue.generated().items()
        if (PROJECT_DIR / path).read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run python scripts/catalogue.py"


def test_the_export_parameters_have_one_home() -> None:
    assert copies([parameter["name"] for parameter in export_parameters()], PARAMETERS_HOME) == []


# Tables of fewer than 5 columns are left out: with so few, a list cannot be told from a use.
@pytest.mark.parametrize("table", sorted(name for name, columns in raw_tables().items() if len(columns) >= 5))
def test_each_raw_table_has_one_home(table: str) -> None:
    assert copies(raw_tables()[table], SOURCES_HOME) == []


def test_a_list_written_twice_is_found() -> None:
    """The check itself: a Python tuple or a YAML column list naming the names again is reported,
    the home and a file naming a few of them are not."""
    names = [parameter["name"] for parameter in export_parameters()]
    texts = {
        "copy.py": "NAMES = (\n" + "".join(f'    "{name}",\n' for name in names) + ")\n",
        "copy.yml": "seeds:\n- name: t\n  columns:\n" + "".join(f"  - name: {name}\n" for name in names),
        "use.py": " ".join(f"'{name}'" for name in names[:4]),
        PARAMETERS_HOME: "".join(f"'{name}'" for name in names),
    }
    count = f"{len(names)} of {len(names)}"
    assert copies(names, PARAMETERS_HOME, texts) == [f"copy.py ({count})", f"copy.yml ({count})"]


def test_the_runner_takes_the_parameters_dbt_declares(sample_build: Path, tmp_path: Path) -> None:
    """The runner reads the table from the macro that dbt renders: both see the same names and
    defaults (dbt's own vars besides)."""
    result = run_dbt(["run-operation", "show_vars"], sample_build, tmp_path)
    assert result.returncode == 0, result.stdout
    received = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{")))
    table = {parameter["name"]: parameter["default"] for parameter in export_parameters()}
    assert {name: received[name] for name in table} == table
    assert set(PARAMETERS) < set(table)
