{#-
    The raw values the pipeline clamps, empties, cuts or reads as unknown, on
    the staged rows: trackings' progression, NPS score, time spent, access dates and
    attendance code, time logs' seconds, activities' type, activities' and trainings'
    durations (read as minutes for activity_tracking_bi), custom field values' length.
-#}
with

trackings as (
    select * from {{ ref('activity_tracking', 'stg_lms__trackings') }}
),

statused_trackings as (
    select * from {{ ref('activity_tracking', 'int_trackings_statused') }}
),

time_logs as (
    select * from {{ ref('activity_tracking', 'stg_lms__tracking_time_logs') }}
),

activities as (
    select * from {{ ref('activity_tracking', 'stg_lms__activities') }}
),

trainings as (
    select * from {{ ref('activity_tracking', 'stg_lms__trainings') }}
),

custom_field_values as (
    select * from {{ ref('activity_tracking', 'stg_lms__learner_custom_field_values') }}
),

tracking_issues as (
    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        'progression_out_of_range' as issue_code,
        'progression ' || cast(progression as string) || ' clamped to 0-100' as issue_detail
    from trackings
    where progression < 0 or progression > 100

    union all

    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        'nps_out_of_range' as issue_code,
        'nps_score ' || cast(nps_score as string) || ' is outside 0-10; emptied' as issue_detail
    from trackings
    where nps_score < 0 or nps_score > 10

    union all

    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        'negative_time_spent' as issue_code,
        'time_spent_seconds ' || cast(time_spent_seconds as string) || ' is negative; emptied'
            as issue_detail
    from trackings
    where time_spent_seconds < 0

    union all

    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        'last_access_before_first_access' as issue_code,
        'last_access_at ' || cast(last_access_at as string) || ' is before first_access_at '
        || cast(first_access_at as string) || '; kept' as issue_detail
    from trackings
    where last_access_at < first_access_at

    union all

    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        'unknown_attendance_code' as issue_code,
        'attendance_code ''' || attendance_code || ''' is unknown; shown as No information'
            as issue_detail
    from statused_trackings
    where
        attendance_status = 'No information'
        and attendance_code != 'no_information'
),

time_log_issues as (
    select
        'tracking_time_logs' as source_table,
        {{ issue_record_key(['tracking_id', 'logged_on']) }} as record_key,
        'negative_time_log' as issue_code,
        'seconds ' || cast(seconds as string) || ' is negative; emptied' as issue_detail
    from time_logs
    where seconds < 0
),

activity_issues as (
    select
        'activities' as source_table,
        {{ issue_record_key(['activity_id']) }} as record_key,
        'unknown_activity_type' as issue_code,
        'activity_type ' || coalesce('''' || source_activity_type || '''', 'null')
        || ' is not one of the 12 activity types; its trackings are excluded' as issue_detail
    from activities
    where activity_type is null
),

{# the durations activity_tracking_bi reads as minutes: (table, key, duration, minutes column) -#}
{%- set durations = [
    ('activities', 'activity_id', 'activity_duration', 'activityDurationMinutes'),
    ('trainings', 'training_id', 'training_duration', 'trainingDurationMinutes'),
] %}
duration_issues as (
    {%- for table, key, duration, minutes in durations %}
        select
            {{ sql_string_literal(table) }} as source_table,
            {{ issue_record_key([key]) }} as record_key,
            'unreadable_duration' as issue_code,
            'duration ''' || {{ duration }} || ''' is not read as a duration (e.g. 2h30, 45min); '
            || {{ sql_string_literal(minutes ~ ' left empty') }} as issue_detail
        from {{ table }}
        where {{ duration }} is not null and {{ duration_minutes(duration) }} is null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

custom_field_issues as (
    select
        'learner_custom_field_values' as source_table,
        {{ issue_record_key(['learner_id', 'custom_field_guid']) }} as record_key,
        'custom_field_value_too_long' as issue_code,
        'value of ' || cast(raw_value_length as string)
        || ' characters cut to 250' as issue_detail
    from custom_field_values
    where raw_value_length > 250
),

issues as (
    select * from tracking_issues
    union all
    select * from time_log_issues
    union all
    select * from activity_issues
    union all
    select * from duration_issues
    union all
    select * from custom_field_issues
),

final as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
