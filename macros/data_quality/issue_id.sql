{#- data_quality_issues.issue_id of an issue row: a hash of its table, issue code and record key. -#}
{% macro issue_id() -%}
    md5(source_table || '|' || issue_code || '|' || coalesce(record_key, ''))
{%- endmacro %}
