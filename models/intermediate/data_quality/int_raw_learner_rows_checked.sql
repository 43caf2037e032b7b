{#-
    The raw rows of the learners' tables (entities, learners and what they follow and did)
    against the raw contract: null and duplicate primary keys (raw_key_issues) and empty
    required values (empty_required_value_issues), from the base models (every raw row).
    Keys and nullable columns: the lms source's meta. The catalogue's tables:
    int_raw_catalog_rows_checked (split so that no model has more than 7 parents).
-#}
{%- set raw_tables = [
    'entities',
    'learners',
    'learner_custom_field_values',
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
