{#-
    reportStatus: keeps the rows whose content status is listed. Items are
    notAttempted, incomplete, completed, pendingFeedback in any case, with or without `_`,
    `-` or spaces (`Not Attempted`, `pending_feedback`). completed also keeps Feedback given.
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
    {{- return('reportStatus in ' ~ sql_list(statuses | unique | list)) -}}
{%- endmacro %}
