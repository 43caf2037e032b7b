with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__entities') }}
),

deduplicated as (
    {{ deduplicate('base', 'entities') }}
),

final as (
    select
        {{ raw_columns_except('entities', []) }}
    from deduplicated
)

select * from final
