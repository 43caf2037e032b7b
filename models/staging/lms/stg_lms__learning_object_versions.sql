with

base as (
    select * from {{ ref('activity_tracking', 'base_lms__learning_object_versions') }}
),

deduplicated as (
    {{ deduplicate('base', 'learning_object_versions') }}
),

final as (
    select
        {{ raw_columns_except('learning_object_versions', ['title', 'code', 'publisher_name', 'locale']) }},
        title as version_title,
        code as version_code,
        publisher_name as version_publisher_name,
        locale as version_locale
    from deduplicated
)

select * from final
