"""The incremental mart equals a full rebuild after every round of raw changes.

The mart `activity_tracking` is incremental: a run rebuilds only the rows whose source rows
changed (sourceFingerprint) and deletes the rows whose tracking left its scope. Each round
below changes the raw files the way a real extract does — updates in place without a newer
updated_at, new versions, late rows with an old updated_at, deletions, and changes to every
dimension a mart row shows (training, session, activity, chapter, learning object version,
learner, entity tree, custom field values, registration) — then builds the mart
incrementally on one database and from scratch on another, and compares every column.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, RAW_TABLES, query, run_dbt

TRACKINGS = 3_000
ROUNDS = 3
# the mart and everything upstream (seeds included), without tests
BUILD = ["build", "--select", "+activity_tracking"]
BUILD += ["--exclude", "resource_type:test", "resource_type:unit_test"]

# Raw changes of round {r}; `pick(key, n)` is true for about 1 row in n, a different set each round.
CHANGES = [
    # trackings: changed in place (same updated_at), new versions, late rows, deletions
    "update trackings set progression = (tracking_id * 7 + {r}) % 120 where {pick_tracking_50}",
    "insert into trackings select * replace (updated_at + interval 400 day as updated_at, "
    "coalesce(score, 0) + 1 as score) from trackings where {pick_tracking_40}",
    "insert into trackings select * replace (tracking_id + 10000000 * {r} as tracking_id, "
    "timestamp '2015-01-01' as updated_at) from trackings where {pick_tracking_100}",
    "delete from trackings where {pick_tracking_90}",
    # dimensions, changed in place (same updated_at) or deleted
    "update trainings set title = title || ' (round {r})' where {pick_training_5}",
    "update sessions set title = title || ' (round {r})' where {pick_session_20}",
    "update activities set title = title || ' (round {r})' where {pick_activity_20}",
    "update activities set activity_type = 'quiz' where {pick_activity_30}",
    "update training_chapters set title = title || ' (round {r})' where {pick_chapter_10}",
    "update learning_object_versions set title = title || ' (round {r})' where {pick_version_10}",
    "update learners set last_name = last_name || ' {r}' where {pick_learner_20}",
    "update learners set entity_id = (entity_id * 3 + {r}) % 50 + 1 where {pick_learner_15}",
    "update entities set entity_name = entity_name || ' {r}' where {pick_entity_5}",
    "update entities set parent_entity_id = (entity_id + {r}) % 7 + 1 "
    "where parent_entity_id is not null and {pick_entity_8}",
    "update learner_custom_field_values set value = coalesce(value, '') || '{r}' where {pick_value_10}",
    "delete from learner_custom_field_values where {pick_value_25}",
    "delete from registrations where {pick_registration_60}",
]
KEYS = {
    "tracking": "tracking_id",
    "training": "training_id",
    "session": "session_id",
    "activity": "activity_id",
    "chapter": "chapter_id",
    "version": "learning_object_version_id",
    "learner": "learner_id",
    "entity": "entity_id",
    "value": "hash(learner_id, custom_field_guid)",
    "registration": "registration_id",
}


def round_statements(round_number: int) -> list[str]:
    picks = {
        f"pick_{name}_{n}": f"hash({key}, {round_number}, {n}) % {n} = 0"
        for name, key in KEYS.items()
        for n in (5, 8, 10, 15, 20, 25, 30, 40, 50, 60, 90, 100)
    }
    return [change.format(r=round_number, **picks) for change in CHANGES]


def change_raw_files(raw: Path, round_number: int) -> None:
    with duckdb.connect() as connection:
        for table in RAW_TABLES:
            connection.execute(f"create table {table} as from read_parquet('{raw / table}.parquet')")
        for statement in round_statements(round_number):
            connection.execute(statement)
        for table in RAW_TABLES:
            connection.execute(f"copy {table} to '{raw / table}.parquet' (format parquet)")


def build(database: Path, raw: Path, work_dir: Path, *options: str) -> None:
    result = run_dbt([*BUILD, *options], database, work_dir, {"raw_path": str(raw)})
    assert result.returncode == 0, result.stdout


def differences(incremental: Path, rebuilt: Path) -> int:
    """Rows in one mart and not in the other, every column compared."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{incremental}' as incremental (read_only)")
        connection.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        mart = "main.activity_tracking"
        [(count,)] = connection.execute(
            f"select count(*) from ("
            f"(from incremental.{mart} except all from rebuilt.{mart}) union all "
            f"(from rebuilt.{mart} except all from incremental.{mart}))"
        ).fetchall()
        return count


def fingerprints(database: Path) -> dict[int, str]:
    return dict(query(database, "select reportId, rowFingerprint from main.activity_tracking"))


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("incremental") / "raw"
    generator = PROJECT_DIR / "scripts" / "generate_data.py"
    command = [sys.executable, str(generator), "--out", str(directory), "--trackings", str(TRACKINGS)]
    subprocess.run(command, check=True, capture_output=True)
    return directory


def test_incremental_mart_equals_a_full_rebuild_after_raw_changes(raw: Path, tmp_path: Path) -> None:
    incremental = tmp_path / "incremental.duckdb"
    build(incremental, raw, tmp_path)
    for round_number in range(1, ROUNDS + 1):
        before = fingerprints(incremental)
        change_raw_files(raw, round_number)
        build(incremental, raw, tmp_path)
        rebuilt = tmp_path / f"rebuilt_{round_number}.duckdb"
        build(rebuilt, raw, tmp_path, "--full-refresh")

        assert differences(incremental, rebuilt) == 0, f"round {round_number}"
        after = fingerprints(incremental)
        # the round did change the mart: rows left, arrived and changed
        assert before.keys() - after.keys(), f"round {round_number}: no row left"
        assert after.keys() - before.keys(), f"round {round_number}: no row arrived"
        changed = [key for key in before.keys() & after.keys() if before[key] != after[key]]
        assert len(changed) > TRACKINGS / 20, f"round {round_number}: {len(changed)} rows changed"


def test_a_new_version_of_the_project_rebuilds_every_row(tmp_path: Path) -> None:
    """Rows built by older code are not kept: a change to any macro changes every sourceFingerprint."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, project, ignore=shutil.ignore_patterns(".*", "build", "target", "logs"))
    database = tmp_path / "sample.duckdb"
    assert run_dbt(BUILD, database, tmp_path, project_dir=project).returncode == 0
    before = dict(query(database, "select reportId, sourceFingerprint from main.activity_tracking"))

    macro = project / "macros" / "rendering" / "pad_number.sql"
    macro.write_text(macro.read_text().replace("{%- endmacro %}", "{# a new version #}{%- endmacro %}"))
    assert run_dbt(BUILD, database, tmp_path, project_dir=project).returncode == 0
    after = dict(query(database, "select reportId, sourceFingerprint from main.activity_tracking"))

    assert before and before.keys() == after.keys()
    assert all(before[key] != after[key] for key in before)
