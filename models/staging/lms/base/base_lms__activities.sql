with

source as (
    select * from {{ lms_source('activities') }}
),

final as (
    select
        cast(activity_id as bigint) as activity_id,
        cast(training_id as bigint) as training_id,
        cast(chapter_id as bigint) as chapter_id,
        {{ clean_text('activity_type') }} as activity_type,
        {{ clean_text('title') }} as title,
        {{ clean_text('duration') }} as duration,
        cast(points as int) as points,
        cast(likes as int) as likes,
        cast(learning_object_version_id as bigint) as learning_object_version_id,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
