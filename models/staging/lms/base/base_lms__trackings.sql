with

source as (
    select * from {{ lms_source('trackings') }}
),

final as (
    select
        cast(tracking_id as bigint) as tracking_id,
        {{ clean_text('tracking_guid') }} as tracking_guid,
        cast(registration_id as bigint) as registration_id,
        cast(activity_id as bigint) as activity_id,
        cast(progression as decimal(5, 2)) as progression,
        cast(score as decimal(9, 2)) as score,
        cast(points_gained as int) as points_gained,
        cast(time_spent_seconds as bigint) as time_spent_seconds,
        cast(first_access_at as timestamp) as first_access_at,
        cast(last_access_at as timestamp) as last_access_at,
        cast(submitted_at as timestamp) as submitted_at,
        cast(feedback_at as timestamp) as feedback_at,
        {{ clean_text('attendance_code') }} as attendance_code,
        cast(nps_score as int) as nps_score,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
