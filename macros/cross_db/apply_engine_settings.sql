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

{#-
    PostgreSQL: no resource setting (the server's own configuration rules; the variables above
    are DuckDB's). The type `string`, which the contracts, the casts and the seeds' column
    types name, is made a domain over text in the target schema (string_type).
-#}
{% macro postgres__apply_engine_settings() -%}
    {%- do string_type() -%}
{%- endmacro %}

{#-
    Makes sure the type `string` exists where this engine's sessions find it: on PostgreSQL a
    domain over text in the target schema, created (with the schema) when missing. Run by the
    on-run-start hook and by create_delta_state, so that a run-operation before the first build
    finds it too. A user who may not create it gets one message saying what to ask for.
-#}
{% macro string_type() -%}
    {{- return(adapter.dispatch('string_type', 'activity_tracking')()) -}}
{%- endmacro %}

{% macro default__string_type() -%}
{%- endmacro %}

{% macro postgres__string_type() -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set schema = target.schema -%}
    {%- set found = run_query(
        'select (select count(*) from pg_catalog.pg_type as t'
        ~ ' inner join pg_catalog.pg_namespace as n on n.oid = t.typnamespace'
        ~ " where t.typname = 'string' and n.nspname = " ~ sql_string_literal(schema) ~ ') as has_type,'
        ~ ' (select count(*) from pg_catalog.pg_namespace where nspname = ' ~ sql_string_literal(schema)
        ~ ') as has_schema,'
        ~ ' current_user as user_name'
    ).rows[0] -%}
    {%- set has_type, has_schema, user_name = found[0], found[1], found[2] -%}
    {%- if not has_type -%}
        {%- set allowed = run_query(
            'select case when ' ~ has_schema ~ ' > 0 then has_schema_privilege('
            ~ sql_string_literal(schema) ~ ", 'CREATE') else has_database_privilege(current_database(), 'CREATE') end"
        ).rows[0][0] -%}
        {%- if not allowed -%}
            {{- exceptions.raise_compiler_error(
                'The type string (a domain over text, which the models and their contracts use) does not exist in schema '
                ~ schema ~ ', and user ' ~ user_name ~ ' may not create it there: ask the owner of the database to run '
                ~ '"create schema if not exists ' ~ schema ~ '; create domain ' ~ schema ~ '.string as text;" '
                ~ 'or to grant ' ~ user_name ~ ' CREATE on ' ~ ('schema ' ~ schema if has_schema else 'the database') ~ '.'
            ) -}}
        {%- endif -%}
        {%- do adapter.create_schema(api.Relation.create(database=target.database, schema=schema)) -%}
        {#- a domain created meanwhile by another session is left as it is -#}
        {%- call statement('string_type', auto_begin=true) -%}
            do $$ begin
                create domain {{ adapter.quote(schema) }}.string as text;
            exception when duplicate_object then null;
            end $$
        {%- endcall -%}
        {%- do adapter.commit() -%}
    {%- endif -%}
    {#- (current_schemas lists only schemas that exist: asked once the schema does) -#}
    {%- set on_path = run_query(
        'select ' ~ sql_string_literal(schema) ~ ' = any(current_schemas(false))'
    ).rows[0][0] -%}
    {%- if not on_path -%}
        {{- exceptions.raise_compiler_error(
            'Schema ' ~ schema ~ ', which holds the type string, is not on the search path of the connection: '
            ~ 'add "search_path: ' ~ schema ~ '" to the postgres target of profiles.yml.'
        ) -}}
    {%- endif -%}
{%- endmacro %}
