{#-
    Nothing is silently lost: every raw tracking with a key is exactly one of
    exported (in the mart), recorded as excluded (data_quality_issues) or out of scope (its
    session's training is not Blendedx); and raw rows without a key are recorded.
    Returns one row per tracking that breaks this.
-#}
with

raw_trackings as (
    select distinct tracking_id
    from {{ ref('activity_tracking', 'base_lms__trackings') }}
    where tracking_id is not null
),

exported as (
    select reportId as tracking_id
    from {{ ref('activity_tracking', 'activity_tracking') }}
),

recorded as (
    select cast(record_key as bigint) as tracking_id
    from {{ ref('activity_tracking', 'data_quality_issues') }}
    where
        source_table = 'trackings'
        and issue_code in ('orphan_tracking', 'tracking_of_unknown_activity_type')
),

out_of_scope as (
    select trackings.tracking_id
    from {{ ref('activity_tracking', 'stg_lms__trackings') }} as trackings
    inner join {{ ref('activity_tracking', 'stg_lms__registrations') }} as registrations
        on trackings.registration_id = registrations.registration_id
    inner join {{ ref('activity_tracking', 'stg_lms__sessions') }} as sessions
        on registrations.session_id = sessions.session_id
    inner join {{ ref('activity_tracking', 'stg_lms__trainings') }} as trainings
        on sessions.training_id = trainings.training_id
    where coalesce(trainings.modality, '') != 'blendedx'
),

accounted as (
    select
        raw_trackings.tracking_id,
        case when exported.tracking_id is not null then 1 else 0 end
        + case when recorded.tracking_id is not null then 1 else 0 end
        + case when out_of_scope.tracking_id is not null then 1 else 0 end as times_accounted
    from raw_trackings
    left join exported
        on raw_trackings.tracking_id = exported.tracking_id
    left join recorded
        on raw_trackings.tracking_id = recorded.tracking_id
    left join out_of_scope
        on raw_trackings.tracking_id = out_of_scope.tracking_id
),

null_keys as (
    select count(*) as raw_rows
    from {{ ref('activity_tracking', 'base_lms__trackings') }}
    where tracking_id is null
),

null_keys_recorded as (
    select count(*) as issue_rows
    from {{ ref('activity_tracking', 'data_quality_issues') }}
    where source_table = 'trackings' and issue_code = 'null_primary_key'
),

final as (
    select
        cast(tracking_id as string) as tracking_id,
        'accounted ' || cast(times_accounted as string) || ' times' as failure
    from accounted
    where times_accounted != 1

    union all

    select
        cast(null as string) as tracking_id,
        cast(null_keys.raw_rows as string) || ' raw rows without key, '
        || cast(null_keys_recorded.issue_rows as string) || ' null_primary_key issues' as failure
    from null_keys
    cross join null_keys_recorded
    where (null_keys.raw_rows > 0) != (null_keys_recorded.issue_rows = 1)
)

select * from final
