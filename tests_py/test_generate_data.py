"""The bulk data generator (scripts/generate_data.py) writes the raw contract, deterministically,
with every anomaly on both sides of the scope rule; any extract it writes builds and exports."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_DIR, RAW_TABLES, query, run_dbt, run_export

GENERATOR = PROJECT_DIR / "scripts" / "generate_data.py"
TRACKINGS = 20_000
# The anomalies the generator mixes in; each must reach data_quality_issues.
DELIBERATE_ANOMALIES = {
    "null_primary_key",
    "duplicate_primary_key",
    "orphan_tracking",
    "unknown_activity_type",
    "tracking_of_unknown_activity_type",
    "progression_out_of_range",
    "nps_out_of_range",
    "negative_time_spent",
    "negative_time_log",
    "last_access_before_first_access",
    "unknown_attendance_code",
    "custom_field_value_too_long",
    "chapter_cycle",
    "entity_cycle",
    "missing_parent_entity",
    "missing_entity",
    "missing_chapter",
    "missing_learning_object_version",
    "missing_learner",
    "missing_session",
    "missing_training",
    "empty_required_value",
    "unreadable_duration",
}


def generate(directory: Path, seed: int = 7, trackings: int = TRACKINGS, rate: float | None = None) -> None:
    command = [sys.executable, str(GENERATOR), "--out", str(directory), "--trackings", str(trackings)]
    command += ["--seed", str(seed)] + ([] if rate is None else ["--anomaly-rate", repr(rate)])
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def digests(directory: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in directory.glob("*.parquet")}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("generated") / "raw"
    generate(directory)
    return directory


def test_generated_tables_have_the_raw_contract_shape(generated: Path, sample_build: Path) -> None:
    assert sorted(path.stem for path in generated.glob("*.parquet")) == sorted(RAW_TABLES)
    with duckdb.connect() as connection:
        for table in RAW_TABLES:
            # the sample seeds are declared with the raw contract's column names and types
            expected = query(
                sample_build,
                "select column_name, data_type from information_schema.columns "
                f"where table_schema = 'lms_sample' and table_name = '{table}' order by ordinal_position",
            )
            described = connection.execute(
                "select column_name, column_type from (describe select * from read_parquet(?))",
                [str(generated / f"{table}.parquet")],
            ).fetchall()
            assert described == expected, table
        (trackings,) = connection.execute(
            "select count(*) from read_parquet(?)", [str(generated / "trackings.parquet")]
        ).fetchone()
    assert trackings >= TRACKINGS


def test_the_same_seed_gives_the_same_files(generated: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again")
    assert digests(tmp_path / "again") == digests(generated)
    generate(tmp_path / "other", seed=8)
    assert digests(tmp_path / "other")["trackings.parquet"] != digests(generated)["trackings.parquet"]


def test_the_project_builds_on_generated_data(generated: Path, tmp_path: Path) -> None:
    database = tmp_path / "generated.duckdb"
    # every data test passes; referential integrity holds but for the deliberate anomalies
    arguments = ["build", "--exclude", "test_type:unit"]
    result = run_dbt(arguments, database, tmp_path, {"raw_path": str(generated)})
    assert result.returncode == 0, result.stdout
    issues = dict(query(database, "select issue_code, count(*) from data_quality_issues group by 1"))
    assert set(issues) == DELIBERATE_ANOMALIES
    # at the default rate (0.1 %) most trackings are exported; the rest are out of scope or
    # hang from an anomalous activity, registration or session (each holds many trackings)
    (exported,) = query(database, "select count(*) from activity_tracking")[0]
    excluded = issues["orphan_tracking"] + issues["tracking_of_unknown_activity_type"]
    assert excluded < exported * 0.1
    types = query(database, "select count(distinct activityType) from activity_tracking")[0][0]
    assert types == 12
    statuses = {row[0] for row in query(database, "select distinct progressStatus from activity_tracking")}
    assert statuses == {"Not started", "Started", "Completed", "Pending feedback", "Feedback given"}


# Raw facts that put an anomaly on each side of the scope rule: the training of the tracking's
# session is Blendedx (in scope) or exists with another modality (out of scope).
SCOPED_ANOMALIES = {
    "missing activity": "t.activity_id is not null and a.activity_id is null",
    "empty activity": "t.activity_id is null",
    "unknown activity type": "a.activity_type in ('webinar', 'LearningResource', ' ')",
    "activity of a missing training": "a.training_id is not null and activity_training.training_id is null",
    "missing learner": "r.learner_id is not null and l.learner_id is null",
    "empty learner": "r.learner_id is null",
    "empty tracking_guid": "trim(t.tracking_guid) = ''",
    "progression out of range": "t.progression > 100 or t.progression < 0",
    "unknown attendance code": "t.attendance_code = 'late'",
    "unreadable activity duration": "a.duration = 'about an hour'",
    "unreadable training duration": "tr.duration = '2 days'",
}


def test_every_tracking_anomaly_meets_both_sides_of_the_scope_rule(generated: Path) -> None:
    def raw(table: str) -> str:
        return "read_parquet('" + str(generated / f"{table}.parquet").replace("'", "''") + "')"

    scope = "regexp_replace(lower(tr.modality), '[ _-]+', '', 'g') = 'blendedx'"
    with duckdb.connect() as connection:
        for anomaly, condition in SCOPED_ANOMALIES.items():
            sides = connection.sql(
                f"""
                select distinct coalesce({scope}, false)
                from {raw("trackings")} as t
                inner join {raw("registrations")} as r on t.registration_id = r.registration_id
                inner join {raw("sessions")} as s on r.session_id = s.session_id
                inner join {raw("trainings")} as tr on s.training_id = tr.training_id
                left join {raw("learners")} as l on r.learner_id = l.learner_id
                left join {raw("activities")} as a on t.activity_id = a.activity_id
                left join {raw("trainings")} as activity_training
                    on a.training_id = activity_training.training_id
                where {condition}
                """
            ).fetchall()
            assert sorted(side for (side,) in sides) == [False, True], anomaly


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    rate=st.one_of(st.just(0.0), st.just(1.0), st.floats(min_value=0, max_value=1)),
    trackings=st.integers(min_value=1000, max_value=3000),
)
def test_any_generated_extract_builds_and_exports_every_tracking_once(
    tmp_path_factory: pytest.TempPathFactory, seed: int, rate: float, trackings: int
) -> None:
    work = tmp_path_factory.mktemp("property")
    generate(work / "raw", seed=seed, trackings=trackings, rate=rate)
    database = work / "export.duckdb"
    # a non-strict build and the default export succeed whatever the extract holds; the build
    # runs every data test, among them the completeness invariant
    result = run_export(["--raw-path", str(work / "raw"), "--asOf", "2021-01-01"], database, work)
    assert result.returncode == 0, result.stderr
    # the invariant, counted again here: each raw tracking with a key is exported, recorded as
    # excluded, or outside the scope, exactly once
    (raw_ids,) = query(
        database,
        "select count(distinct tracking_id) from read_parquet("
        + "'"
        + str(work / "raw" / "trackings.parquet").replace("'", "''")
        + "')",
    )[0]
    (accounted,) = query(
        database,
        """
        select
            (select count(*) from activity_tracking)
            + (select count(*) from data_quality_issues where source_table = 'trackings'
                and issue_code in ('orphan_tracking', 'tracking_of_unknown_activity_type'))
            + (select count(*) from int_trackings_validated where exclusion_reason = 'out_of_scope')
        """,
    )[0]
    assert accounted == raw_ids
    manifest = (work / "activity_tracking.csv.manifest.json").read_text(encoding="utf-8")
    (exported,) = query(database, "select count(*) from activity_tracking")[0]
    assert f'"rowCount": {exported}' in manifest
