"""Command line: parameters and options in, one export file (and its manifest) out."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from exporter import delta, leftovers, paths, pii, publish, report
from exporter.build import Dbt, parse_key
from exporter.build_state import BuildState, build_fingerprint, code_fingerprint, recorded_state
from exporter.config import read_config
from exporter.engines import LOCATIONS, TARGETS, Engine
from exporter.errors import EXIT_CODES, ExportError, OutputFailure, Terminated, output_failures
from exporter.paths import DBT_LOG, STDOUT, Destination, Destinations
from exporter.project import PROJECT_DIR, git_commit, project_version
from exporter.request import (
    DELIMITERS,
    ENCODINGS,
    FORMATS,
    PARAMETERS,
    Column,
    ExportRequest,
    FileOptions,
    file_options,
    with_output_format,
)
from exporter.writer import write_export

# The folder of dbt's log of each run (appended to, rotated by dbt): dbt's own default folder
DEFAULT_LOG_DIR = PROJECT_DIR / "logs"
# The formats whose cells a spreadsheet may read as formulas (--escape-formulas)
FORMULA_FORMATS = ("csv", "tsv")


class Parser(argparse.ArgumentParser):
    """argparse whose errors are one line and exit code 2, like every other user mistake."""

    def error(self, message: str) -> None:  # type: ignore[override]
        report.current().error(f"{message} (see --help)", ExportError.exit_code)
        self.exit(ExportError.exit_code)

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> object:
        # argparse (Python 3.11) drops a value "--" given as --option=-- as if it were the end of
        # the options, and hands the option an empty list: a value is data, so keep it.
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            return self._get_value(action, "--")
        return super()._get_values(action, arg_strings)


def parser() -> argparse.ArgumentParser:
    cli = Parser(
        prog="python scripts/export.py",
        # an option is spelled in full: an abbreviation of --output would escape requested_stdout
        allow_abbrev=False,
        description="Build the Activity Tracking export and write it to a file.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes:\n"
        + "\n".join(f"  {code:<4}{meaning}" for code, meaning in sorted(EXIT_CODES.items())),
    )
    cli.add_argument("--config", type=Path, help="the platform's XML export configuration")
    cli.add_argument(
        "--output",
        help="the file to write (default: activity_tracking.<format>); - for standard output, or an "
        "existing FIFO or device, written as a stream",
    )
    cli.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an export parameter by its system name (repeatable)",
    )
    for name in PARAMETERS:
        cli.add_argument(
            f"--{name}", dest=f"parameter_{name}", metavar="VALUE", help=f"export parameter {name}"
        )
    cli.add_argument(
        "--format",
        choices=FORMATS,
        help="csv, tsv, parquet, jsonl or xlsx (default: from --output's extension, else csv)",
    )
    cli.add_argument("--encoding", help=f"{', '.join(ENCODINGS)} (csv and tsv; default UTF-8)")
    cli.add_argument("--delimiter", help=f"{', '.join(DELIMITERS)} (default semicolon)")
    cli.add_argument("--show-headers", dest="showHeaders", help="yes (default) or no")
    cli.add_argument("--decimal", help="decimal separator: point (default) or comma")
    cli.add_argument("--columns", help="comma list of system fields (default: every standard field)")
    cli.add_argument(
        "--encoding-errors",
        choices=("strict", "replace"),
        default="strict",
        help="replace: write '?' for characters the encoding cannot hold",
    )
    cli.add_argument(
        "--escape-formulas",
        action="store_true",
        help="csv and tsv: a text cell starting with =, +, -, @, a tab or a carriage return starts "
        "with an apostrophe, so that a spreadsheet shows it as text instead of running it",
    )
    cli.add_argument("--strict", action="store_true", help="fail when data_quality_issues is not empty")
    cli.add_argument(
        "--export-guid",
        help="the export's GUID (default: <export guid> of --config); deltaMode=Y exports its changes",
    )
    state = cli.add_mutually_exclusive_group()
    state.add_argument(
        "--list-delta-exports", action="store_true", help="print every export GUID's delta state and stop"
    )
    state.add_argument(
        "--reset-delta-export",
        metavar="GUID",
        help="forget what GUID has exported (its next delta is a full export) and stop",
    )
    cli.add_argument(
        "--publish-marts",
        type=Path,
        metavar="FILE",
        help="after the export, copy the marts with their descriptions and export_metadata to this DuckDB "
        "file, for BI tools",
    )
    cli.add_argument(
        "--publish-storage-version",
        metavar="VERSION",
        help="the DuckDB storage format of --publish-marts: "
        f"{', '.join(publish.STORAGE_VERSIONS)} (default {publish.DEFAULT_STORAGE_VERSION}, "
        "which DuckDB 1.x readers open)",
    )
    cli.add_argument(
        "--publish-parquet",
        type=Path,
        metavar="DIR",
        help="after the export, write the marts to this folder, one Parquet file per mart and "
        f"{publish.PARQUET_METADATA}, for tools that read Parquet (the folder is replaced whole)",
    )
    cli.add_argument(
        "--target",
        choices=TARGETS,
        default="duckdb",
        help="the engine (profiles.yml target): duckdb (default, build/activity_tracking.duckdb), "
        "spark (a local Spark, build/spark) or postgres (a PostgreSQL server: PGHOST, PGPORT, PGUSER, "
        "PGPASSWORD, PGDATABASE)",
    )
    cli.add_argument(
        "--lock-timeout",
        type=_seconds,
        default=300,
        metavar="SECONDS",
        help="how long to wait for another export on the same database to finish (default 300)",
    )
    cli.add_argument(
        "--rebuild",
        action="store_true",
        help="build every model even when the project and the raw extract are those the warehouse "
        "was built from (by default only the export is built then)",
    )
    cli.add_argument(
        "--pii",
        choices=pii.MODES,
        default=pii.DEFAULT_MODE,
        help="learners' names, emails, logins and reference numbers in the file and the published "
        f"copies: keep (default), pseudonymise (HMAC-SHA-256, key in {pii.KEY_VARIABLE}) or drop (empty)",
    )
    raw = cli.add_mutually_exclusive_group()
    raw.add_argument("--raw-path", help="read the raw extract from this folder of files")
    raw.add_argument(
        "--lms-schema",
        type=_schema_name,
        metavar="SCHEMA",
        help="read the raw extract from the tables in this schema of the engine's database (loaded "
        "there by an EL tool; var lms_schema); every run then builds every model",
    )
    cli.add_argument(
        "--log-format",
        choices=report.LOG_FORMATS,
        default="text",
        help="text (default) or json: one JSON object per line on stdout for each step and the summary",
    )
    cli.add_argument(
        "--log-dir",
        type=Path,
        default=DEFAULT_LOG_DIR,
        metavar="DIR",
        help=f"the folder of dbt's log, {DBT_LOG} (default {DEFAULT_LOG_DIR.name}/ in the project)",
    )
    cli.add_argument("--raw-format", help="parquet (default) or csv, with --raw-path")
    return cli


def _schema_name(text: str) -> str:
    """A schema name as dbt's source YAML takes it: a plain identifier (letters, digits, `_`)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
        message = f"{report.shown(text)!r} is not a schema name of letters, digits and _"
        raise argparse.ArgumentTypeError(message)
    return text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 10**9:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected a number of seconds (0 or more)")
    return value


def request_from(args: argparse.Namespace) -> ExportRequest:
    """The XML configuration, then the command line over it."""
    request = read_config(args.config) if args.config else ExportRequest()
    for item in args.param:
        name, separator, value = item.partition("=")
        if not separator:
            raise ExportError(f"--param {item}: expected NAME=VALUE.")
        request.parameters[_parameter_name(name.strip())] = value
    for name in PARAMETERS:
        value = getattr(args, f"parameter_{name}")
        if value is not None:
            request.parameters[name] = value
    for option in ("format", "encoding", "delimiter", "showHeaders", "decimal"):
        value = getattr(args, option)
        if value is not None:
            request.file_options[option] = value
    if args.export_guid is not None:
        request.export_guid = args.export_guid.strip() or None
    if args.columns:
        request.columns = [
            Column(name.strip(), field=name.strip()) for name in args.columns.split(",") if name.strip()
        ]
    return request


def _parameter_name(name: str) -> str:
    if name not in PARAMETERS:
        raise ExportError(f"Unknown parameter {name}: expected one of {', '.join(PARAMETERS)}.")
    return name


def dbt_vars(request: ExportRequest, args: argparse.Namespace, as_of: str, run_id: str) -> dict:
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


def requested_log_format(argv: Sequence[str]) -> str:
    """--log-format as given, read before the arguments are parsed, so that a mistake in them is
    reported in the format asked for; text when absent or invalid (argparse then says why)."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        value = argument.partition("=")[2] if argument.startswith("--log-format=") else None
        if argument == "--log-format" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in report.LOG_FORMATS:
            return value
    return "text"


def requested_stdout(argv: Sequence[str]) -> bool:
    """Whether the export goes to standard output (`--output -`), read before the arguments are
    parsed, so that nothing else is ever written there."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == f"--output={STDOUT}" or (
            argument == "--output" and argv[index + 1 : index + 2] == [STDOUT]
        ):
            return True
    return False


def issue_counts(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect(("main.data_quality_issues",)) as connection:
        return connection.execute(
            "select issue_code, count(*) from main.data_quality_issues group by 1 order by 2 desc, 1"
        ).fetchall()


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, parsed; --pii checked into its settings."""
    args = parser().parse_args(argv)
    args.pii = pii.settings(args.pii)
    return args


def run(argv: Sequence[str] | None) -> int:
    started = time.monotonic()
    run_id = uuid.uuid4().hex
    report.current().run_id = run_id
    args = arguments(argv)  # before anything is created (the log folder, the output's)
    engine = Engine.from_environment(args.target)
    if args.list_delta_exports or args.reset_delta_export is not None:
        args.log_dir = paths.log_destination(args.log_dir, kept_paths(engine))
        return manage_delta_state(args, engine)
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
            f"--escape-formulas applies to csv and tsv, not to format {options.format} "
            "(xlsx keeps every text as text)."
        )
    kept = kept_paths(engine, args.raw_path, args.config)
    chosen = paths.destinations(
        args.output, options.format, args.publish_marts, args.publish_parquet, args.log_dir, kept
    )
    # the export goes to standard output however it was named (-, /dev/stdout): the log does not
    report.current().stdout_taken = chosen.output.stdout
    leftovers.remove_stale(None if chosen.output.stream else chosen.output.path)
    with (
        engine.hold(request.export_guid, args.lock_timeout),
        leftovers.temporary_folder("dbt") as target_path,
    ):
        return export(args, request, options, chosen, engine, target_path, started, run_id)


def kept_paths(engine: Engine, raw_path: str | None = None, config: Path | None = None) -> list[paths.Kept]:
    """What the run reads and keeps, once the engine's location is checked against what it reads."""
    inputs = paths.input_paths(raw_path, config)
    if engine.location is None:  # a server: nothing of it is on this machine
        return inputs
    paths.check_location(LOCATIONS[engine.target][0], engine.target, engine.location, inputs)
    return [*inputs, *paths.engine_paths(engine.target, engine.location)]


def export(
    args: argparse.Namespace,
    request: ExportRequest,
    options: FileOptions,
    chosen: Destinations,
    engine: Engine,
    target_path: Path,
    started: float,
    run_id: str,
) -> int:
    """Build, write the file, then (delta mode) record the state: in that order."""
    output = chosen.output
    as_of = request.parameters.get("asOf", "").strip() or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    values = dbt_vars(request, args, as_of, run_id)
    code = code_fingerprint(engine.target, values.get("raw_path"), values.get("raw_format"), args.lms_schema)
    fingerprint = build_fingerprint(code, values.get("raw_path"))
    # tables in the warehouse: the runner cannot tell whether they changed since the last build
    previous = None if args.rebuild or args.lms_schema else recorded_state(engine)
    whole = previous is None or previous.fingerprint != fingerprint
    key = parse_key(code, engine.database, bool(values.get("strict")))
    dbt = Dbt(engine.target, target_path, {**values, "buildFingerprint": fingerprint}, key, chosen.log_dir)
    reporter = report.current()
    reporter.event("started", None, output=str(output), database=engine.database, wholeBuild=whole)
    build_timings = dbt.build(whole)
    built = time.monotonic()
    state = recorded_state(engine)
    delta_run = delta.selected_run(engine, run_id)
    issues = issue_counts(engine)
    manifest = {
        "file": output.path.name,
        "runId": run_id,
        "engine": engine.target,
        "database": engine.database,
        "exportGuid": request.export_guid,
        "asOf": as_of,
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
        "build": {"rebuilt": whole, "parseReused": dbt.parse_reused, **(state.describe() if state else {})},
        "code": {"projectVersion": project_version(), "codeFingerprint": code, "gitCommit": git_commit()},
        "dataQualityIssues": {"total": sum(count for _, count in issues), "byCode": dict(issues)},
        "dbtLog": str(chosen.log_dir / DBT_LOG),
        "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    written, _ = write_export(
        engine,
        output,
        chosen.manifest,
        manifest,
        request.columns,
        options,
        replace_unencodable=args.encoding_errors == "replace",
        # xlsx shows date-times in the export's time zone (validated by the build)
        zone=request.parameters.get("timezone", "").strip() or "UTC",
        # delta mode: from here on the file may reach its reader
        before_replace=(lambda: delta.record(delta_run, dbt, "written")) if delta_run else None,
        pii=args.pii,
        escape_formulas=args.escape_formulas,
    )
    if delta_run is not None:
        try:
            delta.record(delta_run, dbt, "recorded")
            delta.check_recorded(engine, delta_run)
        except (ExportError, KeyboardInterrupt) as error:
            cause = f" ({error})" if isinstance(error, ExportError) else " (interrupted)"
            raise OutputFailure(
                f"{output} is written but the delta state of {delta_run.export_guid} was not recorded"
                f"{cause}: its next delta export includes these rows again."
            ) from None
    finished = time.monotonic()
    _update_manifest(
        chosen.manifest,
        timings={
            "buildSeconds": round(built - started, 3),
            "writeSeconds": round(finished - built, 3),
            **build_timings,
        },
        delta_recorded=delta_run is not None,
    )
    reporter.event(
        "written",
        f"Wrote {written.rows} rows to {output} in {finished - started:.1f} s "
        f"(build {built - started:.1f} s, file {finished - built:.1f} s).",
        rows=written.rows,
        file=str(output),
        seconds=round(finished - started, 3),
    )
    if delta_run is not None:
        reporter.event("delta", delta_run.summary(), **{**delta_run.describe(), "stateRecorded": True})
    if chosen.marts is not None or chosen.parquet is not None:
        assert engine.location is not None  # a DuckDB file: the options need --target duckdb
        publish_copies(args, chosen, engine, publish.export_metadata(engine.location, code))
    if args.pii.mode != pii.DEFAULT_MODE:
        reporter.event(
            "pii", f"Personal data (--pii {args.pii.mode}): {args.pii.describe()}.", mode=args.pii.mode
        )
    reporter.event("built", build_summary(whole, state), rebuilt=whole)
    total = sum(count for _, count in issues)
    detail = ", ".join(f"{code} {count}" for code, count in issues)
    reporter.event(
        "summary",
        f"Data quality issues: {total}" + (f" ({detail})" if detail else "") + ".",
        rows=written.rows,
        file=str(output),
        manifest=str(chosen.manifest.path) if chosen.manifest else None,
        sha256=written.sha256,
        dataQualityIssues=dict(issues),
        dbtLog=str(chosen.log_dir / DBT_LOG),
        exitCode=0,
    )
    return 0


def publish_copies(args: argparse.Namespace, chosen: Destinations, engine: Engine, metadata: dict) -> None:
    """--publish-marts and --publish-parquet, once the export file is in place."""
    assert engine.location is not None  # a DuckDB file: the options need --target duckdb
    try:
        if chosen.marts is not None:
            publish.publish_marts(
                engine.location, chosen.marts.path, args.publish_storage_version, metadata, args.pii
            )
            report.current().event(
                "published",
                f"Published the marts to {chosen.marts.path} (storage {args.publish_storage_version}).",
                target=str(chosen.marts.path),
            )
        if chosen.parquet is not None:
            publish.publish_parquet(engine.location, chosen.parquet.path, metadata, args.pii)
            report.current().event(
                "published",
                f"Published the marts as Parquet to {chosen.parquet.path}.",
                target=str(chosen.parquet.path),
            )
    except ExportError as error:
        raise OutputFailure(f"{chosen.output} is written, but: {error}") from None


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


def manage_delta_state(args: argparse.Namespace, engine: Engine) -> int:
    """--list-delta-exports and --reset-delta-export: the project's run-operations."""
    export_guid = None if args.list_delta_exports else args.reset_delta_export.strip()
    if export_guid == "":
        raise ExportError("--reset-delta-export: expected an export GUID.")
    leftovers.remove_stale()
    with (
        engine.hold(export_guid, args.lock_timeout),
        leftovers.temporary_folder("dbt") as target_path,
    ):
        dbt = Dbt(engine.target, target_path, {}, log_dir=args.log_dir)
        if export_guid is None:
            dbt.run_operation("list_delta_exports", {}, quiet=False)
        else:
            dbt.run_operation("reset_delta_export", {"export_guid": export_guid}, quiet=False)
    return 0


def _update_manifest(
    manifest_file: Destination | None, timings: dict[str, float], delta_recorded: bool
) -> None:
    """Add what is known once the file is in place: timings, and that the delta state is recorded
    (a stream has no manifest)."""
    if manifest_file is None:
        return
    path = manifest_file.path
    with output_failures(f"Cannot write {path}"):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["timings"] = timings
        if delta_recorded:
            manifest["delta"]["stateRecorded"] = True
        partial = leftovers.partial(path)
        target = leftovers.create(partial)
        try:
            with target:
                target.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


def _stopped(reporter: report.Reporter, message: str, exit_code: int) -> None:
    """Ctrl-C or SIGTERM: on its own line after any progress (text), or an error event (json)."""
    if reporter.json:
        reporter.error(message, exit_code)
    else:
        reporter.end_progress()
        reporter.line("", to_err=True)
        reporter.line(message, to_err=True)


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    report.reopen_closed_streams()
    previous = signal.signal(signal.SIGTERM, _terminate)
    given = sys.argv[1:] if argv is None else argv
    reporter = report.configure(requested_log_format(given), requested_stdout(given))
    try:
        return run(argv)
    except ExportError as error:
        reporter.error(str(error), error.exit_code)
        return error.exit_code
    except Terminated:
        _stopped(reporter, "terminated: no file written.", 143)
        return 143
    except KeyboardInterrupt:
        _stopped(reporter, "interrupted: no file written.", 130)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
