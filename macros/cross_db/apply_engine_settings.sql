{#-
    on-run-start: the engine's resource settings from environment variables (duckdb_settings,
    which checks them on every target), so that a large build stays within the machine. On
    DuckDB they are set for the database instance (they are not stored in the file); unset,
    DuckDB's defaults stay (the runner sets the memory limit and threads from the machine,
    scripts/exporter/resources.py). The runner's own queries after the build (the COPY that
    writes the file, the delta state) share dbt's instance, since the runner keeps the file
    open, and run within them.
-#}
{% macro apply_engine_settings() -%}
    {{- return(adapter.dispatch('apply_engine_settings', 'activity_tracking')()) -}}
{%- endmacro %}

{% macro default__apply_engine_settings() -%}
    {%- do duckdb_settings() -%}
{%- endmacro %}

{% macro duckdb__apply_engine_settings() -%}
    {%- for name, value in duckdb_settings().items() -%}
        {{- ' ' if not loop.first }}set {{ name }} = {{ value if name == 'threads' else sql_string_literal(value) }};
    {%- endfor -%}
{%- endmacro %}

{#-
    PostgreSQL: no resource setting (the server's own configuration rules; the variables above
    are the runner's DuckDB's). The type `string`, which the contracts, the casts and the seeds' column
    types name, is made a domain over text in the target schema (string_type).
-#}
{% macro postgres__apply_engine_settings() -%}
    {%- do duckdb_settings() -%}
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
