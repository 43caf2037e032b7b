{#-
    The text the group `group` of the regular expression `pattern` (a literal) matches in
    `expression`: '' when the pattern does not match (or the group takes no part), null when
    the expression is null.
-#}
{% macro regexp_extract(expression, pattern, group) -%}
    {{- return(adapter.dispatch('regexp_extract', 'activity_tracking')(expression, pattern, group)) -}}
{%- endmacro %}

{% macro default__regexp_extract(expression, pattern, group) -%}
    regexp_extract({{ expression }}, {{ sql_string_literal(pattern) }}, {{ group }})
{%- endmacro %}

{#- PostgreSQL has regexp_match (an array of the groups, null without a match) instead. -#}
{% macro postgres__regexp_extract(expression, pattern, group) -%}
    coalesce(
        (regexp_match({{ expression }}, {{ sql_string_literal(pattern) }}))[{{ group }}],
        case when {{ expression }} is not null then '' end
    )
{%- endmacro %}
