{#-
    The Activity Tracking export, which reads marts only: the mart's rows that pass every
    export parameter (the table of macro export_parameters; dbt vars, combined with AND),
    with the export fields (macro export_fields) rendered as text under their system names,
    in the file's default column order, then timeSpentSeconds: the seconds timeSpent shows,
    as a number, which the runner writes in the typed formats (Parquet, xlsx); it is not an
    export field. Each parameter's predicate is built by parameter_filter, which validates
    its value. In delta mode only rows whose fingerprint differs from the one last exported
    under the export GUID remain; the hooks keep the delta state.
-#}
{{ config(
    materialized=export_materialization(),
    pre_hook="{{ prepare_delta_state() }}",
    post_hook="{{ record_delta_selection() }}",
) }}

{#- first, so that deltaMode's own errors come before those of the parameters it excludes -#}
{%- set export_guid = delta_export_guid() %}

with

mart as (
    select * from {{ ref('activity_tracking', 'activity_tracking') }}
),

-- read by the activityType filter, only when that parameter is set
activities as (  -- noqa: ST03
    select * from {{ ref('activity_tracking', 'training_activities') }}
),

time_logs as (
    select * from {{ ref('activity_tracking', 'daily_time_spent') }}
),

{# timeSpent mode: valid seconds logged on the window's days (the mart has emptied the
    negative ones); empty otherwise (a bigint, as the mart's timeSpent, where a sum of bigints
    is wider on DuckDB and a numeric on PostgreSQL) #}
time_in_frame as (
    select
        reportId as tracking_id,
        cast(sum(timeSpent) as bigint) as seconds_in_frame
    from time_logs
    where {{ time_log_frame_filter('loggedOn') }}
    group by reportId
),

{# delta mode: what the export GUID has exported; empty for a full export #}
delta_exported as (
    {{ delta_exported_rows(export_guid) }}
),

{# each parameter's predicate (validating its value), in the table's order -#}
{%- set predicates = [] -%}
{%- for parameter in export_parameters() -%}
    {%- set predicate = parameter_filter(parameter) -%}
    {%- if predicate is not none -%}
        {%- do predicates.append(predicate) -%}
    {%- endif -%}
{%- endfor %}
filtered as (
    select
        mart.*,
        time_in_frame.seconds_in_frame
    from mart
    left join time_in_frame
        on mart.reportId = time_in_frame.tracking_id
    left join delta_exported
        on
            mart.reportId = delta_exported.report_id
            and {{ delta_row_fingerprint('mart.rowFingerprint') }} = delta_exported.row_fingerprint
    where
        delta_exported.report_id is null
        and {{ predicates | join('\n        and ') }}
),

{# each export field rendered, in the file's column order -#}
{%- set rendered = [] -%}
{%- for field in export_fields() -%}
    {%- set expression = render_export_field(field, 'seconds_in_frame') -%}
    {%- do rendered.append(expression ~ (' as ' ~ field.name if expression != field.name else '')) -%}
{%- endfor %}
{# then timeSpent's seconds as a number, for the typed file formats (not an export field) -#}
final as (
    select
        {{ rendered | join(',\n        ') }},
        {{ time_spent_column('timeSpent', 'seconds_in_frame') }} as timeSpentSeconds
    from filtered
)

select * from final
