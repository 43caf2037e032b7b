with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__trainings') }}
),

deduplicated as (
    {{ deduplicate('base', 'trainings') }}
),

final as (
    select
        {{ raw_columns_except('trainings', ['title', 'duration', 'modality']) }},
        title as training_title,
        duration as training_duration,
        {{ normalize_separators('modality', '') }} as modality
    from deduplicated
)

select * from final
