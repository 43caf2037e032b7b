{#-
    The canonical label of a raw activity type (SPEC §4.1, §10): a label in any case with
    runs of spaces, `_` and `-` read as one space, or a code written exactly `0`…`11`.
    Anything else (CamelCase, unknown words, null) gives null.
-#}
{% macro activity_type_label(column) -%}
    case {{ normalize_separators(column, ' ') }}
        {%- for activity_type in activity_types() %}
        when '{{ activity_type.code }}' then '{{ activity_type.label }}'
        when '{{ modules.re.sub("[ _-]+", " ", activity_type.label | lower) }}' then '{{ activity_type.label }}'
        {%- endfor %}
    end
{%- endmacro %}
