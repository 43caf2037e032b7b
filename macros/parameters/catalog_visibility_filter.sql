{#- catalogVisibility: Y keeps the trainings visible in the catalogue, N the others. -#}
{% macro catalog_visibility_filter() -%}
    {%- set visible = parameter_flag('catalogVisibility') -%}
    {%- if visible is none -%}
        {{- return('true') -}}
    {%- endif -%}
    {{- return("catalogVisibility = '" ~ ('Y' if visible else 'N') ~ "'") -}}
{%- endmacro %}
