{#-
    Learner custom field values, long format: one row per learner and custom field GUID.
    The export adds one column per requested field GUID. Values arrive cut to
    250 characters by staging (longer values are recorded in data_quality_issues).
-#}
with

custom_field_values as (
    select * from {{ ref('activity_tracking', 'stg_lms__learner_custom_field_values') }}
),

final as (
    select
        learner_id as candidateId,
        custom_field_guid as candidateCustomFieldGuid,
        updated_at as sourceUpdatedAt,
        custom_field_value as candidateCustomFieldValue
    from custom_field_values
)

select * from final
