"""Build once, export many: the runner builds the models again only when the project or the raw
extract changed since the warehouse's last whole build (main.build_state), and an export of
the warehouse as it is gives the same bytes as one that builds everything."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PROJECT_DIR, query, run_dbt, run_export, write_raw_files
from exporter import build, build_state, cli
from exporter.build import parse_key
from exporter.build_state import build_fingerprint, code_fingerprint
from exporter.project import PARSES, macro_value, project_parts

OTHER_PARAMETERS = ["--reportStatus", "completed", "--timezone", "Europe/Paris", "--format", "tsv"]


def export(arguments: list[str], database: Path, work_dir: Path, output: str) -> dict:
    """Run the runner; return the manifest of the file it wrote."""
    result = run_export([*arguments, "--asOf", "2021-01-01", "--output", output], database, work_dir)
    assert result.returncode == 0, result.stderr
    return json.loads((work_dir / f"{output}.manifest.json").read_text(encoding="utf-8"))


def models_built(manifest: dict) -> set[str]:
    """The models (and seeds) the runner's build ran, from the manifest's timings."""
    nodes = manifest["timings"]["nodeSeconds"]
    return {name for name in nodes if "on-run" not in name and name != "data tests"}


def kept_parse(database: Path, raw: Path | None = None, raw_format: str | None = None) -> Path:
    """Where the runner keeps its parse of the project for DuckDB exports into `database`."""
    code = code_fingerprint("duckdb", str(raw.resolve()) if raw else None, raw_format)
    return PARSES / f"{parse_key(code, database.resolve(), strict=False)}.msgpack"


def same_size_and_time_edit(path: Path, old: bytes, new: bytes) -> None:
    """Replace `old` by `new` (as long) in `path`, keeping its size and modification time."""
    assert len(old) == len(new)
    status = path.stat()
    content = path.read_bytes()
    assert content.count(old) == 1
    path.write_bytes(content.replace(old, new))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)


def test_the_models_are_built_once_per_extract(sample_build: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_raw_files(sample_build, raw, "csv")
    extract = ["--raw-path", str(raw), "--raw-format", "csv"]
    database = tmp_path / "warehouse.duckdb"

    first = export(extract, database, tmp_path, "first.csv")
    assert first["build"]["rebuilt"] is True
    assert first["build"]["parseReused"] is False  # a new database: no parse kept for it yet
    assert "activity_tracking" in models_built(first)
    assert first["build"]["rawPath"] == str(raw.resolve())

    # the same extract, other parameters: only the export is built
    second = export([*extract, *OTHER_PARAMETERS], database, tmp_path, "second.tsv")
    assert second["build"]["rebuilt"] is False
    assert second["build"]["parseReused"] is True  # the first export's parse
    assert models_built(second) == {"activity_tracking_export"}
    assert second["build"]["buildFingerprint"] == first["build"]["buildFingerprint"]
    assert second["build"]["builtAt"] == first["build"]["builtAt"]
    # building the export alone kept the state: the next export reuses it too, with the first's bytes
    third = export(extract, database, tmp_path, "third.csv")
    assert third["build"]["rebuilt"] is False
    assert (tmp_path / "third.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()

    # the same bytes as an export that builds everything, on the kept parse and on a parse of its own
    for kept in (True, False):
        fresh = tmp_path / f"fresh-{kept}"
        fresh.mkdir()
        if not kept:
            kept_parse(database, raw=raw, raw_format="csv").unlink()
        rebuilt = export([*extract, *OTHER_PARAMETERS, "--rebuild"], database, fresh, "second.tsv")
        assert rebuilt["build"]["rebuilt"] is True
        assert rebuilt["build"]["parseReused"] is kept
        assert (fresh / "second.tsv").read_bytes() == (tmp_path / "second.tsv").read_bytes()

    # one byte of a raw file changed, its size and modification time kept: built again
    same_size_and_time_edit(raw / "learners.csv", b"Laurie", b"Lauria")
    changed = export(extract, database, tmp_path, "changed.csv")
    assert changed["build"]["rebuilt"] is True
    assert changed["build"]["parseReused"] is True  # the same code: the parse kept by the last build
    assert changed["build"]["buildFingerprint"] != first["build"]["buildFingerprint"]
    assert b"Lauria" in (tmp_path / "changed.csv").read_bytes()
    assert b"Lauria" not in (tmp_path / "first.csv").read_bytes()

    # the same files in a new folder: built again, on the kept parse, with the same bytes
    moved = tmp_path / "moved"
    shutil.copytree(raw, moved)
    again = export(["--raw-path", str(moved), "--raw-format", "csv"], database, tmp_path, "moved.csv")
    assert again["build"]["rebuilt"] is True and again["build"]["parseReused"] is True
    assert again["build"]["rawPath"] == str(moved.resolve())
    assert (tmp_path / "moved.csv").read_bytes() == (tmp_path / "changed.csv").read_bytes()


def test_a_build_of_part_of_the_project_forgets_the_state(sample_build: Path, tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    assert export([], database, tmp_path, "first.csv")["build"]["rebuilt"] is True
    assert export([], database, tmp_path, "second.csv")["build"]["rebuilt"] is False

    # dbt itself, building one staging model: the warehouse is no longer what build_state says
    result = run_dbt(["build", "--select", "stg_lms__trackings"], database, tmp_path)
    assert result.returncode == 0, result.stdout
    tables = "select table_name from information_schema.tables where table_schema = 'main'"
    assert ("build_state",) not in query(database, tables)
    assert export([], database, tmp_path, "third.csv")["build"]["rebuilt"] is True


def test_strict_mode_is_checked_on_a_reused_warehouse(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    export([], database, tmp_path, "first.csv")
    result = run_export(["--strict", "--output", "strict.csv"], database, tmp_path)
    assert result.returncode == 3
    assert result.stderr.splitlines()[-1].startswith("error: Strict mode: data_quality_issues has ")
    assert not (tmp_path / "strict.csv").exists()


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What a build reads from the project, copied; the fingerprint reads the copy."""
    copy = tmp_path / "project"
    for part in project_parts(PROJECT_DIR):
        source = PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, copy / part)
        elif source.is_file():
            copy.mkdir(exist_ok=True)
            shutil.copy2(source, copy / part)
    monkeypatch.setattr(build_state, "PROJECT_DIR", copy)
    return copy


def test_the_fingerprint_sees_every_change(project_copy: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "learners.csv").write_text("learner_id,first_name\n1,Laurie\n", encoding="utf-8")

    def fingerprints(target: str = "duckdb", raw_format: str = "csv") -> tuple[str, str]:
        code = code_fingerprint(target, str(raw), raw_format)
        return code, build_fingerprint(code, str(raw))

    seen = [fingerprints()]

    def changed(code: bool = True) -> bool:
        """Whether the build fingerprint is a new one; the code fingerprint (which keys the kept
        parse) is a new one exactly when `code` (a change to the project, not to the extract)."""
        seen.append(fingerprints())
        codes, builds = zip(*seen, strict=True)
        assert (codes[-1] not in codes[:-1]) is code
        return builds[-1] not in builds[:-1]

    assert not changed(code=False)  # the same inputs, the same fingerprint
    same_size_and_time_edit(raw / "learners.csv", b"Laurie", b"Lauria")
    assert changed(code=False)
    (raw / "notes.txt").write_text("a new file", encoding="utf-8")
    assert changed(code=False)
    (raw / "notes.txt").unlink()
    assert not changed(code=False)  # back to the extract of the previous fingerprint
    same_size_and_time_edit(project_copy / "macros" / "cleaning" / "clean_text.sql", b"trim(", b"TRIM(")
    assert changed()
    mart = project_copy / "models" / "marts" / "activity_tracking.sql"
    same_size_and_time_edit(mart, b"\nwith\n", b"\nWITH\n")
    assert changed()
    (project_copy / "seeds" / "lms" / "learners.csv").unlink()
    assert changed()
    # a folder dbt_project.yml adds to a path key is read as the others
    settings = project_copy / "dbt_project.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace('macro-paths: ["macros"]', 'macro-paths: ["macros", "more"]')
    settings.write_text(text, encoding="utf-8")
    assert changed()
    (project_copy / "more").mkdir()
    (project_copy / "more" / "extra.sql").write_text("{% macro extra() %}1{% endmacro %}\n", encoding="utf-8")
    assert changed()
    same_size_and_time_edit(project_copy / "more" / "extra.sql", b"1", b"2")
    assert changed()
    # packages: what `dbt deps` installed (dbt's default folder), and their declaration
    installed = project_copy / "dbt_packages" / "a_package" / "macros"
    installed.mkdir(parents=True)
    (installed / "helper.sql").write_text("{% macro helper() %}1{% endmacro %}\n", encoding="utf-8")
    assert changed()
    (project_copy / "dependencies.yml").write_text("packages: []\n", encoding="utf-8")
    assert changed()
    # a local package, which `dbt deps` installs as a symbolic link to its folder
    local = tmp_path / "local_package"
    (local / "macros").mkdir(parents=True)
    (local / "macros" / "local.sql").write_text("{% macro local() %}1{% endmacro %}\n", encoding="utf-8")
    (project_copy / "dbt_packages" / "local_package").symlink_to(local, target_is_directory=True)
    assert changed()
    same_size_and_time_edit(local / "macros" / "local.sql", b"1", b"2")
    assert changed()
    # analyses, read by dbt's parse (dbt's default folder)
    (project_copy / "analyses").mkdir(exist_ok=True)
    (project_copy / "analyses" / "look.sql").write_text("select 1\n", encoding="utf-8")
    assert changed()
    for other in (fingerprints("spark", "csv"), fingerprints("duckdb", "parquet")):
        assert other[0] != seen[-1][0] and other[1] != seen[-1][1]
    # the sample seeds or raw files: another parse (the seeds are models' parents); another folder
    # of the same files: the same parse, another build
    assert code_fingerprint("duckdb", None, "csv") != seen[-1][0]
    other_folder = tmp_path / "other"
    shutil.copytree(raw, other_folder)
    assert code_fingerprint("duckdb", str(other_folder), "csv") == seen[-1][0]
    assert build_fingerprint(seen[-1][0], str(other_folder)) != seen[-1][1]


def test_the_parse_does_not_read_the_export_parameters(tmp_path: Path) -> None:
    """A kept parse serves exports of any parameters and run: the project's parse with every
    parameter set (each one's documented example; delta mode, which refuses time frames, apart)
    and a run id is the parse without any: the whole manifest (nodes, sources, macros, unit
    tests, disabled nodes, the graph…) but its metadata (invocation id, time) and the times
    each resource was parsed at; nor does the raw folder. (Strict mode, which sets a test's
    severity when the project is parsed, is part of the parse key.)"""
    full: dict = {"exportRunId": "a-run", "buildFingerprint": "a-build"}
    delta: dict = {"exportRunId": "a-run"}
    for parameter in macro_value("macros/parameters/export_parameters.sql", "export_parameters"):
        example = yaml.safe_load(parameter["example"]) or {}
        (delta if "deltaMode" in example else full).update(example)
    assert len(full) + len(delta) > 20

    def without_parse_times(value: Any) -> Any:
        if isinstance(value, dict):
            # a resource's parse time, not a column's entry that happens to be named created_at
            resource = "unique_id" in value
            return {
                key: without_parse_times(item)
                for key, item in value.items()
                if not (resource and key == "created_at")
            }
        if isinstance(value, list):
            return [without_parse_times(item) for item in value]
        return value

    def parsed(name: str, dbt_vars: dict | None) -> dict:
        result = run_dbt(["parse"], tmp_path / "unused.duckdb", tmp_path / name, dbt_vars)
        assert result.returncode == 0, result.stdout
        manifest = json.loads((tmp_path / name / "target" / "manifest.json").read_text())
        assert len(manifest["nodes"]) > 100
        return without_parse_times({key: value for key, value in manifest.items() if key != "metadata"})

    without = parsed("without", None)
    assert parsed("full", full) == without
    assert parsed("delta", delta) == without
    # nor which folder the raw files are read from (whether they are, and their format, are part
    # of the code fingerprint, which keys the kept parse)
    in_one_folder = parsed("folder-a", {"raw_path": str(tmp_path / "a"), "raw_format": "csv"})
    assert parsed("folder-b", {"raw_path": str(tmp_path / "b"), "raw_format": "csv"}) == in_one_folder


def test_a_kept_parse_checks_the_parameters_before_building(
    sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "warehouse.duckdb"
    first = export([], database, tmp_path, "first.csv")
    parse_file = kept_parse(database)
    assert parse_file.is_file()

    # the runner in this process, to see whether each run found a kept parse
    found: list[bool] = []
    original = build._kept_parse

    def spy(key: str) -> Any:
        kept = original(key)
        found.append(kept is not None)
        return kept

    monkeypatch.setattr(build, "_kept_parse", spy)
    monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(database))

    def bad_parameter(*arguments: str) -> str:
        output = tmp_path / "bad.csv"
        assert cli.main(["--reportStatus", "bogus", *arguments, "--output", str(output)]) == 2
        assert not output.exists()
        return capsys.readouterr().err

    # an export of the export model alone, then a whole build, on the kept parse
    on_kept_parse = bad_parameter()
    # the same one error line (the export alone shows its one node's progress before it)
    assert bad_parameter("--rebuild").splitlines()[-1] == on_kept_parse.splitlines()[-1]
    assert [line for line in on_kept_parse.splitlines() if line.startswith("error:")] == [
        on_kept_parse.splitlines()[-1]
    ]
    assert found == [True, True]
    # its progress says the node failed
    progress = on_kept_parse.splitlines()[-2]
    assert re.fullmatch(r"Building the dbt project: (\d+) of \1 nodes done, 1 failed\.", progress)
    # as a command, a whole build on the kept parse: the one message and nothing else (dbt's
    # compile, failing, must not leave threads that Python complains about at exit)
    result = run_export(["--reportStatus", "bogus", "--rebuild", "--output", "bad.csv"], database, tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == on_kept_parse.splitlines()[-1]
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    parse_file.unlink()
    # the same one error line as on a parse of its own, which stops before any node is run
    on_own_parse = bad_parameter("--rebuild")
    assert on_own_parse.splitlines() == ["Building the dbt project...", on_kept_parse.splitlines()[-1]]
    assert found == [True, True, False]
    assert "Invalid value 'bogus' for parameter reportStatus" in on_kept_parse
    monkeypatch.undo()
    # nothing was built or dropped: the next export still reuses the warehouse the first built
    again = export([], database, tmp_path, "again.csv")
    assert again["build"]["rebuilt"] is False
    assert again["build"]["builtAt"] == first["build"]["builtAt"]
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()


def test_a_code_change_is_never_served_from_a_kept_parse(tmp_path: Path) -> None:
    """In a copy of the project: a byte of a model changed (size and modification time kept)
    after an export kept its parse; the next export parses again and writes the change."""
    copy = tmp_path / "project"
    for part in [*project_parts(PROJECT_DIR), "scripts"]:
        source = PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            copy.mkdir(exist_ok=True)
            shutil.copy2(source, copy / part)

    def export_from_copy(output: str) -> dict:
        environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(tmp_path / "warehouse.duckdb")}
        command = [sys.executable, str(copy / "scripts" / "export.py"), "--asOf", "2021-01-01"]
        result = subprocess.run(
            [*command, "--output", output], cwd=tmp_path, env=environment, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return json.loads((tmp_path / f"{output}.manifest.json").read_text(encoding="utf-8"))

    export_from_copy("first.csv")
    assert export_from_copy("second.csv")["build"]["parseReused"] is True
    # the default decimal separator is no longer '.': decimals are written with a comma
    separator = copy / "macros" / "rendering" / "decimal_separator.sql"
    same_size_and_time_edit(separator, b"'point': '.'", b"'point': '_'")
    changed = export_from_copy("changed.csv")
    assert changed["build"]["rebuilt"] is True and changed["build"]["parseReused"] is False
    assert b";100,00;" in (tmp_path / "changed.csv").read_bytes()
    assert b";100.00;" in (tmp_path / "second.csv").read_bytes()
