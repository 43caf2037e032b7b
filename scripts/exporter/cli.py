"""Command line: parameters and options in, one export file (and its manifest) out."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from exporter.build import PROJECT_DIR, build
from exporter.config import read_config
from exporter.errors import ExportError
from exporter.request import (
    DELIMITERS,
    ENCODINGS,
    FORMATS,
    PARAMETERS,
    Column,
    ExportRequest,
    file_options,
)
from exporter.writer import remove_stale_partials, write_export

DEFAULT_DATABASE = "build/activity_tracking.duckdb"


class Parser(argparse.ArgumentParser):
    """argparse whose errors are one line and exit code 2, like every other user mistake."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    cli = Parser(
        prog="python scripts/export.py",
        description="Build the Activity Tracking export and write it to a file.",
    )
    cli.add_argument("--config", type=Path, help="the platform's XML export configuration")
    cli.add_argument("--output", type=Path, help="the file to write (default: activity_tracking.<format>)")
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
    cli.add_argument("--format", choices=FORMATS, help="csv (default), tsv, parquet or jsonl")
    cli.add_argument("--encoding", help=f"{', '.join(ENCODINGS)} (default UTF-8)")
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
    cli.add_argument("--strict", action="store_true", help="fail when data_quality_issues is not empty")
    cli.add_argument("--raw-path", help="read the raw extract from this folder of files")
    cli.add_argument("--raw-format", help="parquet (default) or csv, with --raw-path")
    return cli


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
    if args.columns:
        request.columns = [
            Column(name.strip(), field=name.strip()) for name in args.columns.split(",") if name.strip()
        ]
    return request


def _parameter_name(name: str) -> str:
    if name not in PARAMETERS:
        raise ExportError(f"Unknown parameter {name}: expected one of {', '.join(PARAMETERS)}.")
    return name


def output_path(args: argparse.Namespace, file_format: str) -> Path:
    """The file to write, checked before the build: its folder exists and takes a new file."""
    output = (args.output or Path(f"activity_tracking.{file_format}")).expanduser().resolve()
    if output.is_dir():
        raise ExportError(f"Output {output} is a folder: name the file to write.")
    if not output.parent.is_dir():
        raise ExportError(f"Output folder {output.parent} does not exist.")
    try:
        with tempfile.TemporaryFile(dir=output.parent):
            pass
    except OSError as error:
        raise ExportError(f"Output folder {output.parent} is not writable: {error.strerror}.") from None
    return output


def database_path() -> Path:
    return (PROJECT_DIR / os.environ.get("ACTIVITY_TRACKING_DB", DEFAULT_DATABASE)).resolve()


def dbt_vars(request: ExportRequest, args: argparse.Namespace, as_of: str) -> dict:
    values: dict = {"asOf": as_of, **request.parameters}
    if "decimal" in request.file_options:
        values["decimal"] = request.file_options["decimal"]
    if args.strict:
        values["strict"] = True
    if args.raw_path:
        values["raw_path"] = str(Path(args.raw_path).expanduser().resolve())
    if args.raw_format:
        values["raw_format"] = args.raw_format
    return values


def issue_counts(database: Path) -> list[tuple[str, int]]:
    with duckdb.connect(str(database)) as connection:
        return connection.execute(
            "select issue_code, count(*) from main.data_quality_issues group by 1 order by 2 desc, 1"
        ).fetchall()


def run(argv: Sequence[str] | None) -> int:
    started = time.monotonic()
    args = parser().parse_args(argv)
    request = request_from(args)
    options = file_options(request.file_options)
    output = output_path(args, options.format)
    remove_stale_partials(output)
    as_of = request.parameters.get("asOf", "").strip() or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    variables = dbt_vars(request, args, as_of)
    database = database_path()
    os.environ["ACTIVITY_TRACKING_DB"] = str(database)
    build(variables)
    built = time.monotonic()
    manifest = {
        "file": output.name,
        "engine": "duckdb",
        "database": str(database),
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
        "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    written, _ = write_export(
        database,
        output,
        manifest,
        request.columns,
        options,
        replace_unencodable=args.encoding_errors == "replace",
    )
    finished = time.monotonic()
    _rewrite_timings(output, built - started, finished - built)
    issues = issue_counts(database)
    print(
        f"Wrote {written.rows} rows to {output} in {finished - started:.1f} s "
        f"(build {built - started:.1f} s, file {finished - built:.1f} s)."
    )
    total = sum(count for _, count in issues)
    detail = ", ".join(f"{code} {count}" for code, count in issues)
    print(f"Data quality issues: {total}" + (f" ({detail})" if detail else "") + ".")
    return 0


def _rewrite_timings(output: Path, build_seconds: float, write_seconds: float) -> None:
    """Add the timings to the manifest (written before the file was moved in place)."""

    manifest_path = output.with_name(output.name + ".manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["timings"] = {"buildSeconds": round(build_seconds, 3), "writeSeconds": round(write_seconds, 3)}
    partial = manifest_path.with_name(f".{manifest_path.name}.partial-{os.getpid()}")
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, manifest_path)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted: no file written.", file=sys.stderr)
        return 130
