{#-
    Keeps delta_state.export_rows compact for an export GUID: run inside the transaction that
    records or resets one of its runs (the caller commits), it deletes only rows that no
    longer count, so what delta_exported_rows reads is the same before and after.
    - `recorded` run_id: among the GUID's recorded runs, a report id keeps only the row of
      its latest run (the fingerprint delta_exported_rows would take). Only the report ids
      of run_id can have two such rows (each recording keeps them single), so only those are
      looked at.
    - `reset`: every row of the GUID selected so far (no run before a reset counts again).
    Rows of runs never recorded stay until the next reset: such a run may still be recorded,
    or be unfinished (its rows come again in the next delta). The statements come from the
    dispatched macro: none on Spark, whose Parquet tables cannot delete rows.
-#}
{% macro compact_delta_rows(export_guid, event, run_id=none) -%}
    {%- set statements = adapter.dispatch('compact_delta_rows', 'activity_tracking')(export_guid, event, run_id) -%}
    {%- for compaction in statements -%}
        {%- call statement('compact_delta_rows') -%}
            {{ compaction }}
        {%- endcall -%}
    {%- endfor -%}
{%- endmacro %}

{% macro default__compact_delta_rows(export_guid, event, run_id) -%}
    {%- set rows = delta_state_relation('export_rows') -%}
    {%- set guid = sql_string_literal(export_guid) -%}
    {%- if event == 'reset' -%}
        {{- return(['delete from ' ~ rows ~ ' where export_guid = ' ~ guid]) -}}
    {%- endif -%}
    {%- set run = sql_string_literal(run_id) -%}
    {#- the recorded runs (run_id included), ranked by their selection -#}
    {%- set recorded = '(' ~ delta_recorded_runs(export_guid) ~ ')' -%}
    {%- set this_run = '(select event_seq from ' ~ recorded ~ ' as this_run where run_id = ' ~ run ~ ')' -%}
    {%- set run_report_ids = 'select report_id from ' ~ rows ~ ' where export_guid = ' ~ guid
        ~ ' and run_id = ' ~ run -%}
    {%- set older = [
        'delete from ' ~ rows ~ ' where export_guid = ' ~ guid ~ ' and run_id <> ' ~ run
        ~ ' and report_id in (' ~ run_report_ids ~ ')'
        ~ ' and run_id in (select run_id from ' ~ recorded ~ ' as older_runs'
        ~ ' where event_seq < ' ~ this_run ~ ')'
    ] -%}
    {#- a run recorded after a later one (record_delta_export with its run_id): the later
        run's fingerprints stay, this run's rows for the same report ids go -#}
    {%- set newer_report_ids = 'select newer_rows.report_id from ' ~ rows ~ ' as newer_rows'
        ~ ' inner join ' ~ recorded ~ ' as newer_runs on newer_rows.run_id = newer_runs.run_id'
        ~ ' where newer_rows.export_guid = ' ~ guid ~ ' and newer_runs.event_seq > ' ~ this_run -%}
    {%- do older.append(
        'delete from ' ~ rows ~ ' where export_guid = ' ~ guid ~ ' and run_id = ' ~ run
        ~ ' and report_id in (' ~ newer_report_ids ~ ')'
    ) -%}
    {{- return(older) -}}
{%- endmacro %}

{#- Spark's Parquet tables cannot delete rows: export_rows keeps one row per run there, and
    delta_exported_rows takes each report id's latest recorded row, as it does everywhere.
    The statements: none. -#}
{% macro spark__compact_delta_rows(export_guid, event, run_id) -%}
    {{- return([]) -}}
{%- endmacro %}
