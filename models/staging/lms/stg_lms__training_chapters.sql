with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__training_chapters') }}
),

deduplicated as (
    {{ deduplicate('base', 'training_chapters') }}
),

final as (
    select
        {{ raw_columns_except('training_chapters', ['title']) }},
        title as chapter_title
    from deduplicated
)

select * from final
