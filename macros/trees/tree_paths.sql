{#-
    A query giving, for every node of the tree `nodes` (a CTE or relation with an
    `updated_at` column), the walk up from that node to its top:
    - node_id;
    - label_path: the labels from the top down to the node, joined with ' > ', null labels
      skipped (null when every label is null);
    - id_path: '/top/…/node/', every node on the walk;
    - walk_depth: number of nodes on the walk;
    - path_updated_at: the latest updated_at on the walk;
    - path_end: why the walk stopped: 'top' (no parent), 'missing_parent' (the parent id has
      no row) or 'cycle' (the parent is already on the walk);
    - end_parent_id: the parent id the walk stopped at: null at a top, the missing parent's
      id, or the id already on the walk.
    The walk never visits a node twice, so it ends on any data.
-#}
{% macro tree_paths(nodes, id_column, parent_column, label_column) -%}
    with recursive walk as (
        select
            {{ id_column }} as node_id,
            {{ parent_column }} as next_id,
            {{ label_column }} as label_path,
            '/' || cast({{ id_column }} as string) || '/' as id_path,
            updated_at as path_updated_at,
            1 as walk_depth
        from {{ nodes }}

        union all

        select
            walk.node_id,
            parent.{{ parent_column }} as next_id,
            case
                when parent.{{ label_column }} is null then walk.label_path
                when walk.label_path is null then parent.{{ label_column }}
                else parent.{{ label_column }} || ' > ' || walk.label_path
            end as label_path,
            '/' || cast(parent.{{ id_column }} as string) || walk.id_path as id_path,
            greatest(walk.path_updated_at, parent.updated_at) as path_updated_at,
            walk.walk_depth + 1 as walk_depth
        from walk
        inner join {{ nodes }} as parent
            on walk.next_id = parent.{{ id_column }}
        where position('/' || cast(parent.{{ id_column }} as string) || '/' in walk.id_path) = 0
    ),

    deepest as (
        select
            walk.*,
            row_number() over (partition by walk.node_id order by walk.walk_depth desc) as depth_rank
        from walk
    )

    select
        node_id,
        label_path,
        id_path,
        walk_depth,
        path_updated_at,
        case
            when next_id is null then 'top'
            when position('/' || cast(next_id as string) || '/' in id_path) > 0 then 'cycle'
            else 'missing_parent'
        end as path_end,
        next_id as end_parent_id
    from deepest
    where depth_rank = 1
{%- endmacro %}
