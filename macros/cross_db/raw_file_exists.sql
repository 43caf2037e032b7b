{#- Whether a raw extract file exists, where the engine can tell before reading it (DuckDB);
    elsewhere true, and the engine's own read error names a missing file. -#}
{% macro raw_file_exists(file_path) -%}
    {{- return(adapter.dispatch('raw_file_exists', 'activity_tracking')(file_path)) -}}
{%- endmacro %}

{% macro default__raw_file_exists(file_path) -%}
    {{- return(true) -}}
{%- endmacro %}

{% macro duckdb__raw_file_exists(file_path) -%}
    {%- set found = run_query('select count(*) from glob(' ~ sql_string_literal(file_path) ~ ')') -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}
