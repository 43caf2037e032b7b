{#-
    The mart activity_tracking as BI tools read it: every export field, the content status
    and the imported flags the export parameters filter on, without what only the pipeline
    uses (fingerprints, source timestamps, the entity id path, the modality: always
    blendedx), plus columns an analyst would otherwise derive by hand:
    whether the activity is completed, an order for sorting progressStatus, the names of the
    learner's entity and its ancestors, and the durations in minutes. A view: a second copy
    of the mart would double the largest table for a projection; the published copy
    (--publish-marts, --publish-parquet) holds it as a table.
-#}
{{ config(materialized='view') }}

with

trackings as (
    select * from {{ ref('activity_tracking', 'activity_tracking') }}
),

learners as (
    select * from {{ ref('activity_tracking', 'int_learners_enriched') }}
),

final as (
    select
        {#- the catalogue's columns BI tools see (meta `bi`) #}
        {%- for field in field_catalogue() if field.bi %}
            trackings.{{ field.name }},
        {%- endfor %}
        -- Completed and Feedback given: the content status completed (int_trackings_statused)
        trackings.reportStatus = 'completed' as isCompleted,
        case trackings.progressStatus
            when 'Not started' then 1
            when 'Started' then 2
            when 'Pending feedback' then 3
            when 'Completed' then 4
            when 'Feedback given' then 5
        end as progressStatusOrder,
        learners.entity_name_path as candidateEntityNamePath,
        {{ duration_minutes('trackings.activityDuration') }} as activityDurationMinutes,
        {{ duration_minutes('trackings.trainingDuration') }} as trainingDurationMinutes
    from trackings
    left join learners
        on trackings.candidateId = learners.learner_id
)

select * from final
