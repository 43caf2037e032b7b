{#-
    The value of the export parameter `name` (a dbt var): text trimmed, and none when the
    parameter is not given or blank (SPEC §5, §10). Numbers, booleans and lists are
    returned as they are.
-#}
{% macro parameter_value(name) -%}
    {%- set value = var(name, none) -%}
    {%- if value is string -%}
        {%- set value = value | trim -%}
        {{- return(value if value != '' else none) -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
