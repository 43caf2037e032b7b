"""Export parameters through `dbt --vars`: validation messages, injection, AND."""

import shutil
from pathlib import Path

import pytest

from conftest import query, run_dbt

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
        "Invalid value '2021-02-30' for parameter asOf: expected a date or timestamp",
    ),
    (
        {"asOf": "9999-12-31T23:00:00-05:00", "timeFrames": 1, "timeFramesScale": "less_than_n_days"},
        "Invalid value '9999-12-31T23:00:00-05:00' for parameter asOf: expected a date or timestamp",
    ),
    (
        {"asOf": "yesterday"},
        "Invalid value 'yesterday' for parameter asOf: expected a date or timestamp",
    ),
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
