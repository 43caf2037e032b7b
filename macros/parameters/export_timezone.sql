{#-
    timezone: the IANA time zone date-times are rendered and calendar windows cut
    in, default UTC; returned as a pytz time zone. An unknown name is an error.
-#}
{% macro export_timezone() -%}
    {%- set name = parameter_value('timezone') -%}
    {%- if name | string not in modules.pytz.all_timezones_set -%}
        {{- parameter_error('timezone', name, 'an IANA time zone name such as UTC or Europe/Paris') -}}
    {%- endif -%}
    {{- return(modules.pytz.timezone(name | string)) -}}
{%- endmacro %}
