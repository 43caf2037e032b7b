"""The export, step by step: cli.py parses the command line and calls `run`, which runs these
steps in this order, each a function below, in the same order (publish: publish.py's
publish_copies).

1. preflight: the request (the XML configuration, then the command line), its file options and
   the options that go together checked, and every path the run writes checked against what it
   reads (paths.py): a refused run creates and changes nothing.
2. build: dbt builds what the export needs (everything, or the export alone when the warehouse
   was built from the same project and raw extract: build_state.py); then what the build
   recorded is read: its state, the delta run, the data quality issues.
3. write: the file and its manifest, in place whole or not at all (writer.py).
4. record: delta mode's state recorded and read back, then the manifest completed. This comes
   before publish: a copy that cannot be published once the file is delivered must not leave
   the delta state unrecorded (the next delta export would send these rows again).
5. publish: the copies of --publish-marts and --publish-parquet (publish.py).
6. summarise: what the operator reads last.

`manage_delta_state` runs --list-delta-exports and --reset-delta-export instead.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from exporter import delta, leftovers, paths, pii, publish, report, resources
from exporter.build import Dbt, parse_key
from exporter.build_state import (
    BuildState,
    build_fingerprint,
    build_summary,
    code_fingerprint,
    recorded_state,
)
from exporter.config import request_from
from exporter.engines import LOCATIONS, Engine
from exporter.errors import ExportError, OutputFailure
from exporter.paths import DBT_LOG, Destinations
from exporter.project import git_commit, project_version
from exporter.request import ExportRequest, FileOptions, file_options, with_output_format
from exporter.writer import Written, update_manifest, write_export

# The formats whose cells a spreadsheet may read as formulas (--escape-formulas)
FORMULA_FORMATS = ("csv", "tsv")


@dataclass(frozen=True)
class Built:
    """What the build step made and read back, for the steps after it."""

    engine: Engine  # reading the tables under the column names dbt declares (Engine.with_columns)
    dbt: Dbt
    as_of: str
    code: str  # the code fingerprint
    whole: bool  # every model built, not the export alone
    state: BuildState | None
    delta_run: delta.DeltaRun | None
    issues: list[tuple[str, int]]  # data quality issues: (code, count), most frequent first
    timings: dict[str, Any]
    finished: float  # time.monotonic() when dbt's build ended


def run(args: argparse.Namespace, engine: Engine, started: float, run_id: str) -> int:
    """The export: each step, in order (module docstring), holding the database throughout."""
    request, options, chosen = preflight(args, engine)
    with (
        resources.environment(),
        engine.hold(request.export_guid, args.lock_timeout),
        leftovers.temporary_folder("dbt") as target_path,
    ):
        built = build(args, request, chosen, engine, target_path, run_id)
        written = write(args, request, options, chosen, built, run_id)
        record(chosen, built, written, started)
        publish.publish_copies(chosen, built.engine, built.code, args.publish_storage_version, args.pii)
        summarise(args, chosen, built, written)
    return 0


def preflight(args: argparse.Namespace, engine: Engine) -> tuple[ExportRequest, FileOptions, Destinations]:
    """Everything checked before anything is built or created; a killed run's leftovers removed."""
    request = request_from(args)
    options = file_options(
        with_output_format(request.file_options, Path(args.output) if args.output else None)
    )
    if engine.target != "duckdb":
        for option in ("publish_marts", "publish_parquet"):
            if getattr(args, option) is not None:
                name = "--" + option.replace("_", "-")
                raise ExportError(f"{name} copies DuckDB tables: it needs --target duckdb.")
    if args.publish_storage_version is not None and args.publish_marts is None:
        raise ExportError("--publish-storage-version is the format of --publish-marts: give both.")
    args.publish_storage_version = publish.storage_version(args.publish_storage_version)
    if args.escape_formulas and options.format not in FORMULA_FORMATS:
        raise ExportError(
            f"--escape-formulas applies to {' and '.join(FORMULA_FORMATS)}, not to format {options.format} "
            "(xlsx keeps every text as text)."
        )
    kept = kept_paths(engine, args.raw_path, args.config)
    chosen = paths.destinations(
        args.output, options.format, args.publish_marts, args.publish_parquet, args.log_dir, kept
    )
    # the export goes to standard output however it was named (-, /dev/stdout): the log does not
    report.current().stdout_taken = chosen.output.stdout
    leftovers.remove_stale(None if chosen.output.stream else chosen.output.path)
    return request, options, chosen


def kept_paths(engine: Engine, raw_path: str | None = None, config: Path | None = None) -> list[paths.Kept]:
    """What the run reads and keeps, once the engine's location is checked against what it reads."""
    inputs = paths.input_paths(raw_path, config)
    if engine.location is None:  # a server: nothing of it is on this machine
        return inputs
    paths.check_location(LOCATIONS[engine.target][0], engine.target, engine.location, inputs)
    return [*inputs, *paths.engine_paths(engine.target, engine.location)]


def build(
    args: argparse.Namespace,
    request: ExportRequest,
    chosen: Destinations,
    engine: Engine,
    target_path: Path,
    run_id: str,
) -> Built:
    """dbt's build of everything, or of the export alone when the warehouse holds what a build
    would make; then what it recorded."""
    as_of = request.parameters.get("asOf", "").strip() or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    values = dbt_vars(request, args, as_of, run_id)
    code = code_fingerprint(engine.target, values.get("raw_path"), values.get("raw_format"), args.lms_schema)
    fingerprint = build_fingerprint(code, values.get("raw_path"))
    # tables in the warehouse: the runner cannot tell whether they changed since the last build
    previous = None if args.rebuild or args.lms_schema else recorded_state(engine)
    whole = previous is None or previous.fingerprint != fingerprint
    key = parse_key(code, engine.database, bool(values.get("strict")))
    dbt = Dbt(engine.target, target_path, {**values, "buildFingerprint": fingerprint}, key, chosen.log_dir)
    report.current().event(
        "started", None, output=str(chosen.output), database=engine.database, wholeBuild=whole
    )
    timings = dbt.build(whole)
    finished = time.monotonic()
    engine = engine.with_columns(dbt.columns)
    state = recorded_state(engine)
    delta_run = delta.selected_run(engine, run_id)
    issues = issue_counts(engine)
    return Built(engine, dbt, as_of, code, whole, state, delta_run, issues, timings, finished)


def dbt_vars(request: ExportRequest, args: argparse.Namespace, as_of: str, run_id: str) -> dict:
    """The build's vars: the export parameters, the run, and what the project reads of the options."""
    values: dict = {"asOf": as_of, **request.parameters, "exportRunId": run_id}
    if identity := pii.identity(args.pii):
        values["piiIdentity"] = identity
    if request.export_guid is not None:
        values["exportGuid"] = request.export_guid
    if "decimal" in request.file_options:
        values["decimal"] = request.file_options["decimal"]
    if args.strict:
        values["strict"] = True
    if args.raw_path:
        values["raw_path"] = str(Path(args.raw_path).expanduser().resolve())
    if args.raw_format:
        values["raw_format"] = args.raw_format
    if args.lms_schema:
        values["lms_schema"] = args.lms_schema
    return values


def issue_counts(engine: Engine) -> list[tuple[str, int]]:
    """The data quality issues of the build: (code, count), the most frequent first."""
    with engine.connect(("main.data_quality_issues",)) as connection:
        return connection.execute(
            "select issue_code, count(*) from main.data_quality_issues group by 1 order by 2 desc, 1"
        ).fetchall()


def write(
    args: argparse.Namespace,
    request: ExportRequest,
    options: FileOptions,
    chosen: Destinations,
    built: Built,
    run_id: str,
) -> Written:
    """The file and its manifest; in delta mode, the run marked `written` just before the file
    is moved in place (from then on it may reach its reader)."""
    engine, delta_run = built.engine, built.delta_run
    manifest = {
        "file": chosen.output.path.name,
        "runId": run_id,
        "engine": engine.target,
        "database": engine.database,
        "exportGuid": request.export_guid,
        "asOf": built.as_of,
        "parameters": request.parameters,
        "fileOptions": {
            "format": options.format,
            "encoding": options.encoding,
            "delimiter": options.delimiter,
            "showHeaders": "yes" if options.show_headers else "no",
            "decimal": request.file_options.get("decimal", "point"),
        },
        "delta": delta_run.describe() if delta_run else None,
        "pii": args.pii.mode,
        "build": {
            "rebuilt": built.whole,
            "parseReused": built.dbt.parse_reused,
            **(built.state.describe() if built.state else {}),
        },
        "code": {
            "projectVersion": project_version(),
            "codeFingerprint": built.code,
            "gitCommit": git_commit(),
        },
        "dataQualityIssues": {"total": sum(count for _, count in built.issues), "byCode": dict(built.issues)},
        "dbtLog": str(chosen.log_dir / DBT_LOG),
        "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    written, _ = write_export(
        engine,
        chosen.output,
        chosen.manifest,
        manifest,
        request.columns,
        options,
        replace_unencodable=args.encoding_errors == "replace",
        # xlsx shows date-times in the export's time zone (validated by the build)
        zone=request.parameters.get("timezone", "").strip() or "UTC",
        # delta mode: from here on the file may reach its reader
        before_replace=(lambda: delta.record(delta_run, built.dbt, "written")) if delta_run else None,
        pii=args.pii,
        escape_formulas=args.escape_formulas,
    )
    return written


def record(chosen: Destinations, built: Built, written: Written, started: float) -> None:
    """The delta state recorded and read back, the manifest completed with the timings, and the
    file announced."""
    delta_run, output = built.delta_run, chosen.output
    if delta_run is not None:
        try:
            delta.record(delta_run, built.dbt, "recorded")
            delta.check_recorded(built.engine, delta_run)
        except (ExportError, KeyboardInterrupt) as error:
            cause = f" ({error})" if isinstance(error, ExportError) else " (interrupted)"
            raise OutputFailure(
                f"{output} is written but the delta state of {delta_run.export_guid} was not recorded"
                f"{cause}: its next delta export includes these rows again."
            ) from None
    finished = time.monotonic()
    update_manifest(
        chosen.manifest,
        timings={
            "buildSeconds": round(built.finished - started, 3),
            "writeSeconds": round(finished - built.finished, 3),
            **built.timings,
        },
        delta_recorded=delta_run is not None,
    )
    reporter = report.current()
    reporter.event(
        "written",
        f"Wrote {written.rows} rows to {output} in {finished - started:.1f} s "
        f"(build {built.finished - started:.1f} s, file {finished - built.finished:.1f} s).",
        rows=written.rows,
        file=str(output),
        seconds=round(finished - started, 3),
    )
    if delta_run is not None:
        reporter.event("delta", delta_run.summary(), **{**delta_run.describe(), "stateRecorded": True})


def summarise(args: argparse.Namespace, chosen: Destinations, built: Built, written: Written) -> None:
    """What the operator reads last: the personal data's mode, the build, the data quality issues."""
    reporter = report.current()
    if args.pii.mode != pii.DEFAULT_MODE:
        reporter.event(
            "pii", f"Personal data (--pii {args.pii.mode}): {args.pii.describe()}.", mode=args.pii.mode
        )
    reporter.event("built", build_summary(built.whole, built.state), rebuilt=built.whole)
    total = sum(count for _, count in built.issues)
    detail = ", ".join(f"{code} {count}" for code, count in built.issues)
    reporter.event(
        "summary",
        f"Data quality issues: {total}" + (f" ({detail})" if detail else "") + ".",
        rows=written.rows,
        file=str(chosen.output),
        manifest=str(chosen.manifest.path) if chosen.manifest else None,
        sha256=written.sha256,
        dataQualityIssues=dict(built.issues),
        dbtLog=str(chosen.log_dir / DBT_LOG),
        exitCode=0,
    )


def manage_delta_state(args: argparse.Namespace, engine: Engine) -> int:
    """--list-delta-exports and --reset-delta-export: the project's run-operations."""
    args.log_dir = paths.log_destination(args.log_dir, kept_paths(engine))
    export_guid = None if args.list_delta_exports else args.reset_delta_export.strip()
    if export_guid == "":
        raise ExportError("--reset-delta-export: expected an export GUID.")
    leftovers.remove_stale()
    with (
        resources.environment(),
        engine.hold(export_guid, args.lock_timeout),
        leftovers.temporary_folder("dbt") as target_path,
    ):
        dbt = Dbt(engine.target, target_path, {}, log_dir=args.log_dir)
        if export_guid is None:
            dbt.run_operation("list_delta_exports", {}, quiet=False)
        else:
            dbt.run_operation("reset_delta_export", {"export_guid": export_guid}, quiet=False)
    return 0
