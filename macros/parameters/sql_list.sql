{#- A parenthesised SQL list of escaped string literals, for `in`. -#}
{% macro sql_list(values) -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    ({{ literals | join(', ') }})
{%- endmacro %}
