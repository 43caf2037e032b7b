with

source as (
    select * from {{ lms_source('trainings') }}
),

final as (
    select
        {{ raw_casts('trainings') }}
    from source
)

select * from final
