{#-
    The Activity Tracking export (SPEC §5, §6): the mart's rows that pass every export
    parameter (dbt vars, combined with AND), with the 53 fields rendered as text under their
    system names, in the order of the platform's field table (the export file's default
    column order, SPEC §8). Each parameter's macro validates its value and builds its
    predicate. In delta mode (SPEC §5.4) only rows whose fingerprint differs from the one
    last exported under the export GUID remain; the hooks keep the delta state.
-#}
{{ config(
    pre_hook="{{ prepare_delta_state() }}",
    post_hook="{{ record_delta_selection() }}",
) }}

{#- first, so that deltaMode's own errors come before those of the parameters it excludes -#}
{%- set export_guid = delta_export_guid() %}

with

mart as (
    select * from {{ ref('activity_tracking') }}
),

-- read by the activityType filter, only when that parameter is set
activities as (  -- noqa: ST03
    select * from {{ ref('stg_lms__activities') }}
),

time_logs as (
    select * from {{ ref('stg_lms__tracking_time_logs') }}
),

{# timeSpent mode (SPEC §5.3): valid seconds logged on the window's days; empty otherwise #}
time_in_frame as (
    select
        tracking_id,
        sum(case when seconds >= 0 then seconds end) as seconds_in_frame
    from time_logs
    where {{ time_log_frame_filter('logged_on') }}
    group by tracking_id
),

{# delta mode: what the export GUID has exported; empty for a full export #}
delta_exported as (
    {{ delta_exported_rows(export_guid) }}
),

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
            and mart.rowFingerprint = delta_exported.row_fingerprint
    where
        {{ activity_type_filter('activities') }}
        and {{ report_status_filter() }}
        and {{ entity_ids_filter() }}
        and {{ preferred_locales_filter() }}
        and {{ text_list_filter('learningObjectPublishersName', 'learningObjectVersionPublisher') }}
        and {{ text_list_filter('trainingPublishers', 'trainingPublisher') }}
        and {{ text_filter('sessionGuid', 'sessionGuid') }}
        and {{ text_filter('sessionTitle', 'sessionTitle') }}
        and {{ text_filter('trainingGuid', 'trainingGuid') }}
        and {{ text_filter('trainingPathCode', 'trainingPathCode') }}
        and {{ catalog_visibility_filter() }}
        and {{ imported_filter('onlyFromImportedRegistrations', 'isRegistrationImported') }}
        and {{ imported_filter('onlyFromImportedSessions', 'isSessionImported') }}
        and {{ imported_filter('onlyFromImportedTraining', 'isTrainingImported') }}
        and {{ time_frame_filter('time_in_frame.tracking_id is not null') }}
        and delta_exported.report_id is null
),

final as (
    select
        activityDuration,
        {{ render_datetime('activityFirstAccessDate') }} as activityFirstAccessDate,
        cast(activityId as string) as activityId,
        {{ render_datetime('activityLastAccessDate') }} as activityLastAccessDate,
        cast(likes as string) as likes,
        cast(activityPoints as string) as activityPoints,
        cast(pointsGained as string) as pointsGained,
        progressStatus,
        {{ render_datetime('submissionDate') }} as submissionDate,
        activityName,
        activityType,
        attendanceStatus,
        {{ render_decimal('progression') }} as progression,
        {{ render_datetime('registrationDate') }} as registrationDate,
        registrationGuid,
        {{ render_decimal('score') }} as score,
        {{ render_duration(time_spent_column('timeSpent', 'seconds_in_frame')) }} as timeSpent,
        {{ render_datetime('feedbackDate') }} as feedbackDate,
        candidateEmail,
        cast(candidateEntityId as string) as candidateEntityId,
        candidateEntityName,
        candidateFirstname,
        candidateGuid,
        cast(candidateId as string) as candidateId,
        candidateLogin,
        candidateRefNumber,
        candidateName,
        learningObjectGuid,
        cast(learningObjectId as string) as learningObjectId,
        learningObjectVersionDisplayedType,
        learningObjectVersionGuid,
        cast(learningObjectVersionId as string) as learningObjectVersionId,
        learningObjectVersionLocale,
        learningObjectVersionPublisher,
        learningObjectVersionCode,
        learningObjectVersionTitle,
        learningObjectVersionType,
        cast(scoreNPS as string) as scoreNPS,
        {{ render_date('sessionEndDate') }} as sessionEndDate,
        sessionGuid,
        cast(sessionId as string) as sessionId,
        {{ render_date('sessionStartDate') }} as sessionStartDate,
        sessionTitle,
        reportGuid,
        cast(reportId as string) as reportId,
        trainingChapters,
        trainingDuration,
        trainingGuid,
        cast(trainingId as string) as trainingId,
        trainingPublisher,
        trainingPathCode,
        trainingTitle,
        catalogVisibility
    from filtered
)

select * from final
