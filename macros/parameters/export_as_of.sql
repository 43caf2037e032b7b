{#-
    asOf: the export's reference time, as a naive wall-clock datetime in the export time
    zone, at full precision. Default: the start of the dbt run (to the microsecond). Accepted:
    any ISO 8601 calendar date or date-time, extended `YYYY-MM-DD[Thh[:mm[:ss[.f…]]]]` (a
    space may stand for `T`) or basic `YYYYMMDD[Thh[mm[ss[.f…]]]]`, not mixed, a comma or a
    point before the fraction of a second, then optionally `Z`, `±hh`, `±hhmm` or `±hh:mm`
    (`±hh:mm` in extended form only). Without offset the value is wall-clock time in
    `timezone`; with one it is converted; a date alone is midnight. Returns a dict:
    - moment: the datetime, to the microsecond (the engines' precision): digits beyond are cut;
    - beyond_microseconds: whether the cut digits were not all zero, i.e. asOf lies strictly
      between moment and the next microsecond (time_frame starts a window it shifts from
      asOf at that next microsecond, so that data at microsecond precision compares exactly).
-#}
{% macro export_as_of() -%}
    {%- set value = parameter_value('asOf') -%}
    {%- set zone = export_timezone() -%}
    {%- set datetime = modules.datetime -%}
    {%- if value is none -%}
        {{- return({
            'moment': run_started_at.astimezone(zone).replace(tzinfo=none),
            'beyond_microseconds': false,
        }) -}}
    {%- endif -%}
    {%- set accepted = 'an ISO 8601 date or date-time, YYYY-MM-DD[Thh[:mm[:ss[.f]]]] or YYYYMMDD[Thh[mm[ss[.f]]]]'
        ~ ' with an optional offset Z, ±hh, ±hhmm or ±hh:mm, such as 2021-02-24, 2021-02-24T10,'
        ~ ' 2021-02-24T10:00:00.5+01:00 or 20210224T100000Z' -%}
    {%- set forms = [
        '([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?)?)?'
        ~ '(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?',
        '([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:[.,]([0-9]+))?)?)?)?'
        ~ '(Z|[+-][0-9]{2}(?:[0-9]{2})?)?',
    ] -%}
    {%- set found = namespace(match=none) -%}
    {%- for form in forms -%}
        {%- if found.match is none -%}
            {%- set found.match = modules.re.fullmatch(form, value | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found.match is none -%}
        {{- parameter_error('asOf', value, accepted) -}}
    {%- endif -%}
    {%- set part = found.match.group -%}
    {%- set year, month, day = part(1) | int, part(2) | int, part(3) | int -%}
    {%- set hour, minute, second = (part(4) or 0) | int, (part(5) or 0) | int, (part(6) or 0) | int -%}
    {%- set fraction = part(7) or '' -%}
    {%- set offset = modules.re.fullmatch('([+-])([0-9]{2}):?([0-9]{2})?', part(8) or '') -%}
    {%- if year < 1 or month < 1 or month > 12 or day < 1 or day > days_in_month(year, month)
        or hour > 23 or minute > 59 or second > 59
        or (offset and ((offset.group(2) | int) > 23 or ((offset.group(3) or 0) | int) > 59)) -%}
        {{- parameter_error('asOf', value, accepted) -}}
    {%- endif -%}
    {%- set moment = datetime.datetime(year, month, day, hour, minute, second, (fraction ~ '000000')[:6] | int) -%}
    {%- set beyond_microseconds = (fraction[6:] | replace('0', '')) != '' -%}
    {#- the engines hold no later time: its next microsecond (a window start) would not exist -#}
    {%- if beyond_microseconds and moment == datetime.datetime.max -%}
        {{- parameter_error('asOf', value, accepted ~ ', up to 9999-12-31T23:59:59.999999') -}}
    {%- endif -%}
    {%- if part(8) is not none -%}
        {%- set offset_minutes = 0 if part(8) == 'Z' else
            ((offset.group(2) | int) * 60 + ((offset.group(3) or 0) | int)) * (-1 if offset.group(1) == '-' else 1) -%}
        {#- a moment the conversion would carry past year 1 or 9999: the offset and the zone
            each move it by less than a day -#}
        {%- if moment < datetime.datetime(1, 1, 3) or moment >= datetime.datetime(9999, 12, 30) -%}
            {{- parameter_error('asOf', value, accepted ~ ', between 0001-01-03 and 9999-12-29 when it has an offset') -}}
        {%- endif -%}
        {%- set utc_moment = modules.pytz.utc.localize(moment - datetime.timedelta(minutes=offset_minutes)) -%}
        {%- set moment = utc_moment.astimezone(zone).replace(tzinfo=none) -%}
    {%- endif -%}
    {{- return({'moment': moment, 'beyond_microseconds': beyond_microseconds}) -}}
{%- endmacro %}
