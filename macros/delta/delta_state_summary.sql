{#-
    Where an export GUID stands, read from the delta state: `last`, its latest
    recorded run since its last reset (run_id, as_of, recorded_at as 'YYYY-MM-DDThh:mm:ss UTC';
    none if there is none), `unfinished`, the ids of the runs that wrote their file since then
    but never recorded their state, and `reset`, whether the GUID was ever reset. Call only
    when executing.
-#}
{% macro delta_state_summary(export_guid) -%}
    {%- set last = run_query(
        "select run_id, as_of, replace(substr(cast(recorded_at as string), 1, 19), ' ', 'T') || ' UTC'"
        ~ ' from (' ~ delta_recorded_runs(export_guid) ~ ') as recorded_runs'
        ~ ' order by event_seq desc limit 1'
    ).rows -%}
    {%- set unfinished = run_query(
        'select run_id from (' ~ delta_unfinished_runs(export_guid) ~ ') as unfinished_runs'
        ~ ' order by event_seq'
    ).columns[0].values() -%}
    {%- set resets = run_query(
        'select count(*) from ' ~ delta_state_relation('export_runs')
        ~ ' where export_guid = ' ~ sql_string_literal(export_guid) ~ " and event = 'reset'"
    ).rows[0][0] -%}
    {{- return({'last': last[0] if last else none, 'unfinished': unfinished | list, 'reset': resets > 0}) -}}
{%- endmacro %}
