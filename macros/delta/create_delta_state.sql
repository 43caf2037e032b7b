{#-
    Creates the delta-state schema and tables when they do not exist yet; changes nothing
    otherwise. export_runs is append-only (every event is kept); export_rows only grows
    by a run's selection and loses the rows that stopped counting (compact_delta_rows), in
    the transaction of the event that made them stop, so an interrupted statement cannot
    leave half a state.
-#}
{% macro create_delta_state() -%}
    {#- the tables' type string, also before the first build (a run-operation) -#}
    {%- do string_type() -%}
    {%- do adapter.create_schema(api.Relation.create(schema='delta_state')) -%}
    {%- do run_query(
        'create table if not exists ' ~ delta_state_relation('export_runs') ~ ' ('
        ~ 'event_seq bigint, export_guid string, run_id string, event string, '
        ~ 'event_at timestamp, as_of string, row_count bigint, previous_run_id string, unfinished_run_ids string)'
    ) -%}
    {%- do run_query(
        'create table if not exists ' ~ delta_state_relation('export_rows') ~ ' ('
        ~ 'export_guid string, run_id string, report_id bigint, row_fingerprint string)'
    ) -%}
{%- endmacro %}
