{#-
    The dangling references of the catalogue's tables: a reference that is set but
    names no row. The row is kept, and the detail says what is left empty or excluded. The
    learners' tables: int_learner_references_checked.
-#}
{#- each reference: where it is, what it names, what is left empty -#}
{%- set dangling_references = [
    {
        'source_table': 'sessions',
        'rows': 'sessions',
        'key_columns': ['session_id'],
        'reference_column': 'training_id',
        'referenced': 'trainings',
        'referenced_column': 'training_id',
        'issue_code': 'missing_training',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'activities',
        'rows': 'activities',
        'key_columns': ['activity_id'],
        'reference_column': 'training_id',
        'referenced': 'trainings',
        'referenced_column': 'training_id',
        'issue_code': 'missing_training',
        'consequence': 'its trackings are excluded',
    },
    {
        'source_table': 'activities',
        'rows': 'activities',
        'key_columns': ['activity_id'],
        'reference_column': 'chapter_id',
        'referenced': 'chapters',
        'referenced_column': 'chapter_id',
        'issue_code': 'missing_chapter',
        'consequence': 'trainingChapters left empty',
    },
    {
        'source_table': 'activities',
        'rows': 'activities',
        'key_columns': ['activity_id'],
        'reference_column': 'learning_object_version_id',
        'referenced': 'versions',
        'referenced_column': 'learning_object_version_id',
        'issue_code': 'missing_learning_object_version',
        'consequence': 'learning object fields left empty',
    },
    {
        'source_table': 'learning_object_versions',
        'rows': 'versions',
        'key_columns': ['learning_object_version_id'],
        'reference_column': 'learning_object_id',
        'referenced': 'learning_objects',
        'referenced_column': 'learning_object_id',
        'issue_code': 'missing_learning_object',
        'consequence': 'learningObjectId and learningObjectGuid left empty',
    },
] -%}

with

sessions as (
    select * from {{ ref('activity_tracking', 'stg_lms__sessions') }}
),

trainings as (
    select * from {{ ref('activity_tracking', 'stg_lms__trainings') }}
),

activities as (
    select * from {{ ref('activity_tracking', 'stg_lms__activities') }}
),

chapters as (
    select * from {{ ref('activity_tracking', 'int_chapters_pathed') }}
),

versions as (
    select * from {{ ref('activity_tracking', 'stg_lms__learning_object_versions') }}
),

learning_objects as (
    select * from {{ ref('activity_tracking', 'stg_lms__learning_objects') }}
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
