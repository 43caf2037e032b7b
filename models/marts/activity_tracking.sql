{#-
    One row per tracking of a Blendedx training: every field of the Activity
    Tracking export under its system name, typed, unfiltered, plus internal columns. Its
    contract is the field catalogue (macro field_catalogue): the columns it selects from the
    joined sources are those with a `from`, each selected as that expression.

    Incremental: sourceFingerprint is a hash of every source row a mart row is built from
    (tracking, registration, session, training, activity, learner, custom field values) and of
    the project's code. A run computes it for every tracking from narrow per-row hashes, then
    rebuilds only the rows whose fingerprint changed or that are new, and its post-hook deletes
    the rows whose tracking left the mart's scope. Content is compared, not updated_at: late
    rows, rows changed without a newer updated_at and dimension changes (a training title, a
    learner's entity) all rebuild every affected row. On Spark, whose Parquet tables cannot
    delete rows, the mart is a table rebuilt at every build (mart_materialization).
-#}
{{ config(
    materialized=mart_materialization(),
    unique_key='reportId',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{% if is_incremental() %}delete from {{ this }} where reportId not in (
        select tracking_id from {{ ref('activity_tracking', 'int_trackings_statused') }}
    ){% endif %}",
) }}

{#- the fingerprint of a tracking's source rows (the import CTEs, joined by source_joins) -#}
{%- set source_fingerprint = row_fingerprint([
    sql_string_literal(code_version()),
    'trackings.record_fingerprint',
    'registrations.record_fingerprint',
    'sessions.record_fingerprint',
    'trainings.record_fingerprint',
    'activities.record_fingerprint',
    'learners.record_fingerprint',
    'custom_fields_fingerprinted.customFieldsFingerprint',
]) %}

{#- the rows a tracking's mart row is built from, the same for its fingerprint and its fields -#}
{%- set source_joins -%}
    inner join registrations
        on trackings.registration_id = registrations.registration_id
    inner join sessions
        on trackings.session_id = sessions.session_id
    inner join trainings
        on trackings.training_id = trainings.training_id
    inner join activities
        on trackings.activity_id = activities.activity_id
    inner join learners
        on trackings.learner_id = learners.learner_id
    left join custom_fields_fingerprinted
        on trackings.learner_id = custom_fields_fingerprinted.candidateId
{%- endset %}

{#- which trackings this run builds: all, or on an incremental run those changed_trackings lists -#}
{%- set rebuilt_trackings = 'true' -%}
{%- if is_incremental() -%}
    {%- set rebuilt_trackings = 'tracking_id in (select changed_trackings.tracking_id'
        ~ ' from changed_trackings)' -%}
{%- endif %}

{#- the import CTEs' aliases are used whole: record_fingerprint hashes the row they name #}
-- noqa: disable=AL05
with

registrations as (
    select
        *,
        {{ record_fingerprint('registrations') }} as record_fingerprint
    from {{ ref('activity_tracking', 'stg_lms__registrations') }} as registrations
),

sessions as (
    select
        *,
        {{ record_fingerprint('sessions') }} as record_fingerprint
    from {{ ref('activity_tracking', 'stg_lms__sessions') }} as sessions
),

trainings as (
    select
        *,
        {{ record_fingerprint('trainings') }} as record_fingerprint
    from {{ ref('activity_tracking', 'stg_lms__trainings') }} as trainings
),

activities as (
    select
        *,
        {{ record_fingerprint('activities') }} as record_fingerprint
    from {{ ref('activity_tracking', 'int_activities_enriched') }} as activities
),

learners as (
    select
        *,
        {{ record_fingerprint('learners') }} as record_fingerprint
    from {{ ref('activity_tracking', 'int_learners_enriched') }} as learners
),

-- noqa: enable=AL05
{# the values the export's custom field columns show: the fingerprint reads the
    same table as the export file, so both always hold the same values #}
custom_field_values as (
    select * from {{ ref('activity_tracking', 'learner_custom_fields') }}
),

custom_fields_fingerprinted as (
    select
        candidateId,
        md5({{ sorted_string_agg(
            row_fingerprint(['candidateCustomFieldGuid', 'candidateCustomFieldValue']), ','
        ) }}) as customFieldsFingerprint
    from custom_field_values
    -- an empty value shows nothing in any export, so it changes nothing (delta mode)
    where candidateCustomFieldValue is not null
    group by candidateId
),

{% if is_incremental() %}
    {# the in-scope trackings whose mart row is missing or was built from other source rows #}
    changed_trackings as (
        select trackings.tracking_id
        from (
            select
                tracking_id,
                registration_id,
                session_id,
                training_id,
                activity_id,
                learner_id,
                {{ record_fingerprint('statused') }} as record_fingerprint
            from {{ ref('activity_tracking', 'int_trackings_statused') }} as statused  -- noqa: AL05
        ) as trackings
        {{ source_joins }}
        left join {{ this }} as built
            on
                trackings.tracking_id = built.reportId
                and {{ source_fingerprint }} = built.sourceFingerprint
        where built.reportId is null
    ),
{% endif %}

trackings as (
    select
        *,
        {{ record_fingerprint('statused') }} as record_fingerprint
    from {{ ref('activity_tracking', 'int_trackings_statused') }} as statused  -- noqa: AL05
    where {{ rebuilt_trackings }}
),

joined as (
    select
        {#- the catalogue's columns selected from the sources (the contract's meta `from`) #}
        {%- for field in field_catalogue() if field.from %}
            {{ field.from }}{{ '' if field.from.endswith('.' ~ field.name) else ' as ' ~ field.name }},
        {%- endfor %}
        greatest(
            trackings.updated_at,
            registrations.updated_at,
            sessions.updated_at,
            trainings.updated_at,
            activities.source_updated_at,
            learners.source_updated_at
        ) as sourceUpdatedAt,
        {{ source_fingerprint }} as sourceFingerprint
    from trackings
    {{ source_joins }}
),

{# delta mode: what the row shows, in every export field and custom field value #}
{%- set shown = export_fields() | map(attribute='name') | list + ['customFieldsFingerprint'] %}
final as (
    select
        joined.*,
        {{ row_fingerprint(shown) }} as rowFingerprint
    from joined
)

select * from final
