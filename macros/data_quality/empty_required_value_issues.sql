{#-
    Issue rows (source_table, record_key, issue_code, issue_detail) for the raw rows of the
    tables `table_names` that leave a required column empty: one `empty_required_value` row per
    key of each raw table, naming the empty columns. A column is required unless the lms source
    declares it `meta: {nullable: true}` (the raw contract's rule); the key columns (the
    source's meta, raw_primary_key) are left to raw_key_issues.
    Only the raw rows with an empty required column are grouped: a key's other rows add no
    column name to its issue, and a key without such a row has no issue (at 10 M trackings
    that groups thousands of rows instead of every raw row).
-#}
{% macro empty_required_value_issues(table_names) -%}
    {%- set emitted = [] -%}
    {%- for table_name in table_names -%}
        {#- a parent while dbt parses, when the columns are not known yet -#}
        {%- set base_relation = ref('base_lms__' ~ table_name) -%}
        {%- set key_columns = raw_primary_key(table_name)['key'] -%}
        {%- set required = [] -%}
        {%- for column in raw_columns(table_name) -%}
            {%- if not column.meta.get('nullable', false) and column.name not in key_columns -%}
                {%- do required.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if required %}
    {{ 'union all' if emitted }}
            {%- do emitted.append(table_name) %}

    select
        '{{ table_name }}' as source_table,
        {{ issue_record_key(key_columns) }} as record_key,
        'empty_required_value' as issue_code,
        'empty required columns: ' || concat_ws(
            ', ',
            {%- for column in required %}
            max(case when {{ column }} is null then '{{ column }}' end){{ ',' if not loop.last }}
            {%- endfor %}
        ) as issue_detail
    from {{ base_relation }}
    where
        {{ key_columns | join(' is not null and ') }} is not null
        and ({{ required | join(' is null or ') }} is null)
    group by {{ key_columns | join(', ') }}
        {%- endif -%}
    {%- endfor %}
    {%- if not emitted %}
    {#- parsing: the graph, hence the source's columns, is not known yet #}
    select
        cast(null as string) as source_table,
        cast(null as string) as record_key,
        cast(null as string) as issue_code,
        cast(null as string) as issue_detail
    where false
    {%- endif %}
{%- endmacro %}
