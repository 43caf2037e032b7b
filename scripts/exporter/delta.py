"""Delta mode: what a run selected, and recording it once its file is in place.

The selection and the state are the dbt project's (macros/delta); the runner only reads the
run's `selected` event for its summary and manifest, and records the run after the file is
in place, through the run-operation record_delta_export.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exporter.build import Dbt
from exporter.engines import Engine
from exporter.errors import ExportError

RUNS = "delta_state.export_runs"


@dataclass(frozen=True)
class DeltaRun:
    """One delta export run as the state records it."""

    export_guid: str
    run_id: str
    rows: int
    previous_run_id: str | None
    previous_as_of: str | None
    previous_recorded_at: str | None
    unfinished_run_ids: list[str]

    def describe(self) -> dict[str, Any]:
        """The manifest's `delta` section: what this export covers, relative to what."""
        previous = None
        if self.previous_run_id is not None:
            previous = {
                "runId": self.previous_run_id,
                "asOf": self.previous_as_of,
                "recordedAt": self.previous_recorded_at,
            }
        return {
            "exportGuid": self.export_guid,
            "runId": self.run_id,
            "previousExport": previous,
            "covers": (
                "rows new or changed since the previous export"
                if previous
                else "every row: first export of this GUID (or first since its reset)"
            ),
            "repeatsUnfinishedRuns": self.unfinished_run_ids,
            "stateRecorded": False,
        }

    def summary(self) -> str:
        """What a person reads after the run."""
        if self.previous_run_id is None:
            line = f"Delta export {self.export_guid}: first export (or first since its reset), every row."
        else:
            line = (
                f"Delta export {self.export_guid}: rows new or changed since the export "
                f"of asOf {self.previous_as_of} (recorded {self.previous_recorded_at})."
            )
        if self.unfinished_run_ids:
            line += (
                f" {len(self.unfinished_run_ids)} earlier run(s) never recorded their state "
                f"({', '.join(self.unfinished_run_ids)}): their rows are in this export again."
            )
        return line


def selected_run(engine: Engine, run_id: str) -> DeltaRun | None:
    """The delta run `run_id` as its build recorded it; None when the export was a full one."""
    with engine.connect((RUNS,)) as connection:
        (has_state,) = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'delta_state' and table_name = 'export_runs'"
        ).fetchone()
        if not has_state:
            return None
        row = connection.execute(
            f"select selected.export_guid, selected.row_count, selected.previous_run_id, "
            f"previous.as_of, strftime(recorded.event_at, '%Y-%m-%dT%H:%M:%S UTC'), "
            f"selected.unfinished_run_ids "
            f"from {RUNS} as selected "
            f"left join {RUNS} as previous on previous.run_id = selected.previous_run_id "
            f"and previous.export_guid = selected.export_guid and previous.event = 'selected' "
            f"left join {RUNS} as recorded on recorded.run_id = selected.previous_run_id "
            f"and recorded.export_guid = selected.export_guid and recorded.event = 'recorded' "
            f"where selected.run_id = ? and selected.event = 'selected'",
            [run_id],
        ).fetchone()
    if row is None:
        return None
    export_guid, rows, previous_run_id, previous_as_of, recorded_at, unfinished = row
    return DeltaRun(
        export_guid,
        run_id,
        rows,
        previous_run_id,
        previous_as_of,
        recorded_at,
        unfinished.split(",") if unfinished else [],
    )


def check_recorded(engine: Engine, run: DeltaRun) -> None:
    """Stop unless the state of `run` reads back as recorded from the database on disk."""
    with engine.connect((RUNS,)) as connection:
        (found,) = connection.execute(
            f"select count(*) from {RUNS} where export_guid = ? and run_id = ? and event = 'recorded'",
            [run.export_guid, run.run_id],
        ).fetchone()
    if not found:
        raise ExportError(f"{engine.database} does not hold it when read back")


def record(run: DeltaRun, dbt: Dbt, event: str) -> None:
    """Mark the run `written` (its file is about to be in place) or `recorded` (it is)."""
    macro_args = {"export_guid": run.export_guid, "run_id": run.run_id, "event": event}
    dbt.run_operation("record_delta_export", macro_args, quiet=True)
