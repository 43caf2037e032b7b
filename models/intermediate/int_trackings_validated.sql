{#-
    Every tracking with the rows it hangs from resolved (a tracking's training is its
    session's training), and why it cannot be exported if it cannot (exclusion_reason, null
    when it can). A tracking whose session's training exists and is not Blendedx is
    out_of_scope whatever else is wrong with it: it was never to be exported, so it is not
    an excluded tracking (the anomalies of the rows it references are recorded on those rows).
-#}
with

trackings as (
    select * from {{ ref('activity_tracking', 'stg_lms__trackings') }}
),

registrations as (
    select * from {{ ref('activity_tracking', 'stg_lms__registrations') }}
),

learners as (
    select * from {{ ref('activity_tracking', 'stg_lms__learners') }}
),

sessions as (
    select * from {{ ref('activity_tracking', 'stg_lms__sessions') }}
),

trainings as (
    select * from {{ ref('activity_tracking', 'stg_lms__trainings') }}
),

activities as (
    select * from {{ ref('activity_tracking', 'stg_lms__activities') }}
),

resolved as (
    select
        trackings.tracking_id,
        trackings.tracking_guid,
        trackings.registration_id,
        trackings.activity_id,
        trackings.progression,
        trackings.score,
        trackings.points_gained,
        trackings.time_spent_seconds,
        trackings.first_access_at,
        trackings.last_access_at,
        trackings.submitted_at,
        trackings.feedback_at,
        trackings.attendance_code,
        trackings.nps_score,
        trackings.created_at,
        trackings.updated_at,
        registrations.learner_id,
        registrations.session_id,
        sessions.training_id,
        activities.training_id as activity_training_id,
        activities.activity_type,
        activities.source_activity_type,
        case
            when
                session_trainings.training_id is not null
                and coalesce(session_trainings.modality, '') != 'blendedx'
                then 'out_of_scope'
            when registrations.registration_id is null then 'missing_registration'
            when learners.learner_id is null then 'missing_learner'
            when sessions.session_id is null then 'missing_session'
            when session_trainings.training_id is null then 'missing_training'
            when activities.activity_id is null then 'missing_activity'
            when activity_trainings.training_id is null then 'missing_activity_training'
            when activities.activity_type is null then 'unknown_activity_type'
        end as exclusion_reason
    from trackings
    left join registrations
        on trackings.registration_id = registrations.registration_id
    left join learners
        on registrations.learner_id = learners.learner_id
    left join sessions
        on registrations.session_id = sessions.session_id
    left join trainings as session_trainings
        on sessions.training_id = session_trainings.training_id
    left join activities
        on trackings.activity_id = activities.activity_id
    left join trainings as activity_trainings
        on activities.training_id = activity_trainings.training_id
),

final as (
    select
        *,
        case exclusion_reason
            when 'out_of_scope'
                then
                    'training ' || {{ id_text('training_id') }} || ' of session '
                    || {{ id_text('session_id') }} || ' is not a Blendedx training'
            when 'missing_registration'
                then {{ missing_reference_text('registration', 'registration_id') }}
            when 'missing_learner'
                then {{ missing_reference_text('learner', 'learner_id', 'registration', 'registration_id') }}
            when 'missing_session'
                then {{ missing_reference_text('session', 'session_id', 'registration', 'registration_id') }}
            when 'missing_training'
                then {{ missing_reference_text('training', 'training_id', 'session', 'session_id') }}
            when 'missing_activity'
                then {{ missing_reference_text('activity', 'activity_id') }}
            when 'missing_activity_training'
                then {{
                    missing_reference_text('training', 'activity_training_id', 'activity', 'activity_id')
                }}
            when 'unknown_activity_type'
                then
                    'activity ' || {{ id_text('activity_id') }} || ' has the unknown type '
                    || coalesce('''' || source_activity_type || '''', 'null')
        end as exclusion_detail
    from resolved
)

select * from final
