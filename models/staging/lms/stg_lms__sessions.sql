with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__sessions') }}
),

deduplicated as (
    {{ deduplicate('base', 'sessions') }}
),

final as (
    select
        session_id,
        session_guid,
        training_id,
        title as session_title,
        start_date,
        end_date,
        is_imported,
        updated_at
    from deduplicated
)

select * from final
