with

source as (
    select * from {{ lms_source('trackings') }}
),

final as (
    select
        {{ raw_casts('trackings') }}
    from source
)

select * from final
