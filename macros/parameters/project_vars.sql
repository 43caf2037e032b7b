{#-
    Every var the project reads, with its default: the one list of them. project_var reads
    a var through it, check_vars refuses a name that is not in it. Unset (none) or blank
    means not given. The export parameters are described in the README's parameter table.
-#}
{% macro project_vars() -%}
    {{- return({
        'raw_path': none,
        'raw_format': 'parquet',
        'strict': false,
        'activityType': none,
        'reportStatus': none,
        'entityIds': none,
        'preferredLocales': none,
        'learningObjectPublishersName': none,
        'trainingPublishers': none,
        'sessionGuid': none,
        'sessionTitle': none,
        'trainingGuid': none,
        'trainingPathCode': none,
        'catalogVisibility': none,
        'onlyFromImportedRegistrations': none,
        'onlyFromImportedSessions': none,
        'onlyFromImportedTraining': none,
        'timeFrames': none,
        'timeFramesScale': none,
        'timeFrameScaleMode': 'lastActivity',
        'deltaMode': none,
        'exportGuid': none,
        'exportRunId': none,
        'dateTimeFormat': 'YYYY-MM-DD hh:ii:ss',
        'dateFormat': 'YYYY-MM-DD',
        'timeGlobalFormat': 'rawSeconds',
        'timezone': 'UTC',
        'asOf': none,
        'decimal': 'point',
    }) -}}
{%- endmacro %}
