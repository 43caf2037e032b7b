with

source as (
    select * from {{ lms_source('registrations') }}
),

final as (
    select
        {{ raw_casts('registrations') }}
    from source
)

select * from final
