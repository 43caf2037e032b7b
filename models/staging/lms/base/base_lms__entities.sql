with

source as (
    select * from {{ lms_source('entities') }}
),

final as (
    select
        {{ raw_casts('entities') }}
    from source
)

select * from final
