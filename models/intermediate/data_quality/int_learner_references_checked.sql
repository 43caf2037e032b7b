{#-
    The dangling references of the learners' tables: a reference that is set but
    names no row. The row is kept, and the detail says what is left empty or excluded. The
    catalogue's tables: int_catalog_references_checked.
-#}
{#- each reference: where it is, what it names, what is left empty -#}
{%- set dangling_references = [
    {
        'source_table': 'registrations',
        'rows': 'registrations',
        'key_columns': ['registration_id'],
        'reference_column': 'learner_id',
        'referenced': 'learners',
        'referenced_column': 'learner_id',
        'issue_code': 'missing_learner',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'registrations',
        'rows': 'registrations',
        'key_columns': ['registration_id'],
        'reference_column': 'session_id',
        'referenced': 'sessions',
        'referenced_column': 'session_id',
        'issue_code': 'missing_session',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'learners',
        'rows': 'learners',
        'key_columns': ['learner_id'],
        'reference_column': 'entity_id',
        'referenced': 'entities',
        'referenced_column': 'entity_id',
        'issue_code': 'missing_entity',
        'consequence': 'candidateEntityName left empty',
    },
    {
        'source_table': 'learner_custom_field_values',
        'rows': 'custom_field_values',
        'key_columns': ['learner_id', 'custom_field_guid'],
        'reference_column': 'learner_id',
        'referenced': 'learners',
        'referenced_column': 'learner_id',
        'issue_code': 'missing_learner',
        'consequence': 'kept',
    },
    {
        'source_table': 'tracking_time_logs',
        'rows': 'time_logs',
        'key_columns': ['tracking_id', 'logged_on'],
        'reference_column': 'tracking_id',
        'referenced': 'trackings',
        'referenced_column': 'tracking_id',
        'issue_code': 'missing_tracking',
        'consequence': 'kept',
    },
] -%}

with

registrations as (
    select * from {{ ref('activity_tracking', 'stg_lms__registrations') }}
),

learners as (
    select * from {{ ref('activity_tracking', 'stg_lms__learners') }}
),

sessions as (
    select * from {{ ref('activity_tracking', 'stg_lms__sessions') }}
),

entities as (
    select * from {{ ref('activity_tracking', 'int_entities_pathed') }}
),

custom_field_values as (
    select * from {{ ref('activity_tracking', 'stg_lms__learner_custom_field_values') }}
),

time_logs as (
    select * from {{ ref('activity_tracking', 'stg_lms__tracking_time_logs') }}
),

trackings as (
    select * from {{ ref('activity_tracking', 'stg_lms__trackings') }}
),

issues as (
    {%- for reference in dangling_references %}
        {{ 'union all' if not loop.first }}
        {{ missing_reference_issues(**reference) }}
    {%- endfor %}
),

final as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
