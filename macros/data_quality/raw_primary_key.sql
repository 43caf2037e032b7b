{#-
    The primary key of the raw table `table_name` as the lms source declares it in its
    table-level meta: `{'key': [key columns], 'kept': which row of a duplicated key is kept}`.
    While dbt parses (the graph is not known yet): `{'key': [], 'kept': ''}`. A table the
    source does not declare, or without `meta.primary_key`, is a compile error (raw_table).
-#}
{% macro raw_primary_key(table_name) -%}
    {%- set table = raw_table(table_name) -%}
    {{- return({'key': table['primary_key'], 'kept': table['duplicate_kept']}) -}}
{%- endmacro %}
