{#- Aggregate: the value of `expression` on the group's row with the largest `ordering`. -#}
{% macro max_by(expression, ordering) -%}
    {{- return(adapter.dispatch('max_by', 'activity_tracking')(expression, ordering)) -}}
{%- endmacro %}

{% macro default__max_by(expression, ordering) -%}
    max_by({{ expression }}, {{ ordering }})
{%- endmacro %}

{#- PostgreSQL has no max_by: the first value of the group's values ordered by `ordering`,
    largest first (rows whose ordering is null left out, as max_by does). -#}
{% macro postgres__max_by(expression, ordering) -%}
    (array_agg({{ expression }} order by {{ ordering }} desc) filter (where {{ ordering }} is not null))[1]
{%- endmacro %}
