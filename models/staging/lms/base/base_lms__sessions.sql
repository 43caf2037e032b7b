with

source as (
    select * from {{ lms_source('sessions') }}
),

final as (
    select
        {{ raw_casts('sessions') }}
    from source
)

select * from final
