{#-
    The customer's page example, end to end on the sample data: Laurie did "Welcome to our
    team!" in session "Session 01" of training "First steps", started 2020-02-20, finished
    2020-03-30, earned 30 points, status Completed. Fails unless exactly one such row exists.
    Only meaningful on the sample seeds, so enabled only when they are read (lms_sample_used).
-#}
{{ config(enabled=lms_sample_used()) }}
with

matching as (
    select count(*) as row_count
    from {{ ref('activity_tracking', 'activity_tracking') }}
    where
        candidateFirstname = 'Laurie'
        and activityName = 'Welcome to our team!'
        and sessionTitle = 'Session 01'
        and trainingTitle = 'First steps'
        and cast(activityFirstAccessDate as date) = date '2020-02-20'
        and cast(activityLastAccessDate as date) = date '2020-03-30'
        and pointsGained = 30
        and progressStatus = 'Completed'
),

final as (
    select row_count
    from matching
    where row_count != 1
)

select * from final
