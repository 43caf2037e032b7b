with

source as (
    select * from {{ lms_source('tracking_time_logs') }}
),

final as (
    select
        cast(tracking_id as bigint) as tracking_id,
        cast(logged_on as date) as logged_on,
        cast(seconds as bigint) as seconds
    from source
)

select * from final
