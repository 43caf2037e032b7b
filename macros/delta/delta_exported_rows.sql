{#-
    What an export GUID has already exported (SPEC §5.4): per report_id, the fingerprint it
    had in the latest recorded run of the GUID. A full export (no GUID) has exported
    nothing: an empty set, so the export model reads the same either way.
-#}
{% macro delta_exported_rows(export_guid) -%}
    {%- if export_guid is none -%}
    select
        cast(null as bigint) as report_id,
        cast(null as string) as row_fingerprint
    where false
    {%- else -%}
    select
        exported.report_id,
        max_by(exported.row_fingerprint, runs.event_seq) as row_fingerprint
    from {{ delta_state_relation('export_rows') }} as exported
    inner join ({{ delta_recorded_runs(export_guid) }}) as runs
        on exported.run_id = runs.run_id
    where exported.export_guid = {{ sql_string_literal(export_guid) }}
    group by exported.report_id
    {%- endif -%}
{%- endmacro %}
