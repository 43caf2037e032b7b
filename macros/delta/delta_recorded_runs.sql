{#-
    The runs of an export GUID that count: those whose state was recorded
    (their file was in place) since the GUID's last reset; one row per run with its
    selection's event_seq, as_of and row_count.
-#}
{% macro delta_recorded_runs(export_guid) -%}
    {%- set runs = delta_state_relation('export_runs') -%}
    {%- set guid = sql_string_literal(export_guid) -%}
    select
        selected.run_id,
        selected.event_seq,
        selected.as_of,
        selected.row_count,
        recorded.event_at as recorded_at
    from {{ runs }} as selected
    inner join {{ runs }} as recorded
        on selected.run_id = recorded.run_id
        and recorded.export_guid = {{ guid }}
        and recorded.event = 'recorded'
    where
        selected.export_guid = {{ guid }}
        and selected.event = 'selected'
        and selected.event_seq > (
            select coalesce(max(resets.event_seq), 0)
            from {{ runs }} as resets
            where resets.export_guid = {{ guid }} and resets.event = 'reset'
        )
{%- endmacro %}
