{#- A non-negative integer expression as text, left-padded with zeros to at least `width` digits (never cut). -#}
{% macro pad_number(expression, width) -%}
    {{- return(
        'case when ' ~ expression ~ ' < ' ~ (10 ** width) ~ ' then lpad(cast(' ~ expression ~ ' as string), '
        ~ width ~ ", '0') else cast(" ~ expression ~ ' as string) end'
    ) -}}
{%- endmacro %}
