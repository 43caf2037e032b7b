with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__tracking_time_logs') }}
),

deduplicated as (
    {{ deduplicate('base', 'tracking_time_logs') }}
),

final as (
    select
        {{ raw_columns_except('tracking_time_logs', []) }}
    from deduplicated
)

select * from final
