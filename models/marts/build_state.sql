{#-
    What the warehouse was last built from, in one row: the runner's build fingerprint (the
    var buildFingerprint), the project's code version, where the raw extract was read (a
    folder of files, or the lms source's schema), and
    when. Built after the marts and their tests, so that a failed build leaves the previous
    row or none. The runner builds the models again only when the fingerprint it computes
    differs from this one; a build without the var records an empty fingerprint, so the
    runner's next export builds everything.
-#}
-- depends_on: {{ ref('activity_tracking', 'activity_tracking') }}
-- depends_on: {{ ref('activity_tracking', 'activity_tracking_bi') }}
-- depends_on: {{ ref('activity_tracking', 'learner_custom_fields') }}
-- depends_on: {{ ref('activity_tracking', 'data_quality_issues') }}
-- depends_on: {{ ref('activity_tracking', 'daily_time_spent') }}
-- depends_on: {{ ref('activity_tracking', 'training_activities') }}

with

final as (
    select
        {{ sql_string_literal(project_var('buildFingerprint') or '') }} as build_fingerprint,
        {{ sql_string_literal(code_version()) }} as code_version,
        {{ sql_string_literal(project_var('raw_path') or '') }} as raw_path,
        {{ sql_string_literal(
            '' if project_var('raw_path') else project_var('lms_schema')
        ) }} as lms_schema,
        {{ current_utc_timestamp() }} as built_at
)

select * from final
