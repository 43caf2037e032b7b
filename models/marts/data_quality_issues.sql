{#-
    One row per anomaly found in the raw extract: what the pipeline did about it
    (kept, cut, emptied, clamped or excluded) is in issue_detail. Nothing is dropped or
    changed without a row here, except trimming and empty text becoming null. The rules, their
    codes and what they mean are the rule table, the macro data_quality_rules; each family of
    rules is checked by one intermediate model, int_<family>_checked
    (models/intermediate/data_quality/), and this model unions them.
-#}
{#- the checking models, one per family of the rule table, in its order -#}
{%- set checking_models = [] -%}
{%- for rule in data_quality_rules() if 'int_' ~ rule.family ~ '_checked' not in checking_models -%}
    {%- do checking_models.append('int_' ~ rule.family ~ '_checked') -%}
{%- endfor -%}

with

{% for model in checking_models %}
    {{ model }} as (
        select * from {{ ref('activity_tracking', model) }}
    ),
{% endfor %}

issues as (
    {%- for model in checking_models %}
        {{ 'union all' if not loop.first }}
        select * from {{ model }}
    {%- endfor %}
),

final as (
    select
        {{ issue_id() }} as issue_id,
        source_table,
        record_key,
        issue_code,
        issue_detail
    from issues
)

select * from final
