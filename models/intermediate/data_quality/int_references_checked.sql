{#-
    The dangling references: a reference that is set but names no row. Each is a rule of the
    rule table (data_quality_rules, family `references`): the raw table and column of the
    reference, the model it names (`referenced`: model, key column) and what the pipeline does
    about it (`consequence`, ending the detail). The rows are the staged ones; the row is kept.
-#}
{%- set reference_rules = [] -%}
{%- set read_models = [] -%}
{%- for rule in data_quality_rules() if rule.family == 'references' -%}
    {%- do reference_rules.append(rule) -%}
    {%- for model in ['stg_lms__' ~ rule.table, rule.referenced[0]] if model not in read_models -%}
        {%- do read_models.append(model) -%}
    {%- endfor -%}
{%- endfor -%}

with

{% for model in read_models %}
    {{ model }} as (
        select * from {{ ref('activity_tracking', model) }}
    ),
{% endfor %}

issues as (
    {%- for rule in reference_rules %}
        {{ 'union all' if not loop.first }}
        {{ missing_reference_issues(
            source_table=rule.table,
            rows='stg_lms__' ~ rule.table,
            key_columns=raw_primary_key(rule.table)['key'],
            reference_column=rule.column,
            referenced=rule.referenced[0],
            referenced_column=rule.referenced[1],
            issue_code=rule.code,
            consequence=rule.consequence,
        ) }}
    {%- endfor %}
),

final as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
