{#-
    The value of the export parameter `name` (a dbt var, read by project_var): text trimmed;
    when the parameter is not given or blank, its default (export_parameters; none when it
    has none). Numbers, booleans and lists are returned as they are.
-#}
{% macro parameter_value(name) -%}
    {%- set value = project_var(name) -%}
    {%- if value is string -%}
        {%- set value = value | trim -%}
        {{- return(value if value != '' else project_vars()[name]) -}}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
