"""activity_tracking_bi: the mart as BI tools read it, and descriptions an analyst can read.

The analyst's columns are checked against values worked out here from the sample seeds and
against a reference reading of durations written in Python, over arbitrary text.
"""

from __future__ import annotations

import csv
import functools
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_mart_shape import INTERNAL_COLUMNS

from conftest import PLATFORM_FIELDS, PROJECT_DIR, query, run_dbt

# What BI tools do not need: fingerprints, source timestamps, the entity id path of filters, the
# modality (always blendedx).
LEFT_OUT = {
    "candidateEntityPath",
    "sourceUpdatedAt",
    "customFieldsFingerprint",
    "rowFingerprint",
    "sourceFingerprint",
    "trainingModality",  # always blendedx
}
ANALYST_COLUMNS = {
    "isCompleted": "BOOLEAN",
    "progressStatusOrder": "INTEGER",
    "candidateEntityNamePath": "VARCHAR",
    "activityDurationMinutes": "INTEGER",
    "trainingDurationMinutes": "INTEGER",
}
STATUS_ORDER = ["Not started", "Started", "Pending feedback", "Completed", "Feedback given"]
DIGITS = "0123456789"


def reference_minutes(text: str | None) -> int | None:
    """Durations as the platform writes them (2h, 2h30, 1h05min, 45min), read by hand."""
    if text is None:
        return None
    text = text.strip(" ").lower()
    hours, separator, rest = text.partition("h")
    if separator:
        hours, rest = hours.rstrip(" "), rest.strip(" ")
        if not (1 <= len(hours) <= 4 and all(c in DIGITS for c in hours)):
            return None
        if rest.endswith("min"):
            rest = rest[: -len("min")].rstrip(" ")
            if rest == "":
                return None
        if rest == "":
            return int(hours) * 60
        if 1 <= len(rest) <= 2 and all(c in DIGITS for c in rest) and int(rest) < 60:
            return int(hours) * 60 + int(rest)
        return None
    if text.endswith("min"):
        minutes = text[: -len("min")].rstrip(" ")
        if 1 <= len(minutes) <= 5 and all(c in DIGITS for c in minutes):
            return int(minutes)
    return None


@functools.cache
def duration_minutes_sql(column: str) -> str:
    """The macro duration_minutes as dbt compiles it on DuckDB (with the macros it calls)."""
    with tempfile.TemporaryDirectory() as work_dir:
        result = run_dbt(
            ["--quiet", "compile", "--inline", f"{{{{ duration_minutes('{column}') }}}}"],
            Path(work_dir) / "compile.duckdb",
            Path(work_dir),
        )
    assert result.returncode == 0, result.stdout
    return result.stdout


def test_the_bi_mart_holds_the_fields_and_the_analyst_columns_without_the_internal_ones(
    sample_build: Path,
) -> None:
    columns = dict(
        query(
            sample_build,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'activity_tracking_bi'",
        )
    )
    mart = dict(
        query(
            sample_build,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'activity_tracking'",
        )
    )
    kept = {name: kind for name, kind in INTERNAL_COLUMNS.items() if name not in LEFT_OUT}
    assert columns == {**{name: mart[name] for name in PLATFORM_FIELDS}, **kept, **ANALYST_COLUMNS}


def test_the_analyst_columns_on_the_sample(sample_build: Path) -> None:
    rows = query(
        sample_build,
        "select bi.progressStatus, bi.isCompleted, bi.progressStatusOrder, bi.activityDuration, "
        "bi.activityDurationMinutes, bi.trainingDuration, bi.trainingDurationMinutes, "
        "bi.candidateEntityName, bi.candidateEntityNamePath, mart.reportId "
        "from activity_tracking_bi as bi full join activity_tracking as mart using (reportId)",
    )
    assert len(rows) == query(sample_build, "select count(*) from activity_tracking")[0][0]
    assert all(row[-1] is not None for row in rows)  # one row per tracking of the mart
    seen_statuses = set()
    for status, completed, order, activity, activity_minutes, training, training_minutes, *_ in rows:
        seen_statuses.add(status)
        assert completed == (status in ("Completed", "Feedback given"))
        assert order == STATUS_ORDER.index(status) + 1
        assert activity_minutes == reference_minutes(activity)
        assert training_minutes == reference_minutes(training)
    assert seen_statuses == set(STATUS_ORDER)  # the sample holds every status
    # the entity names from the top down, worked out from seeds/lms/entities.csv (the
    # latest row of entity 5 holds its name; 6 and 7 are a cycle, cut before the repeat)
    paths = {name: path for *_, name, path, _ in rows}
    assert paths == {
        "Entity 01.1": "Acme > Entity 01 > Entity 01.1",
        "Entity 01.1.1": "Acme > Entity 01 > Entity 01.1 > Entity 01.1.1",
        "Entity 02": "Acme > Entity 02",
        "Cycle North": "Cycle South > Cycle North",
        "Detached unit": "Detached unit",
        None: None,
    }


@pytest.mark.parametrize(("table", "planted"), [("activities", "a few minutes"), ("trainings", "half a day")])
def test_the_sample_plants_one_unreadable_duration_per_table(table: str, planted: str) -> None:
    """The sample's durations are in forms the analyst columns read, but one per table (the
    anomaly tests/assert_sample_anomalies_are_all_recorded.sql expects in the ledger)."""
    with (PROJECT_DIR / "seeds" / "lms" / f"{table}.csv").open(encoding="utf-8") as seed:
        durations = {row["duration"] for row in csv.DictReader(seed)} - {""}
    assert len(durations) > 1
    assert {text for text in durations if reference_minutes(text) is None} == {planted}


DURATION_TEXT = st.one_of(
    st.text(),
    st.from_regex(r"\A *[0-9]{1,6} *[hH]? *[0-9]{0,3} *(min|MIN|Min)? *\Z"),
)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(DURATION_TEXT, min_size=1, max_size=20))
@example(
    texts=["2h", "2h30", "1h05min", "45min", " 2 H 30 ", "2h60", "99999h", "123456min", "2h min", "h", "min"]
)
def test_durations_read_as_the_reference_reads_them(texts: list[str]) -> None:
    sql = duration_minutes_sql("text")
    with duckdb.connect() as connection:
        connection.execute("create table durations (position int, text varchar)")
        connection.executemany("insert into durations values (?, ?)", list(enumerate(texts)))
        read = connection.execute(f"select {sql} from durations order by position").fetchall()
    assert [minutes for (minutes,) in read] == [reference_minutes(text) for text in texts]


def test_descriptions_stored_in_the_database_read_as_plain_sentences(sample_build: Path) -> None:
    """What a BI tool shows of each table, view and column: no line break, no reference to a
    document the reader does not have."""
    comments = query(
        sample_build,
        "select table_name, null, comment from duckdb_tables() where schema_name = 'main' "
        "union all select view_name, null, comment from duckdb_views() where schema_name = 'main' "
        "and not internal "
        "union all select table_name, column_name, comment from duckdb_columns() where schema_name = 'main'",
    )
    described = [(table, column, comment) for table, column, comment in comments if comment]
    assert {table for table, _, _ in described} >= {"activity_tracking", "activity_tracking_bi"}
    for table, column, comment in described:
        assert "\n" not in comment, (table, column, comment)
        assert comment == comment.strip(), (table, column)
        assert "SPEC" not in comment and "§" not in comment, (table, column)
