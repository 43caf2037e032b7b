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

{#- PostgreSQL: one to_char, the literal text in double quotes (a quote or a backslash in it
    escaped with a backslash); the expression as a timestamp, so that a date is never read
    in the session's time zone -#}
{% macro postgres__format_datetime(expression, parts) -%}
    {%- set fields = {'YYYY': 'YYYY', 'MM': 'MM', 'DD': 'DD', 'hh': 'HH24', 'ii': 'MI', 'ss': 'SS'} -%}
    {%- set format = [] -%}
    {%- for part in parts -%}
        {%- if part.token is defined -%}
            {%- do format.append(fields[part.token]) -%}
        {%- else -%}
            {%- do format.append('"' ~ part.text.replace('\\', '\\\\').replace('"', '\\"') ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return('to_char(cast(' ~ expression ~ ' as timestamp), ' ~ sql_string_literal(format | join('')) ~ ')') -}}
{%- endmacro %}
