{#-
    The canonical label of a raw activity type: a label in any case with
    runs of spaces, `_` and `-` read as one space, or a code written exactly `0`…`11`.
    Anything else (CamelCase, unknown words, null) gives null.
-#}
{% macro activity_type_label(column) -%}
    case {{ normalize_separators(column, ' ') }}
        {%- for text, label in activity_type_lookup().items() %}
        when '{{ text }}' then '{{ label }}'
        {%- endfor %}
    end
{%- endmacro %}
