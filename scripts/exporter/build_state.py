"""Build once per extract: the fingerprint of what a build reads, and what the warehouse holds.

A full build reads the project (its models, macros, seeds, tests and settings), the raw
extract and the dbt versions. The runner fingerprints all of it, every byte of every file
(not sizes or modification times), and compares the result with the fingerprint the last
build recorded in the table main.build_state. When they are equal, the warehouse already holds
what a build would make, and the runner builds only the export; otherwise, or with --rebuild,
it builds everything and the build records the new fingerprint. Any run that builds another
model or a seed drops main.build_state first (macro forget_build_state), so a build that
failed half-way, or a `dbt build` of part of the project, is never taken for a whole one.
What a parse reads (code_fingerprint: the fingerprint without the raw folder and its files'
contents, only whether raw files are read and their format) keys the parse of the project the
runner keeps (build.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from exporter.project import PROJECT_DIR, project_parts

if TYPE_CHECKING:
    from exporter.engines import Engine

# The schema the sample seeds are loaded into, the lms source's default (var lms_schema in
# models/staging/lms/_lms__sources.yml; tests_py/test_sources.py holds the two equal).
SAMPLE_SCHEMA = "lms_sample"

# The packages whose version can change what a build makes.
PACKAGES = (
    "dbt-core",
    "dbt-adapters",
    "dbt-common",
    "dbt-duckdb",
    "dbt-spark",
    "dbt-postgres",
    "duckdb",
    "mashumaro",
)


@dataclass(frozen=True)
class BuildState:
    """The row of main.build_state: what the warehouse was built from, and when."""

    fingerprint: str
    code_version: str
    raw_path: str
    lms_schema: str
    built_at: str

    def describe(self) -> dict[str, str]:
        return {
            "buildFingerprint": self.fingerprint,
            "codeVersion": self.code_version,
            "rawPath": self.raw_path,
            "lmsSchema": self.lms_schema,
            "builtAt": self.built_at,
        }

    @property
    def extract(self) -> str:
        return extract_read(self.raw_path, self.lms_schema)


def build_summary(whole: bool, state: BuildState | None) -> str:
    """What the export was made from: a build of everything, or the warehouse as it was."""
    if state is None:
        return "Built every model (the build records no state: see main.build_state)."
    source = state.extract
    if whole:
        return f"Built every model from {source} (build {state.fingerprint[:12]})."
    return (
        f"Reused the warehouse built at {state.built_at} from {source} "
        f"(build {state.fingerprint[:12]}: project and raw extract unchanged; --rebuild builds everything)."
    )


def extract_read(raw_path: str, lms_schema: str) -> str:
    """Where a build read the raw extract, in words (build_state's raw_path and lms_schema)."""
    if raw_path:
        return raw_path
    return "the sample seeds" if lms_schema in ("", SAMPLE_SCHEMA) else f"the tables of schema {lms_schema}"


def code_fingerprint(
    target: str, raw_path: str | None, raw_format: str | None, lms_schema: str | None = None
) -> str:
    """SHA-256 of what a parse of the project reads: the project's files, the target, whether a
    raw folder is read (the sample seeds are models' parents otherwise) and in which format,
    the schema of the lms source's tables, and the package versions; not which folder, nor its
    files (a parse does not read them)."""
    digest = hashlib.sha256()
    settings = {
        "target": target,
        "rawFiles": raw_path is not None,
        "rawFormat": raw_format,
        "lmsSchema": lms_schema,
        "versions": {package: _version(package) for package in PACKAGES},
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    _digest_files(digest, "project", [PROJECT_DIR / part for part in project_parts(PROJECT_DIR)])
    return digest.hexdigest()


def build_fingerprint(code: str, raw_path: str | None) -> str:
    """SHA-256 of what a build reads: what its parse reads (`code`, a code_fingerprint), the raw
    folder and every file in it (names and contents, so a new, removed or changed file counts)."""
    digest = hashlib.sha256(code.encode())
    digest.update(json.dumps({"rawPath": raw_path}).encode())
    _digest_files(digest, "raw", [Path(raw_path)] if raw_path else [])
    return digest.hexdigest()


def _digest_files(digest: Any, label: str, roots: list[Path]) -> None:
    """Add to `digest` each file's path under `roots` (from its root's parent) and its SHA-256."""
    for root in roots:
        for path in _files(root):
            digest.update(f"\0{label}:{path.relative_to(root.parent).as_posix()}\0".encode())
            with path.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())


def _files(root: Path) -> list[Path]:
    """Every file under `root`, through symbolic links to folders too (`dbt deps` installs a local
    package as one)."""
    if not root.exists():
        return []
    if root.is_file():
        return [root]
    found = []
    for folder, _, names in os.walk(root, followlinks=True):
        found += [Path(folder) / name for name in names if (Path(folder) / name).is_file()]
    return sorted(found)


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def recorded_state(engine: Engine) -> BuildState | None:
    """What the warehouse was built from, as its last whole build recorded it; none when there
    is no warehouse yet, or it was changed since by a build that did not finish."""
    if engine.location is not None and not engine.location.exists():
        return None
    with engine.connect(("main.build_state",)) as connection:
        try:
            rows = connection.execute(
                "select build_fingerprint, code_version, raw_path, lms_schema, "
                "strftime(built_at, '%Y-%m-%dT%H:%M:%SZ') from main.build_state"
            ).fetchall()
        except duckdb.CatalogException:
            return None
    return BuildState(*rows[0]) if len(rows) == 1 else None
