{#-
    Where an export GUID stands, read from the delta state: `last`, its latest
    recorded run since its last reset (run_id, as_of, recorded_at; none if there is none),
    and `unfinished`, the ids of the runs that wrote their file since then but never
    recorded their state. Call only when executing.
-#}
{% macro delta_state_summary(export_guid) -%}
    {%- set last = run_query(
        'select run_id, as_of, recorded_at from (' ~ delta_recorded_runs(export_guid) ~ ') as recorded_runs'
        ~ ' order by event_seq desc limit 1'
    ).rows -%}
    {%- set unfinished = run_query(
        'select run_id from (' ~ delta_unfinished_runs(export_guid) ~ ') as unfinished_runs'
        ~ ' order by event_seq'
    ).columns[0].values() -%}
    {{- return({'last': last[0] if last else none, 'unfinished': unfinished | list}) -}}
{%- endmacro %}
