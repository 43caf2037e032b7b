{#-
    dbt-postgres's column comments (persist_docs), overridden: dbt-postgres 1.11 comments only
    the columns whose YAML name equals the built column's name exactly, so the marts' columns,
    named in camel case (reportId) and folded to lower case by PostgreSQL (reportid), got none.
    Here a YAML name matches the built column whatever its case, unless the column is quoted
    (`quote: true`: its case is kept, and compared as it is).
-#}
{% macro postgres__alter_column_comment(relation, column_dict) %}
    {%- set existing_columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- for column_name in column_dict -%}
        {%- set quoted = column_dict[column_name]['quote'] -%}
        {%- if (column_name if quoted else column_name | lower) in existing_columns %}
    comment on column {{ relation }}.{{ adapter.quote(column_name) if quoted else column_name }} is {{ postgres_escape_comment(column_dict[column_name]['description']) }};
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
