{#-
    reportStatus: keeps the rows whose content status is listed. Items are
    notAttempted, incomplete, completed, pendingFeedback in any case, with or without `_`,
    `-` or spaces (`Not Attempted`, `pending_feedback`). completed also keeps Feedback given.
    Items are deduplicated on the status each one names, exactly (`unique` is told to compare
    case-sensitively: by default it ignores case, which is looser than SQL's `in`).
-#}
{% macro report_status_filter() -%}
    {%- set items = parameter_list('reportStatus') -%}
    {%- if not items -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set known = {
        'notattempted': 'notAttempted',
        'incomplete': 'incomplete',
        'completed': 'completed',
        'pendingfeedback': 'pendingFeedback',
    } -%}
    {%- set statuses = [] -%}
    {%- for item in items -%}
        {%- set status = known.get(normalized_text(item, '')) -%}
        {%- if status is none -%}
            {{- parameter_error('reportStatus', item, 'notAttempted, incomplete, completed or pendingFeedback') -}}
        {%- endif -%}
        {%- do statuses.append(status) -%}
    {%- endfor -%}
    {{- return('reportStatus in ' ~ sql_list(statuses | unique(case_sensitive=true) | list)) -}}
{%- endmacro %}
