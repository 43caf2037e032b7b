{#-
    A decimal column rendered with 2 decimals (`35.00`), the decimal separator following the
    `decimal` file option (point, the default, or comma).
-#}
{% macro render_decimal(column) -%}
    {%- set rendered = 'cast(cast(' ~ column ~ ' as decimal(38, 2)) as string)' -%}
    {{- return(rendered if decimal_separator() == '.' else 'replace(' ~ rendered ~ ", '.', ',')") -}}
{%- endmacro %}
