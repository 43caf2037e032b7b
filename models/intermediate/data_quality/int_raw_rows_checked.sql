{#-
    The raw rows of every raw table against the raw contract: null and duplicate primary keys
    (raw_key_issues) and empty required values (empty_required_value_issues), from the base
    models (every raw row). Keys and nullable columns: the lms source's meta. One query per
    table, unioned: no join, whatever the number of tables.
-#}
{%- set raw_tables = [
    'entities',
    'learners',
    'learner_custom_field_values',
    'trainings',
    'training_chapters',
    'sessions',
    'learning_objects',
    'learning_object_versions',
    'activities',
    'registrations',
    'trackings',
    'tracking_time_logs',
] -%}

with

key_issues as (
    {{ raw_key_issues(raw_tables) }}
),

empty_value_issues as (
    {{ empty_required_value_issues(raw_tables) }}
),

final as (
    select * from key_issues
    union all
    select * from empty_value_issues
)

select * from final
