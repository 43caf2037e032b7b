"""The dbt project the runner exports from: its folder, the relations the runner reads, what a
build reads of it, its version and commit, the value of a macro holding a literal table and
the raw tables as the lms source declares them.

Every other module of the runner may import this one; it imports none of them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import jinja2
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
# dbt's parse of the project, kept per code fingerprint and database (build.parse_key) for the
# runner's next builds
PARSES = PROJECT_DIR / "target" / "runner-parses"

# The relations the runner reads from a build: the export, the mart (column types), the custom fields
EXPORT_MODEL = "activity_tracking_export"
EXPORT = f"main.{EXPORT_MODEL}"
MART = "main.activity_tracking"
CUSTOM_FIELDS = "main.learner_custom_fields"
# The raw tables' declaration: the lms source
LMS_SOURCE = "models/staging/lms/_lms__sources.yml"

# What a build reads from the project folder: these files, and the folders dbt_project.yml names
# under these keys (dbt's default when a key is absent; packages-install-path names one folder,
# where `dbt deps` puts the packages' macros and models).
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml", "packages.yml", "dependencies.yml")
PROJECT_PATHS = {
    "model-paths": ["models"],
    "macro-paths": ["macros"],
    "seed-paths": ["seeds"],
    "test-paths": ["tests"],
    "snapshot-paths": ["snapshots"],
    "analysis-paths": ["analyses"],
    "function-paths": ["functions"],
    "docs-paths": [],
    "packages-install-path": "dbt_packages",
}


def literal(value: str) -> str:
    """`value` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def project_parts(project_dir: Path) -> list[str]:
    """The files and folders of `project_dir` that a build reads, as dbt_project.yml declares them."""
    settings = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    folders = []
    for key, default in PROJECT_PATHS.items():
        value = settings.get(key) or default
        folders += [value] if isinstance(value, str) else value
    return [*PROJECT_FILES, *dict.fromkeys(folders)]


def project_version() -> str | None:
    """The project's version: `version` in dbt_project.yml."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return str(project.get("version") or "") or None


def git_commit() -> str | None:
    """HEAD of the project's folder; none without git or outside a checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(PROJECT_DIR), "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


class _Returned(Exception):
    """How dbt's `return()` hands a macro's value back."""


def _return(value: object) -> None:
    raise _Returned(value)


def macro_value(path: str, name: str) -> Any:
    """What the macro `name`, defined in the project file `path`, returns when called without
    arguments, rendered with Jinja as dbt renders it, so that Python reads the one list (the
    export parameters, the export fields, the issue codes) instead of keeping a copy. Only
    literal tables: a macro that calls another dbt macro fails here."""
    environment = jinja2.Environment(extensions=["jinja2.ext.do"], undefined=jinja2.StrictUndefined)
    environment.globals["return"] = _return
    source = (PROJECT_DIR / path).read_text(encoding="utf-8")
    macro = getattr(environment.from_string(source).module, name)
    try:
        macro()
    except _Returned as returned:
        return returned.args[0]
    raise RuntimeError(f"the macro {name} in {path} returned nothing")


def raw_tables() -> list[dict[str, Any]]:
    """The raw tables as the lms source declares them, in its order: each with its `name`, `meta`
    (primary_key…) and `columns` (each with its `name`, `data_type`, `description`)."""
    sources = yaml.safe_load((PROJECT_DIR / LMS_SOURCE).read_text(encoding="utf-8"))["sources"]
    return next(source["tables"] for source in sources if source["name"] == "lms")
