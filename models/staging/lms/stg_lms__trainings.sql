with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__trainings') }}
),

deduplicated as (
    {{ deduplicate('base', 'trainings') }}
),

final as (
    select
        training_id,
        training_guid,
        title as training_title,
        path_code,
        publisher_name,
        duration as training_duration,
        {{ normalize_separators('modality', '') }} as modality,
        is_catalog_visible,
        is_imported,
        updated_at
    from deduplicated
)

select * from final
