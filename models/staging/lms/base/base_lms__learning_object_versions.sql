with

source as (
    select * from {{ lms_source('learning_object_versions') }}
),

final as (
    select
        {{ raw_casts('learning_object_versions') }}
    from source
)

select * from final
