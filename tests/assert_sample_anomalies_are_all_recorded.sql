{#-
    On the sample data: every anomaly planted in the seeds (the `planted` entries of the rule
    table data_quality_rules, flattened by sample_anomalies) is recorded in data_quality_issues
    with its issue code, and nothing else is; where detail_names is given, the issue's detail
    names it (the empty columns, the empty reference). Every rule has at least one planted
    anomaly, so that breaking any rule's detection fails here. Returns the missing, the
    unexpected and the ill-described rows, and the rules planted nowhere. Only meaningful on the sample seeds, so enabled only when they
    are read (lms_sample_used).
-#}
{{ config(enabled=lms_sample_used()) }}

with

{#- the anomalies planted in the sample: their one home is the rule table (data_quality_rules) #}
expected as (
    {%- for anomaly in sample_anomalies() %}
        {{ 'union all' if not loop.first }}
        select
            {{ sql_string_literal(anomaly.table) }} as source_table,
            {{ sql_string_literal(anomaly.key) if anomaly.key is not none else 'cast(null as string)' }}
                as record_key,
            {{ sql_string_literal(anomaly.code) }} as issue_code,
            {{ sql_string_literal(anomaly.names) if anomaly.names else 'cast(null as string)' }}
                as detail_names
    {%- endfor %}
),

recorded as (
    select
        source_table,
        record_key,
        issue_code,
        issue_detail
    from {{ ref('activity_tracking', 'data_quality_issues') }}
),

mismatched as (
    select
        coalesce(expected.source_table, recorded.source_table) as source_table,
        coalesce(expected.record_key, recorded.record_key) as record_key,
        coalesce(expected.issue_code, recorded.issue_code) as issue_code,
        case
            when recorded.issue_code is null then 'not recorded'
            when expected.issue_code is null then 'unexpected'
            else 'detail does not name ' || expected.detail_names
        end as failure
    from expected
    full outer join recorded
        on
            expected.source_table = recorded.source_table
            and coalesce(expected.record_key, '') = coalesce(recorded.record_key, '')
            and expected.issue_code = recorded.issue_code
    where
        expected.issue_code is null
        or recorded.issue_code is null
        or recorded.issue_detail not like '%' || expected.detail_names || '%'
),

{# each rule of the rule table without a planted anomaly: (table, code) #}
{% set unplanted = [] %}
{% for rule in data_quality_rules() if not rule.planted %}
    {% do unplanted.append((rule.table, rule.code)) %}
{% endfor %}
unplanted as (
    {%- for table, code in unplanted %}
        {{ 'union all' if not loop.first }}
        select
            {{ sql_string_literal(table) }} as source_table,
            cast(null as string) as record_key,
            {{ sql_string_literal(code) }} as issue_code,
            'rule planted nowhere in the sample' as failure
    {%- else %}
        select
            cast(null as string) as source_table,
            cast(null as string) as record_key,
            cast(null as string) as issue_code,
            cast(null as string) as failure
        where false
    {%- endfor %}
),

final as (
    select * from mismatched
    union all
    select * from unplanted
)

select * from final
