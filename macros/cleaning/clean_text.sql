{#- Raw text as the project reads it: ordinary spaces trimmed, empty text as null. -#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as string)), '')
{%- endmacro %}
