{#-
    A parameter item read like a raw enumerated value (normalize_separators): lower-cased,
    the spaces, `_` and `-` at either end dropped, every run of them inside turned into
    `replacement`.
-#}
{% macro normalized_text(text, replacement) -%}
    {{- return(modules.re.sub('[ _-]+', replacement, modules.re.sub('^[ _-]+|[ _-]+$', '', text | string | lower))) -}}
{%- endmacro %}
