with

source as (
    select * from {{ lms_source('tracking_time_logs') }}
),

final as (
    select
        {{ raw_casts('tracking_time_logs') }}
    from source
)

select * from final
