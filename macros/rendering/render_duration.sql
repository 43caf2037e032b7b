{#-
    A number of seconds rendered per timeGlobalFormat, e.g. for 5115 s:
    iso-8601 `PT1H25M15S` (no days, zero parts omitted, 0 is `PT0S`); rawSeconds `5115`
    (default); rawMinutes `85.25` (2 decimals, decimal separator of the file); padded
    `001:25` (hours at least 3 digits, seconds cut); paddedhh `01:25` (hours at least 2).
    rawMinutes is exact for every bigint, in integer arithmetic: the whole minutes, then the
    hundredths of the remaining r seconds (0–59) rounded to the nearest, (5r + 1) div 3;
    5r/3 never ends in .5, so there is no tie to settle (the same as a decimal rounded half
    away from zero). The hours and minutes of iso-8601, padded and paddedhh are integer
    quotients too: every format is exact for every bigint (a double holds 53 bits). A negative
    value, which the mart never holds, renders in rawMinutes as minus its opposite (-5115 →
    `-85.25`); null stays null.
-#}
{% macro render_duration(column) -%}
    {%- set value = parameter_value('timeGlobalFormat') -%}
    {%- set formats = ['iso-8601', 'rawSeconds', 'rawMinutes', 'padded', 'paddedhh'] -%}
    {%- set chosen = namespace(format=none) -%}
    {%- for format in formats -%}
        {%- if (value | string | lower) == format | lower -%}
            {%- set chosen.format = format -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if chosen.format is none -%}
        {{- parameter_error('timeGlobalFormat', value, 'one of ' ~ (formats | join(', '))) -}}
    {%- endif -%}
    {%- set hours = integer_divide(column, '3600') -%}
    {%- set minutes = integer_divide(column ~ ' % 3600', '60') -%}
    {%- set seconds = '(' ~ column ~ ' % 60)' -%}
    {%- if chosen.format == 'rawSeconds' -%}
        {{- return('cast(' ~ column ~ ' as string)') -}}
    {%- elif chosen.format == 'rawMinutes' -%}
        {%- set remaining = 'abs(' ~ column ~ ' % 60)' -%}
        {{- return(
            'case when ' ~ column ~ " < 0 then '-' else '' end"
            ~ ' || cast(abs(' ~ integer_divide(column, '60') ~ ') as string) || '
            ~ sql_string_literal(decimal_separator())
            ~ ' || lpad(cast(' ~ integer_divide(remaining ~ ' * 5 + 1', '3') ~ " as string), 2, '0')"
        ) -}}
    {%- elif chosen.format == 'iso-8601' -%}
        {{- return(
            'case when ' ~ column ~ ' is null then null when ' ~ column ~ " = 0 then 'PT0S' else 'PT'"
            ~ ' || case when ' ~ hours ~ ' > 0 then cast(' ~ hours ~ " as string) || 'H' else '' end"
            ~ ' || case when ' ~ minutes ~ ' > 0 then cast(' ~ minutes ~ " as string) || 'M' else '' end"
            ~ ' || case when ' ~ seconds ~ ' > 0 then cast(' ~ seconds ~ " as string) || 'S' else '' end"
            ~ ' end'
        ) -}}
    {%- else -%}
        {%- set width = 3 if chosen.format == 'padded' else 2 -%}
        {{- return(
            pad_number(hours, width) ~ " || ':' || " ~ pad_number(minutes, 2)
        ) -}}
    {%- endif -%}
{%- endmacro %}
