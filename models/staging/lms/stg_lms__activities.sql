with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__activities') }}
),

deduplicated as (
    {{ deduplicate('base', 'activities') }}
),

final as (
    select
        {{ raw_columns_except('activities', ['activity_type', 'title', 'duration']) }},
        {{ activity_type_label('activity_type') }} as activity_type,
        activity_type as source_activity_type,
        title as activity_title,
        duration as activity_duration
    from deduplicated
)

select * from final
