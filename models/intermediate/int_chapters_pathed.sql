{#-
    Every chapter with the path of chapter titles from its top-level chapter down to itself
. A chapter whose parent is missing counts as top-level; a cycle cuts the
    path before the first repeated chapter; chapters without a title are skipped.
-#}
with

chapters as (
    select * from {{ ref('activity_tracking', 'stg_lms__training_chapters') }}
),

paths as (
    {{ tree_paths(
        nodes='chapters',
        id_column='chapter_id',
        parent_column='parent_chapter_id',
        label_column='chapter_title',
    ) }}
),

final as (
    select
        chapters.chapter_id,
        chapters.training_id,
        paths.label_path as chapter_path,
        paths.id_path as chapter_id_path,
        paths.walk_depth as chapter_depth,
        paths.path_end,
        paths.path_updated_at
    from chapters
    inner join paths
        on chapters.chapter_id = paths.node_id
)

select * from final
