with

source as (
    select * from {{ lms_source('learner_custom_field_values') }}
),

final as (
    select
        cast(learner_id as bigint) as learner_id,
        {{ clean_text('custom_field_guid') }} as custom_field_guid,
        {{ clean_text('value') }} as value,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
