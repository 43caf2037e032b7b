with

source as (
    select * from {{ lms_source('training_chapters') }}
),

final as (
    select
        cast(chapter_id as bigint) as chapter_id,
        cast(training_id as bigint) as training_id,
        cast(parent_chapter_id as bigint) as parent_chapter_id,
        {{ clean_text('title') }} as title,
        cast(position as int) as position,
        cast(updated_at as timestamp) as updated_at
    from source
)

select * from final
