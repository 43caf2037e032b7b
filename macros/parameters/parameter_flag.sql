{#-
    The Y/N parameter `name` as true, false, or none when not given. Accepts Y, N, yes, no
    in any case (and YAML booleans); anything else is an error.
-#}
{% macro parameter_flag(name) -%}
    {%- set value = parameter_value(name) -%}
    {%- if value is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if value is sameas true or value is sameas false -%}
        {{- return(value) -}}
    {%- endif -%}
    {%- set text = value | string | lower -%}
    {%- if text in ['y', 'yes'] -%}
        {{- return(true) -}}
    {%- elif text in ['n', 'no'] -%}
        {{- return(false) -}}
    {%- endif -%}
    {{- parameter_error(name, value, 'Y or N (yes or no, any case)') -}}
{%- endmacro %}
