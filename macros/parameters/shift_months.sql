{#- A naive datetime moved by `months` (may be negative), the day clamped to the month's end (31 Mar − 1 month = 28/29 Feb). -#}
{% macro shift_months(moment, months) -%}
    {%- set index = moment.year * 12 + moment.month - 1 + months -%}
    {%- set year = index // 12 -%}
    {%- set month = index % 12 + 1 -%}
    {{- return(moment.replace(year=year, month=month, day=[moment.day, days_in_month(year, month)] | min)) -}}
{%- endmacro %}
