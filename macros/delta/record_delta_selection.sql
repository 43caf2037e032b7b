{#-
    Post-hook of activity_tracking_export in delta mode: keeps the rows this run selected
    (report_id and fingerprint) and a `selected` event, in the same transaction as the
    table (on engines with transactions). The event names the GUID's previous recorded run
    (what this delta is relative to) and the unfinished runs whose rows come again. The rows
    count as exported only once record_delta_export marks the run `recorded`, after its file
    is in place. Run id: the var exportRunId (the runner sets it), else dbt's
    invocation id; a run id already in the state is an error. The event's asOf is the one
    the export used, wall-clock in its time zone, with its fraction of a second when it has
    one (to the microsecond).
-#}
{% macro record_delta_selection() -%}
    {%- set export_guid = delta_export_guid() -%}
    {%- if execute and export_guid is not none -%}
        {%- set runs = delta_state_relation('export_runs') -%}
        {%- set guid = sql_string_literal(export_guid) -%}
        {%- set run_id = sql_string_literal(parameter_value('exportRunId') or invocation_id) -%}
        {%- set as_of = export_as_of().moment.isoformat() ~ ' ' ~ parameter_value('timezone') -%}
        {%- set reused = run_query(
            'select count(*) from ' ~ runs ~ ' where run_id = ' ~ run_id
        ).rows[0][0] -%}
        {%- if reused > 0 -%}
            {{- exceptions.raise_compiler_error(
                'Export run id ' ~ run_id ~ ' is already in the delta state: give each run its own exportRunId.'
            ) -}}
        {%- endif -%}
        {%- set state = delta_state_summary(export_guid) -%}
        {%- do run_query(
            'insert into ' ~ delta_state_relation('export_rows')
            ~ ' select ' ~ guid ~ ', ' ~ run_id ~ ', mart.reportId, ' ~ delta_row_fingerprint('mart.rowFingerprint')
            ~ ' from ' ~ this ~ ' as export inner join ' ~ ref('activity_tracking', 'activity_tracking') ~ ' as mart'
            ~ ' on mart.reportId = cast(export.reportId as bigint)'
        ) -%}
        {%- do run_query(
            'insert into ' ~ runs ~ ' select (select coalesce(max(event_seq), 0) + 1 from ' ~ runs ~ '), '
            ~ guid ~ ', ' ~ run_id ~ ", 'selected', " ~ current_utc_timestamp() ~ ", "
            ~ sql_string_literal(as_of) ~ ', (select count(*) from ' ~ this ~ '), '
            ~ (sql_string_literal(state.last[0]) if state.last else 'null') ~ ', '
            ~ (sql_string_literal(state.unfinished | join(',')) if state.unfinished else 'null')
        ) -%}
    {%- endif -%}
{%- endmacro %}
