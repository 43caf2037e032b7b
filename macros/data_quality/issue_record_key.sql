{#- data_quality_issues.record_key of a raw row: its key columns as text, joined with '|'. -#}
{% macro issue_record_key(key_columns, table_alias=none) -%}
    {%- set parts = [] -%}
    {%- for column in key_columns -%}
        {%- do parts.append('cast(' ~ ((table_alias ~ '.') if table_alias else '') ~ column ~ ' as string)') -%}
    {%- endfor -%}
    {{ parts | join(" || '|' || ") }}
{%- endmacro %}
