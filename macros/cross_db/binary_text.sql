{#-
    A text expression that sorts and compares by its characters' code points (the bytes of its
    UTF-8), as DuckDB and Spark compare text, whatever the database's collation: where an
    ordering of text decides a result (which duplicate is kept, a sorted list).
-#}
{% macro binary_text(expression) -%}
    {{- return(adapter.dispatch('binary_text', 'activity_tracking')(expression)) -}}
{%- endmacro %}

{% macro default__binary_text(expression) -%}
    {{- return(expression) -}}
{%- endmacro %}

{#- PostgreSQL: the database's collation (en_US.UTF-8, an ICU locale…) would sort otherwise. -#}
{% macro postgres__binary_text(expression) -%}
    {{- return('(' ~ expression ~ ') collate "C"') -}}
{%- endmacro %}
