{#-
    Lower-cased `expression` with the spaces, `_` and `-` at either end dropped and every
    run of them inside turned into `replacement`: the form enumerated raw values (types,
    codes, modalities) are matched in (`_End-of-course  survey_` → `end of course survey`
    with a space). normalized_text does the same to a parameter item in Jinja.
-#}
{% macro normalize_separators(expression, replacement) -%}
    {{ regexp_replace_all(
        regexp_replace_all('lower(' ~ expression ~ ')', '^[ _-]+|[ _-]+$', ''),
        '[ _-]+',
        replacement
    ) }}
{%- endmacro %}
