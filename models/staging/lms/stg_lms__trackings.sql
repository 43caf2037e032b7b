with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__trackings') }}
),

deduplicated as (
    {{ deduplicate('base', 'trackings') }}
),

final as (
    select
        tracking_id,
        tracking_guid,
        registration_id,
        activity_id,
        progression,
        score,
        points_gained,
        time_spent_seconds,
        first_access_at,
        last_access_at,
        submitted_at,
        feedback_at,
        {{ normalize_separators('attendance_code', '_') }} as attendance_code,
        nps_score,
        created_at,
        updated_at
    from deduplicated
)

select * from final
