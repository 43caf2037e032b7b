{#-
    Run-operation: forgets what an export GUID has exported: its next delta is a
    full export again. Other GUIDs are untouched. Its events stay in
    delta_state.export_runs; on DuckDB its rows leave export_rows (compact_delta_rows).
      dbt run-operation reset_delta_export --args '{export_guid: A1B2}'
-#}
{% macro reset_delta_export(export_guid) -%}
    {%- set export_guid = as_data(export_guid) -%}
    {%- do create_delta_state() -%}
    {%- set runs = delta_state_relation('export_runs') -%}
    {%- set known = run_query(
        'select count(*) from ' ~ runs ~ ' where export_guid = ' ~ sql_string_literal(export_guid)
    ).rows[0][0] -%}
    {%- if known == 0 -%}
        {{- exceptions.raise_compiler_error(
            'Export GUID ' ~ export_guid ~ ' has no delta state: nothing to reset (see list_delta_exports).'
        ) -}}
    {%- endif -%}
    {#- in a transaction dbt knows it opened (run_query opens none), so that the commit holds
        on every engine; the GUID's rows are deleted with the event -#}
    {%- call statement('reset_delta_export', auto_begin=true) -%}
        {{ 'insert into ' ~ runs ~ ' select (select coalesce(max(event_seq), 0) + 1 from ' ~ runs ~ '), '
            ~ sql_string_literal(export_guid) ~ ", null, 'reset', " ~ current_utc_timestamp() ~ ", null, null, null, null" }}
    {%- endcall -%}
    {%- do compact_delta_rows(export_guid, 'reset') -%}
    {%- do adapter.commit() -%}
    {%- do print('Reset export GUID ' ~ export_guid ~ ': its next delta export is a full export.') -%}
{%- endmacro %}
