{#- Aggregate: the value of `expression` on the group's row with the largest `ordering`. -#}
{% macro max_by(expression, ordering) -%}
    {{- return(adapter.dispatch('max_by', 'activity_tracking')(expression, ordering)) -}}
{%- endmacro %}

{% macro default__max_by(expression, ordering) -%}
    max_by({{ expression }}, {{ ordering }})
{%- endmacro %}
