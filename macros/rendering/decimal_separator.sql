{#- The `decimal` file option: point (default) gives '.', comma gives ','. -#}
{% macro decimal_separator() -%}
    {%- set value = parameter_value('decimal') -%}
    {%- set separators = {'point': '.', 'comma': ','} -%}
    {%- if (value | string | lower) not in separators -%}
        {{- parameter_error('decimal', value, 'point or comma') -}}
    {%- endif -%}
    {{- return(separators[value | string | lower]) -}}
{%- endmacro %}
