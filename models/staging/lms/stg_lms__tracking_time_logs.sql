with

base as (
    select * from {{ ref('base_lms__tracking_time_logs') }}
),

deduplicated as (
    {{ deduplicate(
        'base',
        key_columns=['tracking_id', 'logged_on'],
        tiebreak_columns=[],
        order_by='case when seconds >= 0 then seconds end desc nulls last, seconds desc'
    ) }}
),

final as (
    select
        tracking_id,
        logged_on,
        seconds
    from deduplicated
)

select * from final
