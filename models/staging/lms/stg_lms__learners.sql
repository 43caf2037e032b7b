with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learners') }}
),

deduplicated as (
    {{ deduplicate('base', 'learners') }}
),

final as (
    select
        {{ raw_columns_except('learners', []) }}
    from deduplicated
)

select * from final
