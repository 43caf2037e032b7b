{#-
    asOf: the export's reference time, as a naive wall-clock datetime in the
    export time zone. Default: the start of the dbt run. A value without offset is wall-clock
    time in `timezone`; with `Z` or `±hh:mm` it is converted; a date alone is midnight.
    Fractions of a second are dropped.
-#}
{% macro export_as_of() -%}
    {%- set value = parameter_value('asOf') -%}
    {%- set zone = export_timezone() -%}
    {%- set datetime = modules.datetime -%}
    {%- if value is none -%}
        {{- return(run_started_at.astimezone(zone).replace(tzinfo=none, microsecond=0)) -}}
    {%- endif -%}
    {%- set accepted = 'a date or timestamp such as 2021-02-24, 2021-02-24T10:00:00 or 2021-02-24T10:00:00+01:00' -%}
    {%- set match = modules.re.fullmatch(
        '([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.][0-9]+)?)?)?'
        ~ '(Z|([+-])([0-9]{2}):?([0-9]{2}))?',
        value | string
    ) -%}
    {%- if not match -%}
        {{- parameter_error('asOf', value, accepted) -}}
    {%- endif -%}
    {%- set part = match.group -%}
    {%- set year, month, day = part(1) | int, part(2) | int, part(3) | int -%}
    {%- set hour, minute, second = (part(4) or 0) | int, (part(5) or 0) | int, (part(6) or 0) | int -%}
    {%- if month < 1 or month > 12 or day < 1 or day > days_in_month(year, month)
        or hour > 23 or minute > 59 or second > 59 -%}
        {{- parameter_error('asOf', value, accepted) -}}
    {%- endif -%}
    {%- set moment = datetime.datetime(year, month, day, hour, minute, second) -%}
    {%- if part(7) is none -%}
        {{- return(moment) -}}
    {%- endif -%}
    {%- set offset_minutes = 0 if part(7) == 'Z' else ((part(9) | int) * 60 + (part(10) | int)) * (-1 if part(8) == '-' else 1) -%}
    {#- a moment the conversion would carry past year 1 or 9999 (a day's margin covers every zone) -#}
    {%- if moment < datetime.datetime(1, 1, 2) or moment > datetime.datetime(9999, 12, 30) -%}
        {{- parameter_error('asOf', value, accepted ~ ', between 0001-01-02 and 9999-12-30 when it has an offset') -}}
    {%- endif -%}
    {%- set utc_moment = modules.pytz.utc.localize(moment - datetime.timedelta(minutes=offset_minutes)) -%}
    {{- return(utc_moment.astimezone(zone).replace(tzinfo=none)) -}}
{%- endmacro %}
