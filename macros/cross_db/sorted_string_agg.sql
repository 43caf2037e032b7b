{#- Aggregate: the group's non-null text values, sorted, joined with `separator` (a literal). -#}
{% macro sorted_string_agg(expression, separator) -%}
    {{- return(adapter.dispatch('sorted_string_agg', 'activity_tracking')(expression, separator)) -}}
{%- endmacro %}

{% macro default__sorted_string_agg(expression, separator) -%}
    string_agg({{ expression }}, {{ sql_string_literal(separator) }} order by {{ expression }})
{%- endmacro %}

{% macro spark__sorted_string_agg(expression, separator) -%}
    array_join(array_sort(collect_list({{ expression }})), {{ sql_string_literal(separator) }})
{%- endmacro %}

{#- PostgreSQL: sorted by code point, whatever the database's collation (binary_text). -#}
{% macro postgres__sorted_string_agg(expression, separator) -%}
    string_agg({{ expression }}, {{ sql_string_literal(separator) }} order by {{ binary_text(expression) }})
{%- endmacro %}
