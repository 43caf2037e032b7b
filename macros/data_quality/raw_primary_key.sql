{#-
    The primary key of the raw table `table_name` as the lms source declares it in its
    table-level meta: `{'key': [key columns], 'kept': which row of a duplicated key is kept}`.
    While dbt parses (the graph is not known yet): `{'key': [], 'kept': ''}`. A table the
    source does not declare, or without `meta.primary_key`, is a compile error.
-#}
{% macro raw_primary_key(table_name) -%}
    {%- if not execute -%}
        {{- return({'key': [], 'kept': ''}) -}}
    {%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'lms' and node.name == table_name -%}
            {%- set meta = node.config.get('meta') or node.meta -%}
            {%- if not meta.get('primary_key') -%}
                {{- exceptions.raise_compiler_error(
                    "The lms source table '" ~ table_name ~ "' declares no meta.primary_key."
                ) -}}
            {%- endif -%}
            {{- return({'key': meta['primary_key'], 'kept': meta.get('duplicate_kept', '')}) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- exceptions.raise_compiler_error("The lms source declares no table '" ~ table_name ~ "'.") -}}
{%- endmacro %}
