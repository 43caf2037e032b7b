with

source as (
    select * from {{ lms_source('learning_objects') }}
),

final as (
    select
        {{ raw_casts('learning_objects') }}
    from source
)

select * from final
