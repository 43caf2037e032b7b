{#-
    A UTC timestamp expression as wall-clock time in the export time zone (`timezone`): what
    the export file shows of it, and what time windows compare.
-#}
{% macro export_local_time(expression) -%}
    {%- set zone = export_timezone().zone -%}
    {{- return(expression if zone == 'UTC' else from_utc_timestamp(expression, zone)) -}}
{%- endmacro %}
