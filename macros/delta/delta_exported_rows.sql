{#-
    What an export GUID has already exported: per report_id, the fingerprint it
    had in the latest recorded run of the GUID — except the rows of unfinished runs (file
    written, state not recorded), whose reader may hold another version: those count as not
    exported, so the next delta holds them again. A full export (no GUID) has exported
    nothing: an empty set, so the export model reads the same either way.
-#}
{% macro delta_exported_rows(export_guid) -%}
    {%- if export_guid is none -%}
    select
        cast(null as bigint) as report_id,
        cast(null as string) as row_fingerprint
    where false
    {%- else -%}
    {%- set rows = delta_state_relation('export_rows') -%}
    {%- set guid = sql_string_literal(export_guid) -%}
    select
        recorded.report_id,
        recorded.row_fingerprint
    from (
        select
            exported.report_id,
            {{ max_by('exported.row_fingerprint', 'runs.event_seq') }} as row_fingerprint
        from {{ rows }} as exported
        inner join ({{ delta_recorded_runs(export_guid) }}) as runs
            on exported.run_id = runs.run_id
        where exported.export_guid = {{ guid }}
        group by exported.report_id
    ) as recorded
    left join (
        select distinct unfinished_rows.report_id
        from {{ rows }} as unfinished_rows
        inner join ({{ delta_unfinished_runs(export_guid) }}) as unfinished
            on unfinished_rows.run_id = unfinished.run_id
        where unfinished_rows.export_guid = {{ guid }}
    ) as resent
        on recorded.report_id = resent.report_id
    where resent.report_id is null
    {%- endif -%}
{%- endmacro %}
