with

source as (
    select * from {{ lms_source('entities') }}
),

final as (
    select
        cast(entity_id as bigint) as entity_id,
        {{ clean_text('entity_name') }} as entity_name,
        cast(parent_entity_id as bigint) as parent_entity_id,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
