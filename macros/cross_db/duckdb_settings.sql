{#-
    The DuckDB settings the environment names, checked: memory_limit (ACTIVITY_TRACKING_MEMORY_LIMIT,
    e.g. 4GB, 500MB, 2.5GiB, 50%), threads (ACTIVITY_TRACKING_THREADS, a whole number) and
    temp_directory (ACTIVITY_TRACKING_TEMP_DIR, the folder DuckDB spills to), each only if set.
    Checked on every target: on Spark and PostgreSQL the runner reads the built tables back
    with an in-memory DuckDB of these settings (scripts/exporter/resources.py), and an
    invalid value stops the build before anything is built.
-#}
{% macro duckdb_settings() -%}
    {%- set memory_limit = env_var('ACTIVITY_TRACKING_MEMORY_LIMIT', '') | trim -%}
    {%- set threads = env_var('ACTIVITY_TRACKING_THREADS', '') | trim -%}
    {%- set temp_directory = env_var('ACTIVITY_TRACKING_TEMP_DIR', '') | trim -%}
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
    {%- set settings = {} -%}
    {%- if memory_limit -%}{%- do settings.update({'memory_limit': memory_limit}) -%}{%- endif -%}
    {%- if threads -%}{%- do settings.update({'threads': threads}) -%}{%- endif -%}
    {%- if temp_directory -%}{%- do settings.update({'temp_directory': temp_directory}) -%}{%- endif -%}
    {{- return(settings) -}}
{%- endmacro %}
