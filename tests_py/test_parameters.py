"""Export parameters through `dbt --vars`: validation messages, injection, AND, list items."""

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_DIR, query, run_dbt, write_raw_files
from exporter.build import Dbt, parse_key
from exporter.request import export_parameters

EXPORT = ["run", "--select", "activity_tracking_export"]

# (vars, the one message a user gets): each invalid value of a parameter fails at compile time.
INVALID = [
    (
        {"activityType": "quiz, webinar"},
        "Invalid value 'webinar' for parameter activityType: expected activity type codes 0-11 "
        "or labels (Learning resource, Web resource,",
    ),
    (
        {"reportStatus": "completed,done"},
        "Invalid value 'done' for parameter reportStatus: expected notAttempted, incomplete, "
        "completed or pendingFeedback.",
    ),
    (
        {"entityIds": "1, 2.5"},
        "Invalid value '2.5' for parameter entityIds: expected a comma list of integer entity ids.",
    ),
    (
        {"entityIds": "99999999999999999999"},
        "Invalid value '99999999999999999999' for parameter entityIds",
    ),
    (
        {"preferredLocales": "fr, french"},
        "Invalid value 'french' for parameter preferredLocales",
    ),
    (
        {"catalogVisibility": "maybe"},
        "Invalid value 'maybe' for parameter catalogVisibility: expected Y or N (yes or no, any case).",
    ),
    (
        {"onlyFromImportedSessions": "1"},
        "Invalid value '1' for parameter onlyFromImportedSessions: expected Y or N",
    ),
    (
        {"timeFrames": 3},
        "Parameters timeFrames and timeFramesScale go together: timeFrames is set, "
        "timeFramesScale is missing.",
    ),
    (
        {"timeFramesScale": "less_than_n_days"},
        "Parameters timeFrames and timeFramesScale go together: timeFramesScale is set, "
        "timeFrames is missing.",
    ),
    (
        {"timeFrames": -1, "timeFramesScale": "less_than_n_days"},
        "Invalid value '-1' for parameter timeFrames: expected a whole number (0 or more).",
    ),
    (
        {"timeFrames": 1, "timeFramesScale": "weeks"},
        "Invalid value 'weeks' for parameter timeFramesScale: expected one of less_than_n_days,",
    ),
    (
        {"timeFrameScaleMode": "sometimes"},
        "Invalid value 'sometimes' for parameter timeFrameScaleMode: expected one of lastActivity, "
        "lastActivityCumulative, timeSpent.",
    ),
    (
        {"dateTimeFormat": "no tokens here"},
        "Invalid value 'no tokens here' for parameter dateTimeFormat: expected a pattern holding "
        "at least one of YYYY, MM, DD, hh, ii, ss.",
    ),
    (
        {"dateFormat": "YYYY'; drop table x; --"},
        "Invalid value 'YYYY'; drop table x; --' for parameter dateFormat: expected a pattern of",
    ),
    (
        {"dateTimeFormat": "DD\\MM"},
        "for parameter dateTimeFormat: expected a pattern of",
    ),
    (
        {"timeGlobalFormat": "hours"},
        "Invalid value 'hours' for parameter timeGlobalFormat: expected one of iso-8601, "
        "rawSeconds, rawMinutes, padded, paddedhh.",
    ),
    (
        {"timezone": "Mars/Olympus"},
        "Invalid value 'Mars/Olympus' for parameter timezone: expected an IANA time zone name",
    ),
    (
        {"asOf": "2021-02-30"},
        "Invalid value '2021-02-30' for parameter asOf: expected an ISO 8601 date or date-time, "
        "YYYY-MM-DD[Thh[:mm[:ss[.f]]]] or YYYYMMDD[Thh[mm[ss[.f]]]] with an optional offset Z, ±hh, "
        "±hhmm or ±hh:mm, such as 2021-02-24, 2021-02-24T10, 2021-02-24T10:00:00.5+01:00 or "
        "20210224T100000Z.",
    ),
    (
        {"asOf": "9999-12-31T23:00:00-05:00", "timeFrames": 1, "timeFramesScale": "less_than_n_days"},
        "Invalid value '9999-12-31T23:00:00-05:00' for parameter asOf: expected an ISO 8601 date or "
        "date-time, YYYY-MM-DD[Thh[:mm[:ss[.f]]]] or YYYYMMDD[Thh[mm[ss[.f]]]] with an optional offset",
    ),
    (
        {"asOf": "0001-01-02T00:00:00+14:00", "timezone": "Etc/GMT+12"},
        "between 0001-01-03 and 9999-12-29 when it has an offset.",
    ),
    (
        {"asOf": "9999-12-31T23:59:59.9999999"},
        "Invalid value '9999-12-31T23:59:59.9999999' for parameter asOf: expected an ISO 8601 date",
    ),
    (
        {"asOf": "yesterday"},
        "Invalid value 'yesterday' for parameter asOf: expected an ISO 8601 date or date-time",
    ),
    # basic and extended format mixed, a leap second, 24:00, an offset of 24 h, a fraction of a minute
    ({"asOf": "20210224T10:00"}, "Invalid value '20210224T10:00' for parameter asOf"),
    ({"asOf": "2021-02-24T1000"}, "Invalid value '2021-02-24T1000' for parameter asOf"),
    ({"asOf": "2016-12-31T23:59:60Z"}, "Invalid value '2016-12-31T23:59:60Z' for parameter asOf"),
    ({"asOf": "2021-02-24T24:00"}, "Invalid value '2021-02-24T24:00' for parameter asOf"),
    ({"asOf": "2021-02-24T10:00+24:00"}, "Invalid value '2021-02-24T10:00+24:00' for parameter asOf"),
    ({"asOf": "2021-02-24T10:30.5"}, "Invalid value '2021-02-24T10:30.5' for parameter asOf"),
    (
        {"decimal": "dot"},
        "Invalid value 'dot' for parameter decimal: expected point or comma.",
    ),
    (
        {"deltaMode": "Y"},
        "Parameter deltaMode=Y needs an export GUID: set the var exportGuid",
    ),
    (
        {"deltaMode": "Y", "exportGuid": "A1", "timeFrames": 3, "timeFramesScale": "less_than_n_days"},
        "Parameter deltaMode=Y cannot be combined with timeFrames",
    ),
    (
        {"deltaMode": "Y", "exportGuid": "A1", "timeFramesScale": "less_than_n_days"},
        "Parameter deltaMode=Y cannot be combined with timeFramesScale",
    ),
    (
        {"deltaMode": "maybe", "exportGuid": "A1"},
        "Invalid value 'maybe' for parameter deltaMode: expected Y or N",
    ),
]


@pytest.fixture
def sample_copy(sample_build: Path, tmp_path: Path) -> Path:
    """A copy of the sample database that a test may rebuild the export in."""
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_build, copy)
    return copy


def exported_ids(database: Path) -> list[int]:
    rows = query(database, "select cast(reportId as bigint) from activity_tracking_export order by 1")
    return [report_id for (report_id,) in rows]


@pytest.mark.parametrize(("dbt_vars", "message"), INVALID, ids=lambda case: str(case)[:40])
def test_an_invalid_value_fails_with_one_clear_message(tmp_path: Path, dbt_vars: dict, message: str) -> None:
    result = run_dbt(["compile", *EXPORT[1:]], tmp_path / "unused.duckdb", tmp_path, dbt_vars)
    assert result.returncode != 0
    assert message in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_titles_match_only_themselves_whatever_they_hold(sample_copy: Path, tmp_path: Path) -> None:
    # Session 505's title in the sample data holds a quote, `--`, `;`, `{{ }}` and a backslash.
    # dbt renders Jinja inside --vars values, so `{{` is given inside a raw block, as dbt wants.
    title = "x' or '1'='1 ; -- {% raw %}{{ audit }}{% endraw %} \\ end"
    result = run_dbt(EXPORT, sample_copy, tmp_path, {"sessionTitle": f"  {title} "})
    assert result.returncode == 0, result.stdout
    assert exported_ids(sample_copy) == [4030, 4031, 4032, 4033, 4034, 4035, 4036, 4038]

    result = run_dbt(EXPORT, sample_copy, tmp_path, {"sessionTitle": "x' or '1'='1"})
    assert result.returncode == 0, result.stdout
    assert exported_ids(sample_copy) == []


def test_parameters_combine_with_and(sample_copy: Path, tmp_path: Path) -> None:
    # Sales Mastery (1002) is the only training with a quiz that is hidden from the catalogue;
    # among its rows, Chloé's (learner 103, entity 5) imported registration.
    dbt_vars = {"activityType": "Quiz", "catalogVisibility": "N"}
    result = run_dbt(EXPORT, sample_copy, tmp_path, dbt_vars)
    assert result.returncode == 0, result.stdout
    assert exported_ids(sample_copy) == list(range(4020, 4030))

    dbt_vars |= {"entityIds": "5", "onlyFromImportedRegistrations": "yes"}
    result = run_dbt(EXPORT, sample_copy, tmp_path, dbt_vars)
    assert result.returncode == 0, result.stdout
    assert exported_ids(sample_copy) == [4020, 4021, 4022, 4023, 4024]


def test_a_blank_value_counts_as_not_given(sample_copy: Path, tmp_path: Path) -> None:
    blank = {"sessionTitle": "  ", "activityType": " , ", "dateTimeFormat": "", "timezone": " "}
    result = run_dbt(EXPORT, sample_copy, tmp_path, blank)
    assert result.returncode == 0, result.stdout
    everything = query(sample_copy, "select count(*) from activity_tracking")[0][0]
    assert len(exported_ids(sample_copy)) == everything


def test_entity_ids_match_a_parent_without_an_entity_row(sample_build: Path, tmp_path: Path) -> None:
    # the sample extract as CSV files, entity 3's parent (2) replaced by 999, which has no row:
    # 999 is still an ancestor of entity 3 and of its descendant 4
    raw_dir = tmp_path / "raw"
    write_raw_files(sample_build, raw_dir, "csv")
    entities = raw_dir / "entities.csv"
    with entities.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["entity_id"] == "3":
            row["parent_entity_id"] = "999"
    with entities.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    database = tmp_path / "raw.duckdb"
    raw_vars = {"raw_path": str(raw_dir), "raw_format": "csv"}
    result = run_dbt(["run"], database, tmp_path, raw_vars)
    assert result.returncode == 0, result.stdout

    exported = {}
    for entity_ids in ("3", "999"):
        result = run_dbt(EXPORT, database, tmp_path, {**raw_vars, "entityIds": entity_ids})
        assert result.returncode == 0, result.stdout
        exported[entity_ids] = exported_ids(database)
    assert len(exported["3"]) == 15
    assert exported["999"] == exported["3"]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("reportstatus", ": did you mean reportStatus?"),
        ("timeFrame", ": did you mean timeFrames?"),
        ("sessionTitel", ": did you mean sessionTitle?"),
        ("colour", "."),
    ],
)
def test_an_unknown_var_stops_a_plain_dbt_build(
    sample_copy: Path, tmp_path: Path, name: str, hint: str
) -> None:
    # analytics engineers run dbt directly: a misspelt parameter must not export every row
    result = run_dbt(EXPORT, sample_copy, tmp_path, {name: "completed"})
    assert result.returncode != 0
    assert f"Unknown parameter or var '{name}'{hint} Accepted: raw_path," in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "dbt_vars",
    [
        {"timeFrames": "99999999999999999999", "timeFramesScale": "less_than_n_days"},
        {"timeFrames": 3000, "timeFramesScale": "less_than_n_years"},
        {"timeFrames": 1, "timeFramesScale": "less_than_n_full_years", "asOf": "0001-01-01"},
        {"timeFrames": 5, "timeFramesScale": "less_than_n_months", "asOf": "0001-02-01T00:00:00Z"},
    ],
    ids=str,
)
def test_any_whole_number_of_time_frames_and_any_as_of_compile(tmp_path: Path, dbt_vars: dict) -> None:
    # no value of any size gives Python's words: the window starts at 0001-01-01 at the earliest
    result = run_dbt(["compile", *EXPORT[1:]], tmp_path / "unused.duckdb", tmp_path, dbt_vars)
    assert result.returncode == 0, result.stdout


# The comma-list text parameters (exact match), by the mart column each compares, with the
# sample's values of that column: the seed table and column it is read from.
LIST_SOURCES = {
    "trainingPublisher": ("trainings", "publisher_name"),
    "learningObjectVersionPublisher": ("learning_object_versions", "publisher_name"),
}
LIST_PARAMETERS = {p["column"]: p["name"] for p in export_parameters() if p["kind"] == "text_list"}


def variants(value: str) -> list[str]:
    """`value` and spellings that differ from it only by case or accents: other items, as the
    match is exact."""
    accented = value.replace("e", "é").replace("u", "ü")
    return sorted({value, value.upper(), value.lower(), value.swapcase(), accented, accented.upper()})


def sample_items(table: str, column: str) -> list[str]:
    with (PROJECT_DIR / "seeds" / "lms" / f"{table}.csv").open(encoding="utf-8", newline="") as seed:
        values = {row[column].strip() for row in csv.DictReader(seed)} - {""}
    return [item for value in sorted(values) for item in variants(value)]


LIST_ITEMS = {column: sample_items(*source) for column, source in LIST_SOURCES.items()}


def test_the_list_sources_are_those_of_the_text_list_parameters() -> None:
    assert sorted(LIST_SOURCES) == sorted(LIST_PARAMETERS)


@pytest.fixture(scope="module")
def export_rows(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable]:
    """The reportIds the export keeps for one value of the list parameter comparing a column,
    built as the runner builds them (the export model alone, on one parse of the project kept
    for these tests): about 1 s each."""
    work_dir = tmp_path_factory.mktemp("list_items")
    database = work_dir / "sample.duckdb"
    shutil.copy(sample_build, database)
    key = parse_key("list items", database, False)
    kept: dict[tuple[str, str], frozenset[int]] = {}

    def rows(column: str, value: str) -> frozenset[int]:
        if (column, value) not in kept:
            dbt_vars = {LIST_PARAMETERS[column]: value}
            Dbt("duckdb", work_dir / "target", dbt_vars, parse_key=key).build(whole=False)
            with duckdb.connect(str(database), read_only=True) as connection:
                exported = connection.sql("select cast(reportId as bigint) from activity_tracking_export")
                kept[column, value] = frozenset(report_id for (report_id,) in exported.fetchall())
        return kept[column, value]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTIVITY_TRACKING_DB", str(database))
        yield rows


LISTS = st.sampled_from(sorted(LIST_ITEMS)).flatmap(
    lambda column: st.tuples(
        st.just(column), st.lists(st.sampled_from(LIST_ITEMS[column]), min_size=1, max_size=4)
    )
)


@settings(max_examples=20, deadline=None, database=None)
@given(case=LISTS)
@example(case=("trainingPublisher", ["ACME ACADEMY", "Acme Academy"]))
@example(case=("learningObjectVersionPublisher", ["acme studio", "Acme Studio", "Partner Publishing"]))
def test_a_list_keeps_the_rows_of_each_of_its_items(export_rows: Callable, case: tuple[str, list]) -> None:
    # items that differ only by case or accents are different items: none hides another
    column, items = case
    alone = frozenset().union(*(export_rows(column, item) for item in items))
    assert export_rows(column, " , ".join(items)) == alone
