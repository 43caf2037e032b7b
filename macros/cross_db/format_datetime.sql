{#-
    A date or timestamp expression written as text from date_pattern parts (YYYY, MM, DD,
    hh, ii, ss and literal text); null stays null.
-#}
{% macro format_datetime(expression, parts) -%}
    {{- return(adapter.dispatch('format_datetime', 'activity_tracking')(expression, parts)) -}}
{%- endmacro %}

{% macro default__format_datetime(expression, parts) -%}
    {%- set functions = {'YYYY': ['year', 4], 'MM': ['month', 2], 'DD': ['day', 2], 'hh': ['hour', 2], 'ii': ['minute', 2], 'ss': ['second', 2]} -%}
    {%- set pieces = [] -%}
    {%- for part in parts -%}
        {%- if part.token is defined -%}
            {%- set function, width = functions[part.token] -%}
            {%- do pieces.append('lpad(cast(' ~ function ~ '(' ~ expression ~ ') as string), ' ~ width ~ ", '0')") -%}
        {%- else -%}
            {%- do pieces.append(sql_string_literal(part.text)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return('(' ~ (pieces | join(' || ')) ~ ')') -}}
{%- endmacro %}

{% macro duckdb__format_datetime(expression, parts) -%}
    {%- set directives = {'YYYY': '%Y', 'MM': '%m', 'DD': '%d', 'hh': '%H', 'ii': '%M', 'ss': '%S'} -%}
    {%- set format = [] -%}
    {%- for part in parts -%}
        {%- do format.append(directives[part.token] if part.token is defined else part.text | replace('%', '%%')) -%}
    {%- endfor -%}
    {{- return('strftime(' ~ expression ~ ', ' ~ sql_string_literal(format | join('')) ~ ')') -}}
{%- endmacro %}
