{#-
    Every staged time log with its seconds cleaned: a negative value is emptied, the repair of
    the rule negative_time_log (data_quality_rules), as int_trackings_statused repairs a
    negative time_spent_seconds. A view: one row-by-row rule over the staged table, cheaper to compute
    again than to store; the mart daily_time_spent holds it.
-#}
with

time_logs as (
    select * from {{ ref('activity_tracking', 'stg_lms__tracking_time_logs') }}
),

final as (
    select
        tracking_id,
        logged_on,
        {{ data_quality_rule('negative_time_log').repair }} as seconds
    from time_logs
)

select * from final
