{#-
    Run-operation: moves an export run of a GUID on. `recorded` (the default):
    its file is in place and read, so the GUID's next delta starts from what it selected.
    `written`: its file is about to be put in place (the runner marks this just before), so
    that, if the run stops before `recorded`, the next delta sends its rows again. run_id:
    the run (default: the GUID's latest selected run). Marking a run twice changes nothing.
      dbt run-operation record_delta_export --args '{export_guid: A1B2}'
-#}
{% macro record_delta_export(export_guid, run_id=none, event='recorded') -%}
    {%- set export_guid, run_id, event = as_data(export_guid), as_data(run_id), as_data(event) -%}
    {%- if event not in ['written', 'recorded'] -%}
        {{- exceptions.raise_compiler_error(
            "Invalid value '" ~ event ~ "' for argument event of record_delta_export: expected written or recorded."
        ) -}}
    {%- endif -%}
    {%- do create_delta_state() -%}
    {%- set runs = delta_state_relation('export_runs') -%}
    {%- set guid = sql_string_literal(export_guid) -%}
    {%- set found = run_query(
        'select selected.run_id, selected.row_count,'
        ~ ' exists (select 1 from ' ~ runs ~ ' as marked where marked.export_guid = ' ~ guid
        ~ ' and marked.run_id = selected.run_id and marked.event in (' ~ sql_string_literal(event)
        ~ ", 'recorded')) as is_marked"
        ~ ' from ' ~ runs ~ ' as selected'
        ~ ' where selected.export_guid = ' ~ guid ~ " and selected.event = 'selected'"
        ~ ((' and selected.run_id = ' ~ sql_string_literal(run_id)) if run_id is not none else '')
        ~ ' order by selected.event_seq desc limit 1'
    ) -%}
    {%- if found.rows | length == 0 -%}
        {{- exceptions.raise_compiler_error(
            'No export run ' ~ (run_id ~ ' ' if run_id is not none else '') ~ 'of export GUID ' ~ export_guid
            ~ ' to record: build activity_tracking_export with deltaMode=Y and exportGuid=' ~ export_guid ~ ' first.'
        ) -}}
    {%- endif -%}
    {%- set run = found.rows[0] -%}
    {%- if run[2] -%}
        {%- do print('Export run ' ~ run[0] ~ ' of ' ~ export_guid ~ ' was already ' ~ event ~ '.') -%}
        {{- return(none) -}}
    {%- endif -%}
    {#- in a transaction dbt knows it opened (run_query opens none), so that the commit holds
        on every engine; the compaction of export_rows commits with the event -#}
    {%- call statement('record_delta_export', auto_begin=true) -%}
        {{ 'insert into ' ~ runs ~ ' select (select coalesce(max(event_seq), 0) + 1 from ' ~ runs ~ '), '
            ~ guid ~ ', ' ~ sql_string_literal(run[0]) ~ ', ' ~ sql_string_literal(event)
            ~ ', ' ~ current_utc_timestamp() ~ ', null, ' ~ run[1] ~ ', null, null' }}
    {%- endcall -%}
    {%- if event == 'recorded' -%}
        {%- do compact_delta_rows(export_guid, 'recorded', run[0]) -%}
    {%- endif -%}
    {%- do adapter.commit() -%}
    {%- do print('Export run ' ~ run[0] ~ ' of ' ~ export_guid ~ ' ' ~ event ~ ': ' ~ run[1] ~ ' rows.') -%}
{%- endmacro %}
