{#-
    A model or seed with a custom schema (`+schema: lms`) lands in exactly that schema, not
    in `<target schema>_lms`: the raw sample tables live in `lms`, everything else in the
    target's schema. Stable names are what BI tools and the runner connect to.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
