{#-
    Every entity with its ancestors as the id path '/root/…/entity/': an entity
    belongs to every entity on its path. A parent id without an entity row is still an
    ancestor: it tops the path (the walk stops there), so entityIds naming it keeps its
    descendants. A cycle cuts the path before the first repeated entity, so every member of a
    cycle is an ancestor of the others. The name path holds only entities that have a row.
-#}
with

entities as (
    select * from {{ ref('activity_tracking', 'stg_lms__entities') }}
),

paths as (
    {{ tree_paths(
        nodes='entities',
        id_column='entity_id',
        parent_column='parent_entity_id',
        label_column='entity_name',
    ) }}
),

final as (
    select
        entities.entity_id,
        entities.entity_name,
        paths.label_path as entity_name_path,
        paths.path_end,
        paths.path_updated_at,
        {# a missing parent's id tops the path: it is an ancestor too #}
        case
            when paths.path_end = 'missing_parent'
                then '/' || cast(paths.end_parent_id as string) || paths.id_path
            else paths.id_path
        end as entity_path,
        case
            when paths.path_end = 'missing_parent' then paths.walk_depth + 1
            else paths.walk_depth
        end as entity_depth
    from entities
    inner join paths
        on entities.entity_id = paths.node_id
)

select * from final
