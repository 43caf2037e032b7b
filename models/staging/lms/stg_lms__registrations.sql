with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__registrations') }}
),

deduplicated as (
    {{ deduplicate('base', 'registrations') }}
),

final as (
    select
        {{ raw_columns_except('registrations', []) }}
    from deduplicated
)

select * from final
