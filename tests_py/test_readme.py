"""The README is executed: every shell command of its `sh` code blocks runs, as a reader would
copy it, in order, on a fresh copy of the repository. A command a user copies must work."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_DIR

README = PROJECT_DIR / "README.md"
# Commands not run here, and why.
NOT_RUN = {"make test": "it runs this test"}
# What a reader puts in place of a placeholder, and what this test puts there.
SUBSTITUTIONS = {
    "/data/extract": "build/readme-extract",  # "your extract's folder": a generated extract
    "--trackings 10000000": "--trackings 3000",  # a large extract: a small one here
    "python benchmarks/benchmark.py": "python benchmarks/benchmark.py --sizes 3000",  # 1 M and 10 M: 3 000
}
# Commands that must fail, with the message they give.
FAILING = {"dbt build --vars '{strict: true}'": "FAIL 67 data_quality_issues_is_empty"}


def commands() -> list[str]:
    """Every command of the README's `sh` blocks, in order (continuation lines joined)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        text = re.sub(r"\\\n\s*", " ", block)
        found += [
            line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")
        ]
    return found


def without_comment(command: str) -> str:
    return re.sub(r"\s+#.*$", "", command)


def fresh_copy(directory: Path) -> Path:
    """The committed files, as a clone holds them, sharing this checkout's installed tools."""
    listed = subprocess.run(["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    for name in listed.stdout.splitlines():
        source = PROJECT_DIR / name
        if source.is_file():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, directory / name)
    (directory / ".venv").symlink_to(PROJECT_DIR / ".venv")
    return directory


def test_the_readme_lists_the_commands_this_test_knows() -> None:
    listed = [without_comment(command) for command in commands()]
    for command in (*NOT_RUN, *FAILING):
        assert command in listed, f"{command!r} is no longer in the README: update this test"
    for placeholder in SUBSTITUTIONS:
        assert any(placeholder in command for command in listed), placeholder


@pytest.mark.xdist_group("spark")
def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    copy = fresh_copy(tmp_path / "repository")
    # the XML configuration the README shows is the export.xml its commands read
    example = re.search(r"```xml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert example is not None
    (copy / "export.xml").write_text(re.sub(r"(?m)^  ", "", example.group(1)), encoding="utf-8")
    generator = [
        sys.executable,
        "scripts/generate_data.py",
        "--out",
        "build/readme-extract",
        "--trackings",
        "3000",
    ]
    subprocess.run(generator, cwd=copy, check=True, capture_output=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ACTIVITY_TRACKING_", "VIRTUAL_ENV"))
    }
    environment["PATH"] = f"{copy / '.venv' / 'bin'}{os.pathsep}{environment['PATH']}"
    ran = 0
    for command in commands():
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
        if without_comment(command) in FAILING:
            assert result.returncode != 0, command
            assert FAILING[without_comment(command)] in output, command
        else:
            assert result.returncode == 0, f"{command}\n{output[-3000:]}"
        ran += 1
    assert ran == len(commands()) - len(NOT_RUN)
