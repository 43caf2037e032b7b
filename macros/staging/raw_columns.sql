{#-
    The columns of the raw table `table_name` as the lms source declares them (each a dict with
    its name, data_type and meta), in the source's order; empty while dbt parses (raw_table).
-#}
{% macro raw_columns(table_name) -%}
    {{- return(raw_table(table_name)['columns']) -}}
{%- endmacro %}
