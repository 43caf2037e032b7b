with

source as (
    select * from {{ lms_source('learners') }}
),

final as (
    select
        {{ raw_casts('learners') }}
    from source
)

select * from final
