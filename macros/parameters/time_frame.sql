{#-
    The export's time window (SPEC §5.3, §10) from timeFrames, timeFramesScale,
    timeFrameScaleMode, timezone and asOf, validated; none when no time frame is set.
    A dict:
    - mode: lastActivity, lastActivityCumulative or timeSpent;
    - start_utc, end_utc: the window [start, asOf] as UTC timestamps ('YYYY-MM-DD hh:mm:ss'),
      for comparing with the UTC timestamps of the data;
    - first_day, last_day: the window's first and last calendar days in `timezone`
      ('YYYY-MM-DD'), for the day-granular time logs of timeSpent mode.
    The window ends at asOf (T) and starts at: T − N days / months / years (keeping T's time
    of day, month ends clamped), the first day of the month N months before T's month
    (full months), or 1 January of year(T) − N + 1 (full years, N = 0 as 1).
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
    {%- set end = as_of -%}
    {%- if unit == 'days' -%}
        {%- set start = end - datetime.timedelta(days=n) -%}
    {%- elif unit in ['months', 'years'] -%}
        {%- set months = n if unit == 'months' else 12 * n -%}
        {%- set start = shift_months(end, -months) -%}
    {%- elif unit == 'full_months' -%}
        {%- set start = shift_months(end.replace(day=1, hour=0, minute=0, second=0, microsecond=0), -n) -%}
    {%- else -%}
        {%- set start = end.replace(
            year=end.year - ([n, 1] | max) + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0
        ) -%}
    {%- endif -%}
    {%- set utc = modules.pytz.utc -%}
    {{- return({
        'mode': mode,
        'start_utc': zone.localize(start).astimezone(utc).strftime('%Y-%m-%d %H:%M:%S'),
        'end_utc': zone.localize(end).astimezone(utc).strftime('%Y-%m-%d %H:%M:%S'),
        'first_day': start.strftime('%Y-%m-%d'),
        'last_day': end.strftime('%Y-%m-%d'),
    }) -}}
{%- endmacro %}
