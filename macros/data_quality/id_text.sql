{#- An id as text for an issue's detail: `(empty)` when null, so the detail never is. -#}
{% macro id_text(column) -%}
    coalesce(cast({{ column }} as string), '(empty)')
{%- endmacro %}
