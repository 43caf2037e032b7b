{#-
    The anomalies of the two trees, the chapters of a training (int_chapters_pathed) and the
    entities (int_entities_pathed): a cycle, where the path is cut, or a parent that does not
    exist: a chapter then counts as top-level; an entity's missing parent stays its top
    ancestor (the detail's path starts with it).
-#}
with

chapters as (
    select * from {{ ref('activity_tracking', 'int_chapters_pathed') }}
),

entities as (
    select * from {{ ref('activity_tracking', 'int_entities_pathed') }}
),

issues as (
    select
        'training_chapters' as source_table,
        {{ issue_record_key(['chapter_id']) }} as record_key,
        case path_end
            when 'cycle' then 'chapter_cycle'
            else 'missing_parent_chapter'
        end as issue_code,
        case path_end
            when 'cycle' then 'the chapter tree has a cycle; path cut at it: '
            else 'the parent chapter does not exist; path starts at: '
        end || coalesce(chapter_path, '(no title)') as issue_detail
    from chapters
    where path_end != 'top'

    union all

    select
        'entities' as source_table,
        {{ issue_record_key(['entity_id']) }} as record_key,
        case path_end
            when 'cycle' then 'entity_cycle'
            else 'missing_parent_entity'
        end as issue_code,
        case path_end
            when 'cycle' then 'the entity tree has a cycle; ancestors cut at it: '
            else 'the parent entity does not exist; its id tops the ancestors: '
        end || entity_path as issue_detail
    from entities
    where path_end != 'top'
),

final as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
