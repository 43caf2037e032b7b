{#-
    Every learner with their entity: its name and its path of ancestors. A learner whose
    entity row is missing keeps the raw entity id, with an empty name and a path holding that
    id alone (so entityIds still matches it); a learner without entity has neither.
    source_updated_at also covers the entity path and the learner's custom field values.
-#}
with

learners as (
    select * from {{ ref('activity_tracking', 'stg_lms__learners') }}
),

entities as (
    select * from {{ ref('activity_tracking', 'int_entities_pathed') }}
),

custom_field_values as (
    select * from {{ ref('activity_tracking', 'stg_lms__learner_custom_field_values') }}
),

custom_fields_updated as (
    select
        learner_id,
        max(updated_at) as custom_fields_updated_at
    from custom_field_values
    group by learner_id
),

final as (
    select
        learners.learner_id,
        learners.entity_id,
        learners.learner_guid,
        learners.login,
        learners.email,
        learners.first_name,
        learners.last_name,
        learners.reference_number,
        entities.entity_name,
        entities.entity_name_path,
        coalesce(
            entities.entity_path,
            '/' || cast(learners.entity_id as string) || '/'
        ) as entity_path,
        greatest(
            learners.updated_at,
            entities.path_updated_at,
            custom_fields_updated.custom_fields_updated_at
        ) as source_updated_at
    from learners
    left join entities
        on learners.entity_id = entities.entity_id
    left join custom_fields_updated
        on learners.learner_id = custom_fields_updated.learner_id
)

select * from final
