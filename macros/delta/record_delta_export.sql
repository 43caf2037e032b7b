{#-
    Run-operation: marks an export run `recorded`, once its file is in place, so that the
    next delta of the GUID starts from what it exported (SPEC §5.4). run_id: the run to
    record (default: the GUID's latest selected run). Recording a run twice changes
    nothing.
      dbt run-operation record_delta_export --args '{export_guid: A1B2}'
-#}
{% macro record_delta_export(export_guid, run_id=none) -%}
    {%- do create_delta_state() -%}
    {%- set runs = delta_state_relation('export_runs') -%}
    {%- set guid = sql_string_literal(export_guid) -%}
    {%- set found = run_query(
        'select selected.run_id, selected.row_count,'
        ~ ' exists (select 1 from ' ~ runs ~ ' as recorded where recorded.export_guid = ' ~ guid
        ~ " and recorded.run_id = selected.run_id and recorded.event = 'recorded') as is_recorded"
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
        {%- do print('Export run ' ~ run[0] ~ ' of ' ~ export_guid ~ ' was already recorded.') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- do run_query(
        'insert into ' ~ runs ~ ' select (select coalesce(max(event_seq), 0) + 1 from ' ~ runs ~ '), '
        ~ guid ~ ', ' ~ sql_string_literal(run[0]) ~ ", 'recorded', cast(current_timestamp as timestamp), "
        ~ 'null, ' ~ run[1] ~ ', null, null'
    ) -%}
    {%- do adapter.commit() -%}
    {%- do print('Recorded export run ' ~ run[0] ~ ' of ' ~ export_guid ~ ': ' ~ run[1] ~ ' rows.') -%}
{%- endmacro %}
