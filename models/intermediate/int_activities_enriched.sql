{#-
    Every activity with what the export shows of it: its chapter path and the learning object
    version (and learning object) it plays. A missing chapter, version or learning object
    leaves those fields empty (recorded in data_quality_issues).
-#}
with

activities as (
    select * from {{ ref('activity_tracking', 'stg_lms__activities') }}
),

chapters as (
    select * from {{ ref('activity_tracking', 'int_chapters_pathed') }}
),

versions as (
    select * from {{ ref('activity_tracking', 'stg_lms__learning_object_versions') }}
),

learning_objects as (
    select * from {{ ref('activity_tracking', 'stg_lms__learning_objects') }}
),

final as (
    select
        activities.activity_id,
        activities.training_id,
        activities.chapter_id,
        versions.learning_object_version_id,
        learning_objects.learning_object_id,
        activities.activity_type,
        activities.activity_title,
        activities.activity_duration,
        chapters.chapter_path,
        versions.learning_object_version_guid,
        versions.version_title,
        versions.version_code,
        versions.version_publisher_name,
        versions.version_locale,
        versions.displayed_type,
        versions.runtime_type,
        learning_objects.learning_object_guid,
        activities.points,
        activities.likes,
        greatest(
            activities.updated_at,
            chapters.path_updated_at,
            versions.updated_at,
            learning_objects.updated_at
        ) as source_updated_at
    from activities
    left join chapters
        on activities.chapter_id = chapters.chapter_id
    left join versions
        on activities.learning_object_version_id = versions.learning_object_version_id
    left join learning_objects
        on versions.learning_object_id = learning_objects.learning_object_id
)

select * from final
