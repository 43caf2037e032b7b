with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__training_chapters') }}
),

deduplicated as (
    {{ deduplicate('base', 'training_chapters') }}
),

final as (
    select
        chapter_id,
        training_id,
        parent_chapter_id,
        title as chapter_title,
        position,
        updated_at
    from deduplicated
)

select * from final
