with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learner_custom_field_values') }}
),

deduplicated as (
    {{ deduplicate('base', 'learner_custom_field_values') }}
),

final as (
    select
        {{ raw_columns_except('learner_custom_field_values', ['value']) }},
        -- trimmed and empty → null (base), then cut (the rule custom_field_value_too_long)
        {{ data_quality_rule('custom_field_value_too_long').repair }} as custom_field_value,
        length(value) as raw_value_length
    from deduplicated
)

select * from final
