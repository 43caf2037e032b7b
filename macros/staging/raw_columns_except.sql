{#-
    The names of the raw table `table_name`'s columns, in the lms source's order, except those in
    `transformed`, joined by commas: the columns a staging model passes through as they are (a
    column declared in the source then reaches staging without an edit there). Nothing while dbt
    parses (raw_columns). scripts/catalogue.py reads the same call to describe these columns on the
    staging model.
-#}
{% macro raw_columns_except(table_name, transformed) -%}
    {%- set names = [] -%}
    {%- for column in raw_columns(table_name) -%}
        {%- if column['name'] not in transformed -%}
            {%- do names.append(column['name']) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- names | join(',\n        ') -}}
{%- endmacro %}
