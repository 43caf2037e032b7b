with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learning_object_versions') }}
),

deduplicated as (
    {{ deduplicate('base', 'learning_object_versions') }}
),

final as (
    select
        learning_object_version_id,
        learning_object_version_guid,
        learning_object_id,
        title as version_title,
        code as version_code,
        publisher_name as version_publisher_name,
        locale as version_locale,
        displayed_type,
        runtime_type,
        updated_at
    from deduplicated
)

select * from final
