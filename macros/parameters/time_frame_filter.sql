{#-
    The time-frame predicate on the mart's rows (SPEC §5.3, §10), 'true' without a time
    frame. lastActivity and lastActivityCumulative keep the rows whose last access lies in
    [start, asOf]; timeSpent keeps the rows with time logged on a day of the window
    (`logged_in_frame`, a boolean SQL expression) whose last access is not after asOf.
-#}
{% macro time_frame_filter(logged_in_frame) -%}
    {%- set frame = time_frame() -%}
    {%- if frame is none -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set end_literal = 'cast(' ~ sql_string_literal(frame.end_utc) ~ ' as timestamp)' -%}
    {%- if frame.mode == 'timeSpent' -%}
        {{- return(
            '(' ~ logged_in_frame ~ ' and (activityLastAccessDate is null or activityLastAccessDate <= '
            ~ end_literal ~ '))'
        ) -}}
    {%- endif -%}
    {{- return(
        'activityLastAccessDate between cast(' ~ sql_string_literal(frame.start_utc) ~ ' as timestamp) and '
        ~ end_literal
    ) -}}
{%- endmacro %}
