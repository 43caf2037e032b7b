{#-
    A UTC timestamp column rendered as text: shifted to the export time zone
    (export_local_time), then written with the dateTimeFormat pattern (default
    `YYYY-MM-DD hh:ii:ss`); fractions of a second are cut; null stays null.
-#}
{% macro render_datetime(column) -%}
    {{- format_datetime(export_local_time(column), date_pattern('dateTimeFormat')) -}}
{%- endmacro %}
