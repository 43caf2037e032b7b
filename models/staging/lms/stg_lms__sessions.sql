with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__sessions') }}
),

deduplicated as (
    {{ deduplicate('base', 'sessions') }}
),

final as (
    select
        {{ raw_columns_except('sessions', ['title']) }},
        title as session_title
    from deduplicated
)

select * from final
