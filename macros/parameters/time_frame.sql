{#-
    The export's time window from timeFrames, timeFramesScale,
    timeFrameScaleMode, timezone and asOf, validated; none when no time frame is set.
    A dict:
    - mode: lastActivity, lastActivityCumulative or timeSpent;
    - start, end: the window [start, asOf] as wall-clock times in `timezone`, to the
      microsecond ('YYYY-MM-DD hh:mm:ss.ffffff'), compared with the data's times shown in
      that zone (so a window bound in an hour a clock change repeats or skips means what the
      file shows). An asOf with digits beyond the microsecond (export_as_of) ends the window
      at asOf cut to the microsecond, and a start that keeps asOf's time of day (days, months,
      years) at the next microsecond after the cut start: for data at microsecond precision
      the comparisons are then exactly those with the full asOf;
    - first_day, last_day: the window's first and last calendar days in `timezone`
      ('YYYY-MM-DD'), for the day-granular time logs of timeSpent mode.
    The window ends at asOf (T) and starts at: T − N days / months / years (keeping T's time
    of day, month ends clamped), the first day of the month N months before T's month
    (full months), or 1 January of year(T) − N + 1 (full years, N = 0 as 1). A start before
    the earliest time the engines hold (0001-01-01 00:00:00) is that time: any N ≥ 0 works.
-#}
{% macro time_frame() -%}
    {%- set frames = parameter_value('timeFrames') -%}
    {%- set scale = parameter_value('timeFramesScale') -%}
    {%- set mode = time_frame_mode() -%}
    {%- set zone = export_timezone() -%}
    {%- set as_of = export_as_of() -%}
    {%- if frames is none and scale is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- if frames is none or scale is none -%}
        {{- exceptions.raise_compiler_error(
            'Parameters timeFrames and timeFramesScale go together: '
            ~ ('timeFramesScale' if frames is none else 'timeFrames') ~ ' is set, '
            ~ ('timeFrames' if frames is none else 'timeFramesScale') ~ ' is missing.'
        ) -}}
    {%- endif -%}
    {%- if not modules.re.fullmatch('[0-9]+', frames | string) -%}
        {{- parameter_error('timeFrames', frames, 'a whole number (0 or more)') -}}
    {%- endif -%}
    {%- set n = frames | int -%}
    {%- set scales = {
        'less_than_n_days': 'days',
        'less_than_n_months': 'months',
        'less_than_n_full_months': 'full_months',
        'less_than_n_years': 'years',
        'less_than_n_full_years': 'full_years',
    } -%}
    {%- set unit = scales.get(scale | string | lower) -%}
    {%- if unit is none -%}
        {{- parameter_error('timeFramesScale', scale, 'one of ' ~ (scales.keys() | join(', '))) -}}
    {%- endif -%}
    {%- set datetime = modules.datetime -%}
    {%- set earliest = datetime.datetime(1, 1, 1) -%}
    {%- set end = as_of.moment -%}
    {%- set month_index = end.year * 12 + end.month - 1 -%}
    {%- if unit == 'days' -%}
        {%- set clamped = n > (end - earliest).days -%}
        {%- set start = earliest if clamped else end - datetime.timedelta(days=n) -%}
    {%- elif unit in ['months', 'years'] -%}
        {%- set months = n if unit == 'months' else 12 * n -%}
        {%- set clamped = months > month_index - 12 -%}
        {%- set start = earliest if clamped else shift_months(end, -months) -%}
    {%- elif unit == 'full_months' -%}
        {%- set month_start = end.replace(day=1, hour=0, minute=0, second=0, microsecond=0) -%}
        {%- set start = earliest if n > month_index - 12 else shift_months(month_start, -n) -%}
    {%- else -%}
        {%- set years_back = ([n, 1] | max) - 1 -%}
        {%- set start = earliest if years_back >= end.year else end.replace(
            year=end.year - years_back, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
        ) -%}
    {%- endif -%}
    {#- a start shifted from asOf keeps asOf's digits beyond the microsecond: the next one -#}
    {%- if unit in ['days', 'months', 'years'] and not clamped and as_of.beyond_microseconds -%}
        {%- set start = start + datetime.timedelta(microseconds=1) -%}
    {%- endif -%}
    {%- set day_format, time_format = '%04d-%02d-%02d', ' %02d:%02d:%02d.%06d' -%}
    {{- return({
        'mode': mode,
        'start': (day_format ~ time_format) | format(
            start.year, start.month, start.day, start.hour, start.minute, start.second, start.microsecond
        ),
        'end': (day_format ~ time_format) | format(
            end.year, end.month, end.day, end.hour, end.minute, end.second, end.microsecond
        ),
        'first_day': day_format | format(start.year, start.month, start.day),
        'last_day': day_format | format(end.year, end.month, end.day),
    }) -}}
{%- endmacro %}
