with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__registrations') }}
),

deduplicated as (
    {{ deduplicate('base', 'registrations') }}
),

final as (
    select
        registration_id,
        registration_guid,
        learner_id,
        session_id,
        registered_at,
        is_imported,
        updated_at
    from deduplicated
)

select * from final
