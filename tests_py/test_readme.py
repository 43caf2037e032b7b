"""The documents are executed: every shell command of the `sh` code blocks of the README, then
of each guide in docs/ (in the order of DOCUMENTS), runs as a reader would copy it, in order,
on one fresh copy of the repository. A command a user copies must work."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import (
    PROJECT_DIR,
    copy_tracked_files,
    load_tables,
    planted_issue_counts,
    run_dbt,
    run_export,
    write_raw_files,
)

# In the order a reader follows them: the README (which runs `make build`), then the guides,
# each of which starts from there.
DOCUMENTS = [
    PROJECT_DIR / "README.md",
    PROJECT_DIR / "docs" / "using.md",
    PROJECT_DIR / "docs" / "operating.md",
    PROJECT_DIR / "docs" / "developing.md",
]
# Commands not run here, and why.
NOT_RUN = {
    "make test": "it runs this test",
    "make lint": "make test runs it",
    "dbt test --select test_type:unit": "the dbt build before it runs them",
    "pytest tests_py/test_engine_settings.py": "make test runs it",
}
# What a reader puts in place of a placeholder, and what this test puts there.
SUBSTITUTIONS = {
    "/data/extract": "build/readme-extract",  # "your extract's folder": a generated extract
    "--trackings 10000000": "--trackings 3000",  # a large extract: a small one here
    "python benchmarks/benchmark.py": "python benchmarks/benchmark.py --sizes 3000",  # 1 M and 10 M: 3 000
}
# Commands that must fail, with the message they give (the strict build: one failure per
# anomaly planted in the sample).
PLANTED = planted_issue_counts().total()
FAILING = {
    "dbt build --vars '{strict: true}'": f"FAIL {PLANTED} data_quality_issues_is_empty",
    # the sample's rows are from 2020: past both thresholds
    "dbt source freshness --vars '{lms_freshness_warn_after_hours: 26, "
    "lms_freshness_error_after_hours: 50}'": "ERROR STALE freshness of lms.trackings",
}
# The schema the guides' commands read "your tables" from (docs/using.md): this test loads the
# sample's tables there first, as an EL tool would.
TABLES_SCHEMA = "lms_raw"
# The three places the raw tables are read from, as the vars every dbt command gets
# (test_every_dbt_command_works_on_a_new_database); "files" names the extract's folder.
MODES = {"sample": {}, "files": {"raw_path": "/data/extract"}, "tables": {"lms_schema": TABLES_SCHEMA}}


def name(document: Path) -> str:
    return document.relative_to(PROJECT_DIR).as_posix()


def commands(document: Path) -> list[str]:
    """Every command of a document's `sh` blocks, in order (continuation lines joined)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", document.read_text(encoding="utf-8"), re.S):
        text = re.sub(r"\\\n\s*", " ", block)
        found += [
            line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")
        ]
    return found


def without_comment(command: str) -> str:
    return re.sub(r"\s+#.*$", "", command)


def fresh_copy(directory: Path) -> Path:
    """The committed files, as a clone holds them, sharing the installed tools of the
    virtualenv running this test."""
    copy_tracked_files(directory)
    venv = Path(sys.prefix)
    (directory / ".venv").symlink_to(venv)
    # `make install` reinstalls when requirements.txt is newer than the venv's marker: in a
    # fresh checkout it may be, and the shared venv must not be rebuilt from a temporary copy
    installed = venv / ".installed"
    if installed.exists():
        stamp = installed.stat().st_mtime_ns - 1_000_000_000
        os.utime(directory / "requirements.txt", ns=(stamp, stamp))
    return directory


def test_every_guide_is_executed() -> None:
    guides = sorted((PROJECT_DIR / "docs").glob("*.md"))
    assert guides, "docs/ holds no guide"
    assert set(guides) <= set(DOCUMENTS), "a guide in docs/ is not in DOCUMENTS: add it"
    assert all(document.exists() for document in DOCUMENTS)


def test_the_documents_list_the_commands_this_test_knows() -> None:
    listed = [without_comment(command) for document in DOCUMENTS for command in commands(document)]
    for command in (*NOT_RUN, *FAILING):
        assert command in listed, f"{command!r} is no longer in the documents: update this test"
    for placeholder in SUBSTITUTIONS:
        assert any(placeholder in command for command in listed), placeholder
    # the README starts with the two commands everything else starts from
    assert [without_comment(command) for command in commands(DOCUMENTS[0])[:2]] == ["make build", "make test"]


def run_commands(document: Path, copy: Path, environment: dict[str, str]) -> None:
    """Run a document's commands in order in `copy`, each as `bash -c`."""
    for command in commands(document):
        if without_comment(command) in NOT_RUN:
            continue
        runnable = command
        for placeholder, value in SUBSTITUTIONS.items():
            runnable = runnable.replace(placeholder, value)
        result = subprocess.run(
            ["bash", "-c", f"set -euo pipefail; {runnable}"],
            cwd=copy,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        output = result.stdout + result.stderr
        where = f"{name(document)}: {command}"
        if without_comment(command) in FAILING:
            assert result.returncode != 0, where
            assert FAILING[without_comment(command)] in output, where
        else:
            assert result.returncode == 0, f"{where}\n{output[-3000:]}"


def test_the_readme_s_sample_output_is_what_its_command_writes(
    default_export: tuple[Path, Path], tmp_path: Path
) -> None:
    """The README's sample output is the first lines of the file its command writes on the
    sample, and its first row is the platform page's example (Laurie did "Welcome to our
    team!" in "Session 01" of "First steps", started on 2020-02-20, and earned 30 points)."""
    text = DOCUMENTS[0].read_text(encoding="utf-8")
    shown = re.search(r"\nhead -(\d+) (\S+)\n```\n\n```text\n(.*?)```", text, re.S)
    assert shown, "the README shows no sample output after a `head` of the file written"
    count, written, expected = int(shown[1]), shown[2], shown[3]
    command = next(command for command in commands(DOCUMENTS[0]) if f"--output {written}" in command)
    arguments = shlex.split(command)[2:]
    output = tmp_path / "first.csv"
    arguments[arguments.index("--output") + 1] = str(output)
    database = tmp_path / "export.duckdb"
    shutil.copy(default_export[0], database)
    result = run_export(arguments, database, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = output.read_text(encoding="utf-8").splitlines(keepends=True)[:count]
    assert "".join(lines) == expected
    example = dict(zip(lines[0].rstrip("\n").split(";"), lines[1].rstrip("\n").split(";"), strict=True))
    page = {
        "candidateFirstname": "Laurie",
        "activityName": "Welcome to our team!",
        "sessionTitle": "Session 01",
        "trainingTitle": "First steps",
        "pointsGained": "30",
    }
    assert page.items() <= example.items()
    assert example["activityFirstAccessDate"].startswith("2020-02-20")


# One test, not one per document: each guide starts where the README left the copy, and
# xdist does not keep the tests of a group on one worker here.
@pytest.mark.xdist_group("spark")
def test_every_command_runs_as_written(tmp_path: Path) -> None:
    copy = fresh_copy(tmp_path / "repository")
    generator = [
        sys.executable,
        "scripts/generate_data.py",
        "--out",
        "build/readme-extract",
        "--trackings",
        "3000",
    ]
    subprocess.run(generator, cwd=copy, check=True, capture_output=True)
    # "your tables": the generated extract, loaded as an EL tool would into the database the
    # guides' commands use
    (copy / "build").mkdir(exist_ok=True)
    load_tables(copy / "build" / "readme-extract", copy / "build" / "activity_tracking.duckdb", TABLES_SCHEMA)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ACTIVITY_TRACKING_", "VIRTUAL_ENV", "PYTEST_"))
    }
    environment["PATH"] = f"{copy / '.venv' / 'bin'}{os.pathsep}{environment['PATH']}"
    for document in DOCUMENTS:
        assert commands(document), f"{name(document)} has no sh command"
        run_commands(document, copy, environment)


def dbt_blocks() -> list[tuple[str, list[str]]]:
    """Each `sh` block of the documents that holds dbt commands (but those of another engine,
    which make test runs on its own): its name and its dbt commands, in order."""
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"```sh\n(.*?)```", text, re.S)):
            lines = [without_comment(line.strip()) for line in re.sub(r"\\\n\s*", " ", block).splitlines()]
            dbt = [line for line in lines if line.startswith("dbt ") and "--target" not in line]
            if dbt:
                found.append((f"{name(document)}#{number}", dbt))
    return found


def with_vars(command: str, mode_vars: dict) -> tuple[list[str], dict]:
    """The command's arguments without its --vars, and its vars over the mode's."""
    arguments = shlex.split(command)[1:]
    given: dict = {}
    if "--vars" in arguments:
        at = arguments.index("--vars")
        given = yaml.safe_load(arguments[at + 1])
        del arguments[at : at + 2]
    return arguments, {**mode_vars, **given}


@pytest.fixture(scope="module")
def sample_extract(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's raw tables as Parquet files: the same data in every mode."""
    directory = tmp_path_factory.mktemp("guides") / "extract"
    write_raw_files(sample_build, directory, "parquet")
    return directory


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize(("block", "dbt_commands"), dbt_blocks(), ids=[block for block, _ in dbt_blocks()])
def test_every_dbt_command_works_on_a_new_database(
    block: str, dbt_commands: list[str], mode: str, sample_extract: Path, tmp_path: Path
) -> None:
    """Each block of dbt commands, as written, on a new database (holding only "your tables")
    with the raw tables read from each of the three places."""
    database = tmp_path / "new.duckdb"
    load_tables(sample_extract, database, TABLES_SCHEMA)
    folder = str(sample_extract)
    mode_vars = {key: value.replace("/data/extract", folder) for key, value in MODES[mode].items()}
    for command in dbt_commands:
        arguments, dbt_vars = with_vars(command.replace("/data/extract", folder), mode_vars)
        result = run_dbt(arguments, database, tmp_path, dbt_vars)
        if command in FAILING:
            assert result.returncode != 0, command
            assert FAILING[command] in result.stdout, f"{command}\n{result.stdout[-3000:]}"
        else:
            assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}"
