{#-
    timeFrameScaleMode: lastActivity (default), lastActivityCumulative or
    timeSpent, any case; validated even when no time frame is set.
-#}
{% macro time_frame_mode() -%}
    {%- set value = parameter_value('timeFrameScaleMode') -%}
    {%- set modes = ['lastActivity', 'lastActivityCumulative', 'timeSpent'] -%}
    {%- for mode in modes -%}
        {%- if (value | string | lower) == (mode | lower) -%}
            {{- return(mode) -}}
        {%- endif -%}
    {%- endfor -%}
    {{- parameter_error('timeFrameScaleMode', value, 'one of ' ~ (modes | join(', '))) -}}
{%- endmacro %}
