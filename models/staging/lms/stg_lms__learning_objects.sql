with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learning_objects') }}
),

deduplicated as (
    {{ deduplicate('base', 'learning_objects') }}
),

final as (
    select
        {{ raw_columns_except('learning_objects', []) }}
    from deduplicated
)

select * from final
