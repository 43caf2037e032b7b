{#-
    One row per key of `relation` (a CTE or relation name): the latest `updated_at` wins, a
    null `updated_at` is the oldest. Exact ties are broken by `tiebreak_columns` (list every
    other column so the choice is deterministic): the row with the most of them filled in
    wins, then the first by each column in turn with empty values last, so that a copy with
    an empty column never wins over a complete one. Rows with a null key part are left out;
    data_quality_issues records them and the duplicates from the base models.
-#}
{% macro deduplicate(relation, key_columns, tiebreak_columns, order_by='updated_at desc nulls last') -%}
    {%- set ordering = [order_by] -%}
    {%- if tiebreak_columns -%}
        {%- set filled = [] -%}
        {%- for column in tiebreak_columns -%}
            {%- do filled.append('case when ' ~ column ~ ' is null then 0 else 1 end') -%}
        {%- endfor -%}
        {%- do ordering.append('(' ~ (filled | join(' + ')) ~ ') desc') -%}
    {%- endif -%}
    {%- for column in tiebreak_columns -%}
        {%- do ordering.append(column ~ ' asc nulls last') -%}
    {%- endfor -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by {{ ordering | join(', ') }}
            ) as version_rank
        from {{ relation }}
        where {{ key_columns | join(' is not null and ') }} is not null
    ) as ranked
    where version_rank = 1
{%- endmacro %}
