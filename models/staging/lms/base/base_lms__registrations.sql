with

source as (
    select * from {{ lms_source('registrations') }}
),

final as (
    select
        cast(registration_id as bigint) as registration_id,
        {{ clean_text('registration_guid') }} as registration_guid,
        cast(learner_id as bigint) as learner_id,
        cast(session_id as bigint) as session_id,
        cast(registered_at as timestamp) as registered_at,
        cast(is_imported as boolean) as is_imported,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
