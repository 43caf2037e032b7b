{#-
    The predicate choosing the time logs of timeSpent mode: a log counts
    when its day (a UTC day, taken as is) lies between the window's first and last calendar
    days in the export time zone. 'false' in any other mode or without a time frame.
-#}
{% macro time_log_frame_filter(day_column) -%}
    {%- set frame = time_frame() -%}
    {%- if frame is none or frame.mode != 'timeSpent' -%}
        {{- return('false') -}}
    {%- endif -%}
    {{- return(
        day_column ~ ' between cast(' ~ sql_string_literal(frame.first_day) ~ ' as date) and cast('
        ~ sql_string_literal(frame.last_day) ~ ' as date)'
    ) -}}
{%- endmacro %}
