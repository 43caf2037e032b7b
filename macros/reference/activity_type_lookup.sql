{#-
    How a raw activity type or an activityType item is read: a dict from
    the normalised text (normalized_text: lower-cased, runs of spaces, `_` and `-` as one
    space, none at either end) to the canonical label, holding every label and every code.
-#}
{% macro activity_type_lookup() -%}
    {%- set lookup = {} -%}
    {%- for activity_type in activity_types() -%}
        {%- do lookup.update({
            activity_type.code | string: activity_type.label,
            normalized_text(activity_type.label, ' '): activity_type.label,
        }) -%}
    {%- endfor -%}
    {{- return(lookup) -}}
{%- endmacro %}
