{#-
    One row per key of `relation` (a CTE or relation name) holding the raw table `table_name`,
    as the lms source's table meta declares it (raw_table): the key is `primary_key`, the row
    kept is the first by `duplicate_order` (default `updated_at desc nulls last`: the latest
    `updated_at` wins, a null one is the oldest). Exact ties are broken by every other column
    of the table (those neither in the key nor named in `duplicate_order`), so the choice is
    deterministic: the row with the most of them filled in wins, then the first by each
    column in turn with empty values last (text by code point, whatever the database's
    collation: binary_text), so that a copy with an empty column never wins over a complete
    one. Rows with a null key part are left out; data_quality_issues records them and the
    duplicates from the base models.
    When ties are broken on the other columns (a wide sort), only the keys held by several
    rows are ranked: the keys (duplicated_keys) come from one grouping of the key columns, and
    a row whose key is not among them is kept as it is (at 10 M trackings, about a thousand
    keys are duplicated; ranking every row sorted the whole table on some 30 expressions).
    The same rows as ranking every key: a key held by one row keeps that row.
-#}
{% macro deduplicate(relation, table_name) -%}
    {%- set table = raw_table(table_name) -%}
    {%- set key_columns = table['primary_key'] or ['1'] -%}
    {%- set order_by = table.get('duplicate_order') or 'updated_at desc nulls last' -%}
    {%- set ordered_names = modules.re.findall('[a-z_][a-z0-9_]*', order_by | lower) -%}
    {%- set tiebreak_columns = [] -%}
    {%- for column in table.get('columns') or [] -%}
        {%- if column['name'] not in key_columns and column['name'] not in ordered_names -%}
            {%- do tiebreak_columns.append(column['name']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set ordering = [order_by] -%}
    {%- if tiebreak_columns -%}
        {%- set filled = [] -%}
        {%- for column in tiebreak_columns -%}
            {%- do filled.append('case when ' ~ column ~ ' is null then 0 else 1 end') -%}
        {%- endfor -%}
        {%- do ordering.append('(' ~ (filled | join(' + ')) ~ ') desc') -%}
    {%- endif -%}
    {#- text by code point (binary_text), as every engine then keeps the same row -#}
    {%- set text_columns = [] -%}
    {%- for column in table.get('columns') or [] -%}
        {%- if column['data_type'] == 'string' -%}
            {%- do text_columns.append(column['name']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in tiebreak_columns -%}
        {%- do ordering.append((binary_text(column) if column in text_columns else column) ~ ' asc nulls last') -%}
    {%- endfor -%}
    {%- set key_join = [] -%}
    {%- set key_present = [] -%}
    {%- for column in key_columns -%}
        {%- do key_join.append('keyed_rows.' ~ column ~ ' = duplicated_keys.' ~ column) -%}
        {%- do key_present.append('keyed_rows.' ~ column ~ ' is not null') -%}
    {%- endfor -%}
    {#- every row ranked while dbt parses (no key known yet), or for a table whose ordering is
        its own columns alone (tracking_time_logs: a narrow sort, cheaper than grouping the keys
        and joining them); otherwise only the rows of duplicated keys -#}
    {%- set rank_every_row = not table['primary_key'] or not tiebreak_columns -%}
    {%- set first_versions -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ ordering | join(', ') }}
            ) as version_rank
        from
        {%- if rank_every_row %} {{ relation }}
        where {{ key_columns | join(' is not null and ') }} is not null
        {%- else %} (
            select keyed_rows.*
            from {{ relation }} as keyed_rows
            inner join duplicated_keys
                on {{ key_join | join(' and ') }}
        ) as duplicated_rows
        {%- endif %}
    ) as ranked
    where version_rank = 1
    {%- endset -%}
    {%- if rank_every_row %}
    {{ first_versions }}
    {%- else %}
    with

    duplicated_keys as (
        select
        {%- if key_columns | length == 1 %} {{ key_columns[0] }}
        {%- else %}
            {{ key_columns | join(',\n            ') }}
        {%- endif %}
        from {{ relation }}
        where {{ key_columns | join(' is not null and ') }} is not null
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    )

    select
        keyed_rows.*,
        1 as version_rank
    from {{ relation }} as keyed_rows
    left join duplicated_keys
        on {{ key_join | join(' and ') }}
    where {{ key_present | join(' and ') }} and duplicated_keys.{{ key_columns[0] }} is null

    union all

    {{ first_versions }}
    {%- endif %}
{%- endmacro %}
