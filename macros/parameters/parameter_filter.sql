{#-
    The predicate one export parameter (an item of export_parameters) builds, by its kind,
    after validating its value; `true` when it is not given. The kinds that filter:
    activity_types (the export's `activities` CTE), report_statuses, entity_ids, locales,
    text_list and text (on the parameter's mart column), visibility, imported_flag (the
    column's import flag) and time_frame (the export's `time_in_frame` CTE). The other kinds
    shape the rendering or delta mode and filter nothing here (none).
-#}
{% macro parameter_filter(parameter) -%}
    {%- set kind = parameter.kind -%}
    {%- if kind == 'activity_types' -%}
        {{- return(activity_type_filter('activities')) -}}
    {%- elif kind == 'report_statuses' -%}
        {{- return(report_status_filter()) -}}
    {%- elif kind == 'entity_ids' -%}
        {{- return(entity_ids_filter()) -}}
    {%- elif kind == 'locales' -%}
        {{- return(preferred_locales_filter()) -}}
    {%- elif kind == 'text_list' -%}
        {{- return(text_list_filter(parameter.name, parameter.column)) -}}
    {%- elif kind == 'text' -%}
        {{- return(text_filter(parameter.name, parameter.column)) -}}
    {%- elif kind == 'visibility' -%}
        {{- return(catalog_visibility_filter()) -}}
    {%- elif kind == 'imported_flag' -%}
        {{- return(imported_filter(parameter.name, parameter.column)) -}}
    {%- elif kind == 'time_frame' -%}
        {{- return(time_frame_filter('time_in_frame.tracking_id is not null')) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}
