{#-
    One row per anomaly found in the raw extract: what the pipeline did about it
    (kept, cut, emptied, clamped or excluded) is in issue_detail. Nothing is dropped or
    changed without a row here, except trimming and empty text becoming null. Each family of
    checks is an intermediate model (models/intermediate/data_quality/); the rules, their
    codes and what they mean are the rule table, the macro data_quality_rules.
-#}
with

raw_catalog_rows as (
    select * from {{ ref('activity_tracking', 'int_raw_catalog_rows_checked') }}
),

raw_learner_rows as (
    select * from {{ ref('activity_tracking', 'int_raw_learner_rows_checked') }}
),

catalog_references as (
    select * from {{ ref('activity_tracking', 'int_catalog_references_checked') }}
),

learner_references as (
    select * from {{ ref('activity_tracking', 'int_learner_references_checked') }}
),

trackings as (
    select * from {{ ref('activity_tracking', 'int_trackings_checked') }}
),

raw_values as (
    select * from {{ ref('activity_tracking', 'int_values_checked') }}
),

trees as (
    select * from {{ ref('activity_tracking', 'int_trees_checked') }}
),

issues as (
    select * from raw_catalog_rows
    union all
    select * from raw_learner_rows
    union all
    select * from catalog_references
    union all
    select * from learner_references
    union all
    select * from trackings
    union all
    select * from raw_values
    union all
    select * from trees
),

final as (
    select
        {{ issue_id() }} as issue_id,
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
