{#-
    `value` as a SQL string literal, escaped for the engine, so that a value given by a user
    can never change the statement it is placed in.
-#}
{% macro sql_string_literal(value) -%}
    {{- return(adapter.dispatch('sql_string_literal', 'activity_tracking')(value | string)) -}}
{%- endmacro %}

{% macro default__sql_string_literal(value) -%}
    {{- return("'" ~ value.replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro spark__sql_string_literal(value) -%}
    {#- Spark reads backslash escapes inside string literals -#}
    {{- return("'" ~ value.replace("\\", "\\\\").replace("'", "\\'") ~ "'") -}}
{%- endmacro %}
