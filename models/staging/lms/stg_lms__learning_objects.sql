with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learning_objects') }}
),

deduplicated as (
    {{ deduplicate('base', 'learning_objects') }}
),

final as (
    select
        learning_object_id,
        learning_object_guid,
        updated_at
    from deduplicated
)

select * from final
