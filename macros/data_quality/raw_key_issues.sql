{#-
    Issue rows (source_table, record_key, issue_code, issue_detail) for the primary keys of the
    raw tables `table_names`, read from their base models (every raw row); each table's key and
    which row of a duplicated key is kept come from the lms source's meta (raw_primary_key).
    Per table: one `null_primary_key` row counting the rows ignored for a null key part, and
    one `duplicate_primary_key` row per key held by several rows.
-#}
{% macro raw_key_issues(table_names) -%}
    {%- for table_name in table_names %}
        {%- set primary_key = raw_primary_key(table_name) %}
        {%- set key_columns = primary_key['key'] %}
    {{ 'union all' if not loop.first }}

    select
        '{{ table_name }}' as source_table,
        cast(null as string) as record_key,
        'null_primary_key' as issue_code,
        cast(count(*) as string) || ' raw rows without {{ key_columns | join(" or ") }} were ignored'
            as issue_detail
    from {{ ref('base_lms__' ~ table_name) }}
    where {{ key_columns | join(' is null or ') }} is null
    having count(*) > 0

    union all

    select
        '{{ table_name }}' as source_table,
        {{ issue_record_key(key_columns) }} as record_key,
        'duplicate_primary_key' as issue_code,
        cast(count(*) as string) || ' raw rows share this key; kept the row with {{ primary_key["kept"] }}'
            as issue_detail
    from {{ ref('base_lms__' ~ table_name) }}
    where {{ key_columns | join(' is not null and ') }} is not null
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
    {%- endfor %}
{%- endmacro %}
