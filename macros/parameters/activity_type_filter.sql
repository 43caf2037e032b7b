{#-
    activityType: keeps the trainings that hold at least one activity of a listed
    type — every tracking of such a training, not only those of the listed types, and
    whether or not anyone tracked that activity. Items are codes or labels, read
    like raw types (activity_type_lookup). `activities` names the relation of the mart
    training_activities (trainingId, activityType). Items are deduplicated on the label each one
    names, exactly (`unique` is told to compare case-sensitively: by default it ignores case,
    which is looser than SQL's `in`).
-#}
{% macro activity_type_filter(activities) -%}
    {%- set items = parameter_list('activityType') -%}
    {%- if not items -%}
        {{- return('true') -}}
    {%- endif -%}
    {%- set known = activity_type_lookup() -%}
    {%- set labels = [] -%}
    {%- for item in items -%}
        {%- set label = known.get(normalized_text(item, ' ')) -%}
        {%- if label is none -%}
            {{- parameter_error(
                'activityType', item,
                'activity type codes 0-11 or labels (' ~ (activity_types() | map(attribute='label') | join(', ')) ~ ')'
            ) -}}
        {%- endif -%}
        {%- do labels.append(label) -%}
    {%- endfor -%}
    {{- return(
        'trainingId in (select ' ~ activities ~ '.trainingId from ' ~ activities
        ~ ' where ' ~ activities ~ '.activityType in ' ~ sql_list(labels | unique(case_sensitive=true) | list) ~ ')'
    ) -}}
{%- endmacro %}
