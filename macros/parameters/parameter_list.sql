{#-
    The items of the comma-list parameter `name`, trimmed, empty items ignored.
    A YAML list is accepted too. An empty list means the parameter is not given.
-#}
{% macro parameter_list(name) -%}
    {%- set value = parameter_value(name) -%}
    {%- if value is none -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set raw_items = value if (value is iterable and value is not string) else (value | string).split(',') -%}
    {%- set items = [] -%}
    {%- for item in raw_items -%}
        {%- if item is not none and (item | string | trim) != '' -%}
            {%- do items.append(item | string | trim) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(items) -}}
{%- endmacro %}
