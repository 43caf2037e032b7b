{#-
    data_quality_issues rows for the rows of `rows` whose `reference_column` is set but
    matches no row of `referenced`: the row is kept, and the detail says what is left empty.
-#}
{% macro missing_reference_issues(
    source_table,
    rows,
    key_columns,
    reference_column,
    referenced,
    referenced_column,
    issue_code,
    consequence
) -%}
    select
        '{{ source_table }}' as source_table,
        {{ issue_record_key(key_columns, 'referrer') }} as record_key,
        '{{ issue_code }}' as issue_code,
        '{{ reference_column }} ' || cast(referrer.{{ reference_column }} as string)
        || ' does not exist; {{ consequence }}' as issue_detail
    from {{ rows }} as referrer
    left join {{ referenced }} as referenced
        on referrer.{{ reference_column }} = referenced.{{ referenced_column }}
    where
        referrer.{{ reference_column }} is not null
        and referenced.{{ referenced_column }} is null
{%- endmacro %}
