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

key_issues as (
    {{ raw_key_issues(raw_primary_keys) }}
),

excluded_trackings as (
    select
        'trackings' as source_table,
        cast(tracking_id as string) as record_key,
        case exclusion_reason
            when 'unknown_activity_type' then 'tracking_of_unknown_activity_type'
            else 'orphan_tracking'
        end as issue_code,
        exclusion_detail || '; tracking excluded' as issue_detail
    from validated_trackings
    where exclusion_reason is not null
),

tracking_value_issues as (
    select
        'trackings' as source_table,
        cast(tracking_id as string) as record_key,
        'progression_out_of_range' as issue_code,
        'progression ' || cast(progression as string) || ' clamped to 0-100' as issue_detail
    from trackings
    where progression < 0 or progression > 100

    union all

    select
        'trackings' as source_table,
        cast(tracking_id as string) as record_key,
        'nps_out_of_range' as issue_code,
        'nps_score ' || cast(nps_score as string) || ' is outside 0-10; emptied' as issue_detail
    from trackings
    where nps_score < 0 or nps_score > 10

    union all

    select
        'trackings' as source_table,
        cast(tracking_id as string) as record_key,
        'negative_time_spent' as issue_code,
        'time_spent_seconds ' || cast(time_spent_seconds as string) || ' is negative; emptied'
            as issue_detail
    from trackings
    where time_spent_seconds < 0

    union all

    select
        'trackings' as source_table,
        cast(tracking_id as string) as record_key,
        'last_access_before_first_access' as issue_code,
        'last_access_at ' || cast(last_access_at as string) || ' is before first_access_at '
        || cast(first_access_at as string) || '; kept' as issue_detail
    from trackings
    where last_access_at < first_access_at

    union all

    select
        'trackings' as source_table,
        cast(tracking_id as string) as record_key,
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
        cast(time_logs.tracking_id as string) || '|' || cast(time_logs.logged_on as string) as record_key,
        'negative_time_log' as issue_code,
        'seconds ' || cast(time_logs.seconds as string) || ' is negative; emptied' as issue_detail
    from time_logs
    where time_logs.seconds < 0

    union all

    select
        'tracking_time_logs' as source_table,
        cast(time_logs.tracking_id as string) || '|' || cast(time_logs.logged_on as string) as record_key,
        'missing_tracking' as issue_code,
        'tracking ' || cast(time_logs.tracking_id as string) || ' does not exist; kept' as issue_detail
    from time_logs
    left join trackings
        on time_logs.tracking_id = trackings.tracking_id
    where trackings.tracking_id is null
),

activity_issues as (
    select
        'activities' as source_table,
        cast(activity_id as string) as record_key,
        'unknown_activity_type' as issue_code,
        'activity_type ' || coalesce('''' || source_activity_type || '''', 'null')
        || ' is not one of the 12 activity types; its trackings are excluded' as issue_detail
    from activities
    where activity_type is null

    union all

    select
        'activities' as source_table,
        cast(activities.activity_id as string) as record_key,
        'missing_chapter' as issue_code,
        'chapter ' || cast(activities.chapter_id as string)
        || ' does not exist; trainingChapters left empty' as issue_detail
    from activities
    left join chapters
        on activities.chapter_id = chapters.chapter_id
    where activities.chapter_id is not null and chapters.chapter_id is null

    union all

    select
        'activities' as source_table,
        cast(activities.activity_id as string) as record_key,
        'missing_learning_object_version' as issue_code,
        'learning object version ' || cast(activities.learning_object_version_id as string)
        || ' does not exist; learning object fields left empty' as issue_detail
    from activities
    left join versions
        on activities.learning_object_version_id = versions.learning_object_version_id
    where
        activities.learning_object_version_id is not null
        and versions.learning_object_version_id is null
),

version_issues as (
    select
        'learning_object_versions' as source_table,
        cast(versions.learning_object_version_id as string) as record_key,
        'missing_learning_object' as issue_code,
        'learning object ' || cast(versions.learning_object_id as string)
        || ' does not exist; learningObjectId and learningObjectGuid left empty' as issue_detail
    from versions
    left join learning_objects
        on versions.learning_object_id = learning_objects.learning_object_id
    where learning_objects.learning_object_id is null
),

tree_issues as (
    select
        'training_chapters' as source_table,
        cast(chapter_id as string) as record_key,
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
        cast(entity_id as string) as record_key,
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

learner_issues as (
    select
        'learners' as source_table,
        cast(learners.learner_id as string) as record_key,
        'missing_entity' as issue_code,
        'entity ' || cast(learners.entity_id as string)
        || ' does not exist; candidateEntityName left empty' as issue_detail
    from learners
    left join entities
        on learners.entity_id = entities.entity_id
    where learners.entity_id is not null and entities.entity_id is null

    union all

    select
        'learner_custom_field_values' as source_table,
        cast(custom_field_values.learner_id as string) || '|'
        || custom_field_values.custom_field_guid as record_key,
        'custom_field_value_too_long' as issue_code,
        'value of ' || cast(length(custom_field_values.custom_field_value) as string)
        || ' characters cut to 250' as issue_detail
    from custom_field_values
    where length(custom_field_values.custom_field_value) > 250

    union all

    select
        'learner_custom_field_values' as source_table,
        cast(custom_field_values.learner_id as string) || '|'
        || custom_field_values.custom_field_guid as record_key,
        'missing_learner' as issue_code,
        'learner ' || cast(custom_field_values.learner_id as string) || ' does not exist; kept'
            as issue_detail
    from custom_field_values
    left join learners
        on custom_field_values.learner_id = learners.learner_id
    where learners.learner_id is null
),

all_issues as (
    select * from key_issues
    union all
    select * from excluded_trackings
    union all
    select * from tracking_value_issues
    union all
    select * from time_log_issues
    union all
    select * from activity_issues
    union all
    select * from version_issues
    union all
    select * from tree_issues
    union all
    select * from learner_issues
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
