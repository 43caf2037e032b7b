{#-
    A one-value text parameter (sessionGuid, sessionTitle, trainingGuid, trainingPathCode):
    keeps the rows whose `column` equals the value exactly, case-sensitive, both sides
    trimmed. The value reaches SQL only as an escaped literal.
-#}
{% macro text_filter(name, column) -%}
    {%- set value = parameter_value(name) -%}
    {%- if value is none -%}
        {{- return('true') -}}
    {%- endif -%}
    {{- return(column ~ ' = ' ~ sql_string_literal(value | string)) -}}
{%- endmacro %}
