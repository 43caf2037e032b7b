with

source as (
    select * from {{ lms_source('learner_custom_field_values') }}
),

final as (
    select
        {{ raw_casts('learner_custom_field_values') }}
    from source
)

select * from final
