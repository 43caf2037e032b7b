"""Write the export file and its manifest atomically from what the build made (engines.py), then
complete the manifest once the run has recorded its state (update_manifest)."""

from __future__ import annotations

import codecs
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import duckdb

from exporter import leftovers, report
from exporter.errors import BuildFailure, ExportError, OutputFailure, output_failures
from exporter.excel import write_xlsx
from exporter.leftovers import temporary_folder
from exporter.paths import Destination
from exporter.pii import KEEP, Pii, expression, install, personal
from exporter.project import CUSTOM_FIELDS, EXPORT, EXPORT_MODEL, MART, identifier, literal
from exporter.request import Column, FileOptions

if TYPE_CHECKING:
    from exporter.engines import Engine

CHUNK = 1 << 20
# In parquet, jsonl and xlsx, these mart types stay typed; in jsonl every other field is the
# rendered text.
TYPED = ("BIGINT", "INTEGER", "DECIMAL")
# How long a FIFO given as --output may go without a reader once the file is ready.
READER_SECONDS = 60
# The export's last column: timeSpent's seconds as a number (not an export field).
TIME_SPENT_SECONDS = "timeSpentSeconds"
# --escape-formulas (OWASP's advice against CSV injection): a text cell starting with one of these
# is read as a formula by spreadsheets; a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# csv and tsv: a value holding the delimiter or one of these, or empty (unlike NULL), is quoted,
# its quotes doubled (the rule of DuckDB's CSV writer, which wrote the files before delimited_lines)
QUOTED_CHARACTERS = ('"', "\r", "\n")
# The order of the file's rows: by reportId.
ROW_ORDER = "cast(export.reportId as bigint)"


@dataclass(frozen=True)
class Written:
    rows: int
    sha256: str


def export_fields(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The export's system fields in their default order, with the mart type of each (the
    export's typed timeSpentSeconds apart)."""
    rows = connection.execute(
        "select export.column_name, mart.data_type from information_schema.columns as export "
        "left join information_schema.columns as mart on mart.table_schema = 'main' "
        "and mart.table_name = ? and mart.column_name = export.column_name "
        "where export.table_schema = 'main' and export.table_name = ? "
        "order by export.ordinal_position",
        [MART.removeprefix("main."), EXPORT_MODEL],
    ).fetchall()
    return {name: data_type or "VARCHAR" for name, data_type in rows if name != TIME_SPENT_SECONDS}


def resolve_columns(columns: list[Column] | None, fields: dict[str, str]) -> list[Column]:
    """The requested columns, or every standard field in the default order."""
    if not columns:
        return [Column(name, field=name) for name in fields]
    unknown = [column.field for column in columns if column.field and column.field not in fields]
    if unknown:
        raise ExportError(
            f"Unknown column {unknown[0]}: expected a system field of the export "
            "(e.g. reportId, activityName), constantValue or candidateCustomFieldGuid."
        )
    return columns


def select_query(
    columns: list[Column],
    fields: dict[str, str],
    typed: str | None,
    extra: str = "",
    zone: str = "UTC",
    pii: Pii = KEEP,
    escape_formulas: bool = False,
    ordered: bool = True,
) -> str:
    """The query of the file's rows, ordered by reportId unless not `ordered`; columns are named
    c0, c1, …, then `extra`.

    `typed`: None, every field is the rendered text; "numbers" (jsonl), integers and decimals
    are numbers; "instants" (parquet), dates are dates, date-times UTC instants (from the mart)
    and timeSpent its seconds; "local" (xlsx), the same with date-times as wall-clock time in
    the time zone `zone`. The personal fields are written in `pii`'s mode (pii.py). With
    `escape_formulas`, the text fields, constants and custom fields starting as a formula does
    (FORMULA_STARTS) start with an apostrophe.
    """
    guids = sorted({c.custom_field_guid for c in columns if c.custom_field_guid})
    alias = {guid: f"custom_field_{index}" for index, guid in enumerate(guids)}
    expressions = []
    for index, column in enumerate(columns):
        if column.field is not None:
            value = _field_expression(column.field, fields[column.field], typed, zone)
            value = expression(value, pii) if personal([column.field]) else value
            text = fields[column.field] == "VARCHAR"
        elif column.constant is not None:
            value, text = literal(column.constant), True
        else:
            value, text = f"{alias[column.custom_field_guid]}.candidateCustomFieldValue", True
        if escape_formulas and text:
            value = _formula_escaped(value)
        expressions.append(f"{value} as c{index}")
    joins = "".join(
        f" left join {CUSTOM_FIELDS} as {name} on {name}.candidateId = cast(export.candidateId as bigint)"
        f" and {name}.candidateCustomFieldGuid = {literal(guid)}"
        for guid, name in alias.items()
    )
    if typed not in (None, "numbers"):
        joins += f" left join {MART} as typed on typed.reportId = cast(export.reportId as bigint)"
    order = f" order by {ROW_ORDER}" if ordered else ""
    return f"select {', '.join(expressions)}{extra} from {EXPORT} as export{joins}{order}"


def _formula_escaped(value: str) -> str:
    """`value` (SQL text) with an apostrophe before it when it starts as a formula does."""
    starts = ", ".join(literal(start) for start in FORMULA_STARTS)
    apostrophe = literal("'")
    return f"(case when left({value}, 1) in ({starts}) then {apostrophe} || {value} else {value} end)"


def escaped_label(label: str) -> str:
    """A header label as --escape-formulas writes it."""
    return "'" + label if label.startswith(FORMULA_STARTS) else label


def _field_expression(field: str, data_type: str, typed: str | None, zone: str) -> str:
    """One system field as the file writes it (see select_query)."""
    rendered = f"export.{identifier(field)}"
    if typed is None:
        return rendered
    if field == "timeSpent":
        return rendered if typed == "numbers" else f"export.{TIME_SPENT_SECONDS}"
    if data_type.startswith(TYPED):
        return f"cast(replace({rendered}, ',', '.') as {data_type})"
    if typed == "numbers" or data_type not in ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"):
        return rendered
    value = f"typed.{identifier(field)}"
    if data_type == "DATE":
        return value
    # the mart's timestamps are UTC wall-clock time (a Spark build's Parquet files hold instants)
    instant = value if data_type == "TIMESTAMP WITH TIME ZONE" else f"timezone('UTC', {value})"
    return instant if typed == "instants" else f"timezone({literal(zone)}, {instant})"


def write_export(
    engine: Engine,
    output: Destination,
    manifest_file: Destination | None,
    manifest: dict,
    requested: list[Column] | None,
    options: FileOptions,
    replace_unencodable: bool,
    before_replace: Callable[[], None] | None = None,
    zone: str = "UTC",
    pii: Pii = KEEP,
    escape_formulas: bool = False,
) -> tuple[Written, list[Column]]:
    """Write `output` and its manifest (`manifest_file`: <output>.manifest.json); both appear whole
    or not at all.

    The rows go to a partial file in one pass (_copy), never read back (xlsx apart: its SHA-256
    is taken on the written file), then moved in place. A stream (standard output, a FIFO, a
    device) has no manifest: its partial file is written in a temporary folder, then copied
    into the stream, which is opened as it is (never created, replaced or removed). `zone` is
    the export's time zone (parameter timezone), in which xlsx shows date-times.
    `before_replace` runs once the file is complete, just before it is moved in place or
    copied into its stream. `pii`: how the personal fields are written. `escape_formulas`:
    text cells of csv and tsv never start as a formula (select_query).
    """
    with ExitStack() as stack, output_failures(f"Cannot write {output}"):
        if output.stream:
            partial = stack.enter_context(temporary_folder("stream")) / "export"
        else:
            partial = leftovers.partial(output.path)
        manifest_partial = leftovers.partial(manifest_file.path) if manifest_file is not None else None
        created: list[Path] = []  # removed at the end, if still there: only what this run created
        try:
            with (
                engine.connect((EXPORT, MART, CUSTOM_FIELDS)) as connection,
                _created(partial, created) as target,
            ):
                fields = export_fields(connection)
                if not fields:
                    raise BuildFailure(f"No {EXPORT_MODEL} in {engine.database}: the build did not run.")
                columns = resolve_columns(requested, fields)
                selected = personal(list(dict.fromkeys(c.field for c in columns if c.field)))
                install(connection, pii, MART, [identifier(name) for name in selected])
                sink = _HashingFile(target)
                rows = _write_rows(
                    connection,
                    columns,
                    fields,
                    options,
                    sink,
                    replace_unencodable,
                    zone,
                    pii,
                    escape_formulas,
                )
                target.flush()
                os.fsync(target.fileno())
            digest = _file_sha256(partial) if options.format == "xlsx" else sink.hexdigest()
            written = Written(rows, digest)
            if manifest_file is not None and manifest_partial is not None:
                # the manifest records the file it sits beside
                manifest = {
                    **manifest,
                    "columns": [c.describe() for c in columns],
                    "rowCount": written.rows,
                    "sha256": written.sha256,
                }
                with _created(manifest_partial, created) as target:
                    target.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            if before_replace is not None:
                before_replace()
            if output.stream:
                _deliver(partial, output)
            else:
                os.replace(partial, output.path)
            if manifest_file is not None and manifest_partial is not None:
                os.replace(manifest_partial, manifest_file.path)
            return written, columns
        finally:
            for leftover in created:
                leftover.unlink(missing_ok=True)


def update_manifest(
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


@contextmanager
def _created(path: Path, created: list[Path]) -> Iterator[BinaryIO]:
    """`path` created new for writing (leftovers.create), and noted in `created`."""
    with leftovers.create(path) as target:
        created.append(path)
        yield target


def _deliver(partial: Path, output: Destination) -> None:
    """Copy the complete file `partial` into the stream `output`: standard output, or a FIFO or
    character device opened as it is (no file is ever created in its place). A FIFO is given
    READER_SECONDS to have a reader."""
    with partial.open("rb") as source:
        if output.stdout:
            try:
                sys.stdout.flush()
                shutil.copyfileobj(source, sys.stdout.buffer, CHUNK)
                sys.stdout.buffer.flush()
            except OSError:
                report.silence(sys.stdout)  # what is left in its buffer goes nowhere at exit
                raise
            return
        with open(_open_stream(output), "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)


def _open_stream(output: Destination) -> int:
    """The descriptor of the FIFO or device `output`, opened for writing as it is. Opening a
    FIFO waits for a reader: at most READER_SECONDS, then the run fails (exit 6)."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)
    deadline = time.monotonic() + READER_SECONDS
    while True:
        try:
            descriptor = os.open(output.path, flags | os.O_NONBLOCK)
            break
        except OSError as error:
            if error.errno != errno.ENXIO:  # ENXIO: a FIFO without a reader
                raise
            if time.monotonic() >= deadline:
                raise OutputFailure(
                    f"Cannot write {output}: no process read the FIFO within {READER_SECONDS} s."
                ) from None
            time.sleep(0.1)
    os.set_blocking(descriptor, True)
    mode = os.fstat(descriptor).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # replaced since it was checked
        os.close(descriptor)
        raise OutputFailure(f"Cannot write {output}: it is no longer a FIFO or a device.")
    return descriptor


def _write_rows(
    connection: duckdb.DuckDBPyConnection,
    columns: list[Column],
    fields: dict[str, str],
    options: FileOptions,
    sink: _HashingFile,
    replace_unencodable: bool,
    zone: str,
    pii: Pii,
    escape_formulas: bool,
) -> int:
    """Write the rows in the file's format; return their count."""
    if options.format in ("csv", "tsv"):
        return _write_delimited(
            connection, columns, fields, options, sink, replace_unencodable, pii, escape_formulas
        )
    if options.format == "xlsx":
        query = select_query(columns, fields, typed="local", zone=zone, pii=pii)
        labels = [column.label for column in columns]
        return write_xlsx(connection, query, labels, sink.target, options.show_headers)
    named = ", ".join(f"c{i} as {identifier(c.label)}" for i, c in enumerate(columns))
    if options.format == "jsonl":
        query = select_query(columns, fields, typed="numbers", pii=pii)
        return _copy(connection, f"select {named} from ({query})", "format json", sink.write)
    # DuckDB's Parquet writer encodes a column by what it knows of it: the rows copied into a
    # table (in their order) give the same bytes whether the export and the mart are tables or
    # views (DuckDB or Spark)
    query = select_query(columns, fields, typed="instants", pii=pii)
    connection.execute(f"create temporary table parquet_rows as select {named} from ({query})")
    return _copy(connection, "from parquet_rows", "format parquet", sink.write)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingFile:
    """Writes to a file and takes the SHA-256 of what it wrote."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.target.write(data)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def _copy(connection: duckdb.DuckDBPyConnection, query: str, copy_options: str, consume: Callable) -> int:
    """Run `copy (query) to … (copy_options)` and pass what it writes to `consume`, chunk by
    chunk; return its row count.

    The COPY runs in a thread of its own, writing into a named pipe this thread reads. That
    thread holds a write end of its own for as long as the COPY runs, so the reader sees the end
    of the rows only once the COPY has ended, however it ended. A reader that stops early (an
    error, Ctrl-C) interrupts the COPY and drains the pipe until the COPY has stopped, so that
    neither side waits for the other.
    """
    if not hasattr(os, "mkfifo"):  # Windows
        return _copy_through_file(connection, query, copy_options, consume)
    result: dict = {}
    with temporary_folder("copy") as folder:
        pipe = folder / "rows"
        os.mkfifo(pipe, 0o600)

        def run() -> None:
            try:
                keeper = os.open(pipe, os.O_WRONLY)  # waits for the reader
                try:
                    copy = f"copy ({query}) to {literal(str(pipe))} ({copy_options}, use_tmp_file false)"
                    result["rows"] = connection.execute(copy).fetchone()[0]
                finally:
                    os.close(keeper)
            except BaseException as error:  # raised again by the reading thread
                result["error"] = error

        worker = threading.Thread(target=run, name="export-copy", daemon=True)
        worker.start()
        try:
            with pipe.open("rb", buffering=0) as source:
                # a larger pipe (Linux): fewer, larger reads
                with suppress(ImportError, OSError, AttributeError):
                    import fcntl

                    fcntl.fcntl(source.fileno(), fcntl.F_SETPIPE_SZ, CHUNK)
                _pass_on(source, consume, connection)
        except BaseException:
            _stop(connection, worker, pipe)
            raise
        worker.join()
    if "error" in result:
        raise result["error"]
    return result["rows"]


def _copy_through_file(
    connection: duckdb.DuckDBPyConnection, query: str, copy_options: str, consume: Callable
) -> int:
    """_copy where there are no named pipes (Windows): the COPY writes a temporary file, which is
    then read and passed on; the rows are on disk twice until the temporary file is removed."""
    with temporary_folder("copy") as folder:
        rows_file = folder / "rows"
        copy = f"copy ({query}) to {literal(str(rows_file))} ({copy_options}, use_tmp_file false)"
        rows = connection.execute(copy).fetchone()[0]
        with rows_file.open("rb") as source:
            _pass_on(source, consume, connection)
    return rows


def _pass_on(source: BinaryIO, consume: Callable, connection: duckdb.DuckDBPyConnection) -> None:
    """Every chunk of `source` to `consume`, reporting progress."""
    written = 0
    while chunk := source.read(CHUNK):
        consume(chunk)
        written += len(chunk)
        _report_writing(connection, written)


def _report_writing(connection: duckdb.DuckDBPyConnection, written: int) -> None:
    """How far the COPY is: DuckDB's estimate of the query's progress, and the bytes written."""
    reporter = report.current()
    if not reporter.due():
        return
    percent = connection.query_progress()
    done = f"{percent:.0f} %, " if percent >= 0 else ""
    reporter.progress(
        "file",
        f"Writing the file: {done}{written / 1e6:.1f} MB",
        percent=round(percent, 1) if percent >= 0 else None,
        bytes=written,
    )


def _stop(connection: duckdb.DuckDBPyConnection, worker: threading.Thread, pipe: Path) -> None:
    """Stop a COPY whose reader stopped: interrupt it, and read (and drop) what it still writes
    until its thread has ended (a COPY opening the pipe with no reader would wait for ever)."""
    connection.interrupt()
    drain = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        while worker.is_alive():
            with suppress(BlockingIOError):
                while os.read(drain, CHUNK):
                    pass
            worker.join(timeout=0.05)
            connection.interrupt()
    finally:
        os.close(drain)


def _write_delimited(
    connection: duckdb.DuckDBPyConnection,
    columns: list[Column],
    fields: dict[str, str],
    options: FileOptions,
    sink: _HashingFile,
    replace_unencodable: bool,
    pii: Pii,
    escape_formulas: bool,
) -> int:
    query = delimited_lines(
        select_query(
            columns,
            fields,
            typed=None,
            extra=f", {ROW_ORDER} as row_order",
            pii=pii,
            escape_formulas=escape_formulas,
            ordered=False,
        ),
        len(columns),
        options.delimiter,
    )
    errors = "replace" if replace_unencodable else "strict"
    encoding = options.python_encoding
    if encoding == "utf-8-sig":
        # the byte order mark once, at the start (with or without a header), then UTF-8
        sink.write(codecs.BOM_UTF8)
        encoding = "utf-8"
    try:
        if options.show_headers:
            labels = [escaped_label(c.label) if escape_formulas else c.label for c in columns]
            header = options.delimiter.join(_quote(label, options.delimiter) for label in labels)
            sink.write((header + "\n").encode(encoding, errors))
        encode = _encoder(encoding, errors)
        rows = _copy(
            connection,
            query,
            "format csv, header false, quote ''",  # each row is one value, written as it is
            lambda chunk: sink.write(encode(chunk)),
        )
        sink.write(encode(b"", final=True))
    except UnicodeEncodeError:
        raise ExportError(_unencodable(connection, columns, fields, options, pii)) from None
    return rows


def _quote(value: str, delimiter: str) -> str:
    """`value` as a delimited file writes it (QUOTED_CHARACTERS)."""
    if value == "" or any(char in value for char in (delimiter, *QUOTED_CHARACTERS)):
        return '"' + value.replace('"', '""') + '"'
    return value


def delimited_lines(query: str, count: int, delimiter: str) -> str:
    """The delimited file's rows: the `count` values (c0, c1, …) of each row of `query` joined
    into one line, quoted as _quote does, in the order of its column row_order.

    One line per row is what is sorted: sorting the values as columns took twice as long at
    10 M trackings (BENCHMARKS.md). A row is checked whole first; only a row holding a value to
    quote (rare) has its values quoted one by one.
    """
    separator = literal(delimiter)
    values = [f"c{index}" for index in range(count)]
    plain = "concat(" + f", {separator}, ".join(f"coalesce({value}, '')" for value in values) + ")"
    # NULL is written as nothing; an empty value or one holding the delimiter needs quotes
    to_quote = [f"{value} = '' or contains({value}, {separator})" for value in values]
    to_quote += [f"contains(plain_line, {literal(character)})" for character in QUOTED_CHARACTERS]
    quoted = f"concat_ws({separator}, " + ", ".join(_quoted(value, delimiter) for value in values) + ")"
    line = f"case when {' or '.join(to_quote)} then {quoted} else plain_line end"
    return (
        f"select line from (select {line} as line, row_order "
        f"from (select *, {plain} as plain_line from ({query}))) order by row_order"
    )


def _quoted(value: str, delimiter: str) -> str:
    """The SQL of `value` (SQL text) as _quote writes it; NULL is written as nothing."""
    contains = " or ".join(f"contains({value}, {literal(c)})" for c in (delimiter, *QUOTED_CHARACTERS))
    quote, doubled = literal('"'), literal('""')
    return (
        f"case when {value} is null then '' when {value} = '' or {contains} "
        f"then {quote} || replace({value}, {quote}, {doubled}) || {quote} else {value} end"
    )


def _encoder(encoding: str, errors: str) -> Callable[..., bytes]:
    """UTF-8 bytes, given chunk by chunk (a character may span two), to `encoding`."""
    if encoding == "utf-8":
        return lambda chunk, final=False: chunk
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoder = codecs.getincrementalencoder(encoding)(errors)
    return lambda chunk, final=False: encoder.encode(decoder.decode(chunk, final), final)


def _unencodable(
    connection, columns: list[Column], fields: dict[str, str], options: FileOptions, pii: Pii
) -> str:
    """Name the first row (reportId) and column holding a value the encoding cannot write."""
    labels = [column.label for column in columns]
    if options.show_headers:
        for label in labels:
            if not _encodable(label, options.python_encoding):
                return (
                    f"Column header '{label}' cannot be encoded in {options.encoding}; "
                    "use --encoding-errors replace to write '?' instead."
                )
    query = select_query(columns, fields, typed=None, extra=", export.reportId as report_id", pii=pii)
    for row in _rows(connection, query):
        for label, value in zip(labels, row[:-1], strict=True):
            if value is not None and not _encodable(value, options.python_encoding):
                return (
                    f"Row with reportId {row[-1]}, column '{label}': the value {value!r} "
                    f"cannot be encoded in {options.encoding}; "
                    "use --encoding-errors replace to write '?' instead."
                )
    return f"A value cannot be encoded in {options.encoding}."


def _encodable(value: str, encoding: str) -> bool:
    try:
        value.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _rows(connection: duckdb.DuckDBPyConnection, query: str) -> Iterator[tuple]:
    cursor = connection.execute(query)
    while batch := cursor.fetchmany(10_000):
        yield from batch
