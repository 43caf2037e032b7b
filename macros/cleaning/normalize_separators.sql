{#-
    Lower-cased `expression` with every run of spaces, `_` and `-` turned into
    `replacement`: the form enumerated raw values (types, codes, modalities) are matched in.
-#}
{% macro normalize_separators(expression, replacement) -%}
    {{ regexp_replace_all('lower(' ~ expression ~ ')', '[ _-]+', replacement) }}
{%- endmacro %}
