with

source as (
    select * from {{ lms_source('learning_objects') }}
),

final as (
    select
        cast(learning_object_id as bigint) as learning_object_id,
        {{ clean_text('learning_object_guid') }} as learning_object_guid,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
