{#-
    Every exportable tracking (in scope, no exclusion_reason) with its values cleaned (the
    repairs of the rule table data_quality_rules) and its statuses derived: progressStatus and
    content status, attendance.
    Submission and feedback dates only exist for Assignment and Assessment.
-#}
with

trackings as (
    select * from {{ ref('activity_tracking', 'int_trackings_validated') }}
    where exclusion_reason is null
),

cleaned as (
    select
        tracking_id,
        tracking_guid,
        registration_id,
        activity_id,
        learner_id,
        session_id,
        training_id,
        activity_type,
        attendance_code,
        score,
        points_gained,
        first_access_at,
        last_access_at,
        updated_at,
        -- the repairs of the rule table (data_quality_rules), whose conditions int_values_checked reads
        cast({{ data_quality_rule('progression_out_of_range').repair }} as decimal(5, 2)) as progression,
        activity_type in ('Assignment', 'Assessment') as has_feedback,
        {{ data_quality_rule('nps_out_of_range').repair }} as nps_score,
        {{ data_quality_rule('negative_time_spent').repair }} as time_spent_seconds,
        case when activity_type in ('Assignment', 'Assessment') then submitted_at end as submitted_at,
        case when activity_type in ('Assignment', 'Assessment') then feedback_at end as feedback_at
    from trackings
),

statused as (
    select
        *,
        case
            when has_feedback and feedback_at is not null then 'Feedback given'
            when has_feedback and (submitted_at is not null or progression >= 75) then 'Pending feedback'
            when progression >= 100 then 'Completed'
            when progression > 0 or first_access_at is not null then 'Started'
            else 'Not started'
        end as progress_status,
        case
            when activity_type != 'Classroom activity' then null
            when attendance_code = 'present' then 'Present'
            when attendance_code = 'absent' then 'Absent'
            when attendance_code = 'excused' then 'Absent but excused'
            when attendance_code = 'not_applicable' then 'Not applicable'
            else 'No information'
        end as attendance_status
    from cleaned
),

final as (
    select
        tracking_id,
        tracking_guid,
        registration_id,
        activity_id,
        learner_id,
        session_id,
        training_id,
        activity_type,
        progress_status,
        attendance_code,
        attendance_status,
        progression,
        score,
        points_gained,
        nps_score,
        time_spent_seconds,
        first_access_at,
        last_access_at,
        submitted_at,
        feedback_at,
        updated_at,
        case progress_status
            when 'Feedback given' then 'completed'
            when 'Pending feedback' then 'pendingFeedback'
            when 'Completed' then 'completed'
            when 'Started' then 'incomplete'
            else 'notAttempted'
        end as content_status
    from statused
)

select * from final
