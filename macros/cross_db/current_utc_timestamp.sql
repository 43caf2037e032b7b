{#- The current time as a timestamp without time zone holding UTC wall-clock time, whatever the
    session's time zone (DuckDB's is the machine's; the Spark profiles set UTC). -#}
{% macro current_utc_timestamp() -%}
    {{- return(adapter.dispatch('current_utc_timestamp', 'activity_tracking')()) -}}
{%- endmacro %}

{% macro default__current_utc_timestamp() -%}
    {{- return('cast(current_timestamp as timestamp)') -}}
{%- endmacro %}

{% macro duckdb__current_utc_timestamp() -%}
    {{- return("cast(timezone('UTC', current_timestamp) as timestamp)") -}}
{%- endmacro %}

{#- PostgreSQL: the session's time zone is the server's (TimeZone), not necessarily UTC. -#}
{% macro postgres__current_utc_timestamp() -%}
    {{- return("(current_timestamp at time zone 'UTC')") -}}
{%- endmacro %}
