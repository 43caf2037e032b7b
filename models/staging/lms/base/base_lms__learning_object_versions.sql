with

source as (
    select * from {{ lms_source('learning_object_versions') }}
),

final as (
    select
        cast(learning_object_version_id as bigint) as learning_object_version_id,
        {{ clean_text('learning_object_version_guid') }} as learning_object_version_guid,
        cast(learning_object_id as bigint) as learning_object_id,
        {{ clean_text('title') }} as title,
        {{ clean_text('code') }} as code,
        {{ clean_text('publisher_name') }} as publisher_name,
        {{ clean_text('locale') }} as locale,
        {{ clean_text('displayed_type') }} as displayed_type,
        {{ clean_text('runtime_type') }} as runtime_type,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
