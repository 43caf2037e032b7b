{#- Replaces every match of the regular expression `pattern` (a literal) in `expression`. -#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{- return(adapter.dispatch('regexp_replace_all', 'activity_tracking')(expression, pattern, replacement)) -}}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ sql_string_literal(pattern) }}, {{ sql_string_literal(replacement) }})
{%- endmacro %}

{% macro duckdb__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ sql_string_literal(pattern) }}, {{ sql_string_literal(replacement) }}, 'g')
{%- endmacro %}

{% macro postgres__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ sql_string_literal(pattern) }}, {{ sql_string_literal(replacement) }}, 'g')
{%- endmacro %}
