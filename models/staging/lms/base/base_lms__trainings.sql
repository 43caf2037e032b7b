with

source as (
    select * from {{ lms_source('trainings') }}
),

final as (
    select
        cast(training_id as bigint) as training_id,
        {{ clean_text('training_guid') }} as training_guid,
        {{ clean_text('title') }} as title,
        {{ clean_text('path_code') }} as path_code,
        {{ clean_text('publisher_name') }} as publisher_name,
        {{ clean_text('duration') }} as duration,
        {{ clean_text('modality') }} as modality,
        cast(is_catalog_visible as boolean) as is_catalog_visible,
        cast(is_imported as boolean) as is_imported,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
