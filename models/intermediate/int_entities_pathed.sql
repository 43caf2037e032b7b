{#-
    Every entity with its ancestors as the id path '/root/…/entity/': an entity
    belongs to every entity on its path. A missing parent ends the path; a cycle cuts it
    before the first repeated entity, so every member of a cycle is an ancestor of the others.
-#}
with

entities as (
    select * from {{ ref('stg_lms__entities') }}
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
        paths.id_path as entity_path,
        paths.label_path as entity_name_path,
        paths.depth as entity_depth,
        paths.path_end,
        paths.path_updated_at
    from entities
    inner join paths
        on entities.entity_id = paths.node_id
)

select * from final
