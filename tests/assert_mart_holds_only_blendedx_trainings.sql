{#-
    Scope rule, checked against the raw modality text rather than the staging
    normalisation: no mart row belongs to a training none of whose raw rows reads as
    Blendedx once lower-cased with spaces, `_` and `-` removed.
-#}
with

mart as (
    select * from {{ ref('activity_tracking', 'activity_tracking') }}
),

raw_trainings as (
    select * from {{ ref('activity_tracking', 'base_lms__trainings') }}
),

blendedx_trainings as (
    select distinct training_id
    from raw_trainings
    where replace(replace(replace(lower(modality), ' ', ''), '_', ''), '-', '') = 'blendedx'
),

final as (
    select
        mart.reportId,
        mart.trainingId
    from mart
    left join blendedx_trainings
        on mart.trainingId = blendedx_trainings.training_id
    where blendedx_trainings.training_id is null
)

select * from final
