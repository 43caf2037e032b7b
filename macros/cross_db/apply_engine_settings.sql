{#-
    on-run-start: the engine's resource settings from environment variables, so that a large
    build stays within the machine. DuckDB: ACTIVITY_TRACKING_MEMORY_LIMIT (e.g.
    4GB, 50%; default DuckDB's own, 80% of RAM) and ACTIVITY_TRACKING_THREADS (default one per
    core). Unset: nothing is changed. Both belong to the database instance (they are not stored
    in the file): the runner's own queries after the build (the COPY that writes the file, the
    delta state) share dbt's instance, since the runner keeps the file open, and run within them.
-#}
{% macro apply_engine_settings() -%}
    {{- return(adapter.dispatch('apply_engine_settings', 'activity_tracking')()) -}}
{%- endmacro %}

{% macro default__apply_engine_settings() -%}
{%- endmacro %}

{% macro duckdb__apply_engine_settings() -%}
    {%- set memory_limit = env_var('ACTIVITY_TRACKING_MEMORY_LIMIT', '') | trim -%}
    {%- set threads = env_var('ACTIVITY_TRACKING_THREADS', '') | trim -%}
    {%- if threads and not (modules.re.fullmatch('[0-9]+', threads) and (threads | int) > 0) -%}
        {{- exceptions.raise_compiler_error(
            "Invalid value '" ~ threads ~ "' for environment variable ACTIVITY_TRACKING_THREADS: expected a whole number (1 or more)."
        ) -}}
    {%- endif -%}
    {#- the sizes DuckDB reads: a positive number, then a unit (1000^i or 1024^i bytes) or % -#}
    {%- set size = modules.re.fullmatch(
        '([0-9]+(?:[.][0-9]+)?) *(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)', memory_limit, modules.re.IGNORECASE
    ) -%}
    {%- if memory_limit and (not size or (size.group(1) | float) <= 0
        or (size.group(2) == '%' and (size.group(1) | float) > 100)) -%}
        {{- exceptions.raise_compiler_error(
            "Invalid value '" ~ memory_limit ~ "' for environment variable ACTIVITY_TRACKING_MEMORY_LIMIT: "
            ~ 'expected a size such as 4GB, 500MB, 2.5GiB or 50% (of the memory, at most 100%).'
        ) -}}
    {%- endif -%}
    {%- if memory_limit %}set memory_limit = {{ sql_string_literal(memory_limit) }};{% endif -%}
    {%- if threads %} set threads = {{ threads }};{% endif -%}
{%- endmacro %}
