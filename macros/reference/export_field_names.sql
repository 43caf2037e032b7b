{#-
    The 53 system fields of the export (SPEC §3, all but candidateCustomFieldGuid) in the
    order of the platform's field table: the columns of activity_tracking_export, and what a
    row's fingerprint covers (delta mode). A data test holds the two equal.
-#}
{% macro export_field_names() -%}
    {{- return([
        'activityDuration', 'activityFirstAccessDate', 'activityId', 'activityLastAccessDate',
        'likes', 'activityPoints', 'pointsGained', 'progressStatus', 'submissionDate',
        'activityName', 'activityType', 'attendanceStatus', 'progression', 'registrationDate',
        'registrationGuid', 'score', 'timeSpent', 'feedbackDate', 'candidateEmail',
        'candidateEntityId', 'candidateEntityName', 'candidateFirstname', 'candidateGuid',
        'candidateId', 'candidateLogin', 'candidateRefNumber', 'candidateName',
        'learningObjectGuid', 'learningObjectId', 'learningObjectVersionDisplayedType',
        'learningObjectVersionGuid', 'learningObjectVersionId', 'learningObjectVersionLocale',
        'learningObjectVersionPublisher', 'learningObjectVersionCode', 'learningObjectVersionTitle',
        'learningObjectVersionType', 'scoreNPS', 'sessionEndDate', 'sessionGuid', 'sessionId',
        'sessionStartDate', 'sessionTitle', 'reportGuid', 'reportId', 'trainingChapters',
        'trainingDuration', 'trainingGuid', 'trainingId', 'trainingPublisher', 'trainingPathCode',
        'trainingTitle', 'catalogVisibility',
    ]) -}}
{%- endmacro %}
