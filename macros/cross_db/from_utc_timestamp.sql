{#- A UTC timestamp expression as wall-clock time in the IANA time zone `zone_name`. -#}
{% macro from_utc_timestamp(expression, zone_name) -%}
    {{- return(adapter.dispatch('from_utc_timestamp', 'activity_tracking')(expression, zone_name)) -}}
{%- endmacro %}

{% macro default__from_utc_timestamp(expression, zone_name) -%}
    {{- return('from_utc_timestamp(' ~ expression ~ ', ' ~ sql_string_literal(zone_name) ~ ')') -}}
{%- endmacro %}

{% macro duckdb__from_utc_timestamp(expression, zone_name) -%}
    {{- return(
        '((' ~ expression ~ " at time zone 'UTC') at time zone " ~ sql_string_literal(zone_name) ~ ')'
    ) -}}
{%- endmacro %}

{#- PostgreSQL: the same standard AT TIME ZONE twice; neither depends on the session's time zone. -#}
{% macro postgres__from_utc_timestamp(expression, zone_name) -%}
    {{- return(
        '((' ~ expression ~ " at time zone 'UTC') at time zone " ~ sql_string_literal(zone_name) ~ ')'
    ) -}}
{%- endmacro %}
