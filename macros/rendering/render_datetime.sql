{#-
    A UTC timestamp column rendered as text (SPEC §6): shifted to the export time zone
    (`timezone`), then written with the dateTimeFormat pattern (default
    `YYYY-MM-DD hh:ii:ss`); fractions of a second are cut; null stays null.
-#}
{% macro render_datetime(column) -%}
    {%- set zone = export_timezone().zone -%}
    {%- set local = column if zone == 'UTC' else from_utc_timestamp(column, zone) -%}
    {{- format_datetime(local, date_pattern('dateTimeFormat', 'YYYY-MM-DD hh:ii:ss')) -}}
{%- endmacro %}
