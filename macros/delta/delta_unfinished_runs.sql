{#-
    Runs of an export GUID that wrote their file (a `written` event) but never recorded their
    state, since its last recorded run (or last reset): interrupted between the file and the
    state. Their file may have reached its reader, so the next delta exports their rows again,
    whatever their fingerprints. A run that failed before writing its file has no
    `written` event and is not one of them. One row per run: run_id, event_seq, as_of,
    row_count.
-#}
{% macro delta_unfinished_runs(export_guid) -%}
    {%- set runs = delta_state_relation('export_runs') -%}
    {%- set guid = sql_string_literal(export_guid) -%}
    with

    recorded_runs as (
        {{ delta_recorded_runs(export_guid) }}
    ),

    resets as (
        select event_seq
        from {{ runs }}
        where export_guid = {{ guid }} and event = 'reset'
    ),

    {# every selection after the last recorded one (and the last reset) is unrecorded -#}
    boundary as (
        select greatest(
            coalesce((select max(event_seq) from recorded_runs), 0),
            coalesce((select max(event_seq) from resets), 0)
        ) as event_seq
    ),

    written as (
        select run_id
        from {{ runs }}
        where export_guid = {{ guid }} and event = 'written'
    )

    select
        selected.run_id,
        selected.event_seq,
        selected.as_of,
        selected.row_count
    from {{ runs }} as selected
    cross join boundary
    inner join written
        on selected.run_id = written.run_id
    where
        selected.export_guid = {{ guid }}
        and selected.event = 'selected'
        and selected.event_seq > boundary.event_seq
{%- endmacro %}
