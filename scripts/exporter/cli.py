"""The command line: parse it, then hand it to the export's steps (pipeline.py) or to the delta
state's command; a failure ends as one message and its exit code (errors.py)."""

from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from exporter import paths, pii, pipeline, publish, report
from exporter.engines import TARGETS, Engine
from exporter.errors import EXIT_CODES, ExportError, Terminated, raise_if_stopped, stops_recorded
from exporter.project import PROJECT_DIR
from exporter.request import DELIMITERS, ENCODINGS, FORMATS, PARAMETERS

# The folder of dbt's log of each run (appended to, rotated by dbt): dbt's own default folder
DEFAULT_LOG_DIR = PROJECT_DIR / "logs"


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
    """The runner's options; one line of help each (docs/using.md says more)."""
    cli = Parser(
        prog="python scripts/export.py",
        # an option is spelled in full: an abbreviation of --output would escape paths.requested_stdout
        allow_abbrev=False,
        description="Build the Activity Tracking export and write it to a file.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes:\n"
        + "\n".join(f"  {code:<4}{meaning}" for code, meaning in sorted(EXIT_CODES.items())),
    )
    cli.add_argument("--config", type=Path, help="the platform's XML export configuration")
    cli.add_argument(
        "--output",
        help="the file (default activity_tracking.<format>); - for stdout, a FIFO or device as a stream",
    )
    cli.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="an export parameter (repeatable)"
    )
    for name in PARAMETERS:
        cli.add_argument(
            f"--{name}", dest=f"parameter_{name}", metavar="VALUE", help=f"export parameter {name}"
        )
    cli.add_argument("--format", choices=FORMATS, help="default: from --output's extension, else csv")
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
        "--escape-formulas", action="store_true", help="csv, tsv: a cell starting as a formula starts with '"
    )
    cli.add_argument("--strict", action="store_true", help="fail when data_quality_issues is not empty")
    cli.add_argument("--export-guid", help="the export's GUID (default: <export guid> of --config)")
    state = cli.add_mutually_exclusive_group()
    state.add_argument("--list-delta-exports", action="store_true", help="print each GUID's delta state")
    state.add_argument("--reset-delta-export", metavar="GUID", help="forget what GUID has exported")
    cli.add_argument(
        "--publish-marts", type=Path, metavar="FILE", help="then copy the marts to this DuckDB file"
    )
    cli.add_argument(
        "--publish-storage-version",
        metavar="VERSION",
        help=f"the DuckDB format of --publish-marts: {', '.join(publish.STORAGE_VERSIONS)} "
        f"(default {publish.DEFAULT_STORAGE_VERSION}, which DuckDB 1.x opens)",
    )
    cli.add_argument(
        "--publish-parquet", type=Path, metavar="DIR", help="then write the marts as Parquet to this folder"
    )
    cli.add_argument(
        "--target",
        choices=TARGETS,
        default="duckdb",
        help="the engine (profiles.yml target): duckdb (default), spark (a local Spark) or postgres (PG*)",
    )
    cli.add_argument(
        "--lock-timeout",
        type=_seconds,
        default=300,
        metavar="SECONDS",
        help="how long to wait for another export on the database (default 300)",
    )
    cli.add_argument(
        "--rebuild",
        action="store_true",
        help="build every model, even from the project and extract last built",
    )
    cli.add_argument(
        "--pii",
        choices=pii.MODES,
        default=pii.DEFAULT_MODE,
        help=f"learners' personal data: keep (default), pseudonymise (key in {pii.KEY_VARIABLE}) or drop",
    )
    raw = cli.add_mutually_exclusive_group()
    raw.add_argument("--raw-path", help="read the raw extract from this folder of files")
    raw.add_argument(
        "--lms-schema", type=_schema_name, metavar="SCHEMA", help="read the raw tables in this schema"
    )
    cli.add_argument(
        "--log-format", choices=report.LOG_FORMATS, default="text", help="json: one JSON object per line"
    )
    cli.add_argument(
        "--log-dir",
        type=Path,
        default=DEFAULT_LOG_DIR,
        metavar="DIR",
        help=f"the folder of dbt's log, {paths.DBT_LOG} (default {DEFAULT_LOG_DIR.name}/ in the project)",
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


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, parsed; --pii checked into its settings."""
    args = parser().parse_args(argv)
    args.pii = pii.settings(args.pii)
    return args


def run(argv: Sequence[str] | None) -> int:
    """Parse the command line, then run the export, or the delta state's command."""
    started = time.monotonic()
    run_id = uuid.uuid4().hex
    report.current().run_id = run_id
    args = arguments(argv)  # before anything is created (the log folder, the output's)
    engine = Engine.from_environment(args.target)
    if args.list_delta_exports or args.reset_delta_export is not None:
        return pipeline.manage_delta_state(args, engine)
    return pipeline.run(args, engine, started, run_id)


def main(argv: Sequence[str] | None = None) -> int:
    report.reopen_closed_streams()
    given = sys.argv[1:] if argv is None else argv
    reporter = report.configure(report.requested_log_format(given), paths.requested_stdout(given))
    with stops_recorded():
        try:
            try:
                return run(argv)
            except ExportError:
                raise
            except Exception:
                raise_if_stopped()  # DuckDB's "Query interrupted" error: the stop asked for
                raise
        except ExportError as error:
            reporter.error(str(error), error.exit_code)
            return error.exit_code
        except Terminated:
            reporter.stopped("terminated: no file written.", 143)
            return 143
        except KeyboardInterrupt:
            reporter.stopped("interrupted: no file written.", 130)
            return 130
