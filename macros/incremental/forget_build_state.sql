{#-
    Run by on-run-start. build_state records what its ancestors (the models and seeds it is
    built from, read from the graph) were built from. A run that builds one of them, or
    build_state itself, changes what the warehouse holds, so the table is dropped (a build
    that selects build_state writes it again at its end, once everything before it has
    passed). A run that builds only nodes outside that lineage (the export), or builds
    nothing (test, compile, docs generate), keeps it.
    Returns no SQL.
-#}
{% macro forget_build_state() -%}
    {%- if not execute or flags.WHICH not in ('build', 'run', 'seed', 'snapshot') -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set state_id = 'model.activity_tracking.build_state' -%}
    {%- set node = graph.nodes.get(state_id) -%}
    {%- if node is none -%}
        {{- return('') -}}
    {%- endif -%}
    {#- build_state and its ancestors: the list grows while the loop walks it -#}
    {%- set lineage = [state_id] -%}
    {%- for unique_id in lineage -%}
        {%- for parent in graph.nodes[unique_id].depends_on.nodes -%}
            {%- if parent in graph.nodes and parent not in lineage -%}
                {%- do lineage.append(parent) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set changing = selected_resources | select('in', lineage) | list -%}
    {%- if changing -%}
        {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) -%}
        {%- if relation is not none -%}
            {%- do adapter.drop_relation(relation) -%}
        {%- endif -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
