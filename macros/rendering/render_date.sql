{#-
    A date column rendered as text with the dateFormat pattern; hh, ii and ss render 00; dates are not shifted by the time zone.
-#}
{% macro render_date(column) -%}
    {{- format_datetime(column, date_pattern('dateFormat')) -}}
{%- endmacro %}
