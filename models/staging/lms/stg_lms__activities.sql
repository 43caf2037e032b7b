with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__activities') }}
),

deduplicated as (
    {{ deduplicate('base', 'activities') }}
),

final as (
    select
        activity_id,
        training_id,
        chapter_id,
        {{ activity_type_label('activity_type') }} as activity_type,
        activity_type as source_activity_type,
        title as activity_title,
        duration as activity_duration,
        points,
        likes,
        learning_object_version_id,
        updated_at
    from deduplicated
)

select * from final
