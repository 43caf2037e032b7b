{#-
    The columns of the raw table `table_name` as the lms source declares them (name, meta…),
    in the source's order; empty while dbt parses, before the graph is known.
-#}
{% macro raw_columns(table_name) -%}
    {%- if not execute -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'lms' and node.name == table_name -%}
            {{- return(node.columns.values() | list) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error("The lms source declares no table '" ~ table_name ~ "'.") -}}
{%- endmacro %}
