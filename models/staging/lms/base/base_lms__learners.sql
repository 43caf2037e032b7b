with

source as (
    select * from {{ lms_source('learners') }}
),

final as (
    select
        cast(learner_id as bigint) as learner_id,
        {{ clean_text('learner_guid') }} as learner_guid,
        {{ clean_text('login') }} as login,
        {{ clean_text('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('reference_number') }} as reference_number,
        cast(entity_id as bigint) as entity_id,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
