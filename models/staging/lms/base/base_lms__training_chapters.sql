with

source as (
    select * from {{ lms_source('training_chapters') }}
),

final as (
    select
        {{ raw_casts('training_chapters') }}
    from source
)

select * from final
