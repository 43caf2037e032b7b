with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__trackings') }}
),

deduplicated as (
    {{ deduplicate('base', 'trackings') }}
),

final as (
    select
        {{ raw_columns_except('trackings', ['attendance_code']) }},
        {{ normalize_separators('attendance_code', '_') }} as attendance_code
    from deduplicated
)

select * from final
