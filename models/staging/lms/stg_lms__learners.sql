with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learners') }}
),

deduplicated as (
    {{ deduplicate('base', 'learners') }}
),

final as (
    select
        learner_id,
        learner_guid,
        login,
        email,
        first_name,
        last_name,
        reference_number,
        entity_id,
        updated_at
    from deduplicated
)

select * from final
