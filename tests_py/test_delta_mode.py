"""Delta mode: per export GUID, exactly the rows new or changed since its last export.

Each test builds its own database from a Parquet copy of the sample extract, changes the raw
files between exports as the platform's extract would, and reads the files the runner writes.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXPORT_SCRIPT, PLATFORM_FIELDS, query, run_dbt, run_export, write_raw_files
from exporter import cli, delta
from exporter.build import Dbt
from exporter.errors import OutputFailure

GUID = "DELTA-1"
# The configuration's columns: every field of the platform's table, in its order.
FIELDS = list(PLATFORM_FIELDS)
CUSTOM_FIELDS = ("CF-DEPARTMENT", "CF-COST-CENTER")


def configuration(guid: str) -> str:
    """The platform's XML: every export field and both custom fields, deltaMode=Y."""
    columns = "".join(f"<{field}/>" for field in FIELDS)
    columns += "".join(
        f"<candidateCustomFieldGuid>{guid}</candidateCustomFieldGuid>" for guid in CUSTOM_FIELDS
    )
    return (
        f'<export guid="{guid}"><providers><activityProvider>'
        f"<columns>{columns}</columns>"
        "<parameters><deltaMode>Y</deltaMode><asOf>2021-01-01</asOf></parameters>"
        "</activityProvider></providers></export>"
    )


class Extract:
    """A raw extract in Parquet files that a test changes, and the database built from it."""

    def __init__(self, sample_build: Path, directory: Path) -> None:
        self.directory = directory
        self.raw = directory / "raw"
        write_raw_files(sample_build, self.raw, "parquet")
        self.database = directory / "delta.duckdb"
        self.config = directory / "export.xml"
        self.config.write_text(configuration(GUID), encoding="utf-8")
        self.runs = 0
        self.last: subprocess.CompletedProcess[str] | None = None

    def change(self, table: str, statement: str) -> None:
        """Apply one SQL statement to a raw table's file (the table is named as itself)."""
        path = str(self.raw / f"{table}.parquet").replace("'", "''")
        with duckdb.connect() as connection:
            connection.execute(f"create table {table} as select * from read_parquet('{path}')")
            connection.execute(statement)
            connection.execute(f"copy {table} to '{path}' (format parquet)")

    def arguments(self, *extra: str) -> list[str]:
        self.runs += 1
        self.output = self.directory / f"export-{self.runs}.csv"
        return [
            "--config",
            str(self.config),
            "--raw-path",
            str(self.raw),
            "--output",
            str(self.output),
            *extra,
        ]

    def export(self, *extra: str) -> dict[int, list[str]]:
        """Run the runner; the rows of the file it wrote, by reportId."""
        self.last = run_export(self.arguments(*extra), self.database, self.directory)
        assert self.last.returncode == 0, self.last.stderr
        return self.rows()

    def export_in_process(self, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
        """Run the runner inside the test, so that a test can replace one of its steps."""
        monkeypatch.setenv("ACTIVITY_TRACKING_DB", str(self.database))
        return cli.main(self.arguments(*extra))

    def rows(self) -> dict[int, list[str]]:
        text = self.output.read_text(encoding="utf-8")
        header, *records = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        report_id = header.index("reportId")
        return {int(record[report_id]): record for record in records}

    def manifest(self) -> dict:
        return json.loads(self.output.with_name(self.output.name + ".manifest.json").read_text())

    def assert_state_is_compact(self, guid: str = GUID) -> None:
        """The GUID's recorded runs keep one export_rows row per report id (compact_delta_rows)."""
        assert_state_is_compact(self.database, guid)

    def mart_ids(self, where: str = "true") -> set[int]:
        """Report ids of the mart rows matching `where`, from the last build."""
        return {
            row[0] for row in query(self.database, f"select reportId from activity_tracking where {where}")
        }


def assert_state_is_compact(database: Path, guid: str) -> None:
    """Among the rows of `guid`'s recorded runs since its last reset, no report id twice."""
    recorded_rows = f"""
        select state_rows.report_id
        from delta_state.export_rows as state_rows
        inner join delta_state.export_runs as recorded
            on state_rows.run_id = recorded.run_id and recorded.event = 'recorded'
        where state_rows.export_guid = '{guid}'
    """
    [(rows, report_ids)] = query(
        database, f"select count(*), count(distinct report_id) from ({recorded_rows}) as recorded_rows"
    )
    assert rows == report_ids != 0


@pytest.fixture
def extract(sample_build: Path, tmp_path: Path) -> Extract:
    return Extract(sample_build, tmp_path)


def test_a_delta_holds_exactly_the_rows_that_changed(extract: Extract) -> None:
    assert set(extract.export()) == extract.mart_ids() != set()
    assert f"Delta export {GUID}: first export (or first since its reset), every row." in extract.last.stdout
    assert extract.export() == {}
    # both times in one format: ISO 8601 with the zone they are in
    assert re.search(
        f"Delta export {GUID}: rows new or changed since the export of asOf 2021-01-01T00:00:00 UTC "
        r"\(recorded \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d UTC\)\.",
        extract.last.stdout,
    )

    extract.change("trackings", "update trackings set progression = 55 where tracking_id = 4020")
    changed = extract.export()
    assert set(changed) == {4020}
    assert changed[4020][FIELDS.index("progression")] == "55.00"
    # back to the value of the first export: still a change since the row's last export
    extract.change("trackings", "update trackings set progression = 100 where tracking_id = 4020")
    assert set(extract.export()) == {4020}

    extract.change("trainings", "update trainings set title = 'Sales Mastery II' where training_id = 1002")
    renamed = extract.export()
    assert set(renamed) == extract.mart_ids("trainingId = 1002") != set()
    assert {row[FIELDS.index("trainingTitle")] for row in renamed.values()} == {"Sales Mastery II"}

    extract.change("entities", "update entities set entity_name = 'Ventes France' where entity_id = 5")
    assert set(extract.export()) == extract.mart_ids("candidateEntityId = 5") != set()

    extract.change(
        "trackings",
        "insert into trackings select * replace (4999 as tracking_id, 'NEW-TRACKING' as tracking_guid) "
        "from trackings where tracking_id = 4020 limit 1",
    )
    assert set(extract.export()) == {4999}

    extract.change(
        "learner_custom_field_values",
        "update learner_custom_field_values set value = 'Sales' "
        "where learner_id = 103 and custom_field_guid = 'CF-DEPARTMENT'",
    )
    assert set(extract.export()) == extract.mart_ids("candidateId = 103") != set()

    # a row whose sources were touched without changing what it shows is not exported
    extract.change("trackings", "update trackings set updated_at = updated_at + interval 1 day")
    assert extract.export() == {}

    # a custom field value that is empty after trimming shows nothing: adding or removing one
    # exports nothing
    extract.change(
        "learner_custom_field_values",
        "insert into learner_custom_field_values values (101, 'CF-EMPTY', '   ', timestamp '2021-01-01')",
    )
    assert extract.export() == {}
    extract.change(
        "learner_custom_field_values",
        "delete from learner_custom_field_values where trim(coalesce(value, '')) = ''",
    )
    assert extract.export() == {}

    # a second GUID has a state of its own, and leaves the first one's alone
    assert set(extract.export("--export-guid", "DELTA-2")) == extract.mart_ids()
    assert extract.export() == {}

    # eleven recorded runs of GUID: one state row per report id, as many as the mart's rows
    extract.assert_state_is_compact()
    exported = len(extract.mart_ids())
    assert query(
        extract.database, f"select count(*) from delta_state.export_rows where export_guid = '{GUID}'"
    ) == [(exported,)]

    listed = run_export(["--list-delta-exports"], extract.database, extract.directory)
    assert listed.returncode == 0, listed.stderr
    assert f"{GUID}: {exported} rows exported; last run " in listed.stdout
    assert f"DELTA-2: {exported} rows exported; last run " in listed.stdout

    reset = run_export(["--reset-delta-export", GUID], extract.database, extract.directory)
    assert reset.returncode == 0, reset.stderr
    assert set(extract.export()) == extract.mart_ids()
    assert extract.export("--export-guid", "DELTA-2") == {}
    # the reset deleted the GUID's earlier rows: only the run after it holds rows
    assert query(
        extract.database,
        f"select count(*), count(distinct run_id) from delta_state.export_rows where export_guid = '{GUID}'",
    ) == [(exported, 1)]


def test_a_change_landing_while_an_export_runs_comes_in_the_next_delta(
    extract: Extract, monkeypatch: pytest.MonkeyPatch
) -> None:
    extract.export()
    record = delta.record

    def change_then_record(run: delta.DeltaRun, dbt: Dbt, event: str) -> None:
        if event == "recorded":
            # the export has read the data and put its file in place; the source changes now
            extract.change("trackings", "update trackings set score = 12.5 where tracking_id = 4021")
        record(run, dbt, event)

    monkeypatch.setattr(delta, "record", change_then_record)
    assert extract.export_in_process(monkeypatch) == 0
    assert extract.rows() == {}
    monkeypatch.undo()

    changed = extract.export()
    assert set(changed) == {4021}
    assert changed[4021][FIELDS.index("score")] == "12.50"


def test_an_export_interrupted_before_recording_its_state_comes_again(
    extract: Extract, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extract.export()
    extract.change("trackings", "update trackings set progression = 80 where tracking_id = 4022")
    record = delta.record

    def interrupted(run: delta.DeltaRun, dbt: Dbt, event: str) -> None:
        if event == "recorded":
            raise KeyboardInterrupt
        record(run, dbt, event)

    monkeypatch.setattr(delta, "record", interrupted)
    assert extract.export_in_process(monkeypatch) == OutputFailure.exit_code  # the state not written
    assert "is written but the delta state of DELTA-1 was not recorded" in capsys.readouterr().err
    assert extract.rows()[4022][FIELDS.index("progression")] == "80.00"
    unfinished = extract.manifest()["delta"]
    assert unfinished["stateRecorded"] is False
    monkeypatch.undo()

    # its reader may hold 80.00: back to the recorded 75.00 is a change for that reader
    extract.change("trackings", "update trackings set progression = 75 where tracking_id = 4022")
    resent = extract.export()
    assert set(resent) == {4022}
    assert resent[4022][FIELDS.index("progression")] == "75.00"
    assert unfinished["runId"] in extract.last.stdout
    assert "their rows are in this export again" in extract.last.stdout
    manifest = extract.manifest()["delta"]
    assert manifest["repeatsUnfinishedRuns"] == [unfinished["runId"]]
    assert manifest["stateRecorded"] is True
    extract.assert_state_is_compact()
    assert extract.export() == {}

    # a run that fails before its file is written sent nothing: nothing to repeat, nothing lost
    extract.change("trackings", "update trackings set score = 1 where tracking_id = 4032")
    failed = run_export(extract.arguments("--encoding", "ISO-8859-1"), extract.database, extract.directory)
    assert "cannot be encoded" in failed.stderr
    assert set(extract.export()) == {4032}
    assert "earlier run" not in extract.last.stdout
    assert extract.manifest()["delta"]["repeatsUnfinishedRuns"] == []


def lock_is_held(path: Path) -> bool:
    if not path.exists():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def start_export(extract: Extract, *extra: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "ACTIVITY_TRACKING_DB": str(extract.database)}
    return subprocess.Popen(
        [sys.executable, str(EXPORT_SCRIPT), *extract.arguments(*extra)],
        cwd=extract.directory,
        env=environment,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_second_run_of_the_same_guid_fails_at_once_and_changes_nothing(extract: Extract) -> None:
    digest = hashlib.sha256(GUID.encode()).hexdigest()[:16]
    guid_lock = extract.database.with_name(f".{extract.database.name}.guid-{digest}.lock")
    first = start_export(extract)
    while not lock_is_held(guid_lock):
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)

    second = run_export(extract.arguments(), extract.database, extract.directory)
    assert second.returncode == 4  # busy
    assert f"error: Export GUID {GUID} is in use by another export running on" in second.stderr
    assert first.poll() is None  # it failed at once, while the first run still ran
    assert not extract.output.exists()

    assert first.wait() == 0, first.communicate()
    events = query(
        extract.database, "select event, count(*) from delta_state.export_runs group by 1 order by 1"
    )
    assert events == [("recorded", 1), ("selected", 1), ("written", 1)]


def test_exports_on_one_database_wait_for_each_other(extract: Extract) -> None:
    database_lock = extract.database.with_name(f".{extract.database.name}.lock")
    with database_lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        waiting = start_export(extract, "--export-guid", "OTHER")
        assert waiting.stderr is not None
        assert "Waiting for another export on" in waiting.stderr.readline()
        assert waiting.poll() is None
    assert waiting.wait() == 0
    assert set(extract.rows()) == extract.mart_ids()


def test_a_database_another_process_has_open_is_left_alone(extract: Extract) -> None:
    with duckdb.connect(str(extract.database)):
        busy = subprocess.run(
            [sys.executable, str(EXPORT_SCRIPT), *extract.arguments()],
            cwd=extract.directory,
            env={**os.environ, "ACTIVITY_TRACKING_DB": str(extract.database)},
            capture_output=True,
            text=True,
            check=False,
        )
    assert busy.returncode == 4
    assert f"error: Database {extract.database} is in use by another process" in busy.stderr
    assert not extract.output.exists()


def test_the_state_counts_as_recorded_only_once_it_reads_back(
    extract: Extract, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `recorded` event that never reached the database (a run-operation that reported
    success without writing it) is caught by reading the state back: exit 6, and the manifest
    does not say stateRecorded."""
    record = delta.record

    def recorded_nowhere(run: delta.DeltaRun, dbt: Dbt, event: str) -> None:
        if event != "recorded":
            record(run, dbt, event)

    monkeypatch.setattr(delta, "record", recorded_nowhere)
    assert extract.export_in_process(monkeypatch) == OutputFailure.exit_code
    assert "does not hold it when read back" in capsys.readouterr().err
    assert extract.manifest()["delta"]["stateRecorded"] is False


def test_the_listing_tells_a_guid_never_recorded_from_one_reset(sample_build: Path, tmp_path: Path) -> None:
    database = tmp_path / "sample.duckdb"
    shutil.copy(sample_build, database)

    def listed() -> str:
        listing = run_dbt(["run-operation", "list_delta_exports"], database, tmp_path)
        assert listing.returncode == 0, listing.stdout
        return listing.stdout

    dbt_vars = {"deltaMode": "Y", "exportGuid": GUID, "exportRunId": "run-1"}
    selected = run_dbt(["run", "--select", "activity_tracking_export"], database, tmp_path, dbt_vars)
    assert selected.returncode == 0, selected.stdout
    # selected, never recorded: nothing was ever recorded, and no reset happened
    assert f"{GUID}: nothing recorded yet (next delta: every row)." in listed()
    args = json.dumps({"export_guid": GUID, "run_id": "run-1"})
    recorded = run_dbt(["run-operation", "record_delta_export", "--args", args], database, tmp_path)
    assert recorded.returncode == 0, recorded.stdout
    assert re.search(rf"{GUID}: \d+ rows exported; last run run-1 \(asOf .+, recorded .+ UTC\)\.", listed())
    reset = run_dbt(
        ["run-operation", "reset_delta_export", "--args", json.dumps({"export_guid": GUID})],
        database,
        tmp_path,
    )
    assert reset.returncode == 0, reset.stdout
    assert f"{GUID}: nothing recorded since its last reset (next delta: every row)." in listed()


def test_a_run_id_is_used_once(sample_build: Path, tmp_path: Path) -> None:
    database = tmp_path / "sample.duckdb"
    shutil.copy(sample_build, database)
    dbt_vars = {"deltaMode": "Y", "exportGuid": GUID, "exportRunId": "run-1"}
    first = run_dbt(["run", "--select", "activity_tracking_export"], database, tmp_path, dbt_vars)
    assert first.returncode == 0, first.stdout
    again = run_dbt(["run", "--select", "activity_tracking_export"], database, tmp_path, dbt_vars)
    assert again.returncode != 0
    assert "Export run id 'run-1' is already in the delta state" in again.stdout


def test_the_delta_state_keeps_the_fraction_of_a_second_of_as_of(sample_build: Path, tmp_path: Path) -> None:
    # the asOf the export used: in its time zone (+01:00 in Paris in winter), to the microsecond
    database = tmp_path / "sample.duckdb"
    shutil.copy(sample_build, database)
    dbt_vars = {
        "deltaMode": "Y",
        "exportGuid": GUID,
        "asOf": "20210101T000000,5+0100",
        "timezone": "Europe/Paris",
    }
    result = run_dbt(["run", "--select", "activity_tracking_export"], database, tmp_path, dbt_vars)
    assert result.returncode == 0, result.stdout
    as_of = query(database, "select as_of from delta_state.export_runs where event = 'selected'")
    assert as_of == [("2021-01-01T00:00:00.500000 Europe/Paris",)]


# Random changes to the raw extract: each touches rows of the mart, or none (same value).
REPORT_IDS = [4001, 4005, 4012, 4020, 4021, 4023, 4028, 4033, 4038]
CHANGES = st.one_of(
    st.builds(
        lambda report_id, value: (
            "trackings",
            f"update trackings set progression = {value} where tracking_id = {report_id}",
        ),
        st.sampled_from(REPORT_IDS),
        st.sampled_from([0, 40, 100]),
    ),
    st.builds(
        lambda report_id: (
            "trackings",
            f"update trackings set updated_at = now() where tracking_id = {report_id}",
        ),
        st.sampled_from(REPORT_IDS),
    ),
    st.builds(
        lambda training_id, title: (
            "trainings",
            f"update trainings set title = '{title}' where training_id = {training_id}",
        ),
        st.sampled_from([1001, 1002, 1005]),
        st.sampled_from(["First steps", "Sales Mastery", "Renamed"]),
    ),
    st.builds(
        lambda entity_id, name: (
            "entities",
            f"update entities set entity_name = '{name}' where entity_id = {entity_id}",
        ),
        st.sampled_from([3, 4, 5, 6]),
        st.sampled_from(["Entity 02", "Renamed"]),
    ),
    st.builds(
        lambda learner_id, value: (
            "learner_custom_field_values",
            f"update learner_custom_field_values set value = '{value}' "
            f"where learner_id = {learner_id} and custom_field_guid = 'CF-DEPARTMENT'",
        ),
        st.sampled_from([101, 103]),
        st.sampled_from(["Sales", "Ventes"]),
    ),
)


@settings(
    max_examples=2,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.lists(CHANGES, max_size=3), min_size=2, max_size=3))
def test_deltas_add_up_to_the_full_export(
    sample_build: Path, tmp_path_factory: pytest.TempPathFactory, steps: list[list[tuple[str, str]]]
) -> None:
    extract = Extract(sample_build, tmp_path_factory.mktemp("delta_property"))
    latest = extract.export()
    for changes in steps:
        for table, statement in changes:
            extract.change(table, statement)
        for report_id, row in extract.export().items():
            # a row is in a delta only when what it shows changed
            assert latest.get(report_id) != row, (report_id, changes)
            latest[report_id] = row
        extract.assert_state_is_compact()
    assert latest == extract.export("--param", "deltaMode=N")


def test_a_run_recorded_after_a_later_one_keeps_the_later_fingerprints(
    sample_build: Path, tmp_path: Path
) -> None:
    """record_delta_export of an older run, after a newer one is recorded: the newer run's
    fingerprints count, and the state stays one row per report id."""
    database = tmp_path / "sample.duckdb"
    shutil.copy(sample_build, database)

    def select(run_id: str) -> None:
        dbt_vars = {"deltaMode": "Y", "exportGuid": GUID, "exportRunId": run_id}
        selected = run_dbt(["run", "--select", "activity_tracking_export"], database, tmp_path, dbt_vars)
        assert selected.returncode == 0, selected.stdout

    def record(run_id: str) -> None:
        args = json.dumps({"export_guid": GUID, "run_id": run_id})
        recorded = run_dbt(["run-operation", "record_delta_export", "--args", args], database, tmp_path)
        assert recorded.returncode == 0, recorded.stdout

    select("run-1")
    with duckdb.connect(str(database)) as connection:
        connection.execute("update activity_tracking set rowFingerprint = 'changed' where reportId = 4020")
    select("run-2")  # nothing recorded yet: every row again, 4020 with its new fingerprint
    record("run-2")
    record("run-1")
    assert_state_is_compact(database, GUID)
    exported = f"""
        select exported.report_id
        from delta_state.export_rows as exported
        inner join activity_tracking as mart
            on exported.report_id = mart.reportId and exported.row_fingerprint = mart.rowFingerprint
        where exported.export_guid = '{GUID}'
    """
    [(matching,)] = query(database, f"select count(*) from ({exported}) as exported")
    assert matching == query(database, "select count(*) from activity_tracking")[0][0]
    select("run-3")
    assert query(database, "select count(*) from activity_tracking_export") == [(0,)]
