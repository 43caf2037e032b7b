{#-
    The quotient of two integer expressions as an integer, truncated toward zero, exact for
    every bigint (`/` gives a double on DuckDB and Spark, inexact beyond 2^53).
-#}
{% macro integer_divide(dividend, divisor) -%}
    {{- return(adapter.dispatch('integer_divide', 'activity_tracking')(dividend, divisor)) -}}
{%- endmacro %}

{% macro default__integer_divide(dividend, divisor) -%}
    (({{ dividend }}) div ({{ divisor }}))
{%- endmacro %}

{% macro duckdb__integer_divide(dividend, divisor) -%}
    (({{ dividend }}) // ({{ divisor }}))
{%- endmacro %}

{#- PostgreSQL: div(), exact on integers and on the numeric that sum() of bigints gives (where
    `/` would give a fraction), truncated toward zero. -#}
{% macro postgres__integer_divide(dividend, divisor) -%}
    div({{ dividend }}, {{ divisor }})
{%- endmacro %}
