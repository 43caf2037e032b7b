{#- The number of days of a month (1–12) of a year. -#}
{% macro days_in_month(year, month) -%}
    {%- set next_month_first = modules.datetime.date(year + month // 12, month % 12 + 1, 1) -%}
    {{- return((next_month_first - modules.datetime.timedelta(days=1)).day) -}}
{%- endmacro %}
