{#- The number of days of a month (1–12) of a year (1–9999). -#}
{% macro days_in_month(year, month) -%}
    {%- if month == 12 -%}
        {{- return(31) -}}
    {%- endif -%}
    {%- set next_month_first = modules.datetime.date(year, month + 1, 1) -%}
    {{- return((next_month_first - modules.datetime.timedelta(days=1)).day) -}}
{%- endmacro %}
