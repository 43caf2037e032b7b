with

source as (
    select * from {{ lms_source('activities') }}
),

final as (
    select
        {{ raw_casts('activities') }}
    from source
)

select * from final
