{#-
    One row per anomaly found in the raw extract (SPEC §7): what the pipeline did about it
    (kept, cut, emptied, clamped or excluded) is in issue_detail. Nothing is dropped or
    changed without a row here, except trimming and empty text becoming null.
-#}
{#- every raw table: its primary key, and which row of a duplicated key is kept -#}
{%- set latest = 'the latest updated_at' -%}
{%- set raw_primary_keys = {
    'entities': {'key': ['entity_id'], 'kept': latest},
    'learners': {'key': ['learner_id'], 'kept': latest},
    'learner_custom_field_values': {'key': ['learner_id', 'custom_field_guid'], 'kept': latest},
    'trainings': {'key': ['training_id'], 'kept': latest},
    'training_chapters': {'key': ['chapter_id'], 'kept': latest},
    'sessions': {'key': ['session_id'], 'kept': latest},
    'learning_objects': {'key': ['learning_object_id'], 'kept': latest},
    'learning_object_versions': {'key': ['learning_object_version_id'], 'kept': latest},
    'activities': {'key': ['activity_id'], 'kept': latest},
    'registrations': {'key': ['registration_id'], 'kept': latest},
    'trackings': {'key': ['tracking_id'], 'kept': latest},
    'tracking_time_logs': {'key': ['tracking_id', 'logged_on'], 'kept': 'the largest valid seconds'},
} -%}

{#- every reference kept when it names no row: where it is, what it names, what is left empty -#}
{%- set dangling_references = [
    {
        'source_table': 'registrations',
        'rows': 'registrations',
        'key_columns': ['registration_id'],
        'reference_column': 'learner_id',
        'referenced': 'learners',
        'referenced_column': 'learner_id',
        'issue_code': 'missing_learner',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'registrations',
        'rows': 'registrations',
        'key_columns': ['registration_id'],
        'reference_column': 'session_id',
        'referenced': 'sessions',
        'referenced_column': 'session_id',
        'issue_code': 'missing_session',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'sessions',
        'rows': 'sessions',
        'key_columns': ['session_id'],
        'reference_column': 'training_id',
        'referenced': 'trainings',
        'referenced_column': 'training_id',
        'issue_code': 'missing_training',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'activities',
        'rows': 'activities',
        'key_columns': ['activity_id'],
        'reference_column': 'training_id',
        'referenced': 'trainings',
        'referenced_column': 'training_id',
        'issue_code': 'missing_training',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'activities',
        'rows': 'activities',
        'key_columns': ['activity_id'],
        'reference_column': 'chapter_id',
        'referenced': 'chapters',
        'referenced_column': 'chapter_id',
        'issue_code': 'missing_chapter',
        'consequence': 'trainingChapters left empty',
    },
    {
        'source_table': 'activities',
        'rows': 'activities',
        'key_columns': ['activity_id'],
        'reference_column': 'learning_object_version_id',
        'referenced': 'versions',
        'referenced_column': 'learning_object_version_id',
        'issue_code': 'missing_learning_object_version',
        'consequence': 'learning object fields left empty',
    },
    {
        'source_table': 'learning_object_versions',
        'rows': 'versions',
        'key_columns': ['learning_object_version_id'],
        'reference_column': 'learning_object_id',
        'referenced': 'learning_objects',
        'referenced_column': 'learning_object_id',
        'issue_code': 'missing_learning_object',
        'consequence': 'learningObjectId and learningObjectGuid left empty',
    },
    {
        'source_table': 'learners',
        'rows': 'learners',
        'key_columns': ['learner_id'],
        'reference_column': 'entity_id',
        'referenced': 'entities',
        'referenced_column': 'entity_id',
        'issue_code': 'missing_entity',
        'consequence': 'candidateEntityName left empty',
    },
    {
        'source_table': 'learner_custom_field_values',
        'rows': 'custom_field_values',
        'key_columns': ['learner_id', 'custom_field_guid'],
        'reference_column': 'learner_id',
        'referenced': 'learners',
        'referenced_column': 'learner_id',
        'issue_code': 'missing_learner',
        'consequence': 'kept',
    },
    {
        'source_table': 'tracking_time_logs',
        'rows': 'time_logs',
        'key_columns': ['tracking_id', 'logged_on'],
        'reference_column': 'tracking_id',
        'referenced': 'trackings',
        'referenced_column': 'tracking_id',
        'issue_code': 'missing_tracking',
        'consequence': 'kept',
    },
] -%}

with

trackings as (
    select * from {{ ref('stg_lms__trackings') }}
),

validated_trackings as (
    select * from {{ ref('int_trackings_validated') }}
),

statused_trackings as (
    select * from {{ ref('int_trackings_statused') }}
),

time_logs as (
    select * from {{ ref('stg_lms__tracking_time_logs') }}
),

activities as (
    select * from {{ ref('stg_lms__activities') }}
),

chapters as (
    select * from {{ ref('int_chapters_pathed') }}
),

versions as (
    select * from {{ ref('stg_lms__learning_object_versions') }}
),

learning_objects as (
    select * from {{ ref('stg_lms__learning_objects') }}
),

learners as (
    select * from {{ ref('stg_lms__learners') }}
),

entities as (
    select * from {{ ref('int_entities_pathed') }}
),

custom_field_values as (
    select * from {{ ref('stg_lms__learner_custom_field_values') }}
),

registrations as (
    select * from {{ ref('stg_lms__registrations') }}
),

sessions as (
    select * from {{ ref('stg_lms__sessions') }}
),

trainings as (
    select * from {{ ref('stg_lms__trainings') }}
),

key_issues as (
    {{ raw_key_issues(raw_primary_keys) }}
),

empty_value_issues as (
    {{ empty_required_value_issues(raw_primary_keys) }}
),

excluded_trackings as (
    select
        'trackings' as source_table,
        {{ issue_record_key(['tracking_id']) }} as record_key,
        case exclusion_reason
            when 'unknown_activity_type' then 'tracking_of_unknown_activity_type'
            else 'orphan_tracking'
        end as issue_code,
        exclusion_detail || '; tracking excluded' as issue_detail
    from validated_trackings
    where exclusion_reason != 'out_of_scope'
),

tracking_value_issues as (
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

reference_issues as (
    {%- for reference in dangling_references %}
        {{ 'union all' if not loop.first }}
        {{ missing_reference_issues(**reference) }}
    {%- endfor %}
),

tree_issues as (
    select
        'training_chapters' as source_table,
        {{ issue_record_key(['chapter_id']) }} as record_key,
        case path_end
            when 'cycle' then 'chapter_cycle'
            else 'missing_parent_chapter'
        end as issue_code,
        case path_end
            when 'cycle' then 'the chapter tree has a cycle; path cut at it: '
            else 'the parent chapter does not exist; path starts at: '
        end || coalesce(chapter_path, '(no title)') as issue_detail
    from chapters
    where path_end != 'top'

    union all

    select
        'entities' as source_table,
        {{ issue_record_key(['entity_id']) }} as record_key,
        case path_end
            when 'cycle' then 'entity_cycle'
            else 'missing_parent_entity'
        end as issue_code,
        case path_end
            when 'cycle' then 'the entity tree has a cycle; ancestors cut at it: '
            else 'the parent entity does not exist; ancestors end at: '
        end || entity_path as issue_detail
    from entities
    where path_end != 'top'
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

all_issues as (
    select * from key_issues
    union all
    select * from empty_value_issues
    union all
    select * from excluded_trackings
    union all
    select * from tracking_value_issues
    union all
    select * from time_log_issues
    union all
    select * from activity_issues
    union all
    select * from reference_issues
    union all
    select * from tree_issues
    union all
    select * from custom_field_issues
),

final as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail,
        md5(source_table || '|' || issue_code || '|' || coalesce(record_key, '')) as issue_id
    from all_issues
)

select * from final
