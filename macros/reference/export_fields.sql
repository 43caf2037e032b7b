{#-
    The export's system fields: the one list of which columns of the mart activity_tracking
    an export file shows, in the file's default column order (the platform's field table),
    and how each is written (macro render_export_field): `text` as it is, `number` as
    digits, `datetime` in the export's time zone with dateTimeFormat, `date` with dateFormat,
    `decimal` with the file's decimal separator, `duration` (timeSpent) with
    timeGlobalFormat. The export model's columns, the row fingerprint of delta mode and the
    runner's default columns all come from it; a data test holds each name to a mart column
    of a type its rendering fits.
-#}
{% macro export_fields() -%}
    {%- set fields = [] -%}
    {%- for name, render in [
        ('activityDuration', 'text'),
        ('activityFirstAccessDate', 'datetime'),
        ('activityId', 'number'),
        ('activityLastAccessDate', 'datetime'),
        ('likes', 'number'),
        ('activityPoints', 'number'),
        ('pointsGained', 'number'),
        ('progressStatus', 'text'),
        ('submissionDate', 'datetime'),
        ('activityName', 'text'),
        ('activityType', 'text'),
        ('attendanceStatus', 'text'),
        ('progression', 'decimal'),
        ('registrationDate', 'datetime'),
        ('registrationGuid', 'text'),
        ('score', 'decimal'),
        ('timeSpent', 'duration'),
        ('feedbackDate', 'datetime'),
        ('candidateEmail', 'text'),
        ('candidateEntityId', 'number'),
        ('candidateEntityName', 'text'),
        ('candidateFirstname', 'text'),
        ('candidateGuid', 'text'),
        ('candidateId', 'number'),
        ('candidateLogin', 'text'),
        ('candidateRefNumber', 'text'),
        ('candidateName', 'text'),
        ('learningObjectGuid', 'text'),
        ('learningObjectId', 'number'),
        ('learningObjectVersionDisplayedType', 'text'),
        ('learningObjectVersionGuid', 'text'),
        ('learningObjectVersionId', 'number'),
        ('learningObjectVersionLocale', 'text'),
        ('learningObjectVersionPublisher', 'text'),
        ('learningObjectVersionCode', 'text'),
        ('learningObjectVersionTitle', 'text'),
        ('learningObjectVersionType', 'text'),
        ('scoreNPS', 'number'),
        ('sessionEndDate', 'date'),
        ('sessionGuid', 'text'),
        ('sessionId', 'number'),
        ('sessionStartDate', 'date'),
        ('sessionTitle', 'text'),
        ('reportGuid', 'text'),
        ('reportId', 'number'),
        ('trainingChapters', 'text'),
        ('trainingDuration', 'text'),
        ('trainingGuid', 'text'),
        ('trainingId', 'number'),
        ('trainingPublisher', 'text'),
        ('trainingPathCode', 'text'),
        ('trainingTitle', 'text'),
        ('catalogVisibility', 'text'),
    ] -%}
        {%- do fields.append({'name': name, 'render': render}) -%}
    {%- endfor -%}
    {{- return(fields) -}}
{%- endmacro %}
