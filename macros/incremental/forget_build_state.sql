{#-
    Run by on-run-start. A run that builds a seed or a model other than the export changes
    what the export reads, so the warehouse no longer is what build_state records: the table
    is dropped (a build that selects build_state writes it again at its end, once everything
    before it has passed). A run that builds only the export, or builds nothing (test,
    compile, docs generate), keeps it.
    Returns no SQL.
-#}
{% macro forget_build_state() -%}
    {%- if not execute or flags.WHICH not in ('build', 'run', 'seed', 'snapshot') -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set changing = [] -%}
    {%- for unique_id in selected_resources -%}
        {%- set parts = unique_id.split('.') -%}
        {%- if parts[0] in ('model', 'seed', 'snapshot') and parts[-1] != 'activity_tracking_export' -%}
            {%- do changing.append(unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.build_state') -%}
    {%- if changing and node is not none -%}
        {%- set relation = adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) -%}
        {%- if relation is not none -%}
            {%- do adapter.drop_relation(relation) -%}
        {%- endif -%}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
