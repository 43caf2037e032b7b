with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__entities') }}
),

deduplicated as (
    {{ deduplicate('base', 'entities') }}
),

final as (
    select
        entity_id,
        entity_name,
        parent_entity_id,
        updated_at
    from deduplicated
)

select * from final
