{#-
    The time-frame predicate on the mart's rows, 'true' without a time frame. The last
    access is compared as wall-clock time in the export time zone (the time the file shows),
    at full precision: 0.5 s after asOf is after it. lastActivity and lastActivityCumulative
    keep the rows whose last access lies in [start, asOf]; timeSpent keeps the rows with time
    logged on a day of the window (`logged_in_frame`, a boolean SQL expression) whose last
    access is not after asOf.
-#}
{% macro time_frame_filter(logged_in_frame) -%}
    {%- set frame = time_frame() -%}
    {%- if frame is none -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set last_access = export_local_time('activityLastAccessDate') -%}
    {%- set end_literal = 'cast(' ~ sql_string_literal(frame.end) ~ ' as timestamp)' -%}
    {%- if frame.mode == 'timeSpent' -%}
        {{- return(
            '(' ~ logged_in_frame ~ ' and (activityLastAccessDate is null or ' ~ last_access ~ ' <= '
            ~ end_literal ~ '))'
        ) -}}
    {%- endif -%}
    {{- return(
        last_access ~ ' between cast(' ~ sql_string_literal(frame.start) ~ ' as timestamp) and ' ~ end_literal
    ) -}}
{%- endmacro %}
