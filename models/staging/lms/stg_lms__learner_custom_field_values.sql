with

base as (
    select * from {{ ref('base_lms__learner_custom_field_values') }}
),

deduplicated as (
    {{ deduplicate(
        'base',
        key_columns=['learner_id', 'custom_field_guid'],
        tiebreak_columns=[
            'value'
        ]
    ) }}
),

final as (
    select
        learner_id,
        custom_field_guid,
        value as custom_field_value,
        updated_at
    from deduplicated
)

select * from final
