"""Build the dbt project with the export's vars, showing a one-line progress."""

from __future__ import annotations

import gc
import hashlib
import json
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from exporter import leftovers, report
from exporter.errors import BuildFailure, DataQualityFailure, ExportError, raise_if_stopped
from exporter.project import EXPORT_MODEL, PARSES, PROJECT_DIR

# How many of the kept parses of the project (PARSES) stay: the newest
PARSES_KEPT = 8
# A whole build: the export model, build_state with every mart it is built after (its
# depends_on: the mart, its BI view, the custom fields, the data quality issues, the time spent per
# day and the training activities the export reads), everything
# upstream of them, and their tests; build_state records what it was built from.
SELECTION = [f"+{EXPORT_MODEL}", "+build_state"]
STRICT_TEST = "data_quality_issues_is_empty"
# the models that read a raw table (base_lms__<table>, a view) and first build it (stg_lms__<table>):
# an engine error there is one reading the table's file
RAW_READERS = ("base_lms__", "stg_lms__")


def as_data(value: Any) -> Any:
    """`value` as dbt must receive it to take it as data, whatever it holds (macro as_data).

    A text becomes `{"json": <the text as a JSON string>}`, in ASCII and with `{` and `}`
    escaped: it holds no Jinja delimiter, so dbt's rendering of vars leaves it alone, and no
    character YAML could refuse; the project's macros decode it. Other values pass as they are.
    """
    if not isinstance(value, str):
        return value
    text = json.dumps(value, ensure_ascii=True).replace("{", "\\u007b").replace("}", "\\u007d")
    return {"json": text}


# dbt's statuses of a node that did not succeed: a model or seed in error, a test that failed
FAILED = frozenset({"error", "fail"})
# dbt's events of a run-operation's error (its result carries no message)
OPERATION_ERRORS = ("RunningOperationCaughtError", "RunningOperationUncaughtError")


class Progress:
    """How far the build is, from dbt's events: `12 of 196 nodes`, through the reporter."""

    def __init__(self) -> None:
        self.report = report.current()
        self.done = 0
        self.failed = 0
        self.total: int | None = None
        if not self.report.live:  # on a terminal, the progress line says it
            self.report.event("building", "Building the dbt project...", to_err=True)

    def __call__(self, event: Any) -> None:
        name = event.info.name
        if name == "LogStartLine" and self.total is None:
            self.total = event.data.total
        if name != "NodeFinished":
            return
        self.done += 1
        if event.data.run_result.status in FAILED:
            self.failed += 1
        node = event.data.node_info.node_name
        self.report.progress(
            "build",
            f"Building the dbt project: {self.count()} ({node})",
            done=self.done,
            failed=self.failed,
            total=self.total,
            node=node,
        )

    def count(self) -> str:
        """`12 of 196 nodes done`, and how many of them failed, if any."""
        of = f" of {self.total}" if self.total else ""
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.done}{of} nodes done{failed}"

    def close(self) -> None:
        """The build is over: the last count is written (in a log) or the line cleared (terminal)."""
        if self.done and not self.report.live:
            self.report.progress(
                "build",
                f"Building the dbt project: {self.count()}.",
                final=True,
                done=self.done,
                failed=self.failed,
                total=self.total,
            )
        self.report.end_progress()


class Dbt:
    """The dbt invocations of one runner command: the same vars, and a target folder of its own.

    A target folder per command keeps concurrent exports (of other databases) from sharing
    dbt's artifacts, and lets a run-operation after the build reuse the build's parse.
    """

    def __init__(
        self,
        target: str,
        target_path: Path,
        dbt_vars: dict[str, Any],
        parse_key: str | None = None,
        log_dir: Path | None = None,
    ) -> None:
        self.target = target
        # where dbt writes its log of each invocation (dbt.log), if anywhere
        self.log_dir = log_dir
        self.target_path = target_path
        self.vars = _data_json(dbt_vars)
        self.strict = bool(dbt_vars.get("strict"))
        raw_path, raw_format = dbt_vars.get("raw_path"), dbt_vars.get("raw_format") or "parquet"
        self.raw_file = (lambda table: f"{raw_path}/{table}.{raw_format}") if raw_path else None
        self.parse_key = parse_key
        # dbt's parse of the project (msgpack), once known: every later invocation uses it, each
        # in a manifest of its own (dbt changes the nodes it compiles); the next one, if decoded
        self.parsed: bytes | None = None
        self.next_manifest: Any = None
        self.parse_reused = False
        # each model's columns as dbt's parse names them (declared_columns), once parsed
        self.columns: dict[str, tuple[str, ...]] = {}

    def build(self, whole: bool) -> dict[str, Any]:
        """Run `dbt build` for the export, of everything it needs (`whole`) or of the export alone,
        and return its timings; a failure becomes one ExportError.

        With a parse key, the build runs on the parse kept for it, if any, and otherwise parses
        the project and keeps that parse. A parse renders the export model, which checks the
        parameters before anything is built; on a kept parse the export model is compiled
        first instead (check_parameters), so that a parameter error still stops the run before
        any model is built."""
        progress = Progress()
        try:
            self._parse()
            if whole and self.parse_reused:
                self.check_parameters()
            run_result = self._invoke(self._build_args(whole), progress)
        finally:
            progress.close()
        return build_timings(run_result)

    def _parse(self) -> None:
        """The parse this command's invocations use: the one kept for its parse key, or a new one
        (then kept)."""
        if self.parse_key is None:
            return
        kept = _kept_parse(self.parse_key)
        if kept is not None:
            self.parsed, self.next_manifest = kept
            self.parse_reused = True
        else:
            manifest = self._invoke(["parse"])
            self.parsed, self.next_manifest = manifest.to_msgpack(_msgpack_encoder()), manifest
            _keep_parse(self.parse_key, self.parsed)
        self.columns = declared_columns(self.next_manifest)

    def check_parameters(self) -> None:
        """Compile the export model alone: its rendering checks every parameter, as a parse does,
        without building or dropping anything (dbt's compile runs no on-run-start hook). An
        export of the export model alone needs no such step: the export model is the first it
        builds.
        With --fail-fast, dbt's compile closes its thread pool when a node fails (without it,
        the pool stays open and Python reports an error about it at exit)."""
        self._invoke(["compile", "--select", EXPORT_MODEL, "--fail-fast"])

    def _build_args(self, whole: bool) -> list[str]:
        # a warehouse already built from the same project and extract needs only the export and its
        # tests (and strict mode's test, whose severity is this run's)
        selection = SELECTION if whole else [EXPORT_MODEL] + ([STRICT_TEST] if self.strict else [])
        return [
            "build",
            "--select",
            *selection,
            # unit tests check the code, not the data: CI runs them, exports need not
            "--exclude",
            "test_type:unit",
        ]

    def run_operation(self, macro: str, macro_args: dict[str, Any], quiet: bool) -> None:
        """Run a project macro (`dbt run-operation`); what it prints goes to stdout unless `quiet`."""
        args = ["run-operation", macro, "--args", _data_json(macro_args)]
        self._invoke(args, None if quiet else _show_printed)

    def _invoke(self, args: list[str], callback: Any = None) -> Any:
        from dbt.cli.main import dbtRunner

        # a run-operation's error reaches only its event, not its result
        caught: list[str] = []

        def catch(event: Any) -> None:
            if event.info.name in OPERATION_ERRORS:
                caught.append(str(event.data.exc))

        args += ["--target", self.target, "--vars", self.vars, "--target-path", str(self.target_path)]
        args += ["--log-level", "none"]
        if self.log_dir is not None:
            args += ["--log-path", str(self.log_dir), "--log-level-file", "debug"]
            # no colour codes in the file (dbt colours its status words by --use-colors)
            args += ["--no-use-colors-file", "--no-use-colors"]
        else:
            args += ["--log-level-file", "none"]
        args += ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
        manifest, self.next_manifest = self.next_manifest, None
        if manifest is None and self.parsed is not None:
            manifest = _parsed_manifest(self.parsed)
        try:
            callbacks = [catch, *([callback] if callback else [])]
            result = dbtRunner(manifest=manifest, callbacks=callbacks).invoke(args)
        finally:
            _release_database()
        raise_if_stopped()  # a stop during a query of dbt's main thread ends as a failed node
        if isinstance(result.exception, KeyboardInterrupt):
            raise result.exception
        if result.exception is not None:
            message = str(result.exception)
            # a compilation error is the project's macros refusing a parameter (or a var)
            kind = ExportError if "Compilation Error" in message else BuildFailure
            raise kind(user_message(message))
        if not result.success:
            raise _failure(result.result, self.raw_file, caught[0] if caught else None)
        return result.result


def parse_key(code_fingerprint: str, location: str, strict: bool) -> str:
    """What a kept parse is for: the code fingerprint (the project's code, the dbt versions, the
    target, whether raw files are read and their format: what a parse reads), the database (dbt
    names its relations after it: the DuckDB file, the Spark folder, the PostgreSQL server and
    database, Engine.database) and strict mode (the severity of a test); the environment
    variables a parse read are compared when it is used (_kept_parse). Not the raw folder nor its
    files, the export parameters, the build fingerprint or the run id: the project's parse does
    not read them (tests_py/test_build_once.py checks it)."""
    return hashlib.sha256(f"{code_fingerprint}\0{location}\0{strict}".encode()).hexdigest()


def _kept_parse(key: str) -> tuple[bytes, Any] | None:
    """The parse kept for `key` and its manifest; none when there is none, it cannot be read, or
    an environment variable it read (dbt records them) has another value now."""
    try:
        parsed = (PARSES / f"{key}.msgpack").read_bytes()
        manifest = _parsed_manifest(parsed)
    except Exception:  # a kept parse that cannot be read is parsed again, whatever the cause
        return None
    from dbt.constants import DEFAULT_ENV_PLACEHOLDER

    for name, value in manifest.env_vars.items():
        if os.environ.get(name, DEFAULT_ENV_PLACEHOLDER) != value:
            return None
    return parsed, manifest


def _keep_parse(key: str, parsed: bytes) -> None:
    """Keep `parsed` for `key`, written whole (a concurrent reader sees the previous file or this
    one), and the newest PARSES_KEPT others; a folder that cannot be written keeps nothing."""
    parse = PARSES / f"{key}.msgpack"
    partial = leftovers.partial(parse)
    with suppress(OSError):
        PARSES.mkdir(parents=True, exist_ok=True)
        target = leftovers.create(partial)  # fails on a file already there: not this run's
        try:
            with target:
                target.write(parsed)
            os.replace(partial, parse)
        finally:
            partial.unlink(missing_ok=True)
        kept = sorted(PARSES.glob("*.msgpack"), key=lambda path: path.stat().st_mtime, reverse=True)
        for stale in kept[PARSES_KEPT:]:
            stale.unlink(missing_ok=True)


def _msgpack_encoder() -> Any:
    from dbt.parser.manifest import extended_mashumaro_encoder

    return extended_mashumaro_encoder


def _parsed_manifest(parsed: bytes) -> Any:
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    return Manifest.from_msgpack(parsed, decoder=extended_mashumuro_decoder)


def declared_columns(manifest: Any) -> dict[str, tuple[str, ...]]:
    """Each model's columns, by model name, as its YAML names them (the case as written there)."""
    return {
        node.name: tuple(column.name for column in node.columns.values())
        for node in manifest.nodes.values()
        if node.resource_type == "model"
    }


def build_timings(run_result: Any) -> dict[str, Any]:
    """Where a build's time went: dbt's own run (after start-up and parsing) and, slowest first,
    each model and seed, and the data tests together (dbt runs several nodes at a time)."""
    seconds: dict[str, float] = {}
    for item in run_result.results:
        name = "data tests" if item.node.resource_type == "test" else item.node.name
        seconds[name] = seconds.get(name, 0.0) + item.execution_time
    slowest_first = sorted(seconds.items(), key=lambda entry: -entry[1])
    return {
        "dbtRunSeconds": round(run_result.elapsed_time, 3),
        "nodeSeconds": {name: round(value, 3) for name, value in slowest_first},
    }


def _show_printed(event: Any) -> None:
    """dbt sends a macro's print() as an event, which --log-level none would hide."""
    if event.info.name == "PrintEvent":
        report.current().line(event.data.msg)


# Vars that dbt's YAML reads (the lms source's location), where no macro decodes as_data: they
# pass as they are, and the runner takes only plain identifiers for them (cli._schema_name).
YAML_VARS = frozenset({"lms_schema"})


def _data_json(values: dict[str, Any]) -> str:
    """--vars or --args: every value as data (as_data), but YAML_VARS."""
    passed = {name: value if name in YAML_VARS else as_data(value) for name, value in values.items()}
    return json.dumps(passed)


def _failure(run_result: Any, raw_file: Any = None, operation_error: str | None = None) -> ExportError:
    """The one error of a failed build, of its kind: a parameter, setting or argument the macros
    refuse (compilation), strict mode's data quality, or a build failure; `raw_file(table)` names
    a raw table's file, if files are read; `operation_error`: a run-operation's error."""
    failures = [
        item
        for item in getattr(run_result, "results", [])
        if str(item.status) in ("error", "fail", "runtime error")
    ]
    if not failures:
        return BuildFailure("dbt build failed.")
    first = failures[0]
    if getattr(first, "node", None) is None:  # a run-operation's result
        message = operation_error or first.message or "dbt run-operation failed."
        kind = ExportError if "Compilation Error" in message else BuildFailure
        return kind(user_message(message))
    if first.node.name == STRICT_TEST:
        return DataQualityFailure(
            f"Strict mode: data_quality_issues has {first.failures} rows; the raw data must have no anomaly."
        )
    message = user_message(first.message or "")
    if "Compilation Error" in (first.message or ""):
        return ExportError(message)
    reader = next((prefix for prefix in RAW_READERS if first.node.name.startswith(prefix)), None)
    if raw_file is not None and reader is not None:
        table = first.node.name.removeprefix(reader)
        cause = raw_read_cause(first.message or "")
        # the extract does not follow the raw contract: input to fix, not a build to retry
        return ExportError(f"Raw file {raw_file(table)} could not be read: {cause}")
    return BuildFailure(f"dbt {first.node.resource_type} {first.node.name} failed: {message}")


def raw_read_cause(message: str) -> str:
    """Why the engine could not read a raw file: its error's first line and, for a CSV error
    (whose first line gives only the line number), the line saying what is wrong."""
    first = user_message(message)
    if "CSV Error" not in first:
        return first
    lines = [line.strip() for line in message.splitlines()]
    reasons = [
        line
        for line in lines[lines.index(first) + 1 :]
        if first in lines
        if line
        and " = " not in line
        and not line.startswith(("Original Line", "Possible Solution", "LINE", "^"))
    ]
    return f"{first}: {reasons[0]}" if reasons else first


def user_message(message: str) -> str:
    """The line of a dbt error meant for the user: not its heading, not its macro trace; a line
    that ends announcing its cause ("… failed, error:"), or a bare "Database Error", with the
    line of the cause."""
    lines = [line.strip() for line in message.splitlines()]
    useful = [
        line for line in lines if line and not line.startswith((">", "Compilation Error", "Runtime Error"))
    ]
    if not useful:
        return lines[0] if lines else "dbt failed."
    if useful[0].endswith(":") and len(useful) > 1:
        return f"{useful[0]} {useful[1]}"
    # a heading alone (dbt-postgres's error before any node ran: a schema it may not create)
    if useful[0] == "Database Error" and len(useful) > 1:
        return f"{useful[0]}: {useful[1]}"
    return useful[0]


def _release_database() -> None:
    """Close the database file dbt-duckdb keeps open in this process once dbt has returned.

    Other processes can then open it (DuckDB allows one writing process per file), also when
    the runner is called as a library rather than as a command.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()
    gc.collect()  # the dropped environment's connection closes the file when collected
