{#-
    A date column rendered as text with the dateFormat pattern (default `YYYY-MM-DD`,
    SPEC §6); hh, ii and ss render 00; dates are not shifted by the time zone (SPEC §10).
-#}
{% macro render_date(column) -%}
    {{- format_datetime(column, date_pattern('dateFormat')) -}}
{%- endmacro %}
