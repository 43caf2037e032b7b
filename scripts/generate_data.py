"""Generate a raw extract of any size in the raw contract's shape, as Parquet files.

    python scripts/generate_data.py --out build/raw-1m --trackings 1000000 [--seed 7] [--anomaly-rate 0.001]

Deterministic: the same arguments (and DuckDB version) give the same files. Every value is
derived from a row number and the seed through DuckDB's hash, in one SQL statement per
table, so 10 million trackings take well under a minute. The data is realistic in shape:
trainings of every modality (in messy spellings), 20 activities of every type each, a
chapter tree three levels deep, an entity tree, learners in several locales with two custom
fields, registrations of learners to sessions, one tracking per registration and activity
with statuses, scores, attendance and time logs.

Dirty on purpose: each row of each table is anomalous with probability `--anomaly-rate`,
its anomaly drawn from every kind that table can have (ANOMALIES lists them: duplicated keys
with older copies or exact ties, empty keys, references that are empty or name no row,
unknown or oddly written activity types, empty required values, out-of-range values, too
long custom field values, cycles in both trees…). Whatever the rate, the extract also holds
every anomaly of a tracking and of a registration once in a Blendedx training and once in a
training outside the scope (trainings 1 and 9), every anomaly of an activity in both of
those trainings, so that each kind meets both sides of the scope rule, and every other
anomaly at least once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from exporter.project import raw_tables

ACTIVITIES_PER_TRAINING = 20
SESSIONS_PER_TRAINING = 10
TRACKINGS_PER_LEARNER = 60
# Training 1 is Blendedx and training 9 is not (every training i with i % 10 = 9 has another
# modality): the anomalies forced whatever the rate go to both.
IN_SCOPE_TRAINING = 1
OUT_OF_SCOPE_TRAINING = 9
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
    "_quiz_",
    "Classroom activity",
    "-Learning_resource-",
    "Assignment",
]
LOCALES = ["en-US", "fr-FR", "fr", "de-DE", "es-ES", "en-GB"]
FIRST_NAMES = ["Laurie", "Bob", "Chloé", "Dan", "Émile", "Fay", "Gus", "Zoë"]
LAST_NAMES = ["Martin", "Smith", "Müller", "García", "Rossi", "Dubois"]
DEPARTMENTS = ["Sales", "Ventes", "R&D", "Support", " HR "]
PUBLISHERS = ["Acme Academy", "Partner Publishing", "Open Courses"]
BLENDEDX = ["blendedx", "BlendedX", " Blended_X ", "blended-x", "_blendedx_"]
OTHER_MODALITIES = ["learning_channel", "Classic", " CLASSIC "]
DISPLAYED_TYPES = ["interactive content", "video", "audio", "document"]
RUNTIME_TYPES = ["SCORM", "MP4", "AICC", "PDF"]
ATTENDANCE_CODES = ["present", "Absent", "excused", "no information", "NOT_APPLICABLE", "_present_"]
# A reference to no row: far above every generated id.
MISSING = 1_000_000_000

# The anomalies each table can hold, in the order their kind numbers follow.
ANOMALIES = {
    "trackings": [
        "null key",
        "duplicate (an older copy)",
        "duplicate (an exact tie with an empty column)",
        "missing registration",
        "empty registration",
        "missing activity",
        "empty activity",
        "empty tracking_guid",
        "empty created_at",
        "progression above 100",
        "progression below 0",
        "NPS above 10",
        "negative time spent",
        "last access before first access",
        "unknown attendance code",
    ],
    "registrations": [
        "missing learner",
        "empty learner",
        "missing session",
        "empty session",
        "empty registration_guid",
        "duplicate (an older copy)",
    ],
    "activities": [
        "unknown type",
        "empty type",
        "type in CamelCase",
        "missing training",
        "empty training",
        "missing chapter",
        "missing learning object version",
        "empty title",
        "unreadable duration",
    ],
    "sessions": ["missing training", "empty training", "empty session_guid"],
    "trainings": ["empty modality", "empty title", "empty catalogue visibility", "unreadable duration"],
    "learners": ["empty login", "empty learner_guid", "missing entity", "duplicate (an exact tie)"],
    "learner_custom_field_values": ["value over 250 characters", "blank value"],
    "tracking_time_logs": ["negative seconds", "empty seconds"],
    "entities": ["empty entity_name", "missing parent"],
}


def sizes(trackings: int) -> dict[str, int]:
    """Row counts of the generated tables for `trackings` trackings."""
    registrations = max(1, -(-trackings // ACTIVITIES_PER_TRAINING))
    trainings = max(20, min(2000, registrations // 250))
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


class Anomalies:
    """SQL for one table's anomaly: which kind a row holds (or none) and values that depend on it."""

    def __init__(self, table: str, seed: int, rate: float, key: str = "i", forced: str = "null") -> None:
        self.kinds = ANOMALIES[table]
        parts_per_million = round(rate * 1_000_000)
        # the kind a row holds, -1 for none: `forced` (an SQL kind number or null) first, then drawn
        self.kind = (
            f"coalesce({forced}, case when {h(seed, 'anomaly ' + table, key)} % 1000000 < {parts_per_million}"
            f" then ({h(seed, 'kind ' + table, key)} % {len(self.kinds)})::int else -1 end)"
        )

    def number(self, kind: str) -> int:
        return self.kinds.index(kind)

    def when(self, kind: str, anomalous: str, normal: str) -> str:
        """SQL: `anomalous` for the rows holding `kind`, else `normal` (reads the column `anomaly`)."""
        return f"case when anomaly = {self.number(kind)} then {anomalous} else {normal} end"


def forced_registration(kinds: int, offset: int) -> str:
    """SQL: the kind forced on registration `i` when it is one of the 2 * `kinds` registrations
    after `offset` (each kind on two registrations, the first in scope, the second not), else null."""
    return f"case when i > {offset} and i <= {offset} + 2 * {kinds} then ((i - {offset} - 1) // 2)::int end"


def forced_session(kinds: int) -> str:
    """SQL: the session of registration `i` when its kind is forced (the first 2 * `kinds`): odd ones
    in training 1, even ones in training 9; the next two go to sessions 2 and 3, whose training is
    missing and empty; null for the others."""
    first_session = {training: (training - 1) * SESSIONS_PER_TRAINING + 1 for training in (1, 9)}
    return (
        f"case when i <= 2 * {kinds} then case when i % 2 = 1 then {first_session[IN_SCOPE_TRAINING]}"
        f" else {first_session[OUT_OF_SCOPE_TRAINING]} end"
        f" when i <= 2 * {kinds} + 2 then i - 2 * {kinds} + 1 end"
    )


def table_queries(n: dict[str, int], seed: int, rate: float) -> dict[str, str]:
    """One SELECT per raw table but trackings and time logs, in the raw contract's column order and types."""
    ts = "timestamp '2020-01-01'"
    r = lambda column, key="i": h(seed, column, key)  # noqa: E731
    entity = Anomalies("entities", seed, rate, forced="case when i in (10, 11) then (i - 10)::int end")
    learner = Anomalies("learners", seed, rate, forced="case when i <= 4 then (i - 1)::int end")
    custom = Anomalies("learner_custom_field_values", seed, rate)
    training = Anomalies(
        "trainings",
        seed,
        rate,
        # an unreadable duration on a Blendedx training (4) and on one of another modality (19)
        forced="case when i = 2 then 1 when i = 3 then 2 when i = 12 then 0 when i in (4, 19) then 3 end",
    )
    session = Anomalies(
        "sessions", seed, rate, forced="case when i in (2, 82) then 0 when i in (3, 83) then 1 end"
    )
    # every activity anomaly on an activity of training 1 and of training 9 (positions 11 and up)
    activity_kinds = len(ANOMALIES["activities"])
    activity = Anomalies(
        "activities",
        seed,
        rate,
        forced=(
            f"case when (1 + (i - 1) // {ACTIVITIES_PER_TRAINING})"
            f" in ({IN_SCOPE_TRAINING}, {OUT_OF_SCOPE_TRAINING})"
            f" and (i - 1) % {ACTIVITIES_PER_TRAINING} between 11 and {10 + activity_kinds}"
            f" then ((i - 1) % {ACTIVITIES_PER_TRAINING} - 11)::int end"
        ),
    )
    tracking_kinds = len(ANOMALIES["trackings"])
    registration_kinds = len(ANOMALIES["registrations"])
    registration = Anomalies(
        "registrations", seed, rate, forced=forced_registration(registration_kinds, 2 * tracking_kinds)
    )
    return {
        "entities": f"""
            select entity_id, entity_name, parent_entity_id, updated_at from (
                select i as entity_id, {entity.kind} as anomaly,
                    {entity.when("empty entity_name", "''", "'Entity ' || i")} as entity_name,
                    case when i <= 4 then null
                        when i = 5 then 6 when i = 6 then 5
                        when anomaly = {entity.number("missing parent")} then {MISSING} + i
                        else 1 + ({r("parent")} % least(i - 1, 4 + i // 10))::bigint end as parent_entity_id,
                    {ts} + to_days(({r("updated")} % 300)::int) as updated_at
                from range(1, {n["entities"]} + 1) as t(i)
            )""",
        "learners": f"""
            with learners as (
                select i as learner_id, {learner.kind} as anomaly,
                    {learner.when("empty learner_guid", "'  '", "'L-' || lpad(i::varchar, 10, '0')")}
                        as learner_guid,
                    {learner.when("empty login", "''", "'learner' || i")} as login,
                    case when {r("email")} % 20 = 0 then null
                        else 'learner' || i || '@example.com' end as email,
                    {pick(seed, "first", FIRST_NAMES)} as first_name,
                    {pick(seed, "last", LAST_NAMES)} as last_name,
                    case when {r("ref")} % 3 = 0 then null else 'R' || i end as reference_number,
                    case when anomaly = {learner.number("missing entity")} then {MISSING} + i
                        when {r("noentity")} % 50 = 0 then null
                        else 1 + ({r("entity")} % {n["entities"]})::bigint end as entity_id,
                    {ts} + to_days(({r("updated")} % 300)::int) as updated_at
                from range(1, {n["learners"]} + 1) as t(i)
            )
            select * exclude (anomaly) from learners
            union all
            -- an exact tie: the same key and updated_at, an empty email
            select * exclude (anomaly) replace (null as email) from learners
            where anomaly = {learner.number("duplicate (an exact tie)")}
            order by all""",
        "learner_custom_field_values": f"""
            select learner_id, custom_field_guid, value, updated_at from (
                select i as learner_id, 'CF-DEPARTMENT' as custom_field_guid, {custom.kind} as anomaly,
                    case when i % 5000 = 1 or anomaly = {custom.number("value over 250 characters")}
                        then repeat('D', 260)
                        when anomaly = {custom.number("blank value")} then '   '
                        else {pick(seed, "department", DEPARTMENTS)} end as value,
                    {ts} + to_days(({r("cf1")} % 300)::int) as updated_at
                from range(1, {n["learners"]} + 1) as t(i)
                union all
                select i, 'CF-COST-CENTER', -1,
                    case when {r("cc")} % 4 = 0 then null else 'CC' || ({r("cc")} % 90) end,
                    {ts} + to_days(({r("cf2")} % 300)::int)
                from range(1, {n["learners"]} + 1) as t(i)
            )""",
        "trainings": f"""
            select training_id, training_guid, title, path_code, publisher_name, duration, modality,
                is_catalog_visible, is_imported, updated_at
            from (
                select i as training_id, {training.kind} as anomaly,
                    'T-' || lpad(i::varchar, 8, '0') as training_guid,
                    {training.when("empty title", "' '", "'Training ' || i")} as title,
                    case when i % 4 = 0 then null else 'P' || i end as path_code,
                    {pick(seed, "publisher", PUBLISHERS)} as publisher_name,
                    {training.when("unreadable duration", "'2 days'", "(1 + i % 9) || 'h'")} as duration,
                    case when anomaly = {training.number("empty modality")} then ''
                        when i % 10 = 9 then {pick(seed, "other", OTHER_MODALITIES)}
                        else {pick(seed, "modality", BLENDEDX)} end as modality,
                    {training.when("empty catalogue visibility", "null", "i % 7 != 0")} as is_catalog_visible,
                    i % 5 = 0 as is_imported,
                    {ts} + to_days(({r("updated")} % 300)::int) as updated_at
                from range(1, {n["trainings"]} + 1) as t(i)
            )""",
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
            select session_id, session_guid, training_id, title, start_date, end_date, is_imported, updated_at
            from (
                select i as session_id, {session.kind} as anomaly,
                    {session.when("empty session_guid", "''", "'S-' || lpad(i::varchar, 8, '0')")}
                        as session_guid,
                    case when anomaly = {session.number("missing training")} then {MISSING} + i
                        when anomaly = {session.number("empty training")} then null
                        else 1 + (i - 1) // {SESSIONS_PER_TRAINING} end as training_id,
                    'Session ' || lpad(((i - 1) % {SESSIONS_PER_TRAINING} + 1)::varchar, 2, '0') as title,
                    date '2020-01-06' + ({r("start")} % 600)::int as start_date,
                    case when {r("end")} % 10 = 0 then null
                        else date '2020-01-06' + ({r("start")} % 600 + 30)::int end as end_date,
                    i % 6 = 0 as is_imported,
                    {ts} + to_days(({r("updated")} % 300)::int) as updated_at
                from range(1, {n["sessions"]} + 1) as t(i)
            )""",
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
            select activity_id, training_id, chapter_id, activity_type, title, duration, points, likes,
                learning_object_version_id, updated_at
            from (
                select i as activity_id, {activity.kind} as anomaly,
                    case when anomaly = {activity.number("missing training")} then {MISSING} + i
                        when anomaly = {activity.number("empty training")} then null
                        else 1 + (i - 1) // {ACTIVITIES_PER_TRAINING} end as training_id,
                    case when anomaly = {activity.number("missing chapter")} then {MISSING} + i
                        when (i - 1) % {ACTIVITIES_PER_TRAINING} = 19 then null
                        else ((i - 1) // {ACTIVITIES_PER_TRAINING}) * 4 + 1 + (i - 1) % 4 end as chapter_id,
                    case when anomaly = {activity.number("unknown type")} then 'webinar'
                        when anomaly = {activity.number("empty type")} then ' '
                        when anomaly = {activity.number("type in CamelCase")} then 'LearningResource'
                        else ([{", ".join(f"'{t}'" for t in TYPES)}])[1 + ((i - 1) % {len(TYPES)})::int]
                        end as activity_type,
                    {activity.when("empty title", "''", "'Activity ' || i")} as title,
                    {activity.when("unreadable duration", "'about an hour'", "(5 + i % 40) || 'min'")}
                        as duration,
                    (i % 50)::int as points,
                    ({r("likes")} % 30)::int as likes,
                    case when anomaly = {activity.number("missing learning object version")}
                        then {MISSING} + i
                        when (i - 1) % {ACTIVITIES_PER_TRAINING} in (0, 1, 18)
                        then 1 + ({r("lov")} % {n["learning_objects"] * 2})::bigint
                        end as learning_object_version_id,
                    {ts} + to_days(({r("updated")} % 300)::int) as updated_at
                from range(1, {n["activities"]} + 1) as t(i)
            )""",
        "registrations": f"""
            with registrations as (
                select i as registration_id, {registration.kind} as anomaly,
                    {registration.when("empty registration_guid", "''", "'REG-' || i")} as registration_guid,
                    case when anomaly = {registration.number("missing learner")} then {MISSING} + i
                        when anomaly = {registration.number("empty learner")} then null
                        else 1 + ({r("learner")} % {n["learners"]})::bigint end as learner_id,
                    case when anomaly = {registration.number("missing session")} then {MISSING} + i
                        when anomaly = {registration.number("empty session")} then null
                        else coalesce({forced_session(tracking_kinds + registration_kinds)},
                            1 + ({r("session")} % {n["sessions"]})::bigint) end as session_id,
                    {ts} + to_seconds(({r("registered")} % 31536000)::bigint) as registered_at,
                    i % 8 = 0 as is_imported,
                    {ts} + to_days(({r("updated")} % 300)::int) as updated_at
                from range(1, {n["registrations"]} + 1) as t(i)
            )
            select * exclude (anomaly) from registrations
            union all
            -- an older copy
            select * exclude (anomaly) replace ('REG-OLD-' || registration_id as registration_guid,
                updated_at - interval 30 day as updated_at)
            from registrations
            where anomaly = {registration.number("duplicate (an older copy)")}
            order by all""",
    }


def trackings_query(n: dict[str, int], seed: int, rate: float, registrations: str) -> str:
    """Trackings: registration i // 20 on the 20 activities of its session's training."""
    r = lambda column: h(seed, column)  # noqa: E731
    tracking_kinds = len(ANOMALIES["trackings"])
    # each kind forced on the classroom activity (position 5, where an attendance code counts) of
    # registrations 2k + 1 (training 1) and 2k + 2 (training 9)
    tracking = Anomalies(
        "trackings",
        seed,
        rate,
        forced=(
            f"case when i % {ACTIVITIES_PER_TRAINING} = 5"
            f" and i // {ACTIVITIES_PER_TRAINING} < 2 * {tracking_kinds}"
            f" then (i // {ACTIVITIES_PER_TRAINING} // 2)::int end"
        ),
    )
    when = tracking.when
    # the training of the registration's session, when the session is a generated one
    activity_id = (
        f"(1 + (registrations.session_id - 1) // {SESSIONS_PER_TRAINING} - 1) * {ACTIVITIES_PER_TRAINING}"
        " + 1 + base.position"
    )
    return f"""
        with base as (
            select i,
                1 + i // {ACTIVITIES_PER_TRAINING} as registration_id,
                i % {ACTIVITIES_PER_TRAINING} as position,
                {r("progress")} % 100 as p,
                timestamp '2020-01-06' + to_seconds(({r("first")} % 40000000)::bigint) as first_access_at,
                {tracking.kind} as anomaly
            from range(0, {n["trackings"]}) as t(i)
        ),
        registrations as (
            -- one row per registration (the generated ones; their older copies are left out)
            select registration_id, session_id
            from read_parquet({registrations})
            where coalesce(registration_guid, '') not like 'REG-OLD-%'
        ),
        trackings as (
            select
                {when("null key", "null", "base.i + 1")} as tracking_id,
                {when("empty tracking_guid", "' '", "'TRK-' || (base.i + 1)")} as tracking_guid,
                case when anomaly = {tracking.number("missing registration")} then {MISSING} + base.i
                    when anomaly = {tracking.number("empty registration")} then null
                    else base.registration_id end as registration_id,
                case when anomaly = {tracking.number("missing activity")} then {MISSING} + base.i
                    when anomaly = {tracking.number("empty activity")} then null
                    when registrations.session_id is null or registrations.session_id >= {MISSING}
                    then 1 + base.position
                    else {activity_id} end as activity_id,
                case when anomaly = {tracking.number("progression above 100")} then 120.00
                    when anomaly = {tracking.number("progression below 0")} then -5.00
                    when base.p < 15 then null when base.p < 30 then 0.00
                    when base.p < 65 then (base.p + 1)::decimal(5,2)
                    else 100.00 end::decimal(5,2) as progression,
                case when base.p % 3 = 0 then ({r("score")} % 10000 / 100.0)::decimal(9,2) end as score,
                ({r("points")} % 50)::int as points_gained,
                {when("negative time spent", "-60", f"({r('time')} % 7200)::bigint")} as time_spent_seconds,
                case when base.p >= 15 or anomaly = {tracking.number("last access before first access")}
                    then base.first_access_at end as first_access_at,
                case when anomaly = {tracking.number("last access before first access")}
                    then base.first_access_at - interval 1 day
                    when base.p >= 15 then base.first_access_at + to_seconds(({r("last")} % 5000000)::bigint)
                    end as last_access_at,
                case when base.position in (8, 9, 19) and base.p >= 40
                    then base.first_access_at + interval 2 day end as submitted_at,
                case when base.position in (8, 9, 19) and base.p >= 70
                    then base.first_access_at + interval 5 day end as feedback_at,
                case when anomaly = {tracking.number("unknown attendance code")} then 'late'
                    when base.position in (5, 6, 17) then {pick(seed, "attendance", ATTENDANCE_CODES)}
                    end as attendance_code,
                case when anomaly = {tracking.number("NPS above 10")} then 11
                    when base.position in (14, 15) then ({r("nps")} % 11)::int end as nps_score,
                {when("empty created_at", "null", "base.first_access_at - interval 1 day")} as created_at,
                timestamp '2021-06-01' + to_seconds(({r("updated")} % 1000000)::bigint) as updated_at,
                anomaly
            from base
            left join registrations on base.registration_id = registrations.registration_id
        )
        select * exclude (anomaly) from trackings
        union all
        -- an older copy, with another progression
        select * exclude (anomaly) replace (10.00::decimal(5,2) as progression,
            timestamp '2020-01-02' as updated_at)
        from trackings
        where anomaly = {tracking.number("duplicate (an older copy)")}
        union all
        -- an exact tie: the same key and updated_at, the score empty
        select * exclude (anomaly) replace (null::decimal(9,2) as score) from trackings
        where anomaly = {tracking.number("duplicate (an exact tie with an empty column)")}
        -- the same order at every run (the engine reads the parts above in parallel)
        order by all
    """


def time_logs_query(seed: int, rate: float, trackings: str) -> str:
    """Up to three days of logged time per started tracking, some of them anomalous."""
    # negative and empty seconds forced on the first day of trackings 1 to 40 (trainings 1 and 9)
    log = Anomalies(
        "tracking_time_logs",
        seed,
        rate,
        key="tracking_id, d",
        forced="case when tracking_id <= 40 and d = 0 then (tracking_id % 2)::int end",
    )
    return f"""
        select tracking_id, logged_on, seconds from (
            select tracking_id, cast(first_access_at as date) + (d * 3)::int as logged_on,
                {log.kind} as anomaly,
                case when anomaly = {log.number("negative seconds")} then -5
                    when anomaly = {log.number("empty seconds")} then null
                    else (hash(tracking_id, d, {seed}, 'sec') % 3600)::bigint end as seconds,
                case when tracking_id <= 40 then 1 else hash(tracking_id, {seed}, 'days') % 4 end as days,
                d
            from (select distinct tracking_id, first_access_at from read_parquet({trackings})
                where first_access_at is not null and tracking_id is not null), range(0, 3) as t(d)
        )
        where d < days
        order by tracking_id, logged_on
    """


def generate(out: Path, trackings: int, seed: int, anomaly_rate: float = 0.001) -> dict[str, int]:
    """Write `<out>/<table>.parquet` for every raw table; return the row count of each."""
    out.mkdir(parents=True, exist_ok=True)
    n = sizes(trackings)
    counts = {}

    def path(table: str) -> str:
        return str(out / f"{table}.parquet")

    declared = {table["name"]: table for table in raw_tables()}

    def copy(table: str, query: str) -> None:
        query = declared_columns(connection, declared[table], query, seed)
        counts[table] = _copy(connection, query, path(table))

    with duckdb.connect() as connection:
        for table, query in table_queries(n, seed, anomaly_rate).items():
            copy(table, query)
        copy("trackings", trackings_query(n, seed, anomaly_rate, _literal(path("registrations"))))
        copy("tracking_time_logs", time_logs_query(seed, anomaly_rate, _literal(path("trackings"))))
    return counts


def declared_columns(connection: duckdb.DuckDBPyConnection, table: dict, query: str, seed: int) -> str:
    """`query` with the columns the lms source declares for `table`, in its order. A declared
    column the query does not write gets a value drawn from its type for each row's key, so a
    raw column added to the source is generated without an edit here."""
    written = [column[0] for column in connection.execute(f"select * from ({query}) limit 0").description]
    undeclared = set(written) - {column["name"] for column in table["columns"]}
    if undeclared:
        raise ValueError(f"{table['name']}: columns the lms source does not declare: {sorted(undeclared)}")
    key = ", ".join(table["meta"]["primary_key"])
    expressions = []
    for column in table["columns"]:
        name, data_type = column["name"], column["data_type"]
        if name in written:
            expressions.append(name)
            continue
        drawn = DRAWN.get(data_type.split("(")[0])
        if drawn is None:
            raise ValueError(f"{table['name']}.{name}: DRAWN has no value for type {data_type}")
        value = drawn.format(drawn=f"(hash({key}, {seed}, '{name}') % 1000)", data_type=data_type)
        expressions.append(f"{value} as {name}")
    return f"select {', '.join(expressions)} from ({query})"


# The value of a declared column no query writes, by its type, from `drawn` (0…999 per row).
DRAWN = {
    "string": "'value ' || {drawn}",
    "bigint": "{drawn}::bigint",
    "int": "{drawn}::int",
    "decimal": "({drawn} / 10)::{data_type}",
    "date": "date '2020-01-01' + {drawn}::int",
    "timestamp": "timestamp '2020-01-01' + to_hours({drawn}::bigint)",
    "boolean": "{drawn} % 2 = 0",
}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _copy(connection: duckdb.DuckDBPyConnection, query: str, target: str) -> int:
    """Write the query's rows to `target` (whole or not at all); return their number."""
    partial = target + ".partial"
    (count,) = connection.execute(f"copy ({query}) to {_literal(partial)} (format parquet)").fetchone()
    Path(partial).replace(target)
    return count


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python scripts/generate_data.py", description=__doc__.split("\n")[0])
    cli.add_argument("--out", type=Path, required=True, help="folder to write <table>.parquet into")
    cli.add_argument("--trackings", type=int, required=True, help="number of trackings (≥ 1)")
    cli.add_argument("--seed", type=int, default=7, help="seed of the pseudo-random values (default 7)")
    cli.add_argument(
        "--anomaly-rate",
        type=_rate,
        default=0.001,
        help="share of the rows of each table that hold an anomaly, 0 to 1 (default 0.001)",
    )
    args = cli.parse_args(argv)
    if args.trackings < 1:
        cli.error("--trackings must be at least 1")
    started = time.monotonic()
    counts = generate(args.out, args.trackings, args.seed, args.anomaly_rate)
    detail = ", ".join(f"{table} {count}" for table, count in counts.items())
    print(f"Wrote {args.out} in {time.monotonic() - started:.1f} s: {detail}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
