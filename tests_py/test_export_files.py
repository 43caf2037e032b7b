"""File options, written by the runner's writer from a built database."""

import csv
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path

import duckdb
import pytest

from exporter import writer
from exporter.engines import Engine
from exporter.errors import ExportError
from exporter.request import Column, file_options
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


def write(database: Path, output: Path, columns: list[Column] | None, replace: bool = False, **options: str):
    engine = Engine("duckdb", database)
    return write_export(engine, output, {}, columns, file_options(options), replace_unencodable=replace)


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
        ("sessionStartDate", "VARCHAR"),
        ("Source", "VARCHAR"),
    ]
    assert str(first[1]) == "100.00" and first[0] == 4001 and first[2] == 9
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 32
    assert json.loads(lines[0]) == {
        "reportId": 4001,
        "progression": 100.0,
        "scoreNPS": 9,
        "activityName": "Welcome to our team!",
        "sessionStartDate": "2020-02-01",
        "Source": "LMS",
    }


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
        output,
        {},
        None,
        file_options(options),
        replace_unencodable=False,
        before_replace=lambda: beside.extend(sorted(path.name for path in tmp_path.iterdir())),
    )
    pid = os.getpid()
    assert beside == [f".out.manifest.json.partial-{pid}", f".out.partial-{pid}", "export.duckdb", "scratch"]
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

    monkeypatch.setattr(writer.fcntl, "fcntl", stop)  # the reader's first step once the pipe is open
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
            {"format": "xlsx"},
            "Invalid value 'xlsx' for file option format: expected one of csv, tsv, parquet, jsonl.",
        ),
        ({"encoding": "UTF-32"}, "Invalid value 'UTF-32' for file option encoding"),
        ({"delimiter": "space"}, "Invalid value 'space' for file option delimiter"),
        ({"showHeaders": "maybe"}, "Invalid value 'maybe' for file option showHeaders"),
        ({"format": "tsv", "delimiter": "comma"}, "File option delimiter=comma does not go with format=tsv."),
        (
            {"format": "jsonl", "encoding": "UTF-16LE"},
            "File option encoding=UTF-16LE does not go with format=jsonl.",
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
