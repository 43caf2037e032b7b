with

source as (
    select * from {{ lms_source('sessions') }}
),

final as (
    select
        cast(session_id as bigint) as session_id,
        {{ clean_text('session_guid') }} as session_guid,
        cast(training_id as bigint) as training_id,
        {{ clean_text('title') }} as title,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(is_imported as boolean) as is_imported,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
