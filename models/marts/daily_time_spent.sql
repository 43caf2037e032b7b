{#-
    Time spent per tracking and day: one row per time log (a tracking and the UTC day it was
    logged on) with its valid seconds, a negative value already emptied
    (int_tracking_time_logs_cleaned). The export's timeSpent mode sums the days inside its
    window.
-#}
with

time_logs as (
    select * from {{ ref('activity_tracking', 'int_tracking_time_logs_cleaned') }}
),

final as (
    select
        tracking_id as reportId,
        logged_on as loggedOn,
        seconds as timeSpent
    from time_logs
)

select * from final
