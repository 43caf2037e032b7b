{#-
    The raw values the pipeline clamps, empties, cuts or reads as unknown, on the staged rows:
    each value rule of the rule table (data_quality_rules, family `values`) with its condition,
    checked on its `checked_on` model (stg_lms__<table> unless the rule names another) with its
    detail; and activities' and trainings' durations (read as minutes for activity_tracking_bi).
-#}
{%- set value_rules = [] -%}
{%- set checked_models = ['stg_lms__activities', 'stg_lms__trainings'] -%}
{%- for rule in data_quality_rules() if rule.family == 'values' and rule.get('condition') -%}
    {%- set checked_on = rule.get('checked_on', 'stg_lms__' ~ rule.table) -%}
    {%- do value_rules.append((rule, checked_on)) -%}
    {%- if checked_on not in checked_models -%}
        {%- do checked_models.append(checked_on) -%}
    {%- endif -%}
{%- endfor -%}

with

{% for model in checked_models %}
    {{ model }} as (
        select * from {{ ref('activity_tracking', model) }}
    ),
{% endfor %}

value_issues as (
    {%- for rule, checked_on in value_rules %}
        {{ 'union all' if not loop.first }}
        select
            {{ sql_string_literal(rule.table) }} as source_table,
            {{ issue_record_key(raw_primary_key(rule.table)['key']) }} as record_key,
            {{ sql_string_literal(rule.code) }} as issue_code,
            {{ rule.detail }} as issue_detail
        from {{ checked_on }}
        where {{ rule.condition }}
    {%- endfor %}
),

{# the durations activity_tracking_bi reads as minutes: (table, key, duration, minutes column) -#}
{%- set durations = [
    ('activities', 'activity_id', 'activity_duration', 'activityDurationMinutes'),
    ('trainings', 'training_id', 'training_duration', 'trainingDurationMinutes'),
] %}
duration_issues as (
    {%- for table, key, duration, minutes in durations %}
        select
            {{ sql_string_literal(table) }} as source_table,
            {{ issue_record_key([key]) }} as record_key,
            'unreadable_duration' as issue_code,
            'duration ''' || {{ duration }} || ''' is not read as a duration (e.g. 2h30, 45min); '
            || {{ sql_string_literal(minutes ~ ' left empty') }} as issue_detail
        from {{ 'stg_lms__' ~ table }}
        where {{ duration }} is not null and {{ duration_minutes(duration) }} is null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

issues as (
    select * from value_issues
    union all
    select * from duration_issues
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
