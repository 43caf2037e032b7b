"""Generate a raw extract of any size in the raw contract's shape, as Parquet files.

    python scripts/generate_data.py --out build/raw-1m --trackings 1000000 [--seed 7]

Deterministic: the same arguments (and DuckDB version) give the same files. Every value is
derived from a row number and the seed through DuckDB's hash, in one SQL statement per
table, so 10 million trackings take well under a minute. The data is realistic in shape:
trainings of every modality (in messy spellings), 20 activities of every type each, a
chapter tree three levels deep, an entity tree, learners in several
locales with two custom fields, registrations of learners to sessions, one tracking per
registration and activity with statuses, scores, attendance and time logs. A small rate of
the SPEC §7 anomalies is mixed in: duplicated keys, orphan trackings, an unknown activity
type, out-of-range progression and NPS, negative time, last access before first access,
too-long custom field values, and one cycle in each tree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

ACTIVITIES_PER_TRAINING = 20
SESSIONS_PER_TRAINING = 10
TRACKINGS_PER_LEARNER = 60
TYPES = [
    "Learning resource",
    " learning_resource ",
    "Web resource",
    "EDITORIAL",
    "open-question",
    "Classroom activity",
    "4",
    "poll",
    "Assignment",
    "assessment",
    "Quiz",
    "8",
    "Action plan",
    "measure your progress",
    "End-of-course survey",
    "end_of_course  survey",
    "Quiz",
    "Classroom activity",
    "Learning resource",
    "Assignment",
]
LOCALES = ["en-US", "fr-FR", "fr", "de-DE", "es-ES", "en-GB"]
FIRST_NAMES = ["Laurie", "Bob", "Chloé", "Dan", "Émile", "Fay", "Gus", "Zoë"]
LAST_NAMES = ["Martin", "Smith", "Müller", "García", "Rossi", "Dubois"]
DEPARTMENTS = ["Sales", "Ventes", "R&D", "Support", " HR "]
PUBLISHERS = ["Acme Academy", "Partner Publishing", "Open Courses"]
BLENDEDX = ["blendedx", "BlendedX", " Blended_X ", "blended-x"]
OTHER_MODALITIES = ["learning_channel", "Classic", " CLASSIC "]
DISPLAYED_TYPES = ["interactive content", "video", "audio", "document"]
RUNTIME_TYPES = ["SCORM", "MP4", "AICC", "PDF"]
ATTENDANCE_CODES = ["present", "Absent", "excused", "no information", "NOT_APPLICABLE"]


def sizes(trackings: int) -> dict[str, int]:
    """Row counts of the generated tables for `trackings` trackings."""
    registrations = max(1, -(-trackings // ACTIVITIES_PER_TRAINING))
    trainings = max(3, min(2000, registrations // 250))
    return {
        "trackings": trackings,
        "registrations": registrations,
        "learners": max(1, trackings // TRACKINGS_PER_LEARNER),
        "trainings": trainings,
        "sessions": trainings * SESSIONS_PER_TRAINING,
        "activities": trainings * ACTIVITIES_PER_TRAINING,
        "entities": max(40, trackings // 20000),
        "learning_objects": max(10, trainings * 5),
    }


def h(seed: int, column: str, key: str = "i") -> str:
    """SQL: a deterministic 64-bit pseudo-random number for row `key` and `column`."""
    return f"hash({key}, {seed}, '{column}')"


def pick(seed: int, column: str, values: list[str], key: str = "i") -> str:
    """SQL: one of `values`, chosen pseudo-randomly per row."""
    items = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"([{items}])[1 + ({h(seed, column, key)} % {len(values)})::int]"


def table_queries(n: dict[str, int], seed: int) -> dict[str, str]:
    """One SELECT per raw table, in the raw contract's column order and types."""
    ts = "timestamp '2020-01-01'"
    r = lambda column, key="i": h(seed, column, key)  # noqa: E731
    return {
        "entities": f"""
            select i as entity_id,
                'Entity ' || i as entity_name,
                case when i <= 4 then null
                    when i = 5 then 6 when i = 6 then 5
                    else 1 + ({r("parent")} % least(i - 1, 4 + i // 10))::bigint end as parent_entity_id,
                {ts} + to_days(({r("updated")} % 300)::int) as updated_at
            from range(1, {n["entities"]} + 1) as t(i)""",
        "learners": f"""
            select i as learner_id,
                'L-' || lpad(i::varchar, 10, '0') as learner_guid,
                'learner' || i as login,
                case when {r("email")} % 20 = 0 then null else 'learner' || i || '@example.com' end as email,
                {pick(seed, "first", FIRST_NAMES)} as first_name,
                {pick(seed, "last", LAST_NAMES)} as last_name,
                case when {r("ref")} % 3 = 0 then null else 'R' || i end as reference_number,
                case when {r("noentity")} % 50 = 0 then null
                    else 1 + ({r("entity")} % {n["entities"]})::bigint end as entity_id,
                {ts} + to_days(({r("updated")} % 300)::int) as updated_at
            from range(1, {n["learners"]} + 1) as t(i)""",
        "learner_custom_field_values": f"""
            select learner_id, custom_field_guid, value, updated_at from (
                select i as learner_id, 'CF-DEPARTMENT' as custom_field_guid,
                    case when i % 5000 = 1 then repeat('D', 260)
                        else {pick(seed, "department", DEPARTMENTS)} end as value,
                    {ts} + to_days(({r("cf1")} % 300)::int) as updated_at
                from range(1, {n["learners"]} + 1) as t(i)
                union all
                select i, 'CF-COST-CENTER',
                    case when {r("cc")} % 4 = 0 then null else 'CC' || ({r("cc")} % 90) end,
                    {ts} + to_days(({r("cf2")} % 300)::int)
                from range(1, {n["learners"]} + 1) as t(i)
            )""",
        "trainings": f"""
            select i as training_id,
                'T-' || lpad(i::varchar, 8, '0') as training_guid,
                'Training ' || i as title,
                case when i % 4 = 0 then null else 'P' || i end as path_code,
                {pick(seed, "publisher", PUBLISHERS)} as publisher_name,
                (1 + i % 9) || 'h' as duration,
                case when i % 10 = 9 then {pick(seed, "other", OTHER_MODALITIES)}
                    else {pick(seed, "modality", BLENDEDX)} end as modality,
                i % 7 != 0 as is_catalog_visible,
                i % 5 = 0 as is_imported,
                {ts} + to_days(({r("updated")} % 300)::int) as updated_at
            from range(1, {n["trainings"]} + 1) as t(i)""",
        "training_chapters": f"""
            select (training_id - 1) * 4 + c as chapter_id, training_id,
                -- chapters 1 > 2 > 3, and 4 at the top; training 1 has the cycle 1 > 2 > 3 > 4 > 1
                case when c in (2, 3) then (training_id - 1) * 4 + c - 1
                    when training_id = 1 and c = 4 then 3
                    when training_id = 1 and c = 1 then 4 end as parent_chapter_id,
                'Chapter ' || c as title, c::int as position,
                timestamp '2020-01-01' as updated_at
            from range(1, {n["trainings"]} + 1) as t(training_id), range(1, 5) as c(c)""",
        "sessions": f"""
            select i as session_id,
                'S-' || lpad(i::varchar, 8, '0') as session_guid,
                1 + (i - 1) // {SESSIONS_PER_TRAINING} as training_id,
                'Session ' || lpad(((i - 1) % {SESSIONS_PER_TRAINING} + 1)::varchar, 2, '0') as title,
                date '2020-01-06' + ({r("start")} % 600)::int as start_date,
                case when {r("end")} % 10 = 0 then null
                    else date '2020-01-06' + ({r("start")} % 600 + 30)::int end as end_date,
                i % 6 = 0 as is_imported,
                {ts} + to_days(({r("updated")} % 300)::int) as updated_at
            from range(1, {n["sessions"]} + 1) as t(i)""",
        "learning_objects": f"""
            select i as learning_object_id, 'LO-' || i as learning_object_guid,
                timestamp '2020-01-01' as updated_at
            from range(1, {n["learning_objects"]} + 1) as t(i)""",
        "learning_object_versions": f"""
            select i as learning_object_version_id, 'LOV-' || i as learning_object_version_guid,
                1 + (i - 1) // 2 as learning_object_id,
                'Resource ' || i as title, 'C' || i as code,
                {pick(seed, "lopub", PUBLISHERS[:2])} as publisher_name,
                {pick(seed, "locale", LOCALES)} as locale,
                {pick(seed, "displayed", DISPLAYED_TYPES)} as displayed_type,
                {pick(seed, "runtime", RUNTIME_TYPES)} as runtime_type,
                timestamp '2020-01-01' as updated_at
            from range(1, {n["learning_objects"] * 2} + 1) as t(i)""",
        "activities": f"""
            select i as activity_id,
                1 + (i - 1) // {ACTIVITIES_PER_TRAINING} as training_id,
                case when (i - 1) % {ACTIVITIES_PER_TRAINING} = 19 then null
                    else ((i - 1) // {ACTIVITIES_PER_TRAINING}) * 4 + 1 + (i - 1) % 4 end as chapter_id,
                case when i = 3 then 'webinar'
                    else ([{", ".join(f"'{t}'" for t in TYPES)}])[1 + ((i - 1) % {len(TYPES)})::int]
                    end as activity_type,
                'Activity ' || i as title,
                (5 + i % 40) || 'min' as duration,
                (i % 50)::int as points,
                ({r("likes")} % 30)::int as likes,
                case when (i - 1) % {ACTIVITIES_PER_TRAINING} in (0, 1, 18)
                    then 1 + ({r("lov")} % {n["learning_objects"] * 2})::bigint
                    end as learning_object_version_id,
                {ts} + to_days(({r("updated")} % 300)::int) as updated_at
            from range(1, {n["activities"]} + 1) as t(i)""",
        "registrations": f"""
            select i as registration_id,
                'REG-' || i as registration_guid,
                1 + ({r("learner")} % {n["learners"]})::bigint as learner_id,
                1 + ({r("session")} % {n["sessions"]})::bigint as session_id,
                {ts} + to_seconds(({r("registered")} % 31536000)::bigint) as registered_at,
                i % 8 = 0 as is_imported,
                {ts} + to_days(({r("updated")} % 300)::int) as updated_at
            from range(1, {n["registrations"]} + 1) as t(i)""",
    }


def trackings_query(n: dict[str, int], seed: int, registrations: str) -> str:
    """Trackings: registration i // 20 on the 20 activities of its session's training."""
    r = lambda column: h(seed, column)  # noqa: E731
    return f"""
        with base as (
            select i,
                1 + i // {ACTIVITIES_PER_TRAINING} as registration_id,
                i % {ACTIVITIES_PER_TRAINING} as position,
                {r("progress")} % 100 as p,
                timestamp '2020-01-06' + to_seconds(({r("first")} % 40000000)::bigint) as first_access_at
            from range(0, {n["trackings"]}) as t(i)
        ),
        registrations as (
            select registration_id, session_id from read_parquet({registrations})
        )
        select
            case when base.i % 200000 = 7 then null else base.i + 1 end as tracking_id,
            'TRK-' || (base.i + 1) as tracking_guid,
            case when base.i % 100000 = 11 then base.registration_id + 1000000000
                else base.registration_id end as registration_id,
            ((1 + (registrations.session_id - 1) // {SESSIONS_PER_TRAINING}) - 1) * {ACTIVITIES_PER_TRAINING}
                + 1 + base.position as activity_id,
            case when base.i % 50000 = 13 then 120.00
                when base.p < 15 then null when base.p < 30 then 0.00
                when base.p < 65 then (base.p + 1)::decimal(5,2) else 100.00 end::decimal(5,2) as progression,
            case when base.p % 3 = 0 then ({r("score")} % 10000 / 100.0)::decimal(9,2) end as score,
            ({r("points")} % 50)::int as points_gained,
            case when base.i % 40000 = 17 then -60
                else ({r("time")} % 7200)::bigint end as time_spent_seconds,
            case when base.p >= 15 or base.i % 60000 = 19 then base.first_access_at end as first_access_at,
            case when base.i % 60000 = 19 then base.first_access_at - interval 1 day
                when base.p >= 15 then base.first_access_at + to_seconds(({r("last")} % 5000000)::bigint)
                end as last_access_at,
            case when base.position in (8, 9, 19) and base.p >= 40
                then base.first_access_at + interval 2 day end as submitted_at,
            case when base.position in (8, 9, 19) and base.p >= 70
                then base.first_access_at + interval 5 day end as feedback_at,
            case when base.position in (5, 6, 17) then
                -- "late" is no attendance code: an anomaly (SPEC §7)
                case when base.i % 70000 = 25 then 'late'
                    else {pick(seed, "attendance", ATTENDANCE_CODES)} end
                end as attendance_code,
            case when base.position in (14, 15) then
                case when base.i % 30000 = 14 then 11 else ({r("nps")} % 11)::int end end as nps_score,
            base.first_access_at - interval 1 day as created_at,
            timestamp '2021-06-01' + to_seconds(({r("updated")} % 1000000)::bigint) as updated_at
        from base
        inner join registrations on base.registration_id = registrations.registration_id
        union all
        -- duplicated keys: an older copy of one tracking in 2000
        select i + 1, 'TRK-' || (i + 1), 1 + i // {ACTIVITIES_PER_TRAINING}, null, 10.00, null, null, null,
            null, null, null, null, null, null, timestamp '2020-01-01', timestamp '2020-01-02'
        from range(0, {n["trackings"]}, 2000) as t(i)
    """


def time_logs_query(seed: int, trackings: str) -> str:
    """Up to three days of logged time per started tracking; a negative log in one in 50 000."""
    return f"""
        select tracking_id, logged_on, seconds from (
            select tracking_id, cast(first_access_at as date) + (d * 3)::int as logged_on,
                case when tracking_id % 50000 = 20 and d = 0 then -5
                    else (hash(tracking_id, d, {seed}, 'sec') % 3600)::bigint end as seconds,
                case when tracking_id % 50000 = 20 then 1
                    else hash(tracking_id, {seed}, 'days') % 4 end as days,
                d
            from read_parquet({trackings}), range(0, 3) as t(d)
            where first_access_at is not null and tracking_id is not null and activity_id is not null
        )
        where d < days
    """


def generate(out: Path, trackings: int, seed: int) -> dict[str, int]:
    """Write `<out>/<table>.parquet` for every raw table; return the row count of each."""
    out.mkdir(parents=True, exist_ok=True)
    n = sizes(trackings)
    counts = {}

    def path(table: str) -> str:
        return str(out / f"{table}.parquet")

    with duckdb.connect() as connection:
        for table, query in table_queries(n, seed).items():
            counts[table] = _copy(connection, query, path(table))
        query = trackings_query(n, seed, _literal(path("registrations")))
        counts["trackings"] = _copy(connection, query, path("trackings"))
        query = time_logs_query(seed, _literal(path("trackings")))
        counts["tracking_time_logs"] = _copy(connection, query, path("tracking_time_logs"))
    return counts


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _copy(connection: duckdb.DuckDBPyConnection, query: str, target: str) -> int:
    """Write the query's rows to `target` (whole or not at all); return their number."""
    partial = target + ".partial"
    (count,) = connection.execute(f"copy ({query}) to {_literal(partial)} (format parquet)").fetchone()
    Path(partial).replace(target)
    return count


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python scripts/generate_data.py", description=__doc__.split("\n")[0])
    cli.add_argument("--out", type=Path, required=True, help="folder to write <table>.parquet into")
    cli.add_argument("--trackings", type=int, required=True, help="number of trackings (≥ 1)")
    cli.add_argument("--seed", type=int, default=7, help="seed of the pseudo-random values (default 7)")
    args = cli.parse_args(argv)
    if args.trackings < 1:
        cli.error("--trackings must be at least 1")
    started = time.monotonic()
    counts = generate(args.out, args.trackings, args.seed)
    detail = ", ".join(f"{table} {count}" for table, count in counts.items())
    print(f"Wrote {args.out} in {time.monotonic() - started:.1f} s: {detail}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
